"""Forms through their widgets: locale numbers, typed dates, Tab, Escape with changes, clearing messages, defaults."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from coop.models import Member, Payout
from coop.permissions import Actor
from tests.ui.helpers import shown, type_text
from ui import dialogs, fmt

CLERK = Actor("clerk", "clerk")
TREASURER = Actor("treasurer", "treasurer")


def _retype(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(widget, text)


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("fr_CD", "50 000,00"),
        ("fr_CD", "50\u202f000,00"),
        ("fr_CD", "50\u00a0000,00"),
        ("fr_CD", "50000,00"),
        ("es_BO", "50.000,00"),
        ("pt_BR", "50.000,00"),
        ("en", "50,000.00"),
    ],
)
def test_amounts_typed_in_the_users_locale_are_read(qtbot, ctx, locale, typed):
    fmt.Context.locale = locale
    dlg = shown(qtbot, dialogs.payout_dialog(TREASURER, None, None))
    _retype(qtbot, dlg.widgets["amount"], typed)
    assert dlg.values()["amount"] == Decimal("50000.00")  # CDF keeps two decimals


@pytest.mark.parametrize(("locale", "typed"), [("fr_CD", "12,345"), ("en", "50000,00"), ("es_BO", "1234.5")])
def test_too_many_decimals_or_misplaced_grouping_is_refused_next_to_the_field(qtbot, ctx, locale, typed):
    fmt.Context.locale = locale
    dlg = shown(qtbot, dialogs.payout_dialog(TREASURER, None, None))
    payouts_before = Payout.select().count()
    _retype(qtbot, dlg.widgets["amount"], typed)
    dlg.save()
    assert dlg.isVisible()
    assert dlg.errors["amount"].isVisible(), dlg.top_error.text()
    assert typed in dlg.errors["amount"].text()
    assert Payout.select().count() == payouts_before


def test_a_typed_date_lands_exactly_and_tab_goes_to_the_next_field(qtbot, ctx):
    dlg = shown(qtbot, dialogs.member_dialog(CLERK, None, None))
    join = dlg.widgets["join_date"]
    join.setFocus()
    join.selectAll()
    qtbot.keyClicks(join, "15/11/2026")
    assert dlg.values()["join_date"] == date(2026, 11, 15)
    qtbot.keyClick(join, Qt.Key.Key_Tab)
    assert dlg.focusWidget() is dlg.widgets["status"]


def test_a_half_typed_date_is_an_error_not_a_guess(qtbot, ctx):
    dlg = shown(qtbot, dialogs.member_dialog(CLERK, None, None))
    type_text(dlg.widgets["full_name"], "Léonie Furaha")
    _retype(qtbot, dlg.widgets["join_date"], "15/11/26")
    dlg.save()
    assert dlg.isVisible()
    assert "15/11/2026" in dlg.errors["join_date"].text()  # the message shows how to type it


def test_escape_on_a_filled_form_asks_before_discarding(qtbot, ctx):
    dlg = shown(qtbot, dialogs.member_dialog(CLERK, None, None))
    type_text(dlg.widgets["full_name"], "Léonie")
    qtbot.keyClick(dlg.widgets["full_name"], Qt.Key.Key_Escape)
    box = dlg.findChild(QMessageBox, "discard_changes")
    assert box is not None and box.isVisible() and box.text() == "Discard the changes?"
    assert dlg.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()  # keep editing
    assert dlg.isVisible() and dlg.widgets["full_name"].text() == "Léonie"
    qtbot.keyClick(dlg.widgets["full_name"], Qt.Key.Key_Escape)
    box = next(b for b in dlg.findChildren(QMessageBox, "discard_changes") if b.isVisible())
    box.button(QMessageBox.StandardButton.Discard).click()
    assert not dlg.isVisible()


def test_escape_on_an_untouched_edit_form_closes_at_once(qtbot, ctx):
    dlg = shown(qtbot, dialogs.member_dialog(CLERK, ctx.members[0], None))
    qtbot.keyClick(dlg.widgets["full_name"], Qt.Key.Key_Escape)
    assert not dlg.isVisible()
    assert dlg.findChild(QMessageBox, "discard_changes") is None


def test_a_message_clears_once_its_field_is_edited(qtbot, ctx):
    dlg = shown(qtbot, dialogs.member_dialog(CLERK, None, None))
    dlg.save()  # no name
    error = dlg.errors["full_name"]
    assert error.isVisible()
    type_text(dlg.widgets["full_name"], "L")
    assert not error.isVisible() and error.text() == ""


def test_a_new_member_form_guesses_nothing_and_suggests_the_next_number(qtbot, ctx):
    dlg = shown(qtbot, dialogs.member_dialog(CLERK, None, None))
    assert dlg.widgets["sex"].currentData() is None
    assert dlg.widgets["card_expiry"].text() == ""
    assert dlg.widgets["member_no"].text() == "M005"  # after M001..M004
    type_text(dlg.widgets["full_name"], "Léonie Furaha")
    dlg.save()
    assert not dlg.isVisible(), dlg.top_error.text()
    saved = Member.get(Member.member_no == "M005")
    assert saved.card_expiry is None and saved.sex == ""


def test_a_new_lot_shows_the_reference_it_will_get(qtbot, ctx):
    dlg = shown(qtbot, dialogs.LotDialog(CLERK, None))
    site = dlg.widgets["site_id"]
    site.setCurrentIndex(site.findData(ctx.site))
    _retype(qtbot, dlg.widgets["date"], "05/01/2026")
    assert "KAM-20260105-001" in dlg.reference.text()
