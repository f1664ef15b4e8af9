"""Driving the real main window in tests: sign-in, answers for every dialog a click can open, the checks a
click-through makes of each window (fits 1366×768, no two buttons with one label) and waiting for work."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QProgressDialog,
    QWidget,
)

from coop.services import demo, users
from ui import pdfview, screen, work

SCREEN = QRect(0, 0, 1366, 768)  # the smallest laptop screen the cooperatives' offices have


@dataclass
class Answers:
    """Where the dialogs a click opens are answered: files in `folder`, every exec()'d modal rejected."""

    folder: Path
    saved: list[Path] = field(
        default_factory=list
    )  # what the file dialogs / PDF previews were asked to write
    printed: list[Path] = field(default_factory=list)
    opened_csv: Path | None = None
    modal_seen: list[str] = field(default_factory=list)  # class names of exec()'d modals that were answered
    problems: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)

    def _path(self, name: str) -> str:
        path = self.folder / f"{len(self.saved) + len(self.printed):03d}-{Path(name).name or 'file'}"
        return str(path)

    def ask_save(self, name: str) -> str:
        path = self._path(name)
        self.saved.append(Path(path))
        return path

    def ask_print(self, printer) -> bool:
        path = self._path("printed.pdf")
        self.printed.append(Path(path))
        return pdfview.answer_print_to(path)(printer)

    def save_file_name(self, parent=None, caption="", directory="", *args, **kwargs):
        return self.ask_save(Path(directory or "saved").name), ""

    def open_file_name(self, *args, **kwargs):
        return (str(self.opened_csv) if self.opened_csv else ""), ""

    def existing_directory(self, *args, **kwargs):
        folder = self.folder / f"dir-{len(self.saved)}"
        folder.mkdir(exist_ok=True)
        return str(folder)


def install(monkeypatch, folder: Path) -> Answers:
    """Answer every dialog that would wait for a person; fail on exceptions raised in slots."""
    answers = Answers(folder)
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(screen, "available_geometry", lambda widget: QRect(SCREEN))
    monkeypatch.setattr(pdfview, "ASK_SAVE", answers.ask_save)
    monkeypatch.setattr(pdfview, "ASK_PRINT", answers.ask_print)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answers.save_file_name))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(answers.open_file_name))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(answers.existing_directory))

    def hook(kind, value, tb) -> None:
        import traceback

        answers.exceptions.append("".join(traceback.format_exception(kind, value, tb)))

    monkeypatch.setattr(sys, "excepthook", hook)
    return answers


def sign_in(role: str):
    """The demo account of a role, signed in with its password as the sign-in window does."""
    return users.login(role, demo.DEMO_PASSWORD)


def button_text(button: QAbstractButton) -> str:
    return button.text().replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def check_window(window: QWidget, answers: Answers) -> None:
    """A window fits the small screen; a dialog shows no two buttons with the same label."""
    name = f"{type(window).__name__} “{window.windowTitle()}”"
    if window.width() > SCREEN.width() or window.height() > SCREEN.height():
        answers.problems.append(f"{name} is {window.width()}×{window.height()}, larger than 1366×768")
    if isinstance(window, QDialog):
        labels = Counter(
            button_text(b)
            for b in window.findChildren(QAbstractButton)
            if b.isVisibleTo(window) and button_text(b) and b.window() is window
        )
        twice = sorted(text for text, n in labels.items() if n > 1)
        if twice:
            answers.problems.append(f"{name} has two buttons labelled {twice}")


def visible_windows() -> list[QWidget]:
    kinds = (Qt.WindowType.Window, Qt.WindowType.Dialog)  # not menus, tool tips or combo pop-ups
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and not isinstance(w, QProgressDialog) and w.windowType() in kinds
    ]


def settle(qtbot) -> None:
    """Let background work finish and its results (queued to the UI thread) arrive."""
    qtbot.waitUntil(lambda: not work._RUNNING, timeout=30_000)
    for _ in range(3):
        QApplication.processEvents()


class ModalAnswerer:
    """While a click runs, a dialog opened with exec() (which waits in its own event loop) is checked and
    rejected (a question answered No / Cancel: a confirmed "restore this backup" would replace the file under
    the test)."""

    def __init__(self, answers: Answers) -> None:
        self.answers = answers
        self.clicking = False
        self.timer = QTimer(interval=20)
        self.timer.timeout.connect(self._answer)
        self.timer.start()

    def _answer(self) -> None:
        modal = QApplication.activeModalWidget()
        if not self.clicking or modal is None or isinstance(modal, QProgressDialog):
            return
        check_window(modal, self.answers)
        self.answers.modal_seen.append(type(modal).__name__)
        if isinstance(modal, QDialog):
            modal.reject()
        else:
            modal.close()

    def click(self, qtbot, trigger) -> None:
        self.clicking = True
        try:
            trigger()
        finally:
            self.clicking = False
        settle(qtbot)

    def stop(self) -> None:
        self.timer.stop()


def pdf_text(pdf: bytes) -> str:
    """A PDF's text with line breaks joined and no-break spaces read as spaces (as pypdf extracts them)."""
    import io
    import re

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[ \t]*\n[ \t]*", " ", text)


def as_extracted(text: str) -> str:
    """A formatted value as pdf_text reads it back (no-break spaces become spaces; narrow ones stay)."""
    return text.replace("\u00a0", " ")


def preview(qtbot, parent: QWidget):
    """The PDF preview a click opened under `parent` (built on a worker thread: waits for it)."""
    qtbot.waitUntil(lambda: bool(_previews(parent)), timeout=30_000)
    return _previews(parent)[-1]


def _previews(parent: QWidget) -> list:
    return [w for w in parent.findChildren(pdfview.PdfPreview) if w.isVisible()]
