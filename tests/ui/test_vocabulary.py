"""One vocabulary, one label: a payment method reads the same in the sale form, on the receipt and in the CLI."""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal

import pytest

import reports
from cli import ledger as cli_ledger
from coop import i18n, vocab
from coop.permissions import SYSTEM
from coop.services import sales
from tests.reports.conftest import flat, pdf_text
from ui.sale import SaleDialog


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("method", ["bank", "mobile_money"])
def test_a_payment_method_label_is_the_same_in_form_receipt_and_cli(qtbot, ctx, capsys, lang, method):
    i18n.set_language(lang)
    label = i18n._(vocab.PAYMENT_METHODS[method])
    sale_id = sales.post_sale(
        SYSTEM,
        sales.SaleInput(
            buyer_id=ctx.buyer,
            lot_ids=[ctx.lot()],
            date=date(2026, 1, 6),
            currency="USD",
            unit_price=Decimal("90"),
            exchange_rate=Decimal("2850"),
            payment_method=method,
        ),
    ).id

    dlg = SaleDialog(SYSTEM)
    qtbot.addWidget(dlg)
    in_form = dlg.method.itemText(dlg.method.findData(method))

    roll = flat(pdf_text(reports.build("receipt", SYSTEM, sale_id=sale_id, fmt="80mm", lang=lang)))
    line = i18n._("Payment method: {method}").format(method=label)
    on_receipt = line.replace("\u00a0", " ") in roll  # the PDF text reads U+00A0 back as a space

    cli_ledger.balance(argparse.Namespace(member=None), SYSTEM)
    in_cli = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]

    assert in_form == label and on_receipt and label in in_cli
    assert set(vocab.PAYMENT_METHODS) == {dlg.method.itemData(i) for i in range(dlg.method.count())}
