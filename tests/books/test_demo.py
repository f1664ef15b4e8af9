"""The demo cooperative's books: every day the trial balance sums to zero, the balance sheet balances and no
treasury account is below zero; opening balances, share capital, expenses and transfers are there."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from coop import chain
from coop.models import BookEntry, JournalEntry, Posting
from coop.permissions import SYSTEM
from coop.services import ledger
from coop.services.books import cashcount, reports, shares, treasury, yearclose


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from coop.db import open_database
    from coop.services import demo as make

    handle = open_database(tmp_path_factory.mktemp("books-demo") / "demo.sqlite")
    make.create(SYSTEM)
    yield handle
    handle.close()


def _days():
    day = date(2025, 1, 1)
    while day <= date(2025, 12, 31):
        yield day
        day += timedelta(days=1)


def test_no_treasury_account_is_ever_negative(demo):
    wallets = treasury.accounts(SYSTEM)
    assert len(wallets) >= 4 and {t.kind for t in wallets} == {"cash", "mobile_money", "bank"}
    for t in wallets:
        moves = treasury.daily_balances(t.key)
        assert moves, t.name
        low = min(b for _d, b in moves)
        assert low >= 0, (t.name, low)
    # independently of the service: the running sum of the raw postings, day by day
    for t in wallets:
        rows = demo.execute_sql(
            "SELECT je.date, SUM(p.amount_minor) FROM posting p JOIN journal_entry je ON je.id = p.entry_id "
            "WHERE p.account = ? GROUP BY je.date ORDER BY je.date",
            (t.key,),
        ).fetchall()
        held = 0
        for _day, change in rows:
            held += change
            assert held >= 0, (t.name, _day, held)


def test_trial_balance_sums_to_zero_and_balance_sheet_balances_every_day(demo):
    for day in _days():
        tb = reports.trial_balance(SYSTEM, until=day)
        assert tb.total_debit_minor == tb.total_credit_minor, day
        assert reports.balance_sheet(SYSTEM, as_of=day).balanced, day
    assert sum(int(s) for (s,) in Posting.select(Posting.amount_minor).tuples()) == 0


def test_the_demo_year_has_the_whole_books(demo):
    kinds = {k for (k,) in BookEntry.select(BookEntry.kind).where(BookEntry.state == "posted").tuples()}
    assert {
        "opening",
        "expense",
        "income",
        "transfer",
        "share_subscribe",
        "share_pay",
        "share_refund",
    } <= kinds
    opening = BookEntry.get(BookEntry.kind == "opening")
    assert opening.date == date(2025, 1, 1)
    by_member = shares.share_capital_by_member(SYSTEM)
    assert len(by_member) == 120 and all(c.paid_minor >= 0 for c in by_member.values())
    assert sum(c.paid_minor for c in by_member.values()) > 0
    cash = next(t for t in treasury.accounts(SYSTEM) if t.key == "cash")
    assert len(cashcount.counts(SYSTEM, cash.id)) == 4
    st = reports.income_statement(SYSTEM, since=date(2025, 1, 1), until=date(2025, 12, 31))
    assert {x.number for x in st.expenses} >= {"6053", "622", "661", "664"}
    # 2025 is closed (coop.services.books.yearclose): its result went to 130, then the assembly allocated it
    closed = yearclose.closed_year(SYSTEM, 2025)
    assert closed is not None and st.result_minor == closed.result_minor > 0
    assert reports.balance_sheet(SYSTEM, as_of=date(2025, 12, 31)).result_minor == 0
    assert sum(closed.parts.values()) == closed.result_minor and len(closed.refunds) > 50
    pos = ledger.position(SYSTEM)
    assert pos.mobile_money >= 0 and pos.cash >= 0 and pos.bank >= 0
    assert ledger.unbalanced_entries() == []
    assert chain.verify().ok
    assert JournalEntry.select().where(JournalEntry.source_type == "book_entry").count() > 100
