"""The way in and out: the REST channel and its checks of what comes in, the web page's server, the Rasa
server and the developers' shell as they are run, and the check of what the action server sends back."""
