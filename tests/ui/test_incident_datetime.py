"""The incident form's date and time: typed as two plain fields; Tab goes from the date to the time and then
to the site, never through day, month, year, hour and minute sections."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from coop.models import Incident
from coop.permissions import Actor
from tests.ui.helpers import shown
from ui import dialogs

CLERK = Actor("clerk", "clerk")


def _dialog(qtbot):
    return shown(qtbot, dialogs.incident_dialog(CLERK, None, None))


def _retype(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def test_tab_goes_from_the_date_to_the_time_to_the_site(qtbot, ctx):
    dlg = _dialog(qtbot)
    moment = dlg.widgets["occurred_at"]
    moment.setFocus()
    assert dlg.focusWidget() is moment.day
    qtbot.keyClick(dlg.focusWidget(), Qt.Key.Key_Tab)
    assert dlg.focusWidget() is moment.clock
    qtbot.keyClick(dlg.focusWidget(), Qt.Key.Key_Tab)
    assert dlg.focusWidget() is dlg.widgets["site"]


def test_a_typed_date_and_time_are_saved_as_typed(qtbot, ctx):
    dlg = _dialog(qtbot)
    moment = dlg.widgets["occurred_at"]
    _retype(qtbot, moment.day, "03/01/2026")
    _retype(qtbot, moment.clock, "7:05")
    dlg.widgets["description"].setPlainText("Fall at the shaft")
    dlg.save()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=5000)
    assert Incident.get(Incident.description == "Fall at the shaft").occurred_at == datetime(2026, 1, 3, 7, 5)


@pytest.mark.parametrize("typed", ["25:00", "12:75", ""])
def test_a_wrong_or_missing_time_is_refused_next_to_the_field(qtbot, ctx, typed):
    dlg = _dialog(qtbot)
    _retype(qtbot, dlg.widgets["occurred_at"].clock, typed)
    if not typed:
        dlg.widgets["occurred_at"].clock.clear()
    dlg.save()
    assert dlg.isVisible()
    assert dlg.errors["occurred_at"].isVisible()
    assert not Incident.select().exists()


def test_an_edited_incident_shows_its_stored_moment(qtbot, ctx):
    from coop.permissions import SYSTEM
    from coop.services import safety

    saved = safety.save_incident(
        SYSTEM,
        None,
        occurred_at=datetime(2025, 6, 2, 16, 40),
        site=ctx.site,
        category="fall",
        severity="first_aid",
        description="Slip",
    )
    dlg = dialogs.incident_dialog(CLERK, saved.id, None)
    qtbot.addWidget(dlg)
    moment = dlg.widgets["occurred_at"]
    assert (moment.day.text(), moment.clock.text()) == ("02/06/2025", "16:40")
