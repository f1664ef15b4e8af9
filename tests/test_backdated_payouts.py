"""A payout dated in an earlier period that is still open is accepted with its own date (its journal entry,
voucher and statement say that day), and refused in a closed period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import reports
from coop.errors import ValidationError
from coop.models import JournalEntry, Payout
from coop.permissions import SYSTEM
from coop.services import payouts, periods, statements
from tests.reports.conftest import flat, pdf_text


@pytest.fixture
def books(coop):
    """Sales in January and March 2026, the books closed up to 31 January."""
    coop.sell([coop.lot(day=date(2026, 1, 10))], day=date(2026, 1, 10))
    coop.sell([coop.lot(day=date(2026, 3, 10))], day=date(2026, 3, 10))
    periods.close(SYSTEM, date(2026, 1, 31))
    payouts.pay_member(SYSTEM, coop.members[0], Decimal(100), date(2026, 3, 12))  # the newest entry
    return coop


def test_a_payout_back_dated_into_an_open_period_keeps_its_date(books):
    pid = payouts.pay_member(SYSTEM, books.members[0], Decimal(50), date(2026, 2, 14), reference="late").id
    entry = JournalEntry.get((JournalEntry.source_type == "payout") & (JournalEntry.source_id == pid))
    assert Payout.get_by_id(pid).date == date(2026, 2, 14) and entry.date == date(2026, 2, 14)
    assert entry.seq == JournalEntry.select().count()  # appended last, dated in February
    text = flat(pdf_text(reports.build("voucher", SYSTEM, payout_id=pid, lang="en")))
    assert "Date of payout: February 14, 2026" in text and f"No. 2026/{pid}" in text
    (feb,) = statements.statements_data(SYSTEM, date(2026, 2, 1), date(2026, 2, 28), books.members[0])
    assert [(ln.date, ln.kind, ln.amount_minor) for ln in feb.lines] == [(date(2026, 2, 14), "payout", -5000)]
    (march,) = statements.statements_data(SYSTEM, date(2026, 3, 1), date(2026, 3, 31), books.members[0])
    assert all(ln.date >= date(2026, 3, 1) for ln in march.lines)  # not in March, where it was entered


def test_a_payout_dated_in_a_closed_period_is_refused(books):
    count = Payout.select().count()
    with pytest.raises(ValidationError) as refused:
        payouts.pay_member(SYSTEM, books.members[0], Decimal(50), date(2026, 1, 31))
    assert refused.value.field == "date" and "closed up to 2026-01-31" in refused.value.message()
    assert Payout.select().count() == count
