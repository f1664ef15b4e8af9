"""Forgeries that pass the chain walk (rewritten with the project's own hashing code) are caught by the
evidence outside the file: paper anchors, the anchor log, the last head this installation saw, and the
checks of receipt numbers, stored values and closed periods."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from coop import anchors, chain, db, verification
from coop.models import JournalEntry, Sale
from tests.reliability import campaign, forgery, harness
from tests.reliability.chainbuild import build_chain

LINKS = 160


@pytest.fixture(scope="module")
def chain_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("forgery") / "chain.sqlite"
    build_chain(path, LINKS)
    return path


@pytest.fixture
def books(chain_file, tmp_path):
    """A copy of the chain open, with an anchor log holding its head as of now (as a verify writes)."""
    path = tmp_path / "coop.sqlite"
    shutil.copyfile(chain_file, path)
    handle = db.open_database(path)
    anchors.note(path, "verify")
    yield path, handle
    handle.close()


def _receipt(sale_id: int) -> anchors.PaperAnchor:
    """The anchor printed on a receipt: its number and 16 hex characters of its link."""
    sale = Sale.get_by_id(sale_id)
    return anchors.PaperAnchor(f"{sale.series}/{sale.receipt_no}", sale.chain_hash[:16])


def _posted_sales() -> list[int]:
    return [s.id for s in Sale.select(Sale.id).where(Sale.state != "draft").order_by(Sale.receipt_no)]


def _check(path: Path, paper=(), seen=None) -> list[verification.Problem]:
    handle = JournalEntry._meta.database
    return verification.run(handle, anchor_log=anchors.log_path(path), seen=seen, paper=paper).problems


def _msgids(problems) -> list[str]:
    return [p.msgid for p in problems]


def test_untouched_books_agree_with_every_anchor(books):
    path, _handle = books
    paper = [_receipt(i) for i in _posted_sales()[:5]]
    assert _check(path, paper) == []


def test_a_reduced_sale_rewritten_to_the_end_is_caught_by_its_receipt_and_the_anchor_log(books):
    path, handle = books
    sales = _posted_sales()
    paper = [_receipt(sales[9]), _receipt(sales[-1])]
    forgery.open_raw(path)
    seq = forgery.reduce_sale(sales[9], 1_000_000)
    forgery.restore_triggers(handle)
    assert chain.verify().ok  # the forger's rewrite holds on its own
    problems = _check(path, paper)
    assert _msgids(problems) == [anchors.ANCHOR_DIVERGES, anchors.PAPER_MISMATCH, anchors.PAPER_MISMATCH]
    number = f"{Sale.get_by_id(sales[9]).series}/{Sale.get_by_id(sales[9]).receipt_no}"
    assert problems[1].record == f"receipt {number} (link {seq})"
    assert "the chain was rewritten" in problems[0].message()


def test_the_last_links_deleted_with_their_records_are_caught_by_the_anchor_log(books):
    path, handle = books
    removed = _posted_sales()[-1]
    paper = [_receipt(removed)]
    forgery.open_raw(path)
    forgery.truncate(20)
    forgery.restore_triggers(handle)
    assert chain.verify().ok
    problems = _check(path, paper)
    assert _msgids(problems) == [anchors.ANCHOR_SHORTER, anchors.PAPER_MISSING]
    assert problems[0].params["length"] == LINKS and problems[0].params["n"] == LINKS - 20


def test_an_inserted_link_with_the_rest_rewritten_is_caught(books):
    path, handle = books
    last = _posted_sales()[-1]
    paper = [_receipt(last)]
    forgery.open_raw(path)
    forgery.insert_payout(LINKS // 2)
    forgery.restore_triggers(handle)
    assert chain.verify().ok
    assert _msgids(_check(path, paper)) == [anchors.ANCHOR_DIVERGES, anchors.PAPER_MISMATCH]


def test_a_payout_back_dated_into_a_closed_period_is_caught(books):
    path, handle = books
    from coop.permissions import SYSTEM
    from coop.services import periods

    periods.close(SYSTEM, date(2026, 1, 31))
    forgery.open_raw(path)
    forgery.append_payout(date(2026, 1, 15))
    forgery.restore_triggers(handle)
    assert chain.verify().ok
    (problem,) = _check(path)
    assert problem.msgid == verification.IN_CLOSED_PERIOD and problem.record.startswith("payout #")


def test_a_date_stored_as_other_text_for_the_same_day_is_refused(books):
    path, handle = books
    sale = Sale.get_by_id(_posted_sales()[3])
    forgery.open_raw(path)
    forgery.redate("sale", sale.id, f"{sale.date.isoformat()} 00:00:00")
    forgery.restore_triggers(handle)
    assert chain.verify().ok  # the walk reads it as the same day
    (problem,) = _check(path)
    assert problem.msgid == verification.NOT_CANONICAL and problem.record == f"sale {sale.id}"
    assert problem.params == {"column": "date", "value": repr(f"{sale.date.isoformat()} 00:00:00")}


@pytest.mark.parametrize("counter", [90, 70])
def test_a_moved_receipt_counter_is_found(books, counter):
    path, _handle = books
    handle = JournalEntry._meta.database
    handle.execute_sql("UPDATE receipt_counter SET last_no = ?", (counter,))
    problems = verification.run(handle).problems
    assert [p.msgid for p in problems] == [verification.RECEIPT_COUNTER]


def test_a_deleted_receipt_leaves_a_gap_that_is_found(books):
    path, handle = books
    forgery.open_raw(path)
    handle.execute_sql("UPDATE sale SET receipt_no = receipt_no + 1000 WHERE id = ?", (_posted_sales()[4],))
    assert verification.RECEIPT_GAP in _msgids(verification.run(handle).problems)


def test_the_seen_head_catches_committed_sales_lost_with_the_wal_file(tmp_path):
    """Ten sales committed, then a crash and the -wal file deleted: the file alone verifies, but the head
    this installation saw after the last commit says ten links are missing."""
    from tests.conftest import make_small_coop

    path = tmp_path / "coop.sqlite"
    seen = tmp_path / "seen-heads.json"
    handle = db.open_database(path)
    anchors.watch(handle, seen)
    coop = make_small_coop()
    coop.sell([coop.lot()])

    def post_ten() -> None:
        for _ in range(10):
            coop.sell([coop.lot()])

    forgery.lose_wal(path, post_ten)
    handle = db.open_database(path)
    try:
        assert verification.run(handle).ok  # what verify said until now: nothing wrong
        problems = verification.run(handle, seen=anchors.read_seen(seen, path)).problems
        assert [p.msgid for p in problems] == [anchors.ANCHOR_SHORTER]
        # the file holds the first sale (and the settings', members' and sites' register links) only
        assert problems[0].params["length"] == problems[0].params["n"] + 10 == chain.head()[0] + 10
    finally:
        handle.close()


def test_cli_verify_names_the_receipt_whose_printed_hash_differs(books, tmp_path):
    path, handle = books
    sales = _posted_sales()
    good, bad = _receipt(sales[0]), _receipt(sales[1])
    wrong = ("0" if bad.prefix[0] != "0" else "1") + bad.prefix[1:]
    listed = tmp_path / "receipts.txt"
    listed.write_text(f"# typed from members' receipts\n{good.ref}:{good.prefix}\n")
    handle.close()
    ok = harness.cli("--db", str(path), "verify", "--anchors", str(listed), account=None)
    assert ok.returncode == 0 and "Paper anchors matching the chain: 1." in ok.stdout, ok.stderr
    out = harness.cli("--db", str(path), "verify", "--anchor", f"{bad.ref}:{wrong}", account=None)
    assert out.returncode == 1
    assert f"receipt {bad.ref}" in out.stdout and "does not match the chain" in out.stdout
    short = harness.cli("--db", str(path), "verify", "--anchor", f"{bad.ref}:{bad.prefix[:8]}", account=None)
    assert short.returncode == 1 and "at least 16 hex characters" in short.stderr


def test_each_verify_adds_an_anchor_and_restore_starts_a_new_epoch(tmp_path):
    log = tmp_path / "backups" / anchors.LOG_NAME
    anchors.append(log, "verify", 10, "a" * 64, datetime(2026, 1, 1, 8))
    anchors.append(log, "restore", 4, "b" * 64, datetime(2026, 1, 2, 8))
    anchors.append(log, "verify", 6, "c" * 64, datetime(2026, 1, 3, 8))
    found, bad = anchors.read_log(log)
    assert bad == [] and [a.length for a in anchors.since_restore(found)] == [4, 6]
    log.write_text(log.read_text() + "garbage\n")
    assert anchors.read_log(log)[1] == [4]


@pytest.mark.parametrize("text", ["2025/12", "2025/12:abc", "2025/12:" + "g" * 16, ":" + "a" * 16])
def test_a_malformed_anchor_is_refused(text):
    from coop.errors import ValidationError

    with pytest.raises(ValidationError):
        anchors.parse(text)


def test_an_anchor_accepts_a_prefix_of_16_or_more_hex_characters_in_any_case():
    assert anchors.parse(" 2025/12 : ABCDEF0123456789ab ") == anchors.PaperAnchor(
        "2025/12", "abcdef0123456789ab"
    )


def test_a_voucher_and_a_filing_are_anchors_too(books):
    from coop.models import Payout

    path, _handle = books
    payout = Payout.select().where(Payout.state != "draft").order_by(Payout.id).first()
    voucher = anchors.PaperAnchor(f"{payout.date.year}/{payout.id}", payout.chain_hash[:16])
    filing = anchors.PaperAnchor("2026-01", chain.head()[1][:16])  # the head printed on the filing
    assert _check(path, [voucher, filing]) == []
    forgery.open_raw(path)
    forgery.truncate(1)
    forgery.rehash(1)
    problems = _check(path, [anchors.PaperAnchor(f"payout/{payout.id}", payout.chain_hash[:16]), filing])
    assert [p.msgid for p in problems if p.msgid != verification.TRIGGER_MISSING] == [
        anchors.ANCHOR_SHORTER,
        anchors.PAPER_MISSING,
    ]
    assert problems[-1].record == "filing 2026-01"


def test_restore_refuses_a_backup_without_triggers_and_records_a_restore(books, tmp_path):
    from coop import backups
    from coop.models import AuditLog

    path, handle = books
    stripped = tmp_path / "stripped.sqlite"
    good = tmp_path / "good.sqlite"
    db.backup_to(handle, good)
    db.backup_to(handle, stripped)
    handle.close()
    conn = sqlite3.connect(stripped)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.commit()
    conn.close()
    with pytest.raises(verification.BackupRejected) as refused:
        backups.restore(path, stripped)
    assert {p.msgid for p in refused.value.problems} == {verification.TRIGGER_MISSING}
    backups.restore(path, good, username="manager")
    handle = db.open_database(path)
    try:
        (row,) = AuditLog.select().where(AuditLog.action == "restore")
        assert row.username == "manager" and str(good) in row.new
        log, _bad = anchors.read_log(anchors.log_path(path))
        assert log[-1].event == "restore" and log[-1].length == LINKS
    finally:
        handle.close()


def test_restore_refuses_a_rewritten_backup_the_anchor_log_contradicts(books, tmp_path):
    from coop import backups

    path, handle = books
    forged = tmp_path / "forged.sqlite"
    forgery.open_raw(path)
    forgery.reduce_sale(_posted_sales()[2], 500)
    forgery.restore_triggers(handle)
    db.backup_to(handle, forged)
    handle.close()
    with pytest.raises(verification.BackupRejected) as refused:
        backups.restore(path, forged)
    assert [p.msgid for p in refused.value.problems] == [anchors.ANCHOR_DIVERGES]


def test_the_forgery_campaign_catches_every_attack_but_the_appended_ones(tmp_path):
    template = tmp_path / "template.sqlite"
    forgery.make_template(template, links=80)
    found = {a.name: a for a in forgery.run_campaign(template, tmp_path / "runs")}
    assert set(found) == set(forgery.ATTACKS)
    assert {n for n, a in found.items() if not a.caught} == campaign.UNDETECTABLE
    register = {"member_name", "add_manager", "swap_hash", "levy"}
    assert all(found[n].by == ["register check"] for n in register), {n: found[n].by for n in register}
    assert found["audit_delete"].by == found["audit_edit"].by == ["audit log hashes"]
    assert found["audit_rewrite"].by == ["audit log tied to the chain"]
    assert all(found[n].walk_ok for n in ("member_rewrite", "sale_rate"))
    assert "anchor log / seen head" in found["member_rewrite"].by
    # the forgeries that rewrite the chain pass the walk on their own: only the evidence outside catches them
    assert all(found[n].walk_ok for n in ("reduce", "truncate", "insert", "rewrite_all", "wal_lost"))
    paper = "receipts and vouchers (paper anchors)"
    assert found["rewrite_all"].by == [paper]  # the log and seen head were deleted: paper is left
    assert found["reduce"].by == ["anchor log / seen head", paper]
    assert found["wal_lost"].by == ["anchor log / seen head"]
