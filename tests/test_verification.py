"""Verification as one list of checks: each finds its own problem as a Problem with its message id; restore
shows them translated; verifying or restoring a second file never re-points the open database's models."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coop import backups, chain, db, i18n, verification
from coop.models import Cooperative, JournalEntry, Sale
from coop.verification import Problem, Scope


@pytest.fixture
def sold(coop, db):
    """A cooperative with two posted sales (two chain links)."""
    coop.sell([coop.lot()])
    coop.sell([coop.lot()])
    return db


def _raw(handle, *statements: str) -> None:
    """Attack the file the way a forger with the code would: plain SQL, the guarding trigger dropped."""
    conn = sqlite3.connect(getattr(handle, "database", handle))
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def _seq(sale_id: int) -> int:
    """The link of a sale (members, accounts and settings have links of their own before the sales)."""
    return JournalEntry.get((JournalEntry.source_type == "sale") & (JournalEntry.source_id == sale_id)).seq


def _only(problems: list[Problem], msgid: str) -> Problem:
    found = [p for p in problems if p.msgid == msgid]
    assert len(found) == 1, problems
    return found[0]


def test_a_sound_file_has_no_problems_and_reports_the_chain(sold):
    report = verification.run(sold)
    assert report.ok and report.problems == []
    assert (report.links, report.head) == (chain.head()[0], chain.head()[1])


def test_a_tampered_record_is_found_by_the_chain_check(sold):
    _raw(
        sold,
        "DROP TRIGGER sale_final_update",
        "UPDATE sale SET net_minor = net_minor + 100 WHERE id = 1",
    )
    problems = verification.hash_chain(Scope(sold))
    assert problems == [
        Problem(f"sale #{_seq(1)} (sale 1)", verification.CHAIN_BROKEN, {"reason": "contents changed"})
    ]
    assert problems[0].message() == f"Chain broken at sale #{_seq(1)} (sale 1): contents changed"
    report = verification.run(sold)
    assert not report.ok and _only(report.problems, verification.CHAIN_BROKEN) == problems[0]
    _only(report.problems, verification.TRIGGER_MISSING)  # the dropped trigger is named too


def test_a_broken_link_is_found_by_the_chain_check(sold):
    _raw(
        sold,
        "DROP TRIGGER journal_entry_no_update",
        f"UPDATE journal_entry SET prev_hash = '{'1' * 64}' WHERE seq = {_seq(2)}",
    )
    (problem,) = verification.hash_chain(Scope(sold))
    assert problem.msgid == verification.CHAIN_BROKEN and problem.record == f"sale #{_seq(2)} (sale 2)"
    assert problem.params["reason"] == "previous hash does not match"


def test_a_bad_foreign_key_is_found_naming_the_row(sold):
    _raw(
        sold,
        "PRAGMA foreign_keys = OFF",
        "DROP TRIGGER lot_owner_sold_insert",  # lot 1 is sold: its owners are final
        "INSERT INTO lot_owner (lot_id, member_id, share_bp) VALUES (1, 999, 0)",
    )
    (problem,) = verification.foreign_keys(Scope(sold))
    row_id = sold.execute_sql("SELECT id FROM lot_owner WHERE member_id = 999").fetchone()[0]
    assert problem.msgid == verification.FOREIGN_KEY_BROKEN and problem.record == f"lot_owner {row_id}"
    # the line `verify` prints is the one it printed before the checks became a list
    assert problem.message() == f"Database problem: foreign key: ('lot_owner', {row_id}, 'member', 0)"
    assert _only(verification.run(sold).problems, verification.FOREIGN_KEY_BROKEN) == problem


def test_a_missing_finality_trigger_is_found(sold):
    _raw(sold, "DROP TRIGGER posting_no_delete")
    assert verification.finality_triggers(Scope(sold)) == [
        Problem("", verification.TRIGGER_MISSING, {"detail": "posting_no_delete"})
    ]
    assert verification.hash_chain(Scope(sold)) == []  # nothing else is wrong


def test_an_unbalanced_entry_is_found_with_its_sequence_number(sold):
    _raw(
        sold,
        "DROP TRIGGER posting_no_update",
        "UPDATE posting SET amount_minor = amount_minor + 1 WHERE id = (SELECT MIN(id) FROM posting)",
    )
    seqs = str(_seq(1))  # the first posting is the first sale's
    assert verification.balanced_entries(Scope(sold)) == [
        Problem("", verification.UNBALANCED, {"seqs": seqs})
    ]
    assert verification.run(sold).problems[-1].params["reason"] == "contents changed"


def test_sqlite_findings_become_problems(sold, monkeypatch):
    """SQLite's own check is hard to break on purpose without breaking the file: its findings are given."""
    monkeypatch.setattr(db, "sqlite_check", lambda handle, full: [f"page 7 broken (full={full})"])
    assert verification.sqlite_integrity(Scope(sold, full=True)) == [
        Problem("", verification.DATABASE_PROBLEM, {"detail": "page 7 broken (full=True)"})
    ]
    assert verification.run(sold).problems[0].message() == "Database problem: page 7 broken (full=False)"


