"""Periods are final once filed: voids dated when made and counted in their own period, closings of periods
(a chained record holding the chain head) that forbid any posting dated in them, final filings, the annual
reconciliation."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal

import pytest

import reports
from coop import chain, workflow
from coop.errors import PermissionDenied, StateError, ValidationError
from coop.models import JournalEntry, PeriodClose, Posting, database
from coop.permissions import SYSTEM, Actor
from coop.services import ledger, payouts, periods, sales, taxes
from coop.services.documents import annual
from tests.reports.conftest import flat, pdf_text
from tests.reports.test_receipt import _decode_qr

Q1 = (date(2025, 1, 1), date(2025, 3, 31))
Q4 = (date(2025, 10, 1), date(2025, 12, 31))
TREASURER = Actor(username="treasurer", role="treasurer")


def _q1_sales(coop) -> list[int]:
    return [
        coop.sell([coop.lot(day=date(2025, 2, 1))], day=date(2025, 2, 3)),
        coop.sell([coop.lot(day=date(2025, 3, 1), qty="4")], day=date(2025, 3, 3)),
    ]


def _pay_q1(amount: str = "1000") -> int:
    return taxes.pay(
        SYSTEM,
        authority="DGRAD",
        amount=Decimal(amount),
        day=date(2025, 4, 10),
        period_from=Q1[0],
        period_to=Q1[1],
        reference="DGRAD-Q1",
        method="cash",  # from the cash box the sales came into
    ).id


def _figures(s: taxes.TaxSummary) -> tuple:
    return (s.by_mineral, s.adjustments, s.taxes, s.payments, s.due_minor, s.paid_minor, s.balance_minor)


# ---------------------------------------------------------------- voids are dated when made


def test_a_void_is_dated_the_day_it_is_made_and_counts_in_its_own_period(coop):
    first, second = _q1_sales(coop)
    _pay_q1()
    before = taxes.summary(SYSTEM, *Q1)
    sales.void_sale(SYSTEM, second, "wrong buyer")  # today, long after the first quarter
    void = JournalEntry.get((JournalEntry.kind == "void") & (JournalEntry.source_id == second))
    assert void.date == date.today()
    assert _figures(taxes.summary(SYSTEM, *Q1)) == _figures(before)  # the quarter as filed
    today = taxes.summary(SYSTEM, date.today(), date.today())
    [adjustment] = today.adjustments
    assert (adjustment.sale_id, adjustment.sale_date, adjustment.void_date) == (
        second,
        date(2025, 3, 3),
        date.today(),
    )
    assert adjustment.tax_minor == -sum(t.due_minor for t in today.taxes)
    assert today.due_minor < 0 and today.by_mineral == []


def test_a_void_may_be_given_a_date_not_before_the_record_nor_in_the_future(coop):
    first, second = _q1_sales(coop)
    with pytest.raises(ValidationError, match="before the record it voids"):
        sales.void_sale(SYSTEM, second, "typo", day=date(2025, 3, 2))
    with pytest.raises(ValidationError, match="in the future"):
        sales.void_sale(SYSTEM, second, "typo", day=date.today() + timedelta(days=1))
    sales.void_sale(SYSTEM, second, "typo", day=date(2025, 3, 20))  # within the quarter: not counted in it
    s = taxes.summary(SYSTEM, *Q1)
    assert sum(m.sales for m in s.by_mineral) == 1 and s.adjustments == []
    assert s.due_minor == -ledger.account_balance("tax_payable", until=Q1[1])


def test_payout_and_tax_payment_voids_take_the_given_date(coop):
    sale = _q1_sales(coop)[0]
    assert sale
    payout = payouts.pay_member(SYSTEM, coop.members[0], Decimal("100"), date(2025, 3, 10)).id
    payouts.void_payout(SYSTEM, payout, "paid twice", day=date(2025, 3, 11))
    payment = _pay_q1()
    taxes.void_payment(SYSTEM, payment, "wrong authority", day=date(2025, 4, 11))
    days = {
        (e.source_type, e.kind): e.date
        for e in JournalEntry.select().where(JournalEntry.source_type.in_(["payout", "tax_payment"]))
    }
    assert days[("payout", "void")] == date(2025, 3, 11) and days[("tax_payment", "void")] == date(
        2025, 4, 11
    )


# ---------------------------------------------------------------- closing a period


def test_closing_is_a_chain_link_holding_the_head(coop):
    _q1_sales(coop)
    head_seq, head_hash = chain.head()
    saved = periods.close(SYSTEM, Q1[1])
    assert saved.changes.affects("periods") and saved.changes.affects("ledger")
    [closing] = periods.closings(SYSTEM)
    assert (closing.to_date, closing.head_seq, closing.head_hash) == (Q1[1], head_seq, head_hash)
    link = JournalEntry.get(JournalEntry.seq == closing.link_seq)
    assert link.kind == "period_close" and link.prev_hash == head_hash and chain.head()[1] == link.hash
    assert Posting.select().where(Posting.entry == link.id).count() == 0
    assert PeriodClose.get_by_id(closing.id).chain_hash == link.hash
    result = chain.verify()
    assert result.ok, result


def test_verify_names_a_closing_whose_held_head_was_changed(coop):
    _q1_sales(coop)
    periods.close(SYSTEM, Q1[1])
    database.execute_sql("DROP TRIGGER period_close_final_update")
    database.execute_sql("UPDATE period_close SET head_hash = ?", ["0" * 64])
    result = chain.verify()
    assert not result.ok and "period_close" in result.broken_source


def test_verify_refuses_a_closing_that_holds_another_head(coop):
    """A forger with the code appends a well-hashed closing that claims an earlier head: verify names it."""
    _q1_sales(coop)
    with database.atomic():
        row = PeriodClose.create(
            to_date=Q1[1], head_seq=1, head_hash=chain.GENESIS, closed_on=date.today(), closed_by="x"
        )
        entry = chain.append(
            entry_date=date.today(),
            kind="period_close",
            source_type="period_close",
            source_id=row.id,
            memo="",
            created_by="x",
            postings=[],
            source=chain.source_snapshot("period_close", row.id),
        )
        workflow.transition(PeriodClose, row.id, "posted", chain_hash=entry.hash)
    result = chain.verify()
    assert not result.ok and result.reason == "closing does not hold the chain head before it"
    assert result.broken_seq == entry.seq


def test_nothing_can_be_dated_in_a_closed_period(coop):
    first, second = _q1_sales(coop)
    in_stock = coop.lot(day=date(2025, 3, 30))
    payout = payouts.pay_member(SYSTEM, coop.members[0], Decimal("100"), date(2025, 3, 10)).id
    periods.close(SYSTEM, Q1[1])
    closed = "closed up to 2025-03-31"
    with pytest.raises(ValidationError, match=closed):
        coop.sell([in_stock], day=date(2025, 3, 31))
    with pytest.raises(ValidationError, match=closed):
        sales.void_sale(SYSTEM, second, "typo", day=date(2025, 3, 31))
    with pytest.raises(ValidationError, match=closed):
        payouts.pay_member(SYSTEM, coop.members[0], Decimal("1"), date(2025, 3, 31))
    with pytest.raises(ValidationError, match=closed):
        payouts.void_payout(SYSTEM, payout, "typo", day=date(2025, 2, 1))
    with pytest.raises(ValidationError, match=closed):
        taxes.pay(
            SYSTEM,
            authority="DGRAD",
            amount=Decimal(5),
            day=date(2025, 1, 15),
            period_from=Q1[0],
            period_to=Q1[1],
        )
    with pytest.raises(ValidationError, match=closed):
        coop.lot(day=date(2025, 3, 31))
    # the day after the closing is open: a sale, a void of a closed period's sale, a payment
    coop.sell([in_stock], day=date(2025, 4, 1))
    sales.void_sale(SYSTEM, first, "returned", day=date(2025, 4, 2))
    _pay_q1()


def test_the_database_refuses_postings_and_lots_dated_in_a_closed_period(coop):
    _q1_sales(coop)
    in_stock = coop.lot(day=date(2025, 3, 30))
    open_lot = coop.lot(day=date(2025, 4, 30))
    periods.close(SYSTEM, Q1[1])
    conn = database.connection()
    with pytest.raises(sqlite3.IntegrityError, match="the period is closed"):
        conn.execute(
            "INSERT INTO journal_entry (seq, date, kind, source_type, source_id, memo, created_by, prev_hash,"
            " hash) VALUES (999, '2025-03-31', 'sale', 'sale', 1, '', 'x', '', '')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="the period is closed"):
        conn.execute("UPDATE production_lot SET qty_milli = qty_milli + 1 WHERE id = ?", (in_stock,))
    with pytest.raises(sqlite3.IntegrityError, match="the period is closed"):
        conn.execute("UPDATE production_lot SET date = '2025-03-31' WHERE id = ?", (open_lot,))


def test_a_closing_cannot_be_reopened_or_changed(coop):
    _q1_sales(coop)
    saved = periods.close(SYSTEM, Q1[1])
    assert not hasattr(periods, "reopen")
    with pytest.raises(ValidationError, match="already closed up to 2025-03-31"):
        periods.close(SYSTEM, date(2025, 2, 28))  # an earlier date would reopen March
    with pytest.raises(ValidationError, match="already closed"):
        periods.close(SYSTEM, Q1[1])
    with database.atomic(), pytest.raises(StateError):
        workflow.transition(PeriodClose, saved.id, "draft")
    conn = database.connection()
    for sql in (
        "UPDATE period_close SET to_date = '2025-02-28'",
        "UPDATE period_close SET state = 'draft'",
        "DELETE FROM period_close",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="a closed period is final"):
            conn.execute(sql)
    assert periods.closed_to() == Q1[1]
    periods.close(SYSTEM, Q4[1])  # closings only move forward
    assert periods.closed_to() == Q4[1]


def test_only_a_manager_closes_and_never_in_the_future(coop):
    with pytest.raises(PermissionDenied):
        periods.close(TREASURER, Q1[1])
    with pytest.raises(ValidationError, match="in the future"):
        periods.close(SYSTEM, date.today() + timedelta(days=1))
    assert PeriodClose.select().count() == 0


# ---------------------------------------------------------------- filings of closed periods are final


def test_a_final_filing_reprints_byte_for_byte_after_a_later_void(coop):
    first, second = _q1_sales(coop)
    _pay_q1()
    periods.close(SYSTEM, Q1[1])
    filed = reports.build("tax-filing", SYSTEM, start=Q1[0], end=Q1[1], lang="en")
    text = flat(pdf_text(filed))
    [closing] = periods.closings(SYSTEM)
    assert "Tax filing (final)" in text and "FINAL" in text and closing.head_hash[:16] in text
    assert [closing.head_hash in code for code in _decode_qr(filed)] == [True]
    sales.void_sale(SYSTEM, second, "returned", day=Q4[0])
    payouts.pay_member(SYSTEM, coop.members[0], Decimal("100"), date(2025, 10, 2))
    _pay_q1("5")  # a later payment for the quarter: not in what was filed
    assert reports.build("tax-filing", SYSTEM, start=Q1[0], end=Q1[1], lang="en") == filed
    q4 = flat(pdf_text(reports.build("tax-filing", SYSTEM, start=Q4[0], end=Q4[1], lang="en")))
    receipt = sales.Sale.get_by_id(second)
    assert "Adjustments: sales of earlier periods voided in this period" in q4
    assert f"{receipt.series}-{receipt.receipt_no}" in q4 and "FINAL" not in q4


def test_an_open_periods_filing_shows_the_books_now(coop):
    _q1_sales(coop)
    text = flat(pdf_text(reports.build("tax-filing", SYSTEM, start=Q1[0], end=Q1[1], lang="en")))
    assert "FINAL" not in text and "(final)" not in text and "its head at printing" in text


# ---------------------------------------------------------------- the annual report reconciles


def test_annual_report_reconciles_with_the_ledger(coop):
    first, second = _q1_sales(coop)
    coop.sell([coop.lot(day=date(2024, 12, 1))], day=date(2024, 12, 2))  # brought forward
    payouts.pay_member(SYSTEM, coop.members[0], Decimal("100"), date(2025, 3, 10))
    _pay_q1()
    sales.void_sale(SYSTEM, second, "returned", day=date(2025, 6, 1))
    a = annual.annual(SYSTEM, 2025)
    start, end = a.period_from, a.period_to
    before = start - timedelta(days=1)
    assert a.tax_payable_start_minor == -ledger.account_balance("tax_payable", until=before) > 0
    assert a.tax_payable_end_minor == -ledger.account_balance("tax_payable", until=end)
    assert a.tax_payable_start_minor + a.taxes_due_minor - a.taxes_paid_minor == a.tax_payable_end_minor
    assert a.taxes_paid_minor == 1000_00
    owed_start = -ledger.account_balance("member_payable", until=before)
    assert a.owed_to_members_start_minor == owed_start > 0
    assert a.owed_to_members_start_minor + a.net_to_members_minor - a.paid_to_members_minor == (
        -ledger.account_balance("member_payable", until=end)
    )
    assert a.sales_count == 1 and a.paid_to_members_minor == 100_00
    text = flat(pdf_text(reports.build("annual", SYSTEM, year=2025, lang="en")))
    assert "Reconciliation with the ledger" in text
    assert "= payable at year end" in text and "= owed at year end" in text
