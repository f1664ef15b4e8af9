"""Closing the fiscal year: the result carried, the periods closed, the general assembly's allocation posted
(reserves, an exact ristourne by members' sales, the rest retained), a loss; refusals (re-closing, drafts,
OHADA minimum reserves, an allocation larger than the surplus, roles); the next year starts at zero."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from coop import chain
from coop.errors import PermissionDenied, StateError, ValidationError
from coop.models import BookEntry, Posting
from coop.permissions import SYSTEM
from coop.services import ledger, periods
from coop.services.books import entries, reports, shares, yearclose
from tests.books.conftest import TREASURER

GA = date(2026, 3, 28)


def _sales(books) -> None:
    c = books.coop
    c.sell([c.lot(day=date(2025, 3, 1), qty="10")], day=date(2025, 3, 2))
    c.sell([c.lot(day=date(2025, 4, 1), qty="7", owners=[(c.members[2], 10_000)])], day=date(2025, 4, 2))
    c.sell([c.lot(day=date(2025, 5, 1), qty="3", owners=[(c.members[3], 10_000)])], day=date(2025, 5, 2))


def _payable(member_id: int) -> int:
    total = sum(
        p.amount_minor
        for p in Posting.select().where((Posting.account == "member_payable") & (Posting.member == member_id))
    )
    return -total


def _decision(**items) -> yearclose.AllocationInput:
    return yearclose.parse_allocation({"date": GA.isoformat(), "reference": "AG 2026/1", **items})


def test_surplus_is_carried_allocated_and_the_next_year_starts_at_zero(books):
    _sales(books)
    entries.record_expense(
        SYSTEM, day=date(2025, 6, 1), treasury_id=books.cash, account="6053", amount="1000"
    )
    year = reports.income_statement(SYSTEM, since=date(2025, 1, 1), until=date(2025, 12, 31))
    surplus = year.result_minor
    assert surplus > 0
    before = {m: _payable(m) for m in books.coop.members}
    weights = yearclose.sales_by_member(date(2025, 1, 1), date(2025, 12, 31))
    decision = _decision(
        legal_reserve_pct="20", education_reserve_pct="20", other_reserve_pct="10", ristourne_pct="30"
    )
    yearclose.close_year(SYSTEM, "2025", decision)

    got = yearclose.closed_year(SYSTEM, 2025)
    assert got is not None and got.result_minor == surplus
    assert got.legal_reserve_minor == (surplus * 20 + 50) // 100
    assert got.ristourne_minor == (surplus * 30 + 50) // 100
    assert sum(got.parts.values()) == surplus  # reserves + ristourne + retained = the surplus, exactly
    # the ristourne went to the members' payable accounts, in proportion to their sales, summing exactly
    refunds = {r.member_id: r.refund_minor for r in got.refunds}
    assert sum(refunds.values()) == got.ristourne_minor
    assert set(refunds) == set(weights)
    for m in books.coop.members:
        assert _payable(m) - before[m] == refunds.get(m, 0)
    total_w = sum(weights.values())
    for m, amount in refunds.items():
        assert abs(amount - got.ristourne_minor * weights[m] / total_w) < 1
    # the accounts: income and expenses carried, 130 emptied, the reserves credited
    tb = {x.number: x for x in reports.trial_balance(SYSTEM).lines}
    for line in tb.values():
        if line.type in ("income", "expense"):
            assert line.balance_minor == 0, line
    assert tb["130"].balance_minor == 0
    assert -tb["111"].balance_minor == got.legal_reserve_minor
    assert -tb["112"].balance_minor == got.education_reserve_minor
    assert -tb["118"].balance_minor == got.other_reserve_minor
    # the year-end balance sheet shows the result; the next year starts from zero and carries forward
    end = reports.balance_sheet(SYSTEM, as_of=date(2025, 12, 31))
    assert end.balanced and end.result_minor == 0
    assert sum(x.natural_minor for x in end.equity if x.number == "130") == surplus
    nxt = reports.income_statement(SYSTEM, since=date(2026, 1, 1))
    assert nxt.result_minor == 0 and not [x for x in nxt.income + nxt.expenses if x.balance_minor]
    now = reports.balance_sheet(SYSTEM)
    assert now.balanced and now.total_assets_minor == end.total_assets_minor
    # closed: nothing more in 2025, no second closing
    assert periods.closed_to() == date(2025, 12, 31)
    with pytest.raises(ValidationError, match="closed"):
        entries.record_expense(
            SYSTEM, day=date(2025, 12, 30), treasury_id=books.cash, account="6053", amount="1"
        )
    with pytest.raises(ValidationError) as exc:
        yearclose.close_year(SYSTEM, "2025", decision)
    assert exc.value.msgid == yearclose.ALREADY
    # the carry and the allocation are final: a void dated in the open new year would undo the closed year
    for row in BookEntry.select().where(BookEntry.kind.in_(("year_close", "allocation"))):
        with pytest.raises(StateError):
            entries.void_entry(SYSTEM, row.id, "undo the assembly", day=date(2026, 4, 1))
        assert BookEntry.get_by_id(row.id).state == "posted"
    assert ledger.unbalanced_entries() == [] and chain.verify().ok


def test_a_loss_goes_to_retained_earnings_debit(books):
    entries.record_expense(SYSTEM, day=date(2025, 6, 1), treasury_id=books.cash, account="622", amount="2500")
    with pytest.raises(ValidationError, match="no surplus"):
        yearclose.close_year(SYSTEM, 2025, _decision(ristourne_pct="10%"))
    yearclose.close_year(SYSTEM, 2025, _decision())
    got = yearclose.closed_year(SYSTEM, 2025)
    assert got is not None and got.result_minor == -250_000 and got.retained_minor == -250_000
    tb = {x.number: x for x in reports.trial_balance(SYSTEM).lines}
    assert tb["129"].balance_minor == 250_000 and tb["130"].balance_minor == 0
    assert reports.balance_sheet(SYSTEM).balanced


def test_refusals_leave_nothing_written(books):
    _sales(books)
    # the minimum reserves apply while each reserve is below the capital
    shares.subscribe(SYSTEM, books.coop.members[0], "50000", date(2025, 2, 1))
    count = BookEntry.select().count()
    with pytest.raises(ValidationError, match="at least 20"):  # AUSCOOP art. 114
        yearclose.close_year(SYSTEM, 2025, _decision(legal_reserve_pct="10", education_reserve_pct="20"))
    with pytest.raises(ValidationError, match="at most 20"):  # art. 115
        yearclose.close_year(
            SYSTEM,
            2025,
            _decision(legal_reserve_pct="20", education_reserve_pct="20", other_reserve_pct="25"),
        )
    with pytest.raises(ValidationError, match="exceeds"):
        yearclose.close_year(
            SYSTEM, 2025, _decision(legal_reserve_pct="20", education_reserve_pct="20", ristourne_pct="70")
        )
    with pytest.raises(ValidationError, match="not both"):
        _decision(ristourne_pct="10", ristourne="100")
    with pytest.raises(ValidationError, match="Unknown item"):
        _decision(dividend_pct="10")
    with pytest.raises(PermissionDenied):
        yearclose.close_year(TREASURER, 2025, _decision())
    with pytest.raises(ValidationError, match="after 2025-12-31"):
        yearclose.close_year(SYSTEM, 2025, yearclose.parse_allocation({"date": "2025-12-31"}))
    BookEntry.create(kind="expense", date=date(2025, 7, 1), amount_minor=5, state="draft")
    with pytest.raises(ValidationError, match="Drafts are dated in 2025 \\(1\\)"):
        yearclose.close_year(SYSTEM, 2025, _decision())
    assert BookEntry.select().count() == count + 1 and periods.closed_to() is None


def test_a_year_cannot_close_before_the_previous_one_nor_before_it_ends(books):
    _sales(books)
    with pytest.raises(ValidationError, match="Close the fiscal year 2025 first"):
        yearclose.close_year(SYSTEM, 2026, _decision())
    yearclose.close_year(SYSTEM, 2025, _decision())  # no allocation decided: the surplus is retained
    got = yearclose.closed_year(SYSTEM, 2025)
    assert got is not None and got.retained_minor == got.result_minor > 0
    with pytest.raises(ValidationError, match="can be closed after"):
        yearclose.close_year(SYSTEM, 2026, _decision())


def test_allocation_files_json_and_csv(tmp_path):
    js = tmp_path / "ga.json"
    js.write_text(json.dumps({"date": "2026-03-28", "legal_reserve_pct": 20, "other_reserve": "1500.50"}))
    got = yearclose.read_allocation(js)
    assert (
        got.day == GA
        and got.percent == {"legal_reserve": "20"}
        and got.amount == {"other_reserve": "1500.50"}
    )
    csv = tmp_path / "ga.csv"
    csv.write_text("item,value\ndate,2026-03-28\nreference,AG 2026/1\nristourne_pct,30\n")
    got = yearclose.read_allocation(csv)
    assert got.reference == "AG 2026/1" and got.percent == {"ristourne": "30"}


def test_year_close_from_the_command_line(tmp_path, monkeypatch, capsys):
    import cli
    from coop.db import open_database
    from coop.services import users
    from coop.services.books import opening
    from tests.conftest import make_small_coop

    file = tmp_path / "coop.sqlite"
    handle = open_database(file)
    c = make_small_coop()
    opening.enter(SYSTEM, [opening.OpeningRow("5711", "100000")], date(2025, 1, 1))
    c.sell([c.lot(day=date(2025, 3, 1))], day=date(2025, 3, 2))
    for name, role in (("mgr", "manager"), ("tess", "treasurer")):
        users.add_user(SYSTEM, name, "year-close-pass-2025", role)
    handle.close()
    monkeypatch.setenv("COOPLEDGER_PASSWORD", "year-close-pass-2025")
    monkeypatch.setenv("LANGUAGE", "en")
    ga = tmp_path / "ga.csv"
    ga.write_text(
        "item,value\ndate,2026-03-28\nlegal_reserve_pct,20\neducation_reserve_pct,20\nristourne_pct,50\n"
    )

    def run(user, *args):
        code = cli.run(["--db", str(file), "--user", user, *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, _out, err = run("tess", "year", "close", "2025", "--allocation", str(ga))
    assert code == 1 and "may not" in err
    code, out, err = run("mgr", "year", "close", "2025", "--allocation", str(ga), "--dry-run", "--json")
    assert code == 0, err
    planned = json.loads(out)
    code, out, err = run("mgr", "year", "close", "2025", "--allocation", str(ga))
    assert code == 0 and "is closed" in out, err
    code, out, err = run("mgr", "year", "show", "2025", "--json")
    shown = json.loads(out)
    assert shown == planned and shown["ristourne"] == str(sum(Decimal(r["refund"]) for r in shown["refunds"]))
    code, _out, err = run("mgr", "year", "close", "2025", "--allocation", str(ga))
    assert code == 1 and "already closed" in err
    code, _out, err = run(
        "mgr", "expense", "--from", "5711", "--account", "6053", "--amount", "1", "--date", "2025-12-31"
    )
    assert code == 1 and "closed" in err


def test_plain_chart_outside_ohada(db):
    """A Bolivian cooperative keeps the plain chart: no OHADA minimums; the education reserve has no account
    of its own there and goes with the other reserves (3210)."""
    from coop.services import settings
    from coop.services.books import opening, treasury

    settings.save(SYSTEM, name="Coop", currency="BOB", locale="es_BO", country="BO")
    opening.enter(SYSTEM, [opening.OpeningRow("1301", "1000")], date(2025, 1, 1))
    bank = next(t.id for t in treasury.accounts(SYSTEM) if t.key == "bank")
    entries.record_income(SYSTEM, day=date(2025, 2, 1), treasury_id=bank, account="4200", amount="500")
    yearclose.close_year(SYSTEM, 2025, _decision(legal_reserve_pct="5", education_reserve_pct="5"))
    got = yearclose.closed_year(SYSTEM, 2025)
    assert got is not None and got.result_minor == 50_000
    assert (got.legal_reserve_minor, got.education_reserve_minor, got.other_reserve_minor) == (2500, 0, 2500)
    tb = {x.number: x.balance_minor for x in reports.trial_balance(SYSTEM).lines}
    assert tb["3200"] == -2500 and tb["3210"] == -2500 and tb["3300"] == -45_000 and tb["3400"] == 0


def test_an_unbalanced_ledger_is_refused(books):
    """A forger's (or a bug's) extra posting makes an entry of the year unbalanced: the year cannot close."""
    from coop.models import JournalEntry, database

    _sales(books)
    entry = JournalEntry.select().where(JournalEntry.kind == "sale").first()
    for (name,) in database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'posting'"
    ).fetchall():
        database.execute_sql(f"DROP TRIGGER {name}")
    database.execute_sql(
        "INSERT INTO posting (entry_id, account, member_id, tax_rule_id, amount_minor) VALUES (?, 'cash', NULL, NULL, 1)",
        [entry.id],
    )
    with pytest.raises(ValidationError, match="not balanced"):
        yearclose.close_year(SYSTEM, 2025, _decision())
    assert not yearclose.is_closed(2025) and periods.closed_to() is None


def test_a_large_ristourne_spans_several_entries_and_reads_back_exactly(books, monkeypatch):
    """SQLite takes a bounded number of parameters per statement: refunds go in groups of entries."""
    monkeypatch.setattr(yearclose, "REFUNDS_PER_ENTRY", 2)
    _sales(books)  # four members sold
    yearclose.close_year(
        SYSTEM, 2025, _decision(legal_reserve_pct="20", education_reserve_pct="20", ristourne_pct="40")
    )
    allocs = BookEntry.select().where((BookEntry.kind == "allocation") & (BookEntry.party == "2025"))
    assert allocs.count() == 3  # reserves and retained, then 2 + 2 refunds
    got = yearclose.closed_year(SYSTEM, 2025)
    assert got is not None and len(got.refunds) == 4
    assert sum(r.refund_minor for r in got.refunds) == got.ristourne_minor
    assert sum(got.parts.values()) == got.result_minor
    tb = {x.number: x.balance_minor for x in reports.trial_balance(SYSTEM).lines}
    assert tb["130"] == 0 and ledger.unbalanced_entries() == [] and chain.verify().ok
