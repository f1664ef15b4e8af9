"""The import dialog, clicked: save a template, fill it in a spreadsheet, choose its sheet, import it."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import Qt

from coop import i18n
from coop.models import Member
from coop.permissions import Actor
from coop.services import templates
from tests.ui import clickkit
from ui import msgbox
from ui.app import open_main


@pytest.fixture
def window(qapp, qtbot, ctx, tmp_path, monkeypatch):
    def open_as(role: str = "clerk", lang: str = "en"):
        answers = clickkit.install(monkeypatch, tmp_path / "out")
        win = open_main(qapp, Actor(role, role), lang)
        qtbot.addWidget(win)
        win.answers = answers
        return win

    return open_as


def test_menu_offers_every_kind_the_role_may_import(window):
    clerk = window("clerk")
    allowed = {k for k, act in clerk.import_actions.items() if act.isEnabled()}
    assert allowed == {"members", "lots", "sites"}
    assert [a.text() for a in clerk.import_actions.values()][:3] == [
        "Import members…",
        "Import production lots…",
        "Import sales…",
    ]


def test_save_a_template_fill_it_choose_its_sheet_and_import(window, qtbot, tmp_path):
    win = window("clerk")
    win.import_actions["members"].trigger()
    dialog = win.import_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.import_button.isEnabled() and not dialog.sheet.isVisibleTo(dialog)

    qtbot.mouseClick(dialog.template_button, Qt.MouseButton.LeftButton)
    [saved] = win.answers.saved
    assert saved.name.endswith("members-template.xlsx") and saved.is_file()
    book = openpyxl.load_workbook(saved)
    assert [c.value for c in book.active[1]] == templates.COLUMNS["members"]

    # the user fills in the template in a workbook that also has a sheet of notes, first
    sheet = book.active
    sheet.title = "Membres"
    sheet["A2"], sheet["M2"] = "D1", None  # share capital is a posting: not a clerk's to import
    sheet.append(
        ["D2", "Deo Mugisho", "M", 1988, "", None, "", "", "NYA", "washer", date(2025, 1, 2), "", None]
    )
    notes = book.create_sheet("Notes", 0)
    notes.append(["Filled in at the general assembly"])
    filled = tmp_path / "filled.xlsx"
    book.save(filled)

    win.answers.opened_csv = filled
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.path.text() == str(filled)
    assert dialog.sheet.isVisibleTo(dialog)
    assert [dialog.sheet.itemText(i) for i in range(dialog.sheet.count())] == ["Notes", "Membres"]
    dialog.sheet.setCurrentIndex(1)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    clickkit.settle(qtbot)
    assert msgbox.SHOWN[-1] == ("Import", "2 rows imported.")
    assert Member.get(Member.member_no == "D1").full_name == "Espérance Nabintu"
    assert Member.get(Member.member_no == "D2").join_date == date(2025, 1, 2)


def test_a_refused_workbook_names_the_spreadsheet_row(window, qtbot, tmp_path):
    win = window("clerk")
    book = openpyxl.Workbook()
    book.active.append(["member_no", "full_name", "join_date"])
    book.active.append([])
    book.active.append(["E1", "Bad date", "31/02/2025"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    win.import_actions["members"].trigger()
    dialog = win.import_dialog
    win.answers.opened_csv = path
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert not dialog.sheet.isVisibleTo(dialog)  # one sheet: nothing to choose
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(msgbox.SHOWN), timeout=10_000)
    title, text = msgbox.SHOWN[-1]
    assert title == "The file was not imported: 1 problem found"
    assert "Row 3, column “join_date”" in text
    assert not Member.select().where(Member.member_no == "E1").exists()


def test_the_template_speaks_the_users_language(window, qtbot):
    win = window("manager", "fr")
    win.import_actions["payouts"].trigger()
    dialog = win.import_dialog
    assert dialog.template_button.text() == i18n._("Save a template…") != "Save a template…"
    qtbot.mouseClick(dialog.template_button, Qt.MouseButton.LeftButton)
    [saved] = win.answers.saved
    assert saved.suffix == ".xlsx"
    header = [c.value for c in openpyxl.load_workbook(saved).active[1]]
    assert header == ["Date", "N° de membre", "Montant", "Mode de paiement", "Référence"]
