"""Benchmarks of the offline evaluation: `python -m benchmarks.run`."""
