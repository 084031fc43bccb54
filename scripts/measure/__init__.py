"""Measuring the assistant: `make eval` (with its baseline and determinism runs), `make bench` and
`make fit-weights`."""
