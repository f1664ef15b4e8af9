"""Main window: navigation list of the areas the role may see, lazily built pages, language menu, QSettings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from coop import i18n
from coop.errors import CoopError
from coop.i18n import N_, _, ngettext
from coop.permissions import ROLE_LABELS, Actor
from coop.services import settings
from ui import filedialogs, fmt, importdialog, msgbox, pages
from ui.listview import ListPage
from ui.screen import fit_to_screen

if TYPE_CHECKING:
    from ui.session import Session

# area key, label, visible when the actor can any of these actions
AREAS: list[tuple[str, str, tuple[str, ...]]] = [
    ("dashboard", N_("Dashboard"), ("read.all",)),
    ("members", N_("Members"), ("read.all", "read.own")),
    ("sites", N_("Sites"), ("read.all",)),
    ("lots", N_("Production lots"), ("read.all", "read.own")),
    ("sales", N_("Sales"), ("read.all", "read.own")),
    ("payouts", N_("Payouts"), ("read.all", "read.own")),
    ("taxes", N_("Taxes"), ("read.all",)),
    ("books", N_("Books"), ("books.post", "reports.read")),  # treasurer, manager; the auditor reads
    ("incidents", N_("Incidents"), ("read.all",)),
    ("mercury", N_("Mercury"), ("read.all",)),
    ("reports", N_("Reports"), ("reports.read",)),
    ("ledger", N_("Ledger and audit"), ("ledger.verify",)),
    ("settings", N_("Settings"), ("read.all",)),
]
MEMBER_LABELS = {"members": N_("My account")}
# Not in AREAS: a new cooperative's checklist, first for its manager while it is wanted (ui/checklist.py).
START_AREA = ("start", N_("Getting started"), ("settings.write",))


def visible_areas(actor: Actor) -> list[str]:
    """The areas this role may open (the rules are the core's permission matrix)."""
    return [key for key, _label, needs in AREAS if any(actor.can(a) for a in needs)]


class MainWindow(QMainWindow):
    language_changed = Signal(str)

    def __init__(self, actor: Actor, parent: QWidget | None = None, session: Session | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.session = session  # sign out, lock, other files (ui/session.py); None: those actions are off
        self.setObjectName("main")
        self.nav = QListWidget(self, objectName="nav")
        self.nav.setMaximumWidth(220)
        self.nav.setSpacing(3)
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.nav.setFont(font)
        self.stack = QStackedWidget(self)
        self.pages: dict[str, QWidget] = {}
        self.areas = visible_areas(actor)
        from ui import checklist

        if checklist.wanted(actor):  # sites, buyers, members or accounts still missing
            self.areas.insert(0, checklist.AREA)
        for key in self.areas:
            item = QListWidgetItem(self.nav)
            item.setData(Qt.ItemDataRole.UserRole, key)
        splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        # the navigation takes its own width (at most 220 px) and the page all the rest: without sizes the
        # splitter halves the room and leaves a blank strip beside the capped list
        splitter.setSizes([self.nav.maximumWidth(), 10_000])
        self.setCentralWidget(splitter)
        self.user_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.user_label)
        self._menus()
        self.nav.currentRowChanged.connect(self._show_row)
        self.retranslate()
        self._restore()

    # --- pages -----------------------------------------------------------------------------------
    def _factory(self, key: str) -> Callable[[], QWidget]:
        a = self.actor
        return {
            "dashboard": lambda: __import__("ui.dashboard", fromlist=["DashboardPage"]).DashboardPage(
                a, self
            ),
            "members": lambda: pages.members_page(a, self),
            "sites": lambda: pages.simple_page("site", "sites", "sites.write", a, self),
            "lots": lambda: pages.lots_page(a, self),
            "sales": lambda: pages.sales_page(a, self),
            "payouts": lambda: pages.payouts_page(a, self),
            "taxes": lambda: pages.taxes_page(a, self),
            "books": lambda: __import__("ui.books", fromlist=["BooksPage"]).BooksPage(a, self),
            "incidents": lambda: pages.incidents_page(a, self),
            "mercury": lambda: pages.mercury_page(a, self),
            "reports": lambda: pages.ReportsPage(a, self),
            "ledger": lambda: __import__("ui.journal", fromlist=["LedgerPage"]).LedgerPage(a, self),
            "settings": lambda: pages.SettingsPage(a, self),
            "start": lambda: __import__("ui.checklist", fromlist=["ChecklistPage"]).ChecklistPage(a, self),
        }[key]

    def page(self, key: str) -> QWidget:
        """The page of an area, built on first use."""
        if key not in self.pages:
            widget = self._factory(key)()
            widget.setObjectName(f"page_{key}")
            if key in self.import_actions and isinstance(widget, ListPage):
                widget.offer_import(self.import_actions[key])  # an empty list offers its import
            self.pages[key] = widget
            self.stack.addWidget(widget)
        return self.pages[key]

    def show_area(self, key: str) -> QWidget:
        self.nav.setCurrentRow(self.areas.index(key))
        return self.pages[key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = self.areas[row]
        self.stack.setCurrentWidget(self.page(key))
        QSettings().setValue(self._last_view_key(), key)

    def _last_view_key(self) -> str:
        """The last page is remembered per user: on a shared laptop the next user never lands on it."""
        return f"last_view/{self.actor.username}"

    # --- menus and language ------------------------------------------------------------------------
    def _menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.backup_action = QAction(self, triggered=lambda: self.backup())  # not triggered(bool) as the path
        self.backup_action.setEnabled(self.actor.can("backup"))
        self.quit_action = QAction(self, triggered=self.close)
        self.quit_action.setShortcut("Ctrl+Q")
        self.import_actions: dict[str, QAction] = {}
        for kind in importdialog.KINDS:
            act = QAction(self, triggered=lambda _c=False, k=kind: self.import_csv(k))
            act.setEnabled(importdialog.allowed(self.actor, kind))
            self.import_actions[kind] = act
            self.file_menu.addAction(act)
        self.file_menu.addAction(self.backup_action)
        self._session_menus()
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.lang_menu = self.menuBar().addMenu("")
        group = QActionGroup(self)
        self.lang_actions: dict[str, QAction] = {}
        for code, name in i18n.LANGUAGES.items():
            act = QAction(name, self, checkable=True)
            act.setData(code)
            act.setChecked(code == i18n.current_language())
            act.triggered.connect(lambda _c=False, code=code: self.language_changed.emit(code))
            group.addAction(act)
            self.lang_menu.addAction(act)
            self.lang_actions[code] = act
        self._help_menu()

    def _action(self, name: str, slot: Callable[[], object], enabled: bool = True) -> QAction:
        act = QAction(self, objectName=name)
        act.triggered.connect(lambda _checked=False: slot())  # not triggered(bool) as an argument
        act.setEnabled(enabled)
        return act

    def _session_menus(self) -> None:
        """File: other databases, restore, sign out, lock; Tools: verify (ui/session.py, ui/journal.py)."""
        has = self.session is not None
        self.restore_action = self._action(
            "action_restore", lambda: self.restore_backup(), has and self.actor.can("users.manage")
        )
        self.file_menu.addAction(self.restore_action)
        self.file_menu.addSeparator()
        self.open_action = self._action("action_open_database", lambda: self.open_database(), has)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.file_menu.addAction(self.open_action)
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.setObjectName("menu_recent")
        self.recent_menu.setEnabled(has)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.file_menu.addSeparator()
        self.lock_action = self._action("action_lock", lambda: self.session and self.session.lock(), has)
        self.lock_action.setShortcut("Ctrl+L")
        self.idle_action = self._action("action_idle_lock", lambda: self.set_idle_minutes(), has)
        self.sign_out_action = self._action(
            "action_sign_out", lambda: self.session and self.session.sign_out(), has
        )
        for act in (self.lock_action, self.idle_action, self.sign_out_action):
            self.file_menu.addAction(act)
        self.tools_menu = self.menuBar().addMenu("")
        self.tools_menu.setObjectName("menu_tools")
        self.verify_action = self._action(
            "action_verify", lambda: self._verify(), self.actor.can("ledger.verify")
        )
        self.tools_menu.addAction(self.verify_action)
        self.check_receipts_action = self._action(
            "action_check_receipts", lambda: self._check_receipts(), self.actor.can("ledger.verify")
        )
        self.tools_menu.addAction(self.check_receipts_action)

    def _help_menu(self) -> None:
        from ui import help

        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.setObjectName("menu_help")
        self.guide_action = self._action("action_guide", lambda: help.show_guide(self))
        self.guide_action.setShortcut(QKeySequence(Qt.Key.Key_F1))  # F1 on every platform the app ships for
        self.addAction(self.guide_action)  # the shortcut works wherever the focus is in the window
        self.about_action = self._action("action_about", lambda: help.about(self))
        self.help_menu.addAction(self.guide_action)
        self.help_menu.addAction(self.about_action)

    def _fill_recent(self) -> None:
        from ui.session import recent_databases

        self.recent_menu.clear()
        for path in recent_databases():
            act = self.recent_menu.addAction(path)
            act.setObjectName("action_recent")
            act.triggered.connect(lambda _checked=False, p=path: self.open_database(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction(_("No recent files")).setEnabled(False)

    def _verify(self) -> None:
        from ui.journal import verify

        verify(self, self.actor)

    def _check_receipts(self) -> None:
        from ui.anchors import check_receipts

        check_receipts(self, self.actor)

    def open_database(self, path: str | None = None) -> None:
        """Open another database file (asked for when None): back to the sign-in window for that file."""
        if self.session is None:
            return
        if path is None:
            path = filedialogs.open_path(
                self,
                "database",
                _("CoopLedger database (*.sqlite)"),
                _("Open a database"),
                self.session.path.parent,
            )
            if not path:
                return
        self.session.open_database(path)

    def restore_backup(self, path: str | None = None) -> None:
        """Replace the database by a verified backup (asked for when None); then everyone signs in again."""
        if self.session is None:
            return
        if path is None:
            from coop import backups

            path = filedialogs.open_path(
                self,
                "restore",
                _("CoopLedger database (*.sqlite)"),
                _("Restore a backup"),
                backups.backup_dir(self.session.path),
            )
            if not path:
                return
        self.session.restore(path)

    def set_idle_minutes(self, minutes: int | None = None) -> None:
        """The automatic lock's idle time, in minutes (asked for when None; 0 = never)."""
        from ui.session import IDLE_KEY, idle_minutes

        if minutes is None:
            minutes, ok = QInputDialog.getInt(
                self,
                _("Automatic lock"),
                _("Lock the window after this many minutes without use (0 = never):"),
                idle_minutes(),
                0,
                240,
            )
            if not ok:
                return
        QSettings().setValue(IDLE_KEY, int(minutes))
        if self.session is not None and not self.session.locked:
            self.session.idle.start()

    def retranslate(self) -> None:
        name = settings.get().name
        self.setWindowTitle(f"{name} — CoopLedger" if name else "CoopLedger")
        for row, key in enumerate(self.areas):
            label = MEMBER_LABELS.get(key) if self.actor.member_id is not None else None
            self.nav.item(row).setText(_(label or dict((k, t) for k, t, _n in [*AREAS, START_AREA])[key]))
        self.file_menu.setTitle(_("&File"))
        self.backup_action.setText(_("Back up the database…"))
        for kind, act in self.import_actions.items():
            act.setText(importdialog.menu_label(kind))
        self.quit_action.setText(_("Quit"))
        self.restore_action.setText(_("Restore a backup…"))
        self.open_action.setText(_("Open another database…"))
        self.recent_menu.setTitle(_("Open recent"))
        self.lock_action.setText(_("Lock now"))
        self.idle_action.setText(_("Automatic lock…"))
        self.sign_out_action.setText(_("Sign out / switch user"))
        self.tools_menu.setTitle(_("&Tools"))
        self.verify_action.setText(_("Verify the books…"))
        self.check_receipts_action.setText(_("Check receipts…"))
        self.help_menu.setTitle(_("&Help"))
        self.guide_action.setText(_("User guide"))
        self.about_action.setText(_("About CoopLedger"))
        self.lang_menu.setTitle(_("&Language"))
        for code, act in self.lang_actions.items():
            act.setChecked(code == i18n.current_language())
        self.user_label.setText(
            _("Signed in as {user} ({role})").format(
                user=self.actor.username, role=_(ROLE_LABELS[self.actor.role])
            )
        )
        for page in self.pages.values():
            retranslate = getattr(page, "retranslate", None)
            if retranslate:
                retranslate()

    # --- long work ----------------------------------------------------------------------------
    def backup(self, dest: str | None = None) -> None:
        """Back the database up to `dest` (asked for when None) on a worker thread."""
        from coop.services import backup
        from ui.ops import OPS

        if dest is None:
            dest = filedialogs.save_path(
                self,
                "backup",
                filedialogs.dated_name("backup", "sqlite"),
                _("CoopLedger database (*.sqlite)"),
                _("Back up the database"),
            )
            if not dest:
                return

        def not_made(exc: CoopError) -> bool:
            msgbox.warning(self, _("The backup was not made"), exc.message())
            return True

        OPS.run_in_background(
            self,
            _("Backing up…"),
            lambda progress, cancelled: backup.back_up(self.actor, dest),
            success=lambda written: self._backed_up(written),
            failure=not_made,
        )

    def _backed_up(self, written) -> None:
        filedialogs.confirm_saved(self, written)
        msgbox.information(self, _("Backup"), _("The backup was written to {path}.").format(path=written))

    def import_csv(self, kind: str, path: str | None = None, sheet: str | None = None) -> None:
        """Import a CSV or .xlsx on a worker thread; every problem is listed (the import is all or nothing).
        Without a path, the import dialog asks for the file (and sheet) or saves a template."""
        from coop.services import imports
        from ui.ops import OPS

        if path is None:
            self.import_dialog = importdialog.ask(self, kind, lambda p, s: self.import_csv(kind, p, s))
            return

        def done(result: imports.ImportResult) -> None:
            msgbox.information(
                self,
                _("Import"),
                ngettext("{count} row imported.", "{count} rows imported.", result.rows).format(
                    count=fmt.cell("int", result.rows, {})
                ),
            )

        def job(progress, cancelled):
            return imports.IMPORTERS[kind](self.actor, path, imports.Watch(progress, cancelled), sheet=sheet)

        from ui.dialogs import import_refused

        OPS.run_in_background(
            self, _("Importing…"), job, success=done, failure=lambda exc: import_refused(self, exc)
        )

    # --- geometry -------------------------------------------------------------------------------
    def _restore(self) -> None:
        s = QSettings()
        geometry = s.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            fit_to_screen(self, self.size(), centre=False)  # saved on a bigger screen than this one
        else:
            fit_to_screen(self, QSize(1280, 800))
        last = s.value(self._last_view_key())
        key = last if last in self.areas and self.areas[0] != "start" else self.areas[0]
        self.nav.setCurrentRow(self.areas.index(key))

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("geometry", self.saveGeometry())
        super().closeEvent(event)
