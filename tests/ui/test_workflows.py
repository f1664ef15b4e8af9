"""Drive the real dialogs: member, lot, sale (post + void), payout, tax payment, incident, mercury."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import QLabel

from coop.models import Incident, LotOwner, Member, MercuryEntry, Payout, ProductionLot, Sale, TaxPayment
from coop.permissions import SYSTEM, Actor
from coop.services import ledger
from tests.ui.helpers import type_text
from ui import dialogs
from ui.forms import VoidDialog
from ui.listview import ListPage
from ui.sale import SaleDialog

ROOT = Path(__file__).resolve().parents[2]
TREASURER = Actor("treasurer", "treasurer")
CLERK = Actor("clerk", "clerk")


def _save(qtbot, dlg) -> None:
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClick(dlg, Qt.Key.Key_Return)


def test_create_member_with_field_error_then_fix(qtbot, ctx):
    page = ListPage(CLERK, "members")
    qtbot.addWidget(page)
    before = page.model.rowCount()
    dlg = dialogs.member_dialog(CLERK, None, None)
    assert dlg.widgets["member_no"].text()  # the next number is suggested
    dlg.widgets["member_no"].clear()
    _save(qtbot, dlg)  # empty: the error shows next to the member number
    assert dlg.isVisible()
    assert dlg.errors["member_no"].text() and not dlg.errors["member_no"].isHidden()
    qtbot.keyClicks(dlg.widgets["member_no"], "M900")
    type_text(dlg.widgets["full_name"], "Espérance Mwamini")
    dlg.widgets["join_date"].setDate(QDate(2025, 3, 1))
    dlg.widgets["birth_year"].setValue(1990)
    qtbot.keyClick(dlg.widgets["full_name"], Qt.Key.Key_Return)
    assert not dlg.isVisible()
    assert Member.get(Member.member_no == "M900").full_name == "Espérance Mwamini"
    assert page.model.rowCount() == before + 1  # refreshed through the changed signal


def test_create_lot_with_owners(qtbot, ctx):
    dlg = dialogs.LotDialog(CLERK, None)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.widgets["mineral_id"].setCurrentIndex(dlg.widgets["mineral_id"].findData(ctx.gold))
    dlg.widgets["site_id"].setCurrentIndex(dlg.widgets["site_id"].findData(ctx.site))
    dlg.widgets["date"].setDate(QDate(2026, 1, 5))
    assert dlg.unit.text() == "grams"
    qtbot.keyClicks(dlg.widgets["quantity"], "12,5")  # fr_CD decimal comma
    qtbot.keyClicks(dlg.widgets["grade"], "850")
    dlg.set_owners([(ctx.members[0], 70), (ctx.members[1], 20)])
    dlg.save()
    assert dlg.isVisible() and dlg.errors["owners"].text()  # shares sum to 90 %: refused
    dlg.owner_rows[1][1].setValue(30)
    dlg.save()
    assert not dlg.isVisible(), dlg.top_error.text()
    lot = ProductionLot.get_by_id(dlg.result_id)
    assert lot.qty_milli == 12_500 and lot.grade_milli == 850_000
    assert sorted(o.share_bp for o in LotOwner.select().where(LotOwner.lot == lot.id)) == [3000, 7000]


def test_post_sale_with_live_preview_then_void(qtbot, ctx):
    lot = ctx.lot(qty="10", grade="800")
    page = ListPage(TREASURER, "sales")
    qtbot.addWidget(page)
    dlg = SaleDialog(TREASURER)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.buyer.setCurrentIndex(dlg.buyer.findData(ctx.buyer))
    dlg.mineral.setCurrentIndex(dlg.mineral.findData(ctx.gold))
    dlg.check_lot(lot)
    dlg.day.setDate(QDate(2026, 1, 6))
    qtbot.keyClicks(dlg.price, "90")
    qtbot.keyClicks(dlg.rate, "2850")
    html = dlg.preview.toPlainText()
    assert "Net to members" in html and "Royalty (DGRAD)" in html and "Amani Bisimwa" in html
    qtbot.keyClick(dlg.price, Qt.Key.Key_Return)
    assert dlg.sale_id is not None, dlg.error.text()
    sale = Sale.get_by_id(dlg.sale_id)
    assert sale.state == "posted" and sale.receipt_no == 1
    # 10 g at 800 ‰ = 8 g fine × 90 USD × 2850
    assert sale.gross_local_minor == 8 * 90 * 2850 * 100
    assert page.model.rowCount() == 1
    page.view.selectRow(0)
    void = VoidDialog(
        "Void",
        lambda r: __import__("coop.services.sales", fromlist=["x"]).void_sale(TREASURER, sale.id, r),
    )
    _save(qtbot, void)
    assert void.isVisible() and void.errors["reason"].text()  # the reason is required
    qtbot.keyClicks(void.widgets["reason"], "Wrong buyer")
    void.save()
    assert Sale.get_by_id(sale.id).state == "voided"
    assert ProductionLot.get_by_id(lot).status == "in_stock"
    assert page.model.raw(0)["state"] == "voided"


def test_payout_from_balance(qtbot, ctx):
    ctx.sell([ctx.lot()])
    member = ctx.members[0]
    owed = ledger.member_balance(SYSTEM, member)
    dlg = dialogs.payout_dialog(TREASURER, member, None)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.findChild(type(dlg.top_error), "balance").text()  # balance shown
    dlg.widgets["amount"].clear()
    qtbot.keyClicks(dlg.widgets["amount"], "1000")
    dlg.widgets["day"].setDate(QDate(2026, 1, 7))
    dlg.save()
    assert not dlg.isVisible(), dlg.top_error.text()
    payout = Payout.get()
    assert payout.amount_minor == 100_000 and payout.state == "posted"
    assert ledger.member_balance(SYSTEM, member) == owed - 100_000


def test_payout_above_balance_is_refused_next_to_amount(qtbot, ctx):
    dlg = dialogs.payout_dialog(TREASURER, ctx.members[2], None)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.widgets["amount"], "5")
    dlg.widgets["day"].setDate(QDate(2026, 1, 7))
    dlg.save()
    assert dlg.isVisible()
    assert Payout.select().count() == 0
    assert dlg.errors["amount"].text() or dlg.top_error.text()


def test_tax_payment_against_period_summary(qtbot, ctx):
    ctx.sell([ctx.lot()])
    dlg = dialogs.TaxPaymentDialog(TREASURER)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.widgets["period_from"].setDate(QDate(2026, 1, 1))
    dlg.widgets["period_to"].setDate(QDate(2026, 1, 31))
    assert "Royalty (DGRAD)" in dlg.summary.text()
    assert dlg.balance_minor > 0
    dlg.widgets["rule_id"].setCurrentIndex(dlg.widgets["rule_id"].findData(ctx.royalty))
    assert dlg.widgets["authority"].text() == "DGRAD"
    dlg.widgets["day"].setDate(QDate(2026, 2, 10))
    method = dlg.widgets["method"]
    method.setCurrentIndex(
        method.findData("cash")
    )  # the sale's proceeds are in the cash box; the bank is empty
    qtbot.keyClicks(dlg.widgets["reference"], "Q-2026-01")
    dlg.save()
    assert not dlg.isVisible(), dlg.top_error.text()
    paid = TaxPayment.get()
    assert paid.amount_minor == dlg.balance_minor and paid.period_to == date(2026, 1, 31)


def test_record_incident_and_move_state(qtbot, ctx):
    from ui import pages

    page = pages.incidents_page(CLERK, None)
    qtbot.addWidget(page)
    dlg = dialogs.incident_dialog(CLERK, None, None)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.widgets["occurred_at"].setDateTime(QDateTime(QDate(2026, 1, 3), dlg.widgets["occurred_at"].time()))
    dlg.widgets["severity"].setCurrentIndex(dlg.widgets["severity"].findData("fatality"))
    qtbot.keyClicks(dlg.widgets["description"], "Gallery collapse after rain")
    dlg.save()
    assert dlg.isVisible() and dlg.errors["fatalities"].text()
    dlg.widgets["fatalities"].setValue(1)
    qtbot.keyClicks(dlg.widgets["people"], "M001")
    dlg.widgets["reported_to_authority"].setChecked(True)
    dlg.widgets["reported_on"].setDate(QDate(2026, 1, 4))
    dlg.save()
    assert not dlg.isVisible(), dlg.top_error.text()
    incident = Incident.get()
    assert incident.state == "open" and incident.reported_to_authority
    assert page.model.rowCount() == 1
    page.view.selectRow(0)
    investigate = next(b for b, t in page._actions if "investigating" in t())
    investigate.click()
    assert Incident.get().state == "investigating"


def test_record_mercury(qtbot, ctx):
    dlg = dialogs.mercury_dialog(CLERK, None)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.widgets["day"].setDate(QDate(2026, 1, 3))
    qtbot.keyClicks(dlg.widgets["grams"], "2,5")
    dlg.save()
    assert not dlg.isVisible(), dlg.top_error.text()
    assert MercuryEntry.get().grams_milli == 2500


def test_clerk_cannot_post_sales_buttons_hidden(qtbot, ctx):
    from ui import pages

    page = pages.sales_page(CLERK, None)
    qtbot.addWidget(page)
    texts = {t(): b.isEnabled() for b, t in page._actions}
    assert texts == {"New sale…": False, "Receipt…": False, "Void…": False}


def test_receipt_preview_after_posting_when_reports_are_installed(qtbot, ctx):
    import pytest

    if not (ROOT / "reports" / "__init__.py").exists():  # the reports layer of this checkout
        pytest.skip("reports/ is not part of this checkout")
    from PySide6.QtWidgets import QWidget

    from ui.pages import show_receipt
    from ui.pdfview import PdfPreview

    sale_id = ctx.sell([ctx.lot()])
    parent = QWidget()
    qtbot.addWidget(parent)
    show_receipt(SYSTEM, parent, sale_id, duplicate=False)
    previews = parent.findChildren(PdfPreview)
    assert len(previews) == 1 and previews[0].page_count() >= 1
    assert previews[0].pdf.startswith(b"%PDF")


def test_manager_adds_a_member_account(qtbot, ctx):
    from coop.models import User
    from coop.services import users

    dlg = dialogs.user_dialog(SYSTEM, None)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.widgets["username"], "amani")
    qtbot.keyClicks(dlg.widgets["password"], "long-enough-pass")
    dlg.widgets["role"].setCurrentIndex(dlg.widgets["role"].findData("member"))
    dlg.save()
    assert dlg.isVisible() and "linked to a member" in dlg.errors["member_id"].text()
    dlg.widgets["member_id"].setCurrentIndex(dlg.widgets["member_id"].findData(ctx.members[0]))
    dlg.save()
    assert not dlg.isVisible(), dlg.top_error.text()
    assert User.get(User.username == "amani").member_id == ctx.members[0]
    assert users.login("amani", "long-enough-pass").member_id == ctx.members[0]


def test_batch_statements_in_background(qtbot, demo_db):
    import pytest

    if not (ROOT / "reports" / "__init__.py").exists():  # the reports layer of this checkout
        pytest.skip("reports/ is not part of this checkout")
    from ui import fmt, msgbox
    from ui.pages import ReportsPage
    from ui.pdfview import PdfPreview

    fmt.Context.refresh()
    page = ReportsPage(SYSTEM)
    qtbot.addWidget(page)
    page.year.setValue(2025)
    page.list.setCurrentRow(1)
    page.open_selected()
    qtbot.waitUntil(lambda: bool(page.findChildren(PdfPreview)), timeout=60_000)
    assert page.findChildren(PdfPreview)[0].page_count() > 10, msgbox.SHOWN


def test_settings_site_and_tax_rule_dialogs_round_trip(qtbot, ctx):
    from coop.models import Site, TaxRule
    from coop.services import settings

    dlg = dialogs.settings_dialog(SYSTEM, None)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.widgets["levy"].text() == "5,00"  # 500 bp shown in fr_CD
    dlg.widgets["levy"].setText("4,5")
    dlg.save()
    assert not dlg.isVisible(), dlg.top_error.text()
    assert settings.get().levy_bp == 450
    from ui import fmt

    fmt.Context.locale = "fr_CD"  # saving settings re-reads formats for the UI language (English here)
    site = dialogs.simple_dialog("site", CLERK, None, None)
    qtbot.addWidget(site)
    site.show()
    qtbot.keyClicks(site.widgets["code"], "lug")
    qtbot.keyClicks(site.widgets["name"], "Lugushwa")
    qtbot.keyClicks(site.widgets["latitude"], "95")
    site.save()
    assert site.isVisible() and site.errors["latitude"].text()
    site.widgets["latitude"].setText("-3.3")
    site.save()
    assert Site.get(Site.code == "LUG").latitude == "-3.3"
    rule = dialogs.simple_dialog("tax_rule", SYSTEM, ctx.royalty, None)
    qtbot.addWidget(rule)
    rule.show()
    assert rule.widgets["rate"].text() == "3,50"
    rule.widgets["rate"].setText("10")
    rule.save()
    assert not rule.isVisible(), rule.top_error.text()
    assert TaxRule.get_by_id(ctx.royalty).rate_bp == 1000


def test_keyboard_enter_opens_row_and_escape_cancels(qtbot, ctx):
    from ui import pages
    from ui.forms import ServiceDialog

    page = pages.members_page(CLERK, None)
    qtbot.addWidget(page)
    page.show()
    page.view.setFocus()
    page.view.setCurrentIndex(page.model.index(1, 0))
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    opened = page.findChildren(ServiceDialog)
    assert len(opened) == 1 and opened[0].widgets["member_no"].text() == "M002"
    assert opened[0].isVisible()
    qtbot.keyClick(opened[0].widgets["full_name"], Qt.Key.Key_Escape)  # Esc cancels
    assert not opened[0].isVisible()


def test_manager_edits_an_account_and_unlocks_it(qtbot, ctx):
    from datetime import datetime, timedelta

    from coop.models import User
    from coop.services import users
    from ui import pages

    uid = users.add_user(SYSTEM, "caissier", "long-enough-1", "treasurer").id
    User.update(failed_attempts=10, locked_until=datetime.now() + timedelta(minutes=15)).where(
        User.id == uid
    ).execute()
    page = pages.users_page(SYSTEM, None)
    qtbot.addWidget(page)
    row = next(r for r in range(page.model.rowCount()) if page.model.row_id(r) == uid)
    page.view.selectRow(row)
    unlock = next(b for b, text in page._actions if text() == "Unlock")
    unlock.click()
    assert User.get_by_id(uid).locked_until is None and User.get_by_id(uid).failed_attempts == 0
    dlg = dialogs.user_edit_dialog(SYSTEM, uid, None)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.widgets["role"].setCurrentIndex(dlg.widgets["role"].findData("auditor"))
    qtbot.keyClicks(dlg.widgets["password"], "short")
    dlg.save()
    assert dlg.isVisible() and dlg.errors["password"].text()  # too short: shown next to the field
    assert User.get_by_id(uid).role == "treasurer"  # nothing half-written
    dlg.widgets["password"].setText("another-long-pass")
    dlg.save()
    assert not dlg.isVisible(), dlg.top_error.text()
    assert User.get_by_id(uid).role == "auditor"
    assert users.login("caissier", "another-long-pass").role == "auditor"


def test_a_report_is_built_in_the_background_and_previewed(qtbot, demo_db):
    import pytest

    if not (ROOT / "reports" / "__init__.py").exists():
        pytest.skip("reports/ is not part of this checkout")
    from ui import fmt
    from ui.pages import ReportsPage
    from ui.pdfview import PdfPreview

    fmt.Context.refresh()
    page = ReportsPage(SYSTEM)
    qtbot.addWidget(page)
    page.year.setValue(2025)
    rows = [page.list.item(i).data(256) for i in range(page.list.count())]
    page.list.setCurrentRow(rows.index("production"))
    page.open_selected()
    assert not page.findChildren(PdfPreview)  # not built on the UI thread
    qtbot.waitUntil(lambda: bool(page.findChildren(PdfPreview)), timeout=60_000)
    assert page.findChildren(PdfPreview)[0].page_count() >= 1


def test_manager_closes_a_period_from_the_taxes_page(qtbot, ctx):
    from coop.services import periods
    from ui import pages

    page = pages.taxes_page(SYSTEM, None)
    qtbot.addWidget(page)
    [button] = [b for b, t in page._actions if t() == "Close period…"]
    assert button.isEnabled()
    treasurers = pages.taxes_page(TREASURER, None)
    qtbot.addWidget(treasurers)
    assert {t(): b.isEnabled() for b, t in treasurers._actions}["Close period…"] is False
    dlg = pages.close_period_dialog(SYSTEM, page)
    qtbot.addWidget(dlg)
    dlg.show()
    assert "cannot be undone" in dlg.findChild(QLabel, "close_period_warning").text()
    dlg.widgets["period_to"].setDate(QDate(2026, 1, 31))
    dlg.save()
    assert not dlg.isVisible(), dlg.top_error.text()
    assert periods.closed_to() == date(2026, 1, 31)
    again = pages.close_period_dialog(SYSTEM, page)
    qtbot.addWidget(again)
    again.show()
    again.widgets["period_to"].setDate(QDate(2026, 1, 15))
    again.save()
    assert again.isVisible() and "already closed" in again.errors["period_to"].text()
