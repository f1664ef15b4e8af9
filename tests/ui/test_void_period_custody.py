"""Issue 13 blockers through the real widgets: the void dialog names what it voids with two distinct buttons
in every language; the chain of custody and a tax filing for any period from the Reports page; the tax
payment's amount follows the period chosen."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox

from coop import i18n
from coop import report_periods as periods
from coop.i18n import _
from coop.models import ProductionLot, Sale
from coop.services import taxes
from tests.ui import clickkit
from tests.ui.helpers import type_text
from ui import dialogs, fmt
from ui.app import apply_language, open_main
from ui.forms import VoidDialog
from ui.pages import ReportsPage


@pytest.fixture
def french(qapp):
    """The UI in French, Qt's own buttons included (qtbase_fr: "Cancel" reads "Annuler")."""
    apply_language(qapp, "fr")
    yield
    apply_language(qapp, "en")


def _row_of(page, ident: int) -> int:
    return next(r for r in range(page.model.rowCount()) if page.model.row_id(r) == ident)


@pytest.mark.parametrize("lang", ["fr", "es", "pt", "sw"])
def test_void_dialog_names_the_sale_and_its_buttons_differ(lang, qtbot, qapp, demo_db, monkeypatch, tmp_path):
    answers = clickkit.install(monkeypatch, tmp_path)
    window = open_main(qapp, clickkit.sign_in("treasurer"), lang)
    qtbot.addWidget(window)
    try:
        window.show()
        page = window.show_area("sales")
        sale = Sale.select().where(Sale.state == "posted").order_by(Sale.id.desc()).first()
        page.view.selectRow(_row_of(page, sale.id))
        [void] = [b for b, text in page._actions if text() == _("Void…")]
        void.click()
        [dlg] = [d for d in page.findChildren(VoidDialog) if d.isVisible()]
        clickkit.check_window(dlg, answers)
        assert not answers.problems  # "Annuler" twice in French before
        line = dlg.subject.text()
        assert f"{sale.series}/{sale.receipt_no}" in line and sale.buyer.name in line
        assert fmt.money_text(sale.gross_minor, sale.currency) in line
        confirm = dlg.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert confirm.text() == _("Void sale")
        type_text(dlg.widgets["reason"], "Prix mal saisi")
        confirm.click()
        assert not dlg.isVisible() and Sale.get_by_id(sale.id).state == "voided"
    finally:
        apply_language(qapp, "en")


def test_payout_and_tax_payment_void_dialogs_name_the_record(qtbot, qapp, demo_db, french):
    from coop.models import Payout, TaxPayment
    from ui import pages

    actor = clickkit.sign_in("treasurer")
    payout = Payout.select().where(Payout.state == "posted").first()
    dlg = pages.void_dialog(actor, None, "payout", payout.id, "Void payout", _not_voided)
    qtbot.addWidget(dlg)
    assert payout.member.full_name in dlg.subject.text()
    assert fmt.money_text(payout.amount_minor) in dlg.subject.text()
    payment = TaxPayment.select().where(TaxPayment.state == "posted").first()
    dlg = pages.void_dialog(actor, None, "tax_payment", payment.id, "Void tax payment", _not_voided)
    qtbot.addWidget(dlg)
    assert payment.authority in dlg.subject.text()
    assert fmt.money_text(payment.amount_minor) in dlg.subject.text()
    assert dlg.buttons.button(QDialogButtonBox.StandardButton.Save).text() == _("Void tax payment")


def _not_voided(ident, reason):
    raise AssertionError("not voided in this test")


def _reports(qtbot, role: str = "manager") -> ReportsPage:
    fmt.Context.refresh()
    page = ReportsPage(clickkit.sign_in(role))
    qtbot.addWidget(page)
    page.show()
    return page


def _choose(page: ReportsPage, kind: str) -> None:
    page.list.setCurrentRow([page.list.item(i).data(256) for i in range(page.list.count())].index(kind))


