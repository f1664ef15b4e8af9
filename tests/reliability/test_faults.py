"""Storage faults: disk full, read-only file, database locked, file deleted under the app, damaged or newer
file. Each is a StorageError with a clear message (one line, exit 1 in the CLI), no partial record, and the
process keeps working once the fault is gone."""

from __future__ import annotations

import os
import signal
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from coop import chain
from coop import db as coopdb
from coop.errors import StorageError
from coop.models import AuditLog, JournalEntry, ProductionLot, Sale
from coop.permissions import SYSTEM
from coop.services import ledger, sales
from tests.reliability import harness

FAULTS_TRIED: list[str] = []  # read by the campaign report


def _state():
    return (
        Sale.select().count(),
        JournalEntry.select().count(),
        AuditLog.select().count(),
        ProductionLot.select().where(ProductionLot.status == "sold").count(),
    )


def _sale(coop, lot):
    return sales.post_sale(
        SYSTEM, sales.SaleInput(coop.buyer, [lot], date(2026, 1, 6), "USD", Decimal(90), Decimal(2850))
    ).id


def _assert_refused(coop, lot, msgid_part: str) -> StorageError:
    before = _state()
    with pytest.raises(StorageError) as err:
        _sale(coop, lot)
    assert msgid_part in err.value.msgid
    text = err.value.message()
    assert text and "\n" not in text and "Traceback" not in text
    assert _state() == before  # no partial record
    return err.value


def test_disk_full_refuses_cleanly_and_recovers(db, coop):
    lot = coop.lot()
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")
    for _ in range(200):  # use up the free pages first
        try:
            coop.lot()
        except StorageError:
            break
    _assert_refused(coop, lot, "disk is full")
    db.execute_sql(f"PRAGMA max_page_count = {pages * 10}")
    assert _sale(coop, lot)  # the same sale goes through once there is room
    assert chain.verify().ok and not ledger.unbalanced_entries()


def test_disk_full_during_a_bulk_lot_import(db, coop, tmp_path):
    """The lot import writes with a raw executemany: its storage faults are translated too."""
    from coop.models import LotOwner
    from coop.services import imports

    csv = tmp_path / "lots.csv"
    rows = ["date,site_code,mineral,quantity,grade,owners,notes"]
    rows += [f"2026-01-05,KAM,Gold,1.5,900,M001:60;M002:40,{'n' * 500}" for _ in range(2000)]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages + 20}")
    before = (ProductionLot.select().count(), LotOwner.select().count(), AuditLog.select().count())
    with pytest.raises(StorageError, match="disk is full"):
        imports.import_lots(SYSTEM, csv)
    assert (ProductionLot.select().count(), LotOwner.select().count(), AuditLog.select().count()) == before
    db.execute_sql(f"PRAGMA max_page_count = {pages * 100}")
    assert imports.import_lots(SYSTEM, csv).rows == 2000


def test_read_only_database_refuses_cleanly_and_recovers(db, coop):
    lot = coop.lot()
    db.execute_sql("PRAGMA query_only = 1")
    _assert_refused(coop, lot, "read-only")
    assert ledger.position(SYSTEM).cash == 0  # reading still works
    db.execute_sql("PRAGMA query_only = 0")
    assert _sale(coop, lot)


def test_locked_database_refuses_cleanly_and_recovers(db, coop):
    lot = coop.lot()
    db.execute_sql("PRAGMA busy_timeout = 200")
    holder = harness.child("hold", db.database, "30")
    try:
        assert holder.stdout.readline().strip() == "locked"
        _assert_refused(coop, lot, "in use by another")
    finally:
        holder.kill()
        holder.communicate()
    assert _sale(coop, lot)


def test_file_deleted_under_the_app_refuses_writes(db, coop):
    lot = coop.lot()
    path = Path(db.database)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    _assert_refused(coop, lot, "deleted or replaced")
    assert ledger.position(SYSTEM) is not None  # the app keeps running (reads come from the open file)
    with pytest.raises(StorageError):
        coop.lot()
    assert not path.exists()  # nothing silently created an empty database in its place


def test_file_replaced_under_the_app_refuses_writes(db, coop, tmp_path):
    lot = coop.lot()
    path = Path(db.database)
    os.replace(path, tmp_path / "moved.sqlite")
    path.write_bytes((tmp_path / "moved.sqlite").read_bytes())
    _assert_refused(coop, lot, "deleted or replaced")


