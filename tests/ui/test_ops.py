"""The one operation runner and the buttons that go through it: Changes reach only the views that show them,
refusals are shown once, Export CSV and Back up receive a path (never `clicked(bool)`), voided sales count
for nothing in the footer."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from coop.changes import Changes
from coop.errors import PermissionDenied, ValidationError
from coop.permissions import SYSTEM, Actor
from coop.services import tables
from ui import msgbox
from ui.forms import VoidDialog
from ui.listview import SHOWS, ListPage
from ui.ops import OPS

TREASURER = Actor("treasurer", "treasurer")


def test_every_list_declares_what_it_shows():
    assert set(SHOWS) == set(tables.SPECS)
    for areas in SHOWS.values():
        Changes().affects(*areas)  # a misspelt area raises


def test_views_refresh_only_when_a_change_affects_what_they_show(qtbot, ctx, monkeypatch):
    pages = {name: ListPage(SYSTEM, name) for name in ("members", "sites", "sales", "payouts")}
    refreshed: list[str] = []
    for name, page in pages.items():
        qtbot.addWidget(page)
        monkeypatch.setattr(page, "refresh", lambda name=name: refreshed.append(name))
    OPS.changed.emit(Changes.of(sales=[1], lots=[2], ledger=[3]))
    assert sorted(refreshed) == ["members", "sales"]  # balances come from the ledger


def test_the_runner_emits_the_services_changes_once(qtbot, ctx):
    got: list[Changes] = []
    OPS.changed.connect(got.append)
    try:
        lot = ctx.lot()
        from coop.services import production

        result = OPS.run(None, production.void_lot, SYSTEM, lot, "registered twice")
    finally:
        OPS.changed.disconnect(got.append)
    assert result == Changes.of(lots=[lot]) and got == [result]


def test_a_refusal_is_shown_once_and_a_form_may_keep_field_errors(qtbot, ctx):
    def refuse():
        raise PermissionDenied("Your role ({role}) may not do this: {action}.", role="clerk", action="x")

    assert OPS.run(None, refuse) is None
    assert msgbox.SHOWN == [("Cannot do this", "Your role (clerk) may not do this: x.")]
    handled = []

    def field_problem():
        raise ValidationError("amount", "The amount must be greater than zero.")

    OPS.run(None, field_problem, failure=lambda exc: handled.append(exc) or True)
    assert len(handled) == 1 and len(msgbox.SHOWN) == 1  # the form showed it: no second box


@pytest.mark.parametrize("name", sorted(tables.SPECS))
def test_export_csv_button_writes_the_list_to_the_chosen_file(qtbot, ctx, tmp_path, monkeypatch, name):
    ctx.sell([ctx.lot()])
    page = ListPage(SYSTEM, name)
    qtbot.addWidget(page)
    out = tmp_path / f"{name}.csv"
    monkeypatch.setattr(
        "ui.filedialogs.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), "CSV (*.csv)")
    )
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert msgbox.SHOWN == [("Saved", f"Saved to {out}.")]  # a page without a main window has no status bar
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + page.model.rowCount()


def _main_window(qtbot):
    from ui.mainwindow import MainWindow

    window = MainWindow(SYSTEM)
    qtbot.addWidget(window)
    return window


def test_backup_menu_writes_the_chosen_file_and_says_where(qtbot, ctx, tmp_path, monkeypatch):
    dest = tmp_path / "copy.sqlite"
    monkeypatch.setattr("ui.filedialogs.QFileDialog.getSaveFileName", lambda *a, **k: (str(dest), ""))
    window = _main_window(qtbot)
    window.backup_action.trigger()  # triggered(bool) must not arrive as the destination
    qtbot.waitUntil(lambda: bool(msgbox.SHOWN), timeout=10_000)
    assert msgbox.SHOWN == [("Backup", f"The backup was written to {dest}.")]
    assert dest.stat().st_size > 0


def test_a_backup_that_cannot_be_written_says_why_in_words(qtbot, ctx, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    dest = blocker / "copy.sqlite"
    monkeypatch.setattr("ui.filedialogs.QFileDialog.getSaveFileName", lambda *a, **k: (str(dest), ""))
    window = _main_window(qtbot)
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: bool(msgbox.SHOWN), timeout=10_000)
    [(title, text)] = msgbox.SHOWN
    assert title == "The backup was not made"
    assert text.startswith(f"The backup could not be written to {dest}") and "Error" not in text


def test_backup_needs_the_permission(ctx, tmp_path):
    from coop.services import backup

    with pytest.raises(PermissionDenied):
        backup.back_up(Actor("clerk", "clerk"), tmp_path / "copy.sqlite")
    assert not (tmp_path / "copy.sqlite").exists()


def test_sales_footer_counts_posted_sales_only_after_a_void_from_the_list(qtbot, ctx):
    from coop.models import Sale

    kept, voided = ctx.sell([ctx.lot()]), ctx.sell([ctx.lot()])
    from ui import pages

    page = pages.sales_page(TREASURER, None)
    qtbot.addWidget(page)
    row = next(r for r in range(page.model.rowCount()) if page.model.row_id(r) == voided)
    page.view.selectRow(row)
    button = next(b for b, text in page._actions if text() == "Void…")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    [dialog] = page.findChildren(VoidDialog)
    qtbot.keyClicks(dialog.widgets["reason"], "Entered twice")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert Sale.get_by_id(voided).state == "voided"
    posted = Sale.get_by_id(kept)
    assert page.model.rowCount() == 2  # the voided sale is still listed (refreshed by the runner's signal)
    assert page.model.totals["gross_local"] == posted.gross_local_minor
    assert page.model.totals["net"] == posted.net_minor
    from ui import fmt

    qtbot.waitUntil(lambda: fmt.amount_text(posted.gross_local_minor) in page.totals_label.text())


def test_only_the_runner_announces_changes():
    from pathlib import Path

    ui = Path(__file__).resolve().parents[2] / "ui"
    emitting = sorted(p.name for p in ui.glob("*.py") if ".changed.emit(" in p.read_text(encoding="utf-8"))
    assert emitting == ["ops.py"]


EMITS = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
if sys.argv[1] == "guard":
    from ui.none_guard import keep_none_alive
    keep_none_alive()
from coop.changes import Changes
from ui.ops import OPS
got = []
OPS.changed.connect(lambda changes: got.append(1))
for _ in range(int(sys.argv[2])):
    OPS.changed.emit(Changes.of(sales=[1]))
print(len(got))
"""


def test_a_long_session_of_changes_survives_pysides_lost_reference_to_true():
    """PySide6 6.12.0's emit() drops a reference to the True it returns: the guard keeps True alive."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", EMITS, "guard", "50000"], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0 and out.stdout.split() == ["50000"], out.stderr[-500:]
