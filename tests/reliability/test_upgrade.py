"""Schema upgrades: every earlier version's fixture reaches the latest with totals and chain unchanged; a
kill in the middle of an upgrade leaves the old version intact; backups and restore."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from coop import anchors, backups, chain, db, register, verification
from coop.errors import StorageError
from coop.models import JournalEntry, Sale
from tests.reliability import harness
from tests.reliability.make_fixtures import FIXTURES, totals

VERSIONS = sorted(int(p.stem[1:]) for p in FIXTURES.glob("v*.sqlite"))


def test_there_is_a_fixture_for_every_earlier_version():
    assert db.LATEST >= 2
    assert VERSIONS == list(range(1, db.LATEST))


def _copy(version: int, folder: Path) -> Path:
    target = folder / "coop.sqlite"
    shutil.copyfile(FIXTURES / f"v{version}.sqlite", target)
    return target


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_fixture_upgrades_with_totals_and_chain_unchanged(version, tmp_path):
    path = _copy(version, tmp_path)
    expected = json.loads((FIXTURES / f"v{version}.json").read_text())
    handle = db.open_database(path)
    try:
        assert db.schema_version(handle) == db.LATEST
        assert db.integrity_problems(handle) == []  # includes every finality trigger of the latest schema
        found = totals()
        links, head = found.pop("chain_links"), found.pop("chain_head")
        assert found == {k: v for k, v in expected.items() if not k.startswith("chain_")}
        # the old links unchanged; after them, schema 7's register links (one per member, account, settings)
        assert anchors.link_hash_at(expected["chain_links"]) == expected["chain_head"]
        added = JournalEntry.select().where(JournalEntry.seq > expected["chain_links"])
        assert {e.kind for e in added} == ({"register_event"} if version < 7 else set())
        assert links == expected["chain_links"] + added.count() and head == chain.head()[1]
        assert register.seal_all("test") == 0  # every member, account and the settings already sealed
        assert verification.run(handle).ok  # members, accounts, settings and the audit log under the chain
    finally:
        handle.close()
    saved = list((tmp_path / "backups").glob(f"before-upgrade-v{version}-*.sqlite"))
    assert len(saved) == 1 and _version(saved[0]) == version


def test_kill_during_upgrade_leaves_the_old_version(tmp_path):
    path = _copy(1, tmp_path)
    proc = harness.child("migrate", str(path))
    try:
        assert proc.stdout.readline().strip() == "migrating"  # inside the upgrade transaction
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    assert _version(path) == 1
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert "journal_entry_source" not in names and "sale_lot_final_update" not in names
    found = harness.check_database(path)  # opening again upgrades it properly
    assert found.ok and _version(path) == db.LATEST


def test_version_2_indexes_serve_the_void_lookup_and_the_tax_summary(db):
    posted = (Sale.state == "posted") & (Sale.date >= date(2025, 1, 1)) & (Sale.date <= date(2025, 12, 31))
    sql, params = Sale.select(Sale.id, Sale.gross_local_minor).where(posted).sql()
    plan = " ".join(str(r) for r in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())
    assert "sale_state_date" in plan
    query = JournalEntry.select().where(
        (JournalEntry.source_type == "sale") & (JournalEntry.source_id == 1) & (JournalEntry.kind == "sale")
    )
    sql, params = query.sql()
    plan = " ".join(str(r) for r in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())
    assert "journal_entry_source" in plan


def test_version_3_file_gains_closings_of_periods(tmp_path):
    """Version 4 adds the period_close table and its triggers: an upgraded file closes a period, keeps its
    chain sound and refuses a posting dated in the closed period, also in raw SQL."""
    from coop.permissions import SYSTEM
    from coop.services import periods

    path = _copy(3, tmp_path)
    conn = sqlite3.connect(path)
    assert "period_close" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    handle = db.open_database(path)
    try:
        periods.close(SYSTEM, date(2025, 3, 31))
        assert chain.verify().ok
        with pytest.raises(sqlite3.IntegrityError, match="the period is closed"):
            handle.connection().execute(
                "INSERT INTO journal_entry (seq, date, kind, source_type, source_id, memo, created_by, "
                "prev_hash, hash) VALUES (9999, '2025-03-15', 'payout', 'payout', 1, '', '', '', '')"
            )
    finally:
        handle.close()


# ---------------------------------------------------------------- backups and restore


def test_start_of_day_backup_once_a_day_with_rotation(db, coop, tmp_path):
    folder = tmp_path / "bk"
    day = date(2025, 1, 1)
    taken = 0
    for offset in range(400):
        current = date.fromordinal(day.toordinal() + offset)
        if backups.start_of_day(db, current, folder) is not None:
            taken += 1
        assert backups.start_of_day(db, current, folder) is None  # only the first open of the day
    assert taken == 400
    kept = sorted(backups.daily_backups(folder))
    assert kept == sorted(backups.keep(date.fromordinal(day.toordinal() + i) for i in range(400)))
    last = date.fromordinal(day.toordinal() + 399)
    assert kept[-7:] == [date.fromordinal(last.toordinal() - i) for i in range(6, -1, -1)]
    assert len({d.isocalendar()[:2] for d in kept}) >= 4
    assert len({(d.year, d.month) for d in kept}) == 12
    assert len(kept) <= 7 + 4 + 12


def test_rotation_touches_only_daily_backups(tmp_path):
    (tmp_path / "before-upgrade-v1-20250101-000000.sqlite").write_text("keep me")
    (tmp_path / "notes.txt").write_text("keep me")
    for i in range(1, 29):
        (tmp_path / f"daily-2025-02-{i:02d}.sqlite").write_text("x")
    removed = backups.rotate(tmp_path)
    assert removed and all(p.name.startswith("daily-") for p in removed)
    assert (tmp_path / "notes.txt").exists() and (
        tmp_path / "before-upgrade-v1-20250101-000000.sqlite"
    ).exists()


def test_restore_replaces_and_keeps_the_current_file_aside(tmp_path):
    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    handle = db.open_database(path)
    saved = db.backup_to(handle, tmp_path / "saved.sqlite")
    handle.close()
    harness.child("sell", str(path), "3").communicate()  # three sales after the backup
    result = backups.restore(path, saved)
    assert result.aside is not None and result.aside.exists()
    assert harness.check_database(result.aside).receipts == {str(date.today().year): [1, 2, 3]}
    handle = db.open_database(path)
    assert Sale.select().count() == 0 and chain.verify().ok
    handle.close()


def test_restore_upgrades_an_older_backup(tmp_path):
    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    result = backups.restore(path, FIXTURES / "v1.sqlite")
    assert result.version == 1 and result.records == _v1_links(tmp_path / "v1")
    assert _version(path) == db.LATEST and harness.check_database(path).ok


@pytest.mark.parametrize("damage", ["garbage", "truncated", "newer", "tampered", "missing", "empty-sqlite"])
def test_restore_refuses_a_bad_file_and_keeps_the_current_one(tmp_path, damage):
    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    before = path.read_bytes()
    bad = tmp_path / "bad.sqlite"
    shutil.copyfile(FIXTURES / "v1.sqlite", bad)
    if damage == "garbage":
        bad.write_bytes(b"\x00garbage" * 1000)
    elif damage == "truncated":
        bad.write_bytes(bad.read_bytes()[:20000])
    elif damage == "missing":
        bad.unlink()
    elif damage == "empty-sqlite":
        bad.unlink()
        sqlite3.connect(bad).execute("CREATE TABLE t (x)").connection.close()
    else:
        conn = sqlite3.connect(bad)
        if damage == "newer":
            conn.execute(f"PRAGMA user_version = {db.LATEST + 1}")
        else:
            conn.execute("DROP TRIGGER posting_no_update")
            conn.execute("UPDATE posting SET amount_minor = amount_minor + 100 WHERE id = 3")
            conn.commit()
        conn.close()
    with pytest.raises(StorageError) as err:
        backups.restore(path, bad)
    assert err.value.message()
    assert path.read_bytes() == before
    assert not (tmp_path / "restore-tmp").exists()
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_cli_backup_and_restore(tmp_path):
    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    out = harness.cli("--db", str(path), "backup", str(tmp_path / "copy.sqlite"))
    assert out.returncode == 0, out.stderr
    assert list((tmp_path / "backups").glob("coop-daily-*.sqlite"))  # the start-of-day backup was taken too
    out = harness.cli("--db", str(path), "restore", str(tmp_path / "copy.sqlite"))
    assert out.returncode == 0 and "records verified" in out.stdout, out.stderr
    out = harness.cli("--db", str(path), "restore", str(tmp_path / "nothing.sqlite"))
    assert out.returncode == 1 and "does not exist" in out.stderr and "Traceback" not in out.stderr
    out = harness.cli("--db", str(path), "verify")
    assert out.returncode == 0 and out.stdout.startswith("OK")


def _v1_links(folder: Path) -> int:
    """The links of the v1 fixture once upgraded: its 17 and schema 7's register links."""
    folder.mkdir()
    handle = db.open_database(_copy(1, folder))
    try:
        return chain.head()[0]
    finally:
        handle.close()


