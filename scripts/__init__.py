"""The project's commands, run from the checkout as `python -m scripts.<stage>.<name>` (the Makefile
does): run/ runs the assistant, edit/ serves those who keep the facts, measure/ measures it."""