# ---------------------------------------------------------------- through the command line


def _one_clean_line(out) -> str:
    assert out.returncode == 1, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    return lines[0]


def _members_csv(folder: Path, rows: int) -> Path:
    csv = folder / "members.csv"
    lines = ["member_no,full_name,join_date"] + [
        f"X{i:05d},Member {i} {'x' * 200},2024-01-01" for i in range(rows)
    ]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return csv


@pytest.fixture
def read_only():
    """Make a file read-only even for root (which ignores file modes): the immutable attribute."""
    import shutil
    import subprocess

    made: list[Path] = []

    def apply(path: Path) -> None:
        path.chmod(0o444)
        if os.geteuid() == 0:
            if shutil.which("chattr") is None:
                pytest.skip("running as root without chattr: cannot make a file read-only")
            if subprocess.run(["chattr", "+i", str(path)], check=False).returncode != 0:
                pytest.skip("running as root and chattr +i is not permitted here")
        made.append(path)

    yield apply
    for path in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        path.chmod(0o644)


def test_cli_read_only_file(tmp_path, read_only):
    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    (tmp_path / "backups").mkdir()
    harness.cli("--db", str(path), "summary")  # today's backup exists: only the import writes
    read_only(path)
    out = harness.cli("--db", str(path), "import", "members", str(_members_csv(tmp_path, 3)))
    assert "read-only" in _one_clean_line(out)


def test_cli_locked_database(tmp_path):
    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    holder = harness.child("hold", str(path), "30")
    try:
        assert holder.stdout.readline().strip() == "locked"
        out = harness.cli(
            "--db",
            str(path),
            "import",
            "members",
            str(_members_csv(tmp_path, 3)),
            env={coopdb.BUSY_ENV: "300"},
        )
    finally:
        holder.kill()
        holder.communicate()
    assert "in use by another" in _one_clean_line(out)


def _limit_file_size(limit: int):
    def apply() -> None:
        import resource  # POSIX only

        signal.signal(
            signal.SIGXFSZ, signal.SIG_IGN
        )  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_cli_disk_full(tmp_path):
    """The file system refuses to grow the files (RLIMIT_FSIZE): like a full disk for SQLite."""
    import subprocess
    import sys

    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    (tmp_path / "backups").mkdir()
    before = path.stat().st_size
    out = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--db",
            str(path),
            "--user",
            harness.MANAGER,
            "import",
            "members",
            str(_members_csv(tmp_path, 3000)),
        ],
        cwd=harness.ROOT,
        capture_output=True,
        text=True,
        env={**harness.signed_in_env(), "LANGUAGE": "en"},
        preexec_fn=_limit_file_size(before + 64 * 1024),
        timeout=120,
    )
    line = _one_clean_line(out)
    assert "disk is full" in line or "could not be read or written" in line
    found = harness.check_database(path)
    assert found.ok
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM member WHERE member_no LIKE 'X%'").fetchone()[0] == 0
    conn.close()


def test_cli_damaged_file(tmp_path):
    path = tmp_path / "coop.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    assert "damaged" in _one_clean_line(harness.cli("--db", str(path), "summary"))


def test_cli_truncated_file(tmp_path):
    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    out = harness.cli("--db", str(path), "verify")
    assert out.returncode == 1 and "Traceback" not in out.stderr + out.stdout


def test_cli_newer_version_refused(tmp_path):
    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {coopdb.LATEST + 1}")
    conn.close()
    assert "newer version" in _one_clean_line(harness.cli("--db", str(path), "summary"))


def test_connections_take_the_write_lock_up_front_and_wait_for_it(db, monkeypatch, tmp_path):
    assert db._lock_type == "IMMEDIATE"  # two writers never deadlock half-way through a posting
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == coopdb.BUSY_TIMEOUT_MS
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    monkeypatch.setenv(coopdb.BUSY_ENV, "1234")
    other = coopdb.open_database(tmp_path / "other.sqlite")
    assert other.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 1234
    other.close()


def test_disk_full_at_random_points_keeps_every_committed_sale(tmp_path):
    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    stats = harness.disk_full_campaign(path, 10, seed=6)
    assert stats.failures == []
    assert stats.faults == stats.rounds == 10  # every round really ran out of room
    assert stats.committed > 0