def test_kill_during_restore_leaves_a_sound_database(tmp_path):
    """Whenever a restore is killed, the database file is the old one or the restored one, never neither."""
    import random
    import time

    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    old, restored = harness.check_database(path).links, _v1_links(tmp_path / "v1")
    rng = random.Random(7)
    outcomes = set()
    for _ in range(8):
        proc = harness.child("restore", str(path), str(FIXTURES / "v1.sqlite"))
        proc.stdout.readline()
        time.sleep(rng.uniform(0, 0.15))
        proc.send_signal(signal.SIGKILL)
        out, _err = proc.communicate()
        found = harness.check_database(path)
        assert found.ok, found.problems
        outcomes.add((found.links, "restored" in out))
    assert {links for links, _done in outcomes} <= {old, restored}


def test_restore_refuses_while_another_program_has_the_database_open(tmp_path):
    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    other = sqlite3.connect(path)
    other.execute("SELECT count(*) FROM sale").fetchone()  # another window, reading
    before = path.read_bytes()
    try:
        with pytest.raises(StorageError, match="in use"):
            backups.restore(path, FIXTURES / "v1.sqlite")
    finally:
        other.close()
    assert path.read_bytes() == before and not list(tmp_path.glob("*.before-restore-*"))
    restored = _v1_links(tmp_path / "v1")
    assert backups.restore(path, FIXTURES / "v1.sqlite").records == restored  # fine once it is closed
