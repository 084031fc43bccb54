"""`make bench` in parts: load.py sends the load and counts, servers.py starts what is measured (this
assistant as `make run` runs it, Rasa's starter bot, the cluster), profile.py times a turn's parts
and a cold training, report.py writes docs/benchmarks.md; scripts/measure/benchmark.py runs them in order."""