def test_problems_are_translated_where_shown(sold):
    problem = Problem(
        "sale #1 (sale 1)", verification.CHAIN_BROKEN, {"reason": verification.MessageId("contents changed")}
    )
    i18n.set_language("fr")
    expected = i18n._(verification.CHAIN_BROKEN).format(
        record="sale #1 (sale 1)", reason=i18n._("contents changed")
    )
    assert problem.message() == expected and "contenu modifié" in expected


def _backup_of(handle, path: Path) -> Path:
    return db.backup_to(handle, path)


def test_restore_shows_the_problems_translated(sold, tmp_path):
    bad = _backup_of(sold, tmp_path / "bad.sqlite")
    _raw(
        bad,
        "DROP TRIGGER sale_final_update",
        "UPDATE sale SET net_minor = net_minor + 100 WHERE id = 1",
    )
    target = tmp_path / "elsewhere" / "coop.sqlite"
    target.parent.mkdir()
    with pytest.raises(verification.BackupRejected) as err:
        backups.restore(target, bad)
    assert [p.msgid for p in err.value.problems] == [verification.TRIGGER_MISSING, verification.CHAIN_BROKEN]
    i18n.set_language("fr")
    shown = err.value.message()
    assert i18n._("contents changed") in shown and "contenu modifié" in shown
    assert "contents changed" not in shown
    assert (
        i18n._(verification.CHAIN_BROKEN).format(record=f"sale #{_seq(1)} (sale 1)", reason="contenu modifié")
        in shown
    )
    assert not target.exists()


# ---------------------------------------------------------------- the open database keeps its models


def _second_file(handle, tmp_path: Path) -> Path:
    """A copy of the open database under another name: same shape, other cooperative name."""
    from coop.permissions import SYSTEM
    from coop.services import settings

    path = _backup_of(handle, tmp_path / "b.sqlite")
    other = db.open_database(path, bind=False)
    try:
        with db.bound(other):  # renamed as the program renames it (a rename by SQL is a forgery now)
            settings.save(SYSTEM, name="Coop B")
    finally:
        other.close()
    return path


def test_verifying_a_second_file_reads_it_and_leaves_the_models_on_the_open_one(sold, tmp_path):
    path_b = _second_file(sold, tmp_path)
    seen: list[str] = []

    def name_check(scope: Scope) -> list[Problem]:
        seen.append(Cooperative.get().name)
        return []

    handle_b = db.open_database(path_b, bind=False)
    try:
        report = verification.run(handle_b, checks=(*verification.CHECKS, name_check))
    finally:
        handle_b.close()
    assert report.ok and seen == ["Coop B"]  # the checks read B...
    assert Cooperative.get().name == "Test Coop" and Sale.select().count() == 2  # ...the models read A after


def test_a_check_that_fails_with_an_exception_leaves_the_models_on_the_open_one(sold, tmp_path):
    handle_b = db.open_database(_second_file(sold, tmp_path), bind=False)

    def broken(scope: Scope) -> list[Problem]:
        raise RuntimeError("a bug in a check")

    try:
        with pytest.raises(RuntimeError):
            verification.run(handle_b, checks=(broken,))
    finally:
        handle_b.close()
    assert Cooperative.get().name == "Test Coop" and JournalEntry._meta.database is not handle_b


def test_restoring_elsewhere_leaves_the_models_on_the_open_one(sold, tmp_path, monkeypatch):
    backup = _second_file(sold, tmp_path)
    target = tmp_path / "other" / "coop.sqlite"
    target.parent.mkdir()
    result = backups.restore(target, backup)
    assert result.records == chain.head()[0] + 1 and Cooperative.get().name == "Test Coop"  # + the rename

    def walk_fails(jobs=None):
        raise RuntimeError("the walk failed")

    monkeypatch.setattr(chain, "verify", walk_fails)
    with pytest.raises(RuntimeError):
        backups.restore(tmp_path / "other" / "again.sqlite", backup)
    assert Cooperative.get().name == "Test Coop" and Sale.select().count() == 2
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT name FROM cooperative").fetchone() == ("Coop B",)
