"""The tax-payment slip from the tax payments list: select a payment, press "Print slip…", get its PDF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from coop.permissions import SYSTEM, Actor
from coop.services import taxes
from ui import msgbox

TREASURER = Actor("treasurer", "treasurer")


def test_print_slip_from_the_tax_payments_list(qtbot, ctx):
    pytest.importorskip("reports")
    from tests.reports.conftest import flat, pdf_text
    from ui import pages
    from ui.pdfview import PdfPreview

    ctx.sell([ctx.lot()])
    taxes.pay(
        SYSTEM,
        authority="DGRAD",
        amount=Decimal(700),
        day=date(2026, 1, 20),
        period_from=date(2026, 1, 1),
        period_to=date(2026, 1, 31),
        reference="Q-REF-77",
        method="cash",
    )
    page = pages.taxes_page(TREASURER, None)
    qtbot.addWidget(page)
    page.view.selectRow(0)
    button = next(b for b, t in page._actions if t() == "Print slip…")
    assert button.isEnabled()
    button.click()
    previews = page.findChildren(PdfPreview)
    assert len(previews) == 1, msgbox.SHOWN
    text = flat(pdf_text(previews[0].pdf))
    assert "TAX PAYMENT SLIP" in text and "Q-REF-77" in text and "DGRAD" in text
