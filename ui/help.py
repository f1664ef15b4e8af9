"""The Help menu: About (version, licences, the database file, the log file) and the user guide shipped
with the application (docs/guide/<language>.md shown in a text browser)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from coop import i18n
from coop.i18n import _
from ui import msgbox
from ui.screen import fit_on_first_show


def version() -> str:
    """The installed package's version, else the source tree's (a bundle carries no package metadata)."""
    from importlib import metadata

    try:
        return metadata.version("coopledger")
    except metadata.PackageNotFoundError:
        import coop

        return coop.__version__


def about_text() -> str:
    import PySide6
    from PySide6.QtCore import qVersion

    from coop.services import session
    from ui import logs

    lines = [
        _("CoopLedger {version}").format(version=version()),
        _("Books, receipts and reports for mining cooperatives."),
        _("Licence: GNU General Public License, version 3 or later (GPL-3.0-or-later)."),
        _(
            "Uses Qt {qt} through PySide6 {pyside}, under the GNU Lesser General Public License (LGPL) "
            "version 3; you may replace these libraries with your own build of them."
        ).format(qt=qVersion(), pyside=PySide6.__version__),
        _("Python {python}").format(python=sys.version.split()[0]),
        _("Database: {path}").format(path=session.database_path() or "—"),
        _("Log file: {path}").format(path=logs.log_path() or "—"),
    ]
    return "\n".join(lines)


def about(parent: QWidget | None) -> None:
    msgbox.information(parent, _("About CoopLedger"), about_text())


def guide_folders() -> list[Path]:
    """Where docs/guide/ ends up: the bundle (docs/guide), the source tree, or a pip install (share/)."""
    root = Path(__file__).resolve().parent.parent
    bundle = Path(getattr(sys, "_MEIPASS", root))
    return [
        bundle / "docs" / "guide",
        root / "docs" / "guide",
        Path(sys.prefix) / "share" / "coopledger" / "guide",
    ]


def guide_file(lang: str) -> Path | None:
    """The guide in `lang` (else in English)."""
    for code in (lang.split("_")[0], "en"):
        for folder in guide_folders():
            if (folder / f"{code}.md").is_file():
                return folder / f"{code}.md"
    return None


class GuideDialog(QDialog):
    """The short user guide in the interface's language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guide")
        self.setWindowTitle(_("User guide"))
        self.browser = QTextBrowser(self, objectName="guide_text")
        self.browser.setOpenExternalLinks(False)
        path = guide_file(i18n.current_language())
        if path is None:
            self.browser.setPlainText(_("The user guide is not installed in this build."))
        else:
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser, 1)
        lay.addWidget(buttons)
        self.resize(700, 640)
        fit_on_first_show(self)


def show_guide(parent: QWidget | None) -> GuideDialog:
    dialog = GuideDialog(parent)
    dialog.open()
    return dialog
