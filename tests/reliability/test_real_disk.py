"""A really full disk (a small tmpfs, root only): an import that fills it fails with one translated line,
exit 1, and leaves the file sound with exactly the rows it had. `PRAGMA max_page_count` (test_faults) only
simulates this: SQLite rolls the whole transaction back on a real SQLITE_FULL, which is what broke imports
that carried on after the error.

COOP_REAL_DISK_ROWS sets the rows per file and runs the slow command-line sales import too
(`make reliability`: 100,000 rows)."""

from __future__ import annotations

import os

import pytest

from tests.reliability import realdisk

LONG = "COOP_REAL_DISK_ROWS" in os.environ
ROWS = int(os.environ.get("COOP_REAL_DISK_ROWS", "5000"))

pytestmark = pytest.mark.skipif(realdisk.cannot_mount() is not None, reason=str(realdisk.cannot_mount()))


def _mounted(run, *args) -> realdisk.FullDiskRun:
    try:
        return run(*args)
    except OSError as exc:
        pytest.skip(f"cannot mount a small tmpfs here: {exc}")


def _assert_refused_cleanly(run: realdisk.FullDiskRun, *, signed_in: bool = True) -> None:
    assert run.returncode == 1, (run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert lines == ["Error: The disk is full: nothing was saved. Free some space on the disk and try again."]
    assert "Traceback" not in run.stdout
    if signed_in:  # the sign-in was saved, so the disk filled up during the import itself
        assert run.after["logins"] == run.before["logins"] + 1
    assert realdisk.records(run.after) == realdisk.records(run.before)  # lots, audit rows, entries...
    assert run.problems == []  # integrity, foreign keys, balanced ledger, chain, receipts gap-free


def test_lot_import_onto_a_full_disk(tmp_path):
    """Through the command line, twice: the second try adds nothing either."""
    # 1 MiB of room: the lots and their owners, with the WAL, need several times that
    _assert_refused_cleanly(_mounted(realdisk.full_disk_import, "lots", ROWS, tmp_path, 1024, 300))


def test_sale_import_onto_a_full_disk(tmp_path):
    """Each sale posts in a savepoint of the import's transaction: SQLite's rollback on a full disk must
    not turn into "no such savepoint" or into the next sales being written in autocommit."""
    run = _mounted(realdisk.in_process_sale_import, ROWS, tmp_path, 256)
    _assert_refused_cleanly(run, signed_in=False)


@pytest.mark.skipif(not LONG, reason="about 20 s per try: `make reliability` runs it (COOP_REAL_DISK_ROWS)")
def test_sale_import_onto_a_full_disk_through_the_command_line(tmp_path):
    # SQLite keeps up to 2 MB of changes in its page cache before the disk sees them: it takes a few
    # hundred sales to fill even a little room
    _assert_refused_cleanly(_mounted(realdisk.full_disk_import, "sales", ROWS, tmp_path, 96))
