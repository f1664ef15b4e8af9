"""Independent recomputation of every figure the application prints, from the raw inputs (tests/figures)."""
