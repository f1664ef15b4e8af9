"""The lot form asks again for an unusually large quantity: Save once shows the warning, Save again keeps it."""

from __future__ import annotations

from PySide6.QtCore import QDate

from coop.models import ProductionLot
from coop.permissions import Actor
from ui import dialogs

CLERK = Actor("clerk", "clerk")


def _lot_form(qtbot, ctx, quantity: str):
    dlg = dialogs.LotDialog(CLERK, None)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.widgets["mineral_id"].setCurrentIndex(dlg.widgets["mineral_id"].findData(ctx.gold))
    dlg.widgets["site_id"].setCurrentIndex(dlg.widgets["site_id"].findData(ctx.site))
    dlg.widgets["date"].setDate(QDate(2026, 1, 5))
    qtbot.keyClicks(dlg.widgets["quantity"], quantity)
    qtbot.keyClicks(dlg.widgets["grade"], "850")
    dlg.set_owners([(ctx.members[0], 100)])
    return dlg


def test_an_unusual_quantity_is_saved_on_the_second_save(qtbot, ctx):
    dlg = _lot_form(qtbot, ctx, "25000")  # 25 kg of gold in one lot
    dlg.save()
    assert dlg.isVisible() and "unusually large" in dlg.errors["quantity"].text()
    assert ProductionLot.select().count() == 0
    dlg.save()
    assert not dlg.isVisible(), dlg.top_error.text()
    assert ProductionLot.get_by_id(dlg.result_id).qty_milli == 25_000_000


def test_a_changed_quantity_is_checked_again(qtbot, ctx):
    dlg = _lot_form(qtbot, ctx, "25000")
    dlg.save()
    dlg.widgets["quantity"].setText("250000")
    dlg.save()
    assert dlg.isVisible() and "unusually large" in dlg.errors["quantity"].text()
    assert ProductionLot.select().count() == 0


def test_an_impossible_quantity_is_refused_whatever_is_confirmed(qtbot, ctx):
    dlg = _lot_form(qtbot, ctx, "999999999999")
    dlg.save()
    dlg.save()
    assert dlg.isVisible() and dlg.errors["quantity"].text()
    assert ProductionLot.select().count() == 0
