"""The void dialog of a posting asks for the void's date: today by default, refused before the record or in a
closed period, and the reversal is dated as typed (the journal and the period it counts in)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from coop.models import JournalEntry, Sale
from coop.permissions import SYSTEM
from coop.services import periods, sales
from tests.ui.helpers import type_text
from ui import fmt, pages
from ui.datefield import date_text


@pytest.fixture
def sold(ctx):
    lot = ctx.lot(day=date(2025, 2, 1))
    sale_id = ctx.sell([lot], day=date(2025, 2, 2))
    periods.close(SYSTEM, date(2025, 3, 31))
    return sale_id


def _dialog(qtbot, sale_id):
    dlg = pages.void_dialog(
        SYSTEM, None, "sale", sale_id, "Void sale", lambda i, r, d: sales.void_sale(SYSTEM, i, r, d)
    )
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _confirm(dlg) -> None:
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_the_void_date_starts_today_and_is_refused_in_a_closed_period(qtbot, sold):
    dlg = _dialog(qtbot, sold)
    when = dlg.widgets["date"]
    assert when.value("date") == date.today()
    type_text(dlg.widgets["reason"], "Wrong buyer")
    when.setText("")
    type_text(when, date_text(date(2025, 3, 15), fmt.Context.locale))
    _confirm(dlg)
    assert dlg.isVisible() and Sale.get_by_id(sold).state == "posted"
    assert "2025-03-31" in dlg.errors["date"].text()


def test_the_void_is_dated_as_typed(qtbot, sold):
    dlg = _dialog(qtbot, sold)
    type_text(dlg.widgets["reason"], "Wrong buyer")
    dlg.widgets["date"].setText("")
    type_text(dlg.widgets["date"], date_text(date(2025, 5, 2), fmt.Context.locale))
    _confirm(dlg)
    assert not dlg.isVisible() and Sale.get_by_id(sold).state == "voided"
    void = JournalEntry.get((JournalEntry.kind == "void") & (JournalEntry.source_id == sold))
    assert void.date == date(2025, 5, 2)
