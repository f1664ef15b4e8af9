"""Crash safety, concurrent posting and online backups under writes (short versions; `make reliability` runs long)."""

from __future__ import annotations

import pytest

from tests.reliability import harness

KILLS = 15
PER_PROCESS = 100
BACKUPS = 20


@pytest.fixture
def coop_file(tmp_path):
    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    return path


def test_sigkill_at_random_moments_loses_nothing(coop_file):
    stats = harness.crash_campaign(coop_file, KILLS, seed=2026)
    assert stats.failures == []
    assert stats.kills == KILLS
    assert stats.committed > KILLS  # the child really did post between kills
    assert stats.lost == 0


def test_two_processes_post_gap_free_unique_receipts(coop_file):
    receipts, found = harness.concurrent_sales(coop_file, PER_PROCESS)
    assert found.problems == []
    assert [len(r) for r in receipts] == [PER_PROCESS, PER_PROCESS]
    assert not set(receipts[0]) & set(receipts[1])  # no number handed out twice
    (series,) = found.receipts
    assert sorted(found.receipts[series]) == list(range(1, 2 * PER_PROCESS + 1))


def test_backups_taken_during_writes_are_sound(coop_file, tmp_path):
    stats = harness.backups_during_writes(coop_file, tmp_path / "backups", BACKUPS)
    assert stats.failures == []
    assert stats.taken == stats.sound == BACKUPS
    assert stats.distinct_sizes > 1  # the writer kept posting while the backups were taken
