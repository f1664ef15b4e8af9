"""Tax-payment slip: read back from the PDF (authority, tax, period, reference, amount, chain link), its QR
code decoded and checked against the chain, access, voids, and the `report tax-slip ID` command."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import reports
from coop import anchors, i18n, verification
from coop.errors import PermissionDenied
from coop.models import JournalEntry
from coop.permissions import SYSTEM, Actor
from coop.services import taxes
from tests.reports.conftest import flat, nb, pdf_text
from tests.reports.test_voucher import _decode_qr


@pytest.fixture
def paid(coop):
    coop.sell([coop.lot()])  # cash comes in with the sale: the payment is paid from it
    return taxes.pay(
        SYSTEM,
        authority="DGRAD",
        amount=Decimal("2500"),
        day=date(2026, 2, 3),
        period_from=date(2026, 1, 1),
        period_to=date(2026, 1, 31),
        reference="DGRAD-2026-0117",
        rule_id=coop.royalty,
        method="cash",
    ).id


def _link(pid: int) -> str:
    return JournalEntry.get(
        (JournalEntry.source_type == "tax_payment")
        & (JournalEntry.source_id == pid)
        & (JournalEntry.kind == "tax_payment")
    ).hash


def test_the_slip_reads_back_what_was_paid_to_whom_for_which_period(coop, paid):
    text = flat(pdf_text(reports.build("tax-slip", SYSTEM, payment_id=paid, lang="en")))
    assert "TAX PAYMENT SLIP" in text and f"No. 2026/{paid}" in text
    assert "DGRAD" in text and "Royalty" in text and "DGRAD-2026-0117" in text
    assert nb(i18n.format_money(250000, "CDF", "en")) in text
    assert "Jan 1, 2026 to Jan 31, 2026" in text
    assert _link(paid)[:16] in text and f"verify --anchor tax/{paid}:{_link(paid)[:16]}" in text


def test_the_slips_qr_holds_the_whole_hash_and_an_anchor_the_chain_holds(coop, paid):
    (payload,) = _decode_qr(reports.build("tax-slip", SYSTEM, payment_id=paid, lang="en"))
    fields = dict(part.split("=", 1) for part in payload.split(";")[1:])
    assert fields["H"] == _link(paid) and fields["P"] == "2026-01-01/2026-01-31" and fields["T"] == "2500.00"
    anchor = anchors.parse(fields["CHECK"])
    assert anchor == anchors.PaperAnchor(f"tax/{paid}", _link(paid))
    assert verification.paper_problem(anchor) is None
    assert (
        verification.paper_problem(anchors.PaperAnchor(f"tax/{paid}", "f" * 64)).msgid
        == anchors.PAPER_MISMATCH
    )


def test_a_reprint_is_identical_a_void_is_marked_and_members_cannot_print_it(coop, paid):
    first = reports.build("tax-slip", SYSTEM, payment_id=paid, lang="en")
    assert reports.build("tax-slip", SYSTEM, payment_id=paid, lang="en") == first
    with pytest.raises(PermissionDenied):
        reports.build("tax-slip", Actor("amani", "member", member_id=coop.members[0]), payment_id=paid)
    taxes.void_payment(SYSTEM, paid, "paid twice")
    text = flat(pdf_text(reports.build("tax-slip", SYSTEM, payment_id=paid, lang="en")))
    assert "VOIDED" in text and "paid twice" in text


def test_report_tax_slip_command_writes_the_slip(coop, paid, tmp_path):
    from cli import app as cli

    out = tmp_path / "slip.pdf"
    args = cli.build_parser().parse_args(["report", "tax-slip", str(paid), "--out", str(out)])
    assert cli.COMMANDS["report"](args, SYSTEM) == 0
    assert "DGRAD-2026-0117" in flat(pdf_text(out.read_bytes()))
