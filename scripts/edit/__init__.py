"""For those who keep the facts: `make check-facts` and `make report`."""
