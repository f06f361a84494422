"""Benchmarks of the offline evaluation (issue 7): `python -m benchmarks.run`."""
