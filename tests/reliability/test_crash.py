"""Crash safety, concurrent posting and online backups under writes (short versions; `make reliability` runs long)."""

from __future__ import annotations

from datetime import date

import pytest

from coop.models import ProductionLot
from coop.services import production
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


def test_lot_references_stay_unique_past_999_a_day(coop, db):
    """The crash campaign posts thousands of lots a day: SITE-DATE-1000 must follow SITE-DATE-999."""
    day = date(2026, 1, 5)
    rows = [(f"KAM-20260105-{n:03d}", day.isoformat(), coop.site, coop.gold, 1000) for n in range(1, 1001)]
    db.cursor().executemany(
        "INSERT INTO production_lot (reference, date, site_id, mineral_id, qty_milli, grade_milli, mercury_milli, "
        "retort_used, notes, status) VALUES (?, ?, ?, ?, ?, 0, 0, 0, '', 'in_stock')",
        rows,
    )
    assert production.next_reference("KAM", day) == "KAM-20260105-1001"
    lot = coop.lot(day=day)
    assert ProductionLot.get_by_id(lot).reference == "KAM-20260105-1001"
