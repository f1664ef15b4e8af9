"""The auditor's page: the cooperative's position, the Verify button, the journal and the audit log."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coop.changes import Changes
from coop.i18n import N_, _, ngettext
from coop.permissions import Actor
from coop.services import ledger
from ui import fmt, msgbox
from ui.listview import ListPage
from ui.ops import OPS

# the figures of the position panel: (Position field, label)
FIGURES: tuple[tuple[str, str], ...] = (
    ("cash", N_("Cash")),
    ("mobile_money", N_("Mobile money")),
    ("bank", N_("Bank")),
    ("members_payable", N_("Owed to members")),
    ("tax_payable", N_("Tax payable")),
    ("levy_income", N_("Levy income")),
)


def verify(parent: QWidget, actor: Actor) -> None:
    """Verify the books (database, ledger balance, tamper-evidence chain) on a worker thread; say the outcome."""
    from coop.services import session

    def done(report) -> None:
        if report.ok:
            msgbox.information(
                parent,
                _("Verification"),
                _("OK: {n} records verified; chain head {head}.").format(
                    n=fmt.cell("int", report.links, {}), head=report.head[:16]
                ),
            )
            return
        problems = "\n".join(p.message() for p in report.problems)
        msgbox.warning(
            parent,
            _("Verification"),
            ngettext(
                "The verification found {count} problem:",
                "The verification found {count} problems:",
                len(report.problems),
            ).format(count=len(report.problems))
            + "\n"
            + problems,
        )

    OPS.run_in_background(
        parent, _("Verifying the books…"), lambda progress, cancelled: session.verify(actor), success=done
    )


class PositionPanel(QGroupBox):
    """Cash, mobile money, bank, owed to members, tax payable, levy income; refreshed when the ledger changes."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("position")
        self.actor = actor
        self.names: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        form = QFormLayout(self)
        for key, _label in FIGURES:
            self.names[key] = QLabel(self)
            self.values[key] = QLabel(self, objectName=f"position_{key}")
            form.addRow(self.names[key], self.values[key])
        OPS.changed.connect(self._on_changed)
        self.retranslate()

    def _on_changed(self, changes: Changes) -> None:
        if changes.affects("ledger", "settings"):
            self.refresh()

    def refresh(self) -> None:
        figures = ledger.position(self.actor)
        for key, _label in FIGURES:
            self.values[key].setText(fmt.money_text(getattr(figures, key)))

    def retranslate(self) -> None:
        self.setTitle(_("Position of the cooperative"))
        for key, label in FIGURES:
            self.names[key].setText(_(label))
        self.refresh()


class LedgerPage(QWidget):
    """Position, Verify, and the journal / audit-log lists (paged like every list)."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.position = PositionPanel(actor, self)
        self.verify_button = QPushButton(self, objectName="verify_button")
        self.verify_button.clicked.connect(lambda: verify(self, self.actor))
        self.verify_button.setEnabled(actor.can("ledger.verify"))
        side = QVBoxLayout()
        side.addWidget(self.verify_button)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.position, 1)
        top.addLayout(side)
        self.tabs = QTabWidget(self, objectName="ledger_tabs")
        self.journal = ListPage(actor, "journal", self)
        self.audit_log = ListPage(actor, "audit_log", self)
        self.tabs.addTab(self.journal, "")
        self.tabs.addTab(self.audit_log, "")
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.tabs, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.verify_button.setText(_("Verify the books…"))
        self.tabs.setTabText(0, _("Journal"))
        self.tabs.setTabText(1, _("Audit log"))
        self.position.retranslate()
        self.journal.retranslate()
        self.audit_log.retranslate()
