"""Benchmarks: `make bench` (python -m bench.run) prints one table, each figure beside its baseline."""
