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
    coop.sell([coop.lot()], method="mobile_money")  # the wallet the payout leaves holds the proceeds
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


def _decode_qr(pdf: bytes) -> list[str]:
    """Rasterise the first page at 300 dpi (pypdfium2) and decode its QR codes (zxing-cpp)."""
    import pypdfium2
    import zxingcpp

    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=300 / 72, grayscale=True).to_pil()
    return [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def test_the_vouchers_qr_holds_the_whole_link_hash_and_the_anchor_verify_accepts(coop):
    from coop import anchors, verification

    coop.sell([coop.lot()])  # paid from the sale's cash
    pid = payouts.pay_member(SYSTEM, coop.members[0], Decimal(12345), date(2026, 1, 8), "cash", "TX-77").id
    pdf = reports.build("voucher", SYSTEM, payout_id=pid, lang="en")
    (payload,) = _decode_qr(pdf)
    fields = dict(part.split("=", 1) for part in payload.split(";")[1:])
    link = JournalEntry.get((JournalEntry.source_type == "payout") & (JournalEntry.source_id == pid))
    assert payload.startswith("COOPLEDGER;") and fields["H"] == link.hash and len(fields["H"]) == 64
    assert fields["T"] == "12345.00" and fields["C"] == "CDF" and fields["D"] == "2026-01-08"
    anchor = anchors.parse(fields["CHECK"])
    assert anchor == anchors.PaperAnchor(f"payout/{pid}", link.hash)
    assert verification.paper_problem(anchor) is None  # the chain holds this voucher with this hash
    wrong = anchors.PaperAnchor(f"payout/{pid}", "0" * 64)
    assert verification.paper_problem(wrong).msgid == anchors.PAPER_MISMATCH
    text = flat(pdf_text(pdf))
    assert f"verify --anchor payout/{pid}:{link.hash[:16]}" in text
