"""The import dialog: choose a CSV or .xlsx file (and its sheet), or save a template to fill in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coop.errors import CoopError
from coop.i18n import N_, _
from coop.permissions import Actor
from coop.services import sheets
from ui import filedialogs, msgbox

# coop.services.imports_more and .templates load the models: imported where used, so that the window can
# paint before the services load (tests/ui/test_startup.py)

# The menu entry of each kind, in the order of the File menu
MENU_LABELS = {
    "members": N_("Import members…"),
    "lots": N_("Import production lots…"),
    "sales": N_("Import sales…"),
    "sites": N_("Import mine sites…"),
    "buyers": N_("Import buyers…"),
    "minerals": N_("Import minerals…"),
    "tax-rules": N_("Import tax rules…"),
    "payouts": N_("Import payouts…"),
    "tax-payments": N_("Import tax payments…"),
    "entries": N_("Import expenses, income and transfers…"),
}
KINDS = tuple(MENU_LABELS)
# the file-name stem of a kind's template (ui/filedialogs.py STEMS translates it)
STEMS = {"tax-rules": "tax_rules", "tax-payments": "tax_payments"}


def menu_label(kind: str) -> str:
    return _(MENU_LABELS[kind])


def allowed(actor: Actor, kind: str) -> bool:
    from coop.services import imports_more

    return actor.can("data.import") and actor.can(imports_more.WRITES[kind])


class ImportDialog(QDialog):
    """Calls `start(path, sheet)` when the user presses Import; the import itself runs in the window."""

    def __init__(self, kind: str, start: Callable[[str, str | None], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.kind, self.start = kind, start
        self.setObjectName("import_dialog")
        self.setWindowTitle(menu_label(kind).rstrip("…").rstrip("."))
        intro = QLabel(
            _(
                "A CSV file (UTF-8, Windows-1252 or UTF-16; separated by commas, semicolons or tabs) or an "
                "Excel workbook (.xlsx). The first row holds the column names, in English or in any language "
                "of CoopLedger. Every row is imported, or none: each problem is listed with its row and column."
            )
        )
        intro.setWordWrap(True)
        self.path = QLineEdit(readOnly=True, objectName="import_path")
        self.choose_button = QPushButton(_("Choose a file…"), objectName="choose_file")
        self.choose_button.clicked.connect(lambda: self.choose())
        line = QHBoxLayout()
        line.addWidget(self.path, 1)
        line.addWidget(self.choose_button)
        self.sheet = QComboBox(objectName="import_sheet")
        self.sheet_label = QLabel(_("Sheet:"))
        form = QFormLayout()
        form.addRow(_("File:"), line)
        form.addRow(self.sheet_label, self.sheet)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.template_button = self.buttons.addButton(
            _("Save a template…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.template_button.setObjectName("save_template")
        self.template_button.clicked.connect(lambda: self.save_template())
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("start_import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._show_sheets([])
        self.setMinimumWidth(520)

    def _show_sheets(self, names: list[str]) -> None:
        """The sheet chooser, shown only for a workbook of several sheets."""
        self.sheet.clear()
        self.sheet.addItems(names)
        several = len(names) > 1
        self.sheet.setVisible(several)
        self.sheet_label.setVisible(several)
        self.import_button.setEnabled(bool(self.path.text()))

    def choose(self, path: str | None = None) -> None:
        if path is None:
            path = filedialogs.open_path(
                self,
                "import",
                # Qt's ";;" between filters stays out of the messages (French puts a space before ";")
                ";;".join((_("CSV files or Excel workbooks (*.csv *.txt *.xlsx)"), _("All files (*)"))),
                _("Choose the file to import"),
            )
            if not path:
                return
        self.path.setText(path)
        names: list[str] = []
        if _is_workbook(path):
            try:
                names = sheets.sheet_names(path)
            except CoopError:
                names = []  # the import names what is wrong with the file, with its row and column
        self._show_sheets(names)

    def chosen_sheet(self) -> str | None:
        return self.sheet.currentText() if self.sheet.isVisible() and self.sheet.count() > 1 else None

    def save_template(self, path: str | None = None) -> str:
        """Save the kind's template where the user says (.xlsx unless they name a .csv); returns the path."""
        if path is None:
            stem = filedialogs.translated_name(STEMS.get(self.kind, self.kind))
            path = filedialogs.save_path(
                self,
                "template",
                _("{name}-template.xlsx").format(name=stem),
                ";;".join((_("Excel workbook (*.xlsx)"), _("CSV file (*.csv)"))),
                _("Save a template"),
            )
            if not path:
                return ""
        if Path(path).suffix.lower() not in (".xlsx", ".csv"):
            path += ".xlsx"
        from coop.services import templates

        try:
            saved = templates.save_template(self.kind, path)
        except CoopError as exc:
            msgbox.warning(self, _("The template was not saved"), exc.message())
            return ""
        filedialogs.confirm_saved(self, saved)
        return str(saved)

    def accept(self) -> None:
        if not self.path.text():
            return
        path, sheet = self.path.text(), self.chosen_sheet()
        super().accept()
        self.start(path, sheet)


def _is_workbook(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == sheets.XLSX_MAGIC
    except OSError:
        return False


def ask(parent: QWidget, kind: str, start: Callable[[str, str | None], None]) -> ImportDialog:
    """Open the dialog without blocking (tests and the click-through answer it like any window)."""
    dialog = ImportDialog(kind, start, parent)
    dialog.open()
    return dialog
