"""Main window: navigation list of the areas the role may see, lazily built pages, language menu, QSettings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
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
from ui import fmt, msgbox, pages
from ui.screen import fit_to_screen

# area key, label, visible when the actor can any of these actions
AREAS: list[tuple[str, str, tuple[str, ...]]] = [
    ("dashboard", N_("Dashboard"), ("read.all",)),
    ("members", N_("Members"), ("read.all", "read.own")),
    ("sites", N_("Sites"), ("read.all",)),
    ("lots", N_("Production lots"), ("read.all", "read.own")),
    ("sales", N_("Sales"), ("read.all", "read.own")),
    ("payouts", N_("Payouts"), ("read.all", "read.own")),
    ("taxes", N_("Taxes"), ("read.all",)),
    ("incidents", N_("Incidents"), ("read.all",)),
    ("mercury", N_("Mercury"), ("read.all",)),
    ("reports", N_("Reports"), ("reports.read",)),
    ("settings", N_("Settings"), ("read.all",)),
]
MEMBER_LABELS = {"members": N_("My account")}


def visible_areas(actor: Actor) -> list[str]:
    """The areas this role may open (the rules are the core's permission matrix)."""
    return [key for key, _label, needs in AREAS if any(actor.can(a) for a in needs)]


class MainWindow(QMainWindow):
    language_changed = Signal(str)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
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
        for key in self.areas:
            item = QListWidgetItem(self.nav)
            item.setData(Qt.ItemDataRole.UserRole, key)
        splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
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
            "incidents": lambda: pages.incidents_page(a, self),
            "mercury": lambda: pages.mercury_page(a, self),
            "reports": lambda: pages.ReportsPage(a, self),
            "settings": lambda: pages.SettingsPage(a, self),
        }[key]

    def page(self, key: str) -> QWidget:
        """The page of an area, built on first use."""
        if key not in self.pages:
            widget = self._factory(key)()
            widget.setObjectName(f"page_{key}")
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
        QSettings().setValue("last_view", key)

    # --- menus and language ------------------------------------------------------------------------
    def _menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.backup_action = QAction(self, triggered=lambda: self.backup())  # not triggered(bool) as the path
        self.backup_action.setEnabled(self.actor.can("backup"))
        self.quit_action = QAction(self, triggered=self.close)
        self.quit_action.setShortcut("Ctrl+Q")
        self.import_actions: dict[str, QAction] = {}
        for kind in ("members", "lots", "sales"):
            act = QAction(self, triggered=lambda _c=False, k=kind: self.import_csv(k))
            act.setEnabled(self.actor.can("data.import"))
            self.import_actions[kind] = act
            self.file_menu.addAction(act)
        self.file_menu.addAction(self.backup_action)
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

    def retranslate(self) -> None:
        name = settings.get().name
        self.setWindowTitle(f"{name} — CoopLedger" if name else "CoopLedger")
        for row, key in enumerate(self.areas):
            label = MEMBER_LABELS.get(key) if self.actor.member_id is not None else None
            self.nav.item(row).setText(_(label or dict((k, t) for k, t, _n in AREAS)[key]))
        self.file_menu.setTitle(_("&File"))
        self.backup_action.setText(_("Back up the database…"))
        import_labels = {
            "members": _("Import members from CSV…"),
            "lots": _("Import production lots from CSV…"),
            "sales": _("Import sales from CSV…"),
        }
        for kind, act in self.import_actions.items():
            act.setText(import_labels[kind])
        self.quit_action.setText(_("Quit"))
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
            dest, _f = QFileDialog.getSaveFileName(
                self, _("Back up the database"), "coopledger-backup.sqlite"
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
            success=lambda written: msgbox.information(
                self, _("Backup"), _("The backup was written to {path}.").format(path=written)
            ),
            failure=not_made,
        )

    def import_csv(self, kind: str, path: str | None = None) -> None:
        """Import a CSV on a worker thread; every problem is listed (the import is all or nothing)."""
        from coop.services import imports
        from ui.ops import OPS

        if path is None:
            path, _f = QFileDialog.getOpenFileName(self, _("Import CSV"), "", "CSV (*.csv)")
            if not path:
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
            return imports.IMPORTERS[kind](self.actor, path, imports.Watch(progress, cancelled))

        OPS.run_in_background(self, _("Importing…"), job, success=done)

    # --- geometry -------------------------------------------------------------------------------
    def _restore(self) -> None:
        s = QSettings()
        geometry = s.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            fit_to_screen(self, self.size(), centre=False)  # saved on a bigger screen than this one
        else:
            fit_to_screen(self, QSize(1280, 800))
        last = s.value("last_view")
        key = last if last in self.areas else self.areas[0]
        self.nav.setCurrentRow(self.areas.index(key))

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("geometry", self.saveGeometry())
        super().closeEvent(event)
