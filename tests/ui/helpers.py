"""Helpers of the UI tests: typing (qtbot.keyClicks aborts on lowercase non-ASCII letters, so type those per
char), showing a dialog, and main windows opened on a database file and closed after the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from coop.permissions import Actor
from ui.app import apply_language
from ui.session import Session


def type_text(widget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def shown(qtbot, dlg):
    """The dialog shown on screen (and closed with the test)."""
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


@contextmanager
def main_windows(qapp, qtbot, answers: Any) -> Iterator[Callable[[Path, Callable[[], Actor], str], Any]]:
    """`open(path, sign_in, lang)`: a main window on that file for the actor `sign_in()` gives (called once the
    session has opened the file), its dialogs answered by `answers`; every session ends afterwards."""
    sessions: list[Session] = []

    def open_window(path: Path, sign_in: Callable[[], Actor], lang: str):
        session = Session(qapp, path, lang)
        sessions.append(session)
        window = session.start(sign_in())
        qtbot.addWidget(window)
        window.answers = answers
        return window

    yield open_window
    for session in sessions:
        session.end()
    apply_language(qapp, "en")
