"""Message boxes opened non-blocking with open(); tests switch them off (qutebrowser misc/msgbox.py style)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

SUPPRESS = False  # tests set this: boxes are recorded in SHOWN instead of displayed
SHOWN: list[tuple[str, str]] = []


def msgbox(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
    details: str = "",
) -> QMessageBox | None:
    """Show a message box without blocking; returns it (None when suppressed)."""
    SHOWN.append((title, text))
    if SUPPRESS:
        return None
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def information(parent: QWidget | None, title: str, text: str) -> QMessageBox | None:
    return msgbox(parent, title, text)


def warning(parent: QWidget | None, title: str, text: str, details: str = "") -> QMessageBox | None:
    return msgbox(parent, title, text, QMessageBox.Icon.Warning, details)
