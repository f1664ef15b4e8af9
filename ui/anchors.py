"""The auditor's "Check receipts…" dialog: hashes typed from members' receipts, vouchers and filings (or a
text file of them), each shown as matching the chain or not (coop.services.evidence)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coop.i18n import _
from coop.permissions import Actor
from ui import filedialogs, screen
from ui.ops import OPS


class CheckReceiptsDialog(QDialog):
    """Type or load `NUMBER:HASH` lines (at least 16 hex characters, as printed), then Check."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="check_receipts_dialog")
        self.actor = actor
        self.setWindowTitle(_("Check receipts against the chain"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _(
                    "One per line: the number printed on a receipt, voucher or filing, a colon, and the "
                    "hash printed on it (at least 16 characters), e.g. 2025/12:3fa1c09e5b7d2e48"
                ),
                wordWrap=True,
            )
        )
        self.text = QPlainTextEdit(self, objectName="anchors_text")
        layout.addWidget(self.text)
        self.table = QTableWidget(0, 3, self, objectName="anchors_table")
        self.table.setHorizontalHeaderLabels([_("Record"), _("Hash"), _("Result")])
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.summary = QLabel("", self, objectName="anchors_summary", wordWrap=True)
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.load_button = QPushButton(_("Load a file…"), self, objectName="anchors_load")
        self.check_button = QPushButton(_("Check"), self, objectName="anchors_check")
        buttons.addButton(self.load_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.load_button.clicked.connect(lambda: self.load_file())
        self.check_button.clicked.connect(lambda: self.check())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        screen.fit_on_first_show(self, QSize(640, 480))

    def load_file(self, path: str | None = None) -> None:
        """Add the lines of a text file of anchors (asked for when None)."""
        from coop.services import evidence

        if path is None:
            path = filedialogs.open_path(self, "anchors", _("Text files (*.txt)"), _("Load anchors"))
            if not path:
                return
        OPS.run(self, evidence.read_anchor_file, self.actor, path, success=self._loaded)

    def _loaded(self, text: str) -> None:
        current = self.text.toPlainText().rstrip()
        self.text.setPlainText((current + "\n" if current else "") + text)

    def check(self) -> None:
        """Check every line on a worker thread (the chain is walked too), then show each line's result."""
        from coop.services import evidence

        text = self.text.toPlainText()
        OPS.run_in_background(
            self,
            _("Checking the receipts…"),
            lambda progress, cancelled: evidence.check_anchors(self.actor, text),
            success=self.show_report,
        )

    def show_report(self, report) -> None:  # evidence.AnchorReport
        self.table.setRowCount(len(report.checks))
        for row, check in enumerate(report.checks):
            for col, value in enumerate((check.ref or check.line, check.prefix, check.message)):
                self.table.setItem(row, col, QTableWidgetItem(value))
        matched = sum(c.matches for c in report.checks)
        lines = [_("{matched} of {count} match the chain.").format(matched=matched, count=len(report.checks))]
        lines += report.chain_problems
        self.summary.setText("\n".join(lines))


def check_receipts(parent: QWidget, actor: Actor) -> CheckReceiptsDialog:
    dialog = CheckReceiptsDialog(actor, parent)
    dialog.open()
    return dialog
