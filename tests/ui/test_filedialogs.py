"""Save/open dialogs: they start in Documents, then in the folder last used per kind; default names are in the
user's language with the date; a save says where the file went."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog

from coop import i18n
from coop.permissions import SYSTEM
from ui import filedialogs, msgbox


class Dialog:
    """Records what the static file dialogs were asked and answers with `answer`."""

    def __init__(self, monkeypatch, answer: str = "") -> None:
        self.answer = answer
        self.asked: list[tuple[str, str, str]] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(self._ask))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(self._ask))

    def _ask(self, parent, caption, directory, filters="", *a, **k):
        self.asked.append((caption, directory, filters))
        return self.answer, ""


@pytest.fixture
def documents(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr(
        QStandardPaths, "writableLocation", staticmethod(lambda kind: str(folder)), raising=True
    )
    return folder


def test_first_save_starts_in_documents_then_in_the_folder_last_used_for_that_kind(
    monkeypatch, documents, tmp_path
):
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    dialog = Dialog(monkeypatch, str(elsewhere / "members.csv"))
    assert filedialogs.save_path(None, "csv", "members.csv", "CSV (*.csv)") == str(elsewhere / "members.csv")
    assert dialog.asked[0][1] == str(documents / "members.csv")
    filedialogs.save_path(None, "csv", "sales.csv", "CSV (*.csv)")
    assert dialog.asked[1][1] == str(elsewhere / "sales.csv")
    filedialogs.save_path(None, "pdf", "receipt.pdf", "PDF (*.pdf)")  # another kind keeps its own folder
    assert dialog.asked[2][1] == str(documents / "receipt.pdf")


def test_a_cancelled_dialog_remembers_nothing_and_a_vanished_folder_falls_back(
    monkeypatch, documents, tmp_path
):
    gone = tmp_path / "gone"
    gone.mkdir()
    dialog = Dialog(monkeypatch, str(gone / "x.csv"))
    filedialogs.save_path(None, "csv", "x.csv")
    gone.rmdir()
    dialog.answer = ""
    assert filedialogs.save_path(None, "csv", "x.csv") == ""
    assert dialog.asked[1][1] == str(documents / "x.csv")


def test_open_starts_in_the_given_folder_until_the_user_picks_another(monkeypatch, documents, tmp_path):
    backups, mine = tmp_path / "backups", tmp_path / "mine"
    backups.mkdir(), mine.mkdir()
    dialog = Dialog(monkeypatch, str(mine / "old.sqlite"))
    filedialogs.open_path(None, "restore", "*.sqlite", folder=backups)
    filedialogs.open_path(None, "restore", "*.sqlite", folder=backups)
    assert [a[1] for a in dialog.asked] == [str(backups), str(mine)]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "members-2026-03-04.csv"), ("fr", "membres-2026-03-04.csv"), ("sw", "wanachama-2026-03-04.csv")],
)
def test_default_names_are_in_the_users_language_with_the_date(lang, expected):
    with i18n.language(lang):
        assert filedialogs.dated_name("members", "csv", date(2026, 3, 4)) == expected


def test_report_file_names_keep_their_tail_and_unknown_names_stay():
    with i18n.language("fr"):
        assert filedialogs.translated_name("receipt-2026-4.pdf") == "reçu-2026-4.pdf"
        assert filedialogs.translated_name("tax-filing.pdf").endswith(".pdf")
        assert filedialogs.translated_name("tax-filing.pdf") != "tax-filing.pdf"
    assert filedialogs.translated_name("notes.txt") == "notes.txt"


def test_csv_export_from_the_main_window_says_saved_to_in_the_status_bar(qtbot, ctx, monkeypatch, documents):
    from ui.mainwindow import MainWindow

    window = MainWindow(SYSTEM)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(window.areas.index("members"))
    page = window.pages["members"]
    dialog = Dialog(monkeypatch, str(documents / "out.csv"))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert (documents / "out.csv").exists()
    assert Path(dialog.asked[0][1]).name == f"members-{date.today().isoformat()}.csv"
    assert window.statusBar().currentMessage() == f"Saved to {documents / 'out.csv'}."
    assert msgbox.SHOWN == []


def test_pdf_saved_from_the_preview_is_confirmed(qtbot, monkeypatch, documents):
    from ui.pdfview import PdfPreview

    monkeypatch.setattr("ui.pdfview.ASK_SAVE", None)
    Dialog(monkeypatch, str(documents / "r.pdf"))
    preview = PdfPreview(b"%PDF-1.4\n%%EOF\n", "Receipt", "receipt-1.pdf")
    qtbot.addWidget(preview)
    assert preview.save()
    assert (documents / "r.pdf").read_bytes().startswith(b"%PDF")
    assert msgbox.SHOWN == [("Saved", f"Saved to {documents / 'r.pdf'}.")]
