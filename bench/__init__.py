"""Houqin benchmarks: `make bench` (or `python -m bench`). Never run as timed tests."""
