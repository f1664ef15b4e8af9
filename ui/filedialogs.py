"""Save and open dialogs: start in Documents, then in the folder last used for that kind of file; default
names in the user's language with the date; a "Saved to …" confirmation after a save."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget

from coop.i18n import _, pgettext
from ui import msgbox

# How long the status bar shows the confirmation (ms): long enough to read a path.
CONFIRM_MS = 10_000

# What a default file name starts with, per stem the code uses (lists, report kinds, backups): the user sees
# it in their language. Looked up at call time so a language switch applies at once.
STEMS = {
    "members": lambda: pgettext("file name", "members"),
    "sites": lambda: pgettext("file name", "sites"),
    "lots": lambda: pgettext("file name", "lots"),
    "sales": lambda: pgettext("file name", "sales"),
    "my_sales": lambda: pgettext("file name", "sales"),
    "payouts": lambda: pgettext("file name", "payouts"),
    "tax_payments": lambda: pgettext("file name", "tax-payments"),
    "incidents": lambda: pgettext("file name", "incidents"),
    "mercury": lambda: pgettext("file name", "mercury"),
    "minerals": lambda: pgettext("file name", "minerals"),
    "buyers": lambda: pgettext("file name", "buyers"),
    "tax_rules": lambda: pgettext("file name", "tax-rules"),
    "users": lambda: pgettext("file name", "users"),
    "journal": lambda: pgettext("file name", "journal"),
    "audit_log": lambda: pgettext("file name", "audit-log"),
    "receipt": lambda: pgettext("file name", "receipt"),
    "voucher": lambda: pgettext("file name", "voucher"),
    "statement": lambda: pgettext("file name", "statement"),
    "statements": lambda: pgettext("file name", "statements"),
    "tax-filing": lambda: pgettext("file name", "tax-filing"),
    "production": lambda: pgettext("file name", "production"),
    "safety": lambda: pgettext("file name", "safety"),
    "census": lambda: pgettext("file name", "member-register"),
    "custody": lambda: pgettext("file name", "chain-of-custody"),
    "annual": lambda: pgettext("file name", "annual-report"),
    "anchor_slip": lambda: pgettext("file name", "anchor-slip"),
    "backup": lambda: pgettext("file name", "backup"),
    "opening-balances": lambda: pgettext("file name", "opening-balances"),
}


def settings_key(kind: str) -> str:
    return f"dialogs/{kind}"


def documents_folder() -> Path:
    """The user's Documents folder (the home folder where the system has none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def start_folder(kind: str) -> Path:
    """Where a dialog for this kind of file opens: the folder last used for it while it still exists."""
    last = QSettings().value(settings_key(kind))
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    return documents_folder()


def remember(kind: str, path: str) -> None:
    QSettings().setValue(settings_key(kind), str(Path(path).parent))


def translated_name(filename: str) -> str:
    """A file name whose leading stem ("receipt-2026-4.pdf", "members.csv") is put in the user's language."""
    stem, dot, ext = filename.rpartition(".") if "." in filename else (filename, "", "")
    head, dash, rest = stem.partition("-")
    for key in (stem, head):  # "tax-filing" is a stem of its own, "receipt-2026-4" one with a tail
        if key in STEMS:
            tail = stem[len(key) :]
            return f"{STEMS[key]()}{tail}{dot}{ext}"
    return filename


def dated_name(stem: str, ext: str, day: date | None = None) -> str:
    """A default name: the translated stem and the day, e.g. "membres-2026-12-01.csv" in French (ISO dates
    sort by name in a folder listing)."""
    return f"{translated_name(stem)}-{(day or date.today()).isoformat()}.{ext}"


def save_path(
    parent: QWidget | None, kind: str, default_name: str, filters: str = "", title: str = ""
) -> str:
    """Ask where to save; "" when cancelled. The folder chosen is remembered for this kind."""
    suggested = start_folder(kind) / Path(default_name).name
    path, _f = QFileDialog.getSaveFileName(parent, title or _("Save as"), str(suggested), filters)
    if path:
        remember(kind, path)
    return path


def open_path(
    parent: QWidget | None, kind: str, filters: str, title: str = "", folder: Path | None = None
) -> str:
    """Ask for a file to open; "" when cancelled. `folder` overrides the start folder (backups live beside
    the database, not in Documents); the folder chosen is remembered for this kind."""
    start = (
        folder if folder is not None and QSettings().value(settings_key(kind)) is None else start_folder(kind)
    )
    path, _f = QFileDialog.getOpenFileName(parent, title or _("Open"), str(start), filters)
    if path:
        remember(kind, path)
    return path


def main_window(widget: QWidget | None) -> QMainWindow | None:
    while widget is not None:
        if isinstance(widget, QMainWindow):
            return widget
        widget = widget.parentWidget()
    return None


def confirm_saved(parent: QWidget | None, path: str | Path) -> str:
    """Tell the user where the file went: in the main window's status bar, or a message box without one."""
    text = _("Saved to {path}.").format(path=str(path))
    window = main_window(parent)
    if window is not None:
        window.statusBar().showMessage(text, CONFIRM_MS)
    else:
        msgbox.information(parent, _("Saved"), text)
    return text