@pytest.mark.parametrize("what", ["lot", "sale"])
def test_chain_of_custody_from_the_reports_page(what, qtbot, demo_db, monkeypatch, tmp_path):
    clickkit.install(monkeypatch, tmp_path)
    page = _reports(qtbot)
    _choose(page, "custody")
    assert page.custody_ref.isVisible()
    lot = ProductionLot.select().where(ProductionLot.status == "sold").order_by(ProductionLot.id).first()
    sale = lot.sale_lots.first().sale
    page.custody_kind.setCurrentIndex(page.custody_kind.findData(what))
    page.custody_ref.setText(lot.reference if what == "lot" else f"{sale.series}/{sale.receipt_no}")
    page.open_button.click()
    text = clickkit.pdf_text(clickkit.preview(qtbot, page).pdf)
    assert lot.reference in text and f"{sale.series}/{sale.receipt_no}" in text and sale.buyer.name in text


def test_chain_of_custody_asks_for_what_to_follow(qtbot, demo_db, monkeypatch, tmp_path):
    from ui import msgbox

    clickkit.install(monkeypatch, tmp_path)
    page = _reports(qtbot)
    _choose(page, "custody")
    page.open_button.click()
    assert msgbox.SHOWN[-1][1] == _("Type a lot reference or a receipt number.")
    page.custody_kind.setCurrentIndex(page.custody_kind.findData("sale"))
    page.custody_ref.setText("2025/99999")
    page.open_button.click()
    assert "2025/99999" in msgbox.SHOWN[-1][1]


@pytest.mark.parametrize(
    "kind, number, start, end",
    [
        ("year", 0, date(2025, 1, 1), date(2025, 12, 31)),
        ("quarter", 2, date(2025, 4, 1), date(2025, 6, 30)),
        ("month", 2, date(2025, 2, 1), date(2025, 2, 28)),
    ],
)
def test_report_period_is_a_year_quarter_or_month(kind, number, start, end, qtbot, demo_db):
    page = _reports(qtbot)
    _choose(page, "tax-filing")
    page.set_period(kind, 2025, number)
    assert page.quarter.isVisible() == (kind == "quarter") and page.month.isVisible() == (kind == "month")
    assert page.period() == (start, end) and page.params("tax-filing") == {"start": start, "end": end}


def test_report_period_from_to_dates(qtbot, demo_db):
    page = _reports(qtbot)
    page.period_kind.setCurrentIndex(page.period_kind.findData("dates"))
    assert page.date_from.isVisible() and not page.year.isVisible()
    page.date_from.setDate(QDate(2025, 3, 10))
    page.date_to.setDate(QDate(2025, 5, 20))
    assert page.params("production") == {"start": date(2025, 3, 10), "end": date(2025, 5, 20)}


def test_tax_filing_for_a_quarter_names_it(qtbot, demo_db, monkeypatch, tmp_path, french):
    clickkit.install(monkeypatch, tmp_path)
    page = _reports(qtbot)
    _choose(page, "tax-filing")
    page.set_period("quarter", 2025, 3)
    page.open_button.click()
    text = clickkit.pdf_text(clickkit.preview(qtbot, page).pdf)
    with i18n.language("fr", "fr_CD"):
        named = _("Quarter {quarter} of {year}").format(quarter=3, year=2025)
        due = taxes.summary(clickkit.sign_in("manager"), *periods.quarter(2025, 3)).due_minor
        total = i18n.format_amount(due, "CDF", "fr_CD")
    assert named in text and "30 sept. 2025" in text
    assert clickkit.as_extracted(total) in text


def test_tax_payment_amount_follows_the_period(qtbot, demo_db):
    fmt.Context.refresh()
    treasurer = clickkit.sign_in("treasurer")
    dlg = dialogs.TaxPaymentDialog(treasurer)
    qtbot.addWidget(dlg)
    dlg.show()
    amount = dlg.widgets["amount"]

    def choose(start: date, end: date) -> None:
        dlg.widgets["period_from"].setDate(QDate(start))
        dlg.widgets["period_to"].setDate(QDate(end))
        balance = taxes.summary(treasurer, start, end).balance_minor
        assert amount.text() == (fmt.cell("money", balance, {}) if balance > 0 else ""), (start, end)

    choose(*periods.quarter(2025, 4))  # unpaid: its balance
    assert amount.text()
    choose(*periods.quarter(2025, 1))  # paid: nothing left, not the fourth quarter's amount
    assert amount.text() == ""
    choose(*periods.month(2025, 10))
    choose(*periods.month(2025, 11))
