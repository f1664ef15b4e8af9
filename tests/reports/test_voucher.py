"""Payout voucher: read back from the PDF (member, amount in figures and words, balances, chain link), access."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import reports
from coop import i18n
from coop.errors import PermissionDenied
from coop.models import JournalEntry
from coop.permissions import SYSTEM, Actor
from coop.services import ledger, payouts
from coop.words import amount_words
from tests.reports.conftest import flat, nb, pdf_text


@pytest.fixture
def paid(coop):
    coop.sell([coop.lot()])
    before = ledger.member_balance(SYSTEM, coop.members[0])
    pid = payouts.pay_member(
        SYSTEM, coop.members[0], Decimal(12345), date(2026, 1, 8), "mobile_money", "TX-77"
    ).id
    return pid, before


def test_voucher_reads_back_member_amount_words_and_balances(coop, paid):
    pid, before = paid
    text = flat(pdf_text(reports.build("voucher", SYSTEM, payout_id=pid)))
    assert "Amani Bisimwa" in text and "M001" in text
    assert nb(i18n.format_money(1234500, "CDF", "fr_CD")) in text
    words = amount_words(1234500, "CDF", "fr_CD")
    assert words[:1].upper() + words[1:] in text
    assert nb(i18n.format_money(before, "CDF", "fr_CD")) in text
    assert nb(i18n.format_money(before - 1234500, "CDF", "fr_CD")) in text
    link = JournalEntry.get((JournalEntry.source_type == "payout") & (JournalEntry.source_id == pid)).hash
    assert link[:16] in text and "TX-77" in text


def test_voucher_reprint_is_identical_and_a_void_is_marked(coop, paid):
    pid, _before = paid
    first = reports.build("voucher", SYSTEM, payout_id=pid, lang="en")
    assert reports.build("voucher", SYSTEM, payout_id=pid, lang="en") == first
    payouts.void_payout(SYSTEM, pid, "wrong member")
    text = flat(pdf_text(reports.build("voucher", SYSTEM, payout_id=pid, lang="en")))
    assert "VOIDED" in text and "wrong member" in text


def test_a_member_prints_only_their_own_voucher(coop, paid):
    pid, _before = paid
    own = Actor("amani", "member", member_id=coop.members[0])
    assert "Amani Bisimwa" in flat(pdf_text(reports.build("voucher", own, payout_id=pid)))
    with pytest.raises(PermissionDenied):
        reports.build("voucher", Actor("bahati", "member", member_id=coop.members[1]), payout_id=pid)
