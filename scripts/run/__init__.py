"""Running the assistant: make run, make run-cluster, their supervisor and servers, and `make shell`."""
