"""Drive the real dialogs: member, lot, sale (post + void), payout, tax payment, incident, mercury."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QDateTime, Qt

from coop.models import Incident, LotOwner, Member, MercuryEntry, Payout, ProductionLot, Sale, TaxPayment
from coop.permissions import SYSTEM, Actor
from coop.services import ledger
from tests.ui.helpers import type_text
from ui import dialogs
from ui.forms import VoidDialog
from ui.listview import ListPage
from ui.sale import SaleDialog

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
        "sale",
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
