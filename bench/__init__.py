"""Benchmarks at federation scale (issue 8): data generator, runner and probes; not part of the unit tests."""
