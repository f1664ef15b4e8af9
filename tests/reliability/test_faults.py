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


# ---------------------------------------------------------------- reading a file on read-only media


def _reading_commands(out: Path) -> list[list[str]]:
    return [
        ["verify"],
        ["verify", "--jobs", "2"],  # the chain checked in two processes, each opening the file read-only
        ["summary"],
        ["balance"],
        ["tax-summary", "--from", "2026-01-01", "--to", "2026-12-31"],
        ["export", "lots", str(out / "lots.csv")],
        ["backup", str(out / "copy.sqlite")],
        ["report", "census", "--out", str(out / "census.pdf")],
    ]


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _reads_without_writing(path: Path, out: Path) -> None:
    """Every reading command works on the read-only file (a sign-in included), leaves it byte for byte as
    it was and takes no day's backup; a wrong password just fails; a write is refused in one line."""
    out.mkdir(exist_ok=True)
    before = _sha(path)
    backups = sorted((path.parent / "backups").glob("*")) if (path.parent / "backups").is_dir() else []
    for command in _reading_commands(out):
        done = harness.cli(
            "--db", str(path), *command, account=None if command[0] == "verify" else harness.MANAGER
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        assert done.stderr == "", (command, done.stderr)
    assert sqlite3.connect(out / "copy.sqlite").execute("SELECT count(*) FROM member").fetchone()[0] > 0
    wrong = harness.cli("--db", str(path), "balance", env={"COOPLEDGER_PASSWORD": "not-the-password-9"})
    assert "Sign-in failed" in _one_clean_line(wrong)
    now = sorted((path.parent / "backups").glob("*")) if (path.parent / "backups").is_dir() else []
    assert now == backups  # no day's backup attempted, no anchor noted beside the file
    refused = harness.cli("--db", str(path), "import", "members", str(_members_csv(out, 3)))
    assert "read-only" in _one_clean_line(refused)
    assert _sha(path) == before  # no sign-in counter, audit row, journal-mode change or migration


def _new_closed_coop(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "coop.sqlite"
    _coop_with_sales(path, 3)  # closed: no -wal or -shm file is left beside it
    return path


def test_cli_reads_a_read_only_file(tmp_path, read_only):
    path = _new_closed_coop(tmp_path / "db")
    read_only(path)
    _reads_without_writing(path, tmp_path / "out")


def test_cli_reads_a_file_in_a_read_only_folder(tmp_path, read_only):
    """SQLite cannot create the WAL index (-shm) there: the file is opened immutable."""
    path = _new_closed_coop(tmp_path / "db")
    read_only(path)
    read_only(path.parent)
    _reads_without_writing(path, tmp_path / "out")


def test_cli_reads_a_file_on_a_read_only_disk(tmp_path):
    from tests.reliability import realdisk

    if realdisk.cannot_mount() is not None:
        pytest.skip(str(realdisk.cannot_mount()))
    try:
        with realdisk.small_disk("8m") as disk:
            path = _new_closed_coop(disk)
            realdisk.remount_read_only(disk)
            _reads_without_writing(path, tmp_path / "out")
    except OSError as exc:
        pytest.skip(f"cannot mount a small tmpfs here: {exc}")


def test_cli_read_only_file_that_needs_an_upgrade_is_refused(tmp_path, read_only):
    import shutil

    from tests.reliability.make_fixtures import FIXTURES

    path = tmp_path / "coop.sqlite"
    shutil.copyfile(FIXTURES / "v1.sqlite", path)
    read_only(path)
    before = _sha(path)
    line = _one_clean_line(harness.cli("--db", str(path), "verify", account=None))
    assert "read-only" in line and "must be upgraded" in line
    assert _sha(path) == before and not (tmp_path / "backups").exists()


def test_read_only_handle_refuses_every_write(tmp_path):
    from coop.services import users

    path = _new_closed_coop(tmp_path)
    previous = coopdb.models.database.obj
    handle = coopdb.open_database(path, read_only=True)
    try:
        assert coopdb.is_read_only()
        assert users.login(harness.MANAGER, harness.PASSWORD).role == "manager"  # checked, not recorded
        with pytest.raises(StorageError, match="read-only"):
            handle.execute_sql(
                "INSERT INTO audit_log (at, username, action, entity) VALUES ('x', 'x', 'x', 'x')"
            )
    finally:
        handle.close()
        coopdb.models.database.initialize(previous)


# ---------------------------------------------------------------- damaged file, backups per database


def _coop_with_sales(path: Path, sales_count: int) -> None:
    """harness.new_coop's cooperative with `sales_count` posted sales (postings over many pages), closed."""
    from coop.services import users
    from tests.conftest import make_small_coop

    handle = coopdb.open_database(path)
    coop = make_small_coop()
    users.add_user(None, harness.MANAGER, harness.PASSWORD, "manager")
    for _ in range(sales_count):
        _sale(coop, coop.lot())
    handle.close()


def _posting_page(path: Path) -> int:
    """A leaf page of the posting table's b-tree (dbstat), else its root page."""
    conn = sqlite3.connect(path)
    try:
        try:
            pages = [
                r[0]
                for r in conn.execute(
                    "SELECT pageno FROM dbstat WHERE name = 'posting' AND pagetype = 'leaf' ORDER BY pageno"
                )
            ]
        except sqlite3.OperationalError:  # SQLite built without dbstat
            pages = []
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'posting'").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    return (pages[len(pages) // 2] if pages else root), size


def _damage_posting_page(path: Path) -> None:
    page, size = _posting_page(path)
    with path.open("r+b") as f:
        f.seek((page - 1) * size)
        f.write(bytes(range(256)) * (size // 256))


def test_cli_damaged_posting_page_stops_the_figures(tmp_path):
    path = tmp_path / "coop.sqlite"
    _coop_with_sales(path, 120)
    good = harness.cli("--db", str(path), "balance")
    assert good.returncode == 0 and "FC" in good.stdout  # the figures, before the damage
    _damage_posting_page(path)
    for command in (
        ["balance"],
        ["summary"],
        ["tax-summary", "--from", "2026-01-01", "--to", "2026-12-31"],
        [
            "report",
            "tax-filing",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--out",
            str(tmp_path / "t.pdf"),
        ],
    ):
        out = harness.cli("--db", str(path), *command)
        line = _one_clean_line(out)
        assert "is damaged" in line and "no figures are shown" in line, (command, line)
        assert out.stdout == "", (command, out.stdout)  # not one figure
    assert not (tmp_path / "t.pdf").exists()


def test_restore_over_a_damaged_file_keeps_it_aside_byte_for_byte(tmp_path):
    """The online backup cannot read a file whose header is garbage: it is copied aside as it is."""
    from coop import backups

    path = tmp_path / "coop.sqlite"
    _coop_with_sales(path, 120)
    backup = tmp_path / "kept.sqlite"
    handle = coopdb.open_database(path)
    coopdb.backup_to(handle, backup)
    handle.close()
    damaged = b"not a database any more " * 200 + path.read_bytes()[4800:]  # SQLite's backup API refuses it
    path.write_bytes(damaged)
    result = backups.restore(path, backup)
    assert result.aside is not None and result.aside.read_bytes() == damaged
    assert harness.check_database(path).ok


def test_two_restores_in_one_second_keep_both_earlier_files(tmp_path):
    from datetime import datetime

    from coop import backups

    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    backup = tmp_path / "kept.sqlite"
    handle = coopdb.open_database(path)
    coopdb.backup_to(handle, backup)
    handle.close()
    now = datetime(2026, 3, 1, 10, 0, 0)
    first = path.read_bytes()
    one = backups.restore(path, backup, now)
    second = path.read_bytes()  # the restored file, with the restore in its audit log
    two = backups.restore(path, backup, now)
    assert one.aside and two.aside and one.aside != two.aside
    assert sorted(p.name for p in tmp_path.glob("coop.before-restore-*")) == [
        "coop.before-restore-20260301-100000-2.sqlite",
        "coop.before-restore-20260301-100000.sqlite",
    ]
    assert _rows(one.aside, "audit_log") == _rows_of(first, tmp_path / "first.sqlite", "audit_log")
    assert _rows(two.aside, "audit_log") == _rows_of(second, tmp_path / "second.sqlite", "audit_log")


def _rows(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _rows_of(data: bytes, scratch: Path, table: str) -> int:
    scratch.write_bytes(data)
    return _rows(scratch, table)


def test_two_databases_in_one_folder_each_get_their_days_backup(tmp_path):
    from coop import backups

    a, b = tmp_path / "north.sqlite", tmp_path / "south.sqlite"
    for path in (a, b):
        harness.new_coop(path)
        conn = sqlite3.connect(path)
        conn.execute("UPDATE cooperative SET name = ?", (path.stem,))
        conn.commit()
        conn.close()
    day = date(2026, 3, 2)
    for path in (a, b):
        handle = coopdb.open_database(path)
        assert backups.start_of_day(handle, day) is not None
        assert backups.start_of_day(handle, day) is None  # once a day per database
        handle.close()
    folder = tmp_path / "backups"
    assert sorted(p.name for p in folder.glob("*daily*")) == [
        "north-daily-2026-03-02.sqlite",
        "south-daily-2026-03-02.sqlite",
    ]
    for stem in ("north", "south"):
        conn = sqlite3.connect(folder / f"{stem}-daily-2026-03-02.sqlite")
        assert conn.execute("SELECT name FROM cooperative").fetchone() == (stem,)
        conn.close()
    assert backups.daily_backups(folder, "north") == {day: folder / "north-daily-2026-03-02.sqlite"}


def test_older_unnamed_daily_backups_are_still_read_and_rotated(tmp_path):
    from coop import backups

    for i in range(1, 29):
        (tmp_path / f"daily-2025-02-{i:02d}.sqlite").write_text("x")
    (tmp_path / "other-daily-2025-02-01.sqlite").write_text("another database's: not rotated with north")
    (tmp_path / "north-daily-2025-03-01.sqlite").write_text("x")
    found = backups.daily_backups(tmp_path, "north")
    assert len(found) == 29 and found[date(2025, 3, 1)].name == "north-daily-2025-03-01.sqlite"
    removed = backups.rotate(tmp_path, "north")
    assert removed and all(p.name.startswith("daily-2025-02-") for p in removed)
    kept = backups.daily_backups(tmp_path, "north")
    assert sorted(kept) == sorted(backups.keep(found))
    assert (tmp_path / "other-daily-2025-02-01.sqlite").exists()
