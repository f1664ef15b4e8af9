"""Tests mirroring the packages: core (tests/), UI (tests/ui), reliability (tests/reliability)."""
