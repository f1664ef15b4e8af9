"""Reliability tests: access, integrity, faults, backups, upgrades and bad input."""
