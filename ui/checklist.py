"""A new cooperative's first page for its manager: what to do first (sites, buyers, the member register, staff
accounts, opening balances), each item opening its dialog or import and ticked from the data, dismissable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coop.changes import Changes
from coop.i18n import N_, _
from coop.permissions import Actor
from coop.services import session, setup
from ui.ops import OPS

if TYPE_CHECKING:
    from ui.mainwindow import MainWindow

AREA = "start"
LABEL = N_("Getting started")
DISMISSED_KEY = "checklist_dismissed"  # QSettings, per database file: the manager said "do not show again"
DONE, TODO = "☑", "☐"


@dataclass(frozen=True)
class Item:
    key: str
    text: str  # msgid
    done_text: str  # msgid, with {n}
    button: str  # msgid
    needs: str  # the action the button needs


ITEMS = (
    Item("sites", N_("Add your mine sites"), N_("Mine sites: {n}"), N_("Add a site…"), "sites.write"),
    Item("buyers", N_("Add the buyers you sell to"), N_("Buyers: {n}"), N_("Add a buyer…"), "buyers.write"),
    Item(
        "members",
        N_("Bring in your member register"),
        N_("Members: {n}"),
        N_("Import the member register…"),
        "members.write",
    ),
    Item(
        "accounts",
        N_("Create accounts for the treasurer and clerks"),
        N_("Other accounts: {n}"),
        N_("Add an account…"),
        "users.manage",
    ),
    Item(
        "opening",
        N_("Enter opening balances"),
        N_("Opening balances entered"),
        N_("Import opening balances…"),
        "books.opening",
    ),
)
SHOWS = ("sites", "buyers", "members", "users", "ledger", "books")


def _dismissed_key() -> str:
    return f"{DISMISSED_KEY}/{session.database_path()}"


def dismissed() -> bool:
    return QSettings().value(_dismissed_key(), False) in (True, "true", "1", 1)


def wanted(actor: Actor) -> bool:
    """The checklist is the manager's first page until sites, buyers, members and accounts exist (or it was
    dismissed)."""
    if not actor.can("settings.write") or dismissed():
        return False
    return not setup.progress(actor).started


def count_of(progress: setup.Progress, key: str) -> int:
    return {
        "sites": progress.sites,
        "buyers": progress.buyers,
        "members": progress.members,
        "accounts": progress.staff_accounts,
        "opening": int(progress.opening_balances),
    }[key]


class ChecklistPage(QWidget):
    """One row per item: a tick, what to do, the count so far and the button that does it."""

    def __init__(self, actor: Actor, window: MainWindow) -> None:
        super().__init__(window)
        self.actor, self.window_ = actor, window
        self.title = QLabel(self, objectName="checklist_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.intro = QLabel(self, wordWrap=True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.intro)
        self.rows: dict[str, tuple[QLabel, QLabel, QPushButton]] = {}
        grid = QGridLayout()
        grid.setColumnStretch(3, 1)  # the buttons stay beside their lines on a wide window
        grid.setHorizontalSpacing(12)
        lay.addLayout(grid)
        for line, item in enumerate(ITEMS):
            tick = QLabel(self, objectName=f"tick_{item.key}")
            text = QLabel(self, objectName=f"text_{item.key}", wordWrap=True)
            button = QPushButton(self, objectName=f"do_{item.key}")
            button.setEnabled(actor.can(item.needs))
            button.clicked.connect(lambda _c=False, key=item.key: self.act(key))
            big = tick.font()
            big.setPointSizeF(big.pointSizeF() * 1.4)
            tick.setFont(big)
            grid.addWidget(tick, line, 0)
            grid.addWidget(text, line, 1)
            grid.addWidget(button, line, 2)
            self.rows[item.key] = (tick, text, button)
        self.dismiss_button = QPushButton(self, objectName="dismiss")
        self.dismiss_button.clicked.connect(self.dismiss)
        end = QHBoxLayout()
        end.addStretch(1)
        end.addWidget(self.dismiss_button)
        lay.addStretch(1)
        lay.addLayout(end)
        OPS.changed.connect(self._on_changed)
        self.retranslate()

    def done(self, key: str) -> bool:
        return self.rows[key][0].text() == DONE

    def _on_changed(self, changes: Changes) -> None:
        if changes.affects(*SHOWS):
            self.refresh()

    def refresh(self) -> None:
        """Ticks from the data (a site deleted again is unticked again)."""
        progress = setup.progress(self.actor)
        for item in ITEMS:
            tick, text, _button = self.rows[item.key]
            n = count_of(progress, item.key)
            tick.setText(DONE if n else TODO)
            line = _(item.text)
            if n:
                line += " — " + _(item.done_text).format(n=n)
            text.setText(line)

    def retranslate(self) -> None:
        self.title.setText(_(LABEL))
        self.intro.setText(
            _(
                "A new cooperative: start with these steps, in any order. Each is ticked once it is done; "
                "you can also do them later from the pages on the left."
            )
        )
        for item in ITEMS:
            self.rows[item.key][2].setText(_(item.button))
        self.dismiss_button.setText(_("Do not show this checklist again"))
        self.refresh()

    # --- the actions ---------------------------------------------------------------------------------
    def act(self, key: str) -> None:
        actions: dict[str, Callable[[], None]] = {
            "sites": lambda: self._dialog("site"),
            "buyers": lambda: self._dialog("buyer"),
            "members": lambda: self.window_.import_csv("members"),
            "accounts": self._account,
            "opening": self._opening,
        }
        actions[key]()

    def _dialog(self, kind: str) -> None:
        from ui import dialogs

        self.dialog = dialogs.simple_dialog(kind, self.actor, None, self)
        self.dialog.open()

    def _account(self) -> None:
        from ui import dialogs

        self.dialog = dialogs.user_dialog(self.actor, self)
        self.dialog.open()

    def _opening(self) -> None:
        from coop.services.books import opening

        path, _f = QFileDialog.getOpenFileName(self, _("Import opening balances"), "", "CSV (*.csv)")
        if path:
            OPS.run(self, opening.enter_csv, self.actor, path)

    def dismiss(self) -> None:
        """Not shown again for this file; the page leaves the navigation now."""
        QSettings().setValue(_dismissed_key(), True)
        window = self.window_
        if AREA in window.areas:
            row = window.areas.index(AREA)
            window.areas.pop(row)
            window.nav.takeItem(row)
            window.nav.setCurrentRow(0)
