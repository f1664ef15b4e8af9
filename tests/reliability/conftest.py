"""The reliability tests kill processes with SIGKILL and change file attributes: POSIX only."""

from __future__ import annotations

import sys

import pytest

if sys.platform == "win32":
    collect_ignore_glob = ["test_crash.py", "test_faults.py", "test_upgrade.py"]


@pytest.fixture(autouse=True)
def _no_busy_override(monkeypatch):
    """Tests choose their own busy timeout; a developer's environment must not change it."""
    monkeypatch.delenv("COOPLEDGER_BUSY_TIMEOUT_MS", raising=False)
