"""Benchmarks of the whole pipeline; run ``scripts/bench``."""
