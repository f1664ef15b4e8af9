"""A list page: search box, filters (date range, site, mineral, state), the table, a totals line, CSV export."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coop import vocab
from coop.changes import AREAS, Changes
from coop.errors import CoopError
from coop.i18n import N_, _, ngettext
from coop.permissions import Actor
from coop.services import csvio, journal, tables
from ui import filedialogs, fmt, msgbox
from ui.datefield import DateField
from ui.ops import OPS
from ui.tablemodel import ListModel

# The areas each list shows (coop/changes.py): its own rows and what its columns read from elsewhere, e.g.
# the members list's balances come from the ledger and the lots list names sites, minerals and owners.
SHOWS: dict[str, tuple[str, ...]] = {
    "members": ("members", "sites", "ledger", "books"),  # share capital: entries of the books
    "sites": ("sites",),
    "lots": ("lots", "sites", "minerals", "members"),
    "sales": ("sales", "buyers"),
    "my_sales": ("sales", "buyers"),
    "payouts": ("payouts", "members"),
    "tax_payments": ("tax_payments", "tax_rules"),
    "incidents": ("incidents", "sites"),
    "mercury": ("mercury", "sites", "members"),
    "minerals": ("minerals",),
    "buyers": ("buyers",),
    "tax_rules": ("tax_rules", "minerals"),
    "users": ("users", "members"),
    "journal": ("ledger", "members"),
    "audit_log": tuple(sorted(AREAS)),  # every write is logged
}
FILTERS = ("sites", "minerals")  # the choices of the filter combos
# The column that takes the width left over (a name is what gets cut first); the first one a list has.
STRETCH = ("full_name", "name", "member", "buyer", "owners", "description", "supplier", "memo", "changes")
WIDEST = 320  # px: the most any other column gets from its content

STATE_CHOICES = {
    "members": ("member_statuses", ["active", "suspended", "left"]),
    "sites": ("site_statuses", ["active", "inactive", "abandoned"]),
    "lots": ("lot_statuses", list(vocab.LOT_STATES)),
    "sales": ("states", ["posted", "voided"]),
    "my_sales": ("states", ["posted", "voided"]),
    "payouts": ("states", ["posted", "voided"]),
    "tax_payments": ("states", ["posted", "voided"]),
    "incidents": ("states", ["open", "investigating", "closed"]),
    "mercury": ("mercury_kinds", ["purchased", "used"]),
    "journal": ("accounts", list(journal.ACCOUNT_LABELS)),
}

# What each list would hold, said when it has no rows at all; the list's first action (the one that creates a
# row, also Ctrl+N) and its import, where the File menu has one, are offered beside the text.
EMPTY: dict[str, str] = {
    "members": N_(
        "No members registered yet. The member register holds everyone in the cooperative, with their site, "
        "role and what the cooperative owes them."
    ),
    "sites": N_("No mine sites yet. Lots, incidents and mercury are recorded per site: add the sites first."),
    "lots": N_(
        "No production lots yet. Each lot is the mineral produced at a site, with its owners' shares."
    ),
    "sales": N_("No sales yet. Each sale of lots to a buyer appears here with its receipt."),
    "my_sales": N_("No sales of your lots yet."),
    "payouts": N_("No payouts yet. Payments to members of what their sales earned them appear here."),
    "tax_payments": N_("No tax payments yet. Royalties and fees paid to the authorities appear here."),
    "incidents": N_("No incidents recorded. Accidents and near misses at the sites are recorded here."),
    "mercury": N_("No mercury recorded yet. Mercury bought and used at the sites is recorded here."),
    "minerals": N_("No minerals yet. Add the minerals the cooperative produces and sells."),
    "buyers": N_("No buyers yet. Add the comptoirs, exporters and refineries the cooperative sells to."),
    "tax_rules": N_("No tax rules yet. Add the royalties and fees withheld on sales."),
    "users": N_("No accounts yet. Create accounts for the treasurer, the clerks and the auditor."),
    "journal": N_("No journal entries yet. Every sale, payout and tax payment posts an entry here."),
    "audit_log": N_("Nothing in the audit log yet. Every change made in the books is logged here."),
}
NO_MATCH = N_("No row matches the search and filters.")
TEXT_WIDTH = 560  # px: the widest the text of an empty list runs before it wraps

# The empty choice of the state combo where the choices are not states: the journal filters by account.
ANY_CHOICE = {"accounts": N_("All accounts"), "mercury_kinds": N_("Purchased and used")}


def plain(text: str) -> str:
    """A button or action label without its mnemonic marker (& before a letter, && for a real &)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


class EmptyState(QWidget):
    """Laid over the table's empty viewport: what the list would hold and the buttons that fill it, or, when
    the filters hide every row, a way to clear them."""

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        self.setObjectName("empty_state")
        self.label = QLabel(self, objectName="empty_text", wordWrap=True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.create = QPushButton(self, objectName="empty_create")
        self.importer = QPushButton(self, objectName="empty_import")
        self.clear = QPushButton(self, objectName="empty_clear")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.create, self.importer, self.clear):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        lay.addWidget(self.label, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addLayout(buttons)
        lay.addStretch(2)
        viewport.installEventFilter(self)
        self.setGeometry(viewport.rect())

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(watched.rect())
            self.fit_text()
        return False

    def set_text(self, text: str) -> None:
        self.label.setText(text)
        self.fit_text()

    def fit_text(self) -> None:
        """A wrapped label gets the height of its lines at the width it is given (a layout alone gives it
        one line's height and cuts the rest)."""
        width = max(120, min(TEXT_WIDTH, self.width() - 32))
        lines = self.label.heightForWidth(width)  # -1 before the label has text
        self.label.setFixedSize(width, max(lines, self.label.fontMetrics().height()))


class ListPage(QWidget):
    """One list with its filter bar and action buttons; refreshed when a write affects what it shows."""

    activated = Signal(int)  # record id (double-click / Enter)

    def __init__(self, actor: Actor, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.name = name
        self.model = ListModel(actor, name, self)
        self.spec = tables.spec(name)
        self._actions: list[tuple[QPushButton, Callable[[], str]]] = []
        self.import_action: QAction | None = None  # the File menu's import of this list (offer_import)
        self._build()
        OPS.changed.connect(self._on_changed)

    # --- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("search")
        self._timer = QTimer(self, singleShot=True, interval=250, timeout=self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        self.use_dates = QCheckBox(self)
        self.date_from = DateField(QDate.currentDate().addYears(-1), self, optional=True)
        self.date_to = DateField(QDate.currentDate(), self, optional=True)
        self.site = QComboBox(self)
        self.mineral = QComboBox(self)
        self.state = QComboBox(self)
        if self.spec.date_col:
            for w in (self.use_dates, self.date_from, self.date_to):
                bar.addWidget(w)
            self.use_dates.toggled.connect(self.apply_filters)
            self.date_from.dateChanged.connect(self._dates_changed)
            self.date_to.dateChanged.connect(self._dates_changed)
        else:
            for w in (self.use_dates, self.date_from, self.date_to):
                w.hide()
        self._filters = {"sites": False, "minerals": False}
        for combo, col, key in (
            (self.site, self.spec.site_col, "sites"),
            (self.mineral, self.spec.mineral_col, "minerals"),
        ):
            if col and self.actor.can("read.all"):
                self._filters[key] = True
                bar.addWidget(combo, 1)
                combo.currentIndexChanged.connect(self.apply_filters)
            else:
                combo.hide()
        if self.name in STATE_CHOICES:
            bar.addWidget(self.state, 1)
            self.state.currentIndexChanged.connect(self.apply_filters)
        else:
            self.state.hide()
        self.export_button = QPushButton(self)
        self.export_button.clicked.connect(lambda: self.export_csv())  # not clicked(bool) as the path
        bar.addWidget(self.export_button)
        self.actions_bar = QHBoxLayout()
        self.actions_bar.addStretch(1)
        self.view = QTableView(self)
        self.view.setObjectName(f"table_{self.name}")
        self.view.setModel(self.model)
        order = Qt.SortOrder.DescendingOrder if self.model.query.descending else Qt.SortOrder.AscendingOrder
        self.view.horizontalHeader().setSortIndicator(self.model.sort_column(), order)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)  # the order and the widths are the user's, kept per list
        header.setStretchLastSection(self.stretch_column() is None)
        # Enter or double-click opens the row; Ctrl+F goes to the search box; Ctrl+N runs the first action
        self.view.activated.connect(lambda idx: self.activated.emit(self.model.row_id(idx.row())))
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.New, self, activated=self._first_action)
        self.totals_label = QLabel(self)
        self.totals_label.setObjectName("totals")
        self.empty = EmptyState(self.view.viewport())
        self.empty.create.clicked.connect(lambda: self._actions[0][0].click())
        self.empty.importer.clicked.connect(lambda: self.import_action and self.import_action.trigger())
        self.empty.clear.clicked.connect(lambda: self.clear_filters())
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)
        self.model.rowsRemoved.connect(self._update_empty)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.totals_label)
        lay.addLayout(self.actions_bar)
        self.fill_choices()
        self.retranslate()
        self._fit_columns()
        self._restore_header()
        self._fit_headers()  # widths remembered under a shorter language
        self._save_timer = QTimer(self, singleShot=True, interval=300, timeout=self.save_header)
        header.sectionResized.connect(lambda *_a: self._save_timer.start())
        header.sectionMoved.connect(lambda *_a: self._save_timer.start())

    def stretch_column(self) -> int | None:
        keys = [c.key for c in self.model.columns]
        return next((keys.index(k) for k in STRETCH if k in keys), None)

    def _header_key(self) -> str:
        return f"lists/{self.name}/header"

    def _columns_id(self) -> str:
        return ",".join(c.key for c in self.model.columns)

    def save_header(self) -> None:
        """Column widths and order, remembered per list across sessions (with the columns they were for)."""
        s = QSettings()
        s.setValue(self._header_key(), self.view.horizontalHeader().saveState())
        s.setValue(self._header_key() + "_columns", self._columns_id())

    def _restore_header(self) -> None:
        s = QSettings()
        state = s.value(self._header_key())
        # a state saved for other columns (a newer version's list) would put widths on the wrong ones
        if state is not None and s.value(self._header_key() + "_columns") == self._columns_id():
            self.view.horizontalHeader().restoreState(state)

    def _fit_columns(self) -> None:
        """Size columns to the first page only (never scans the whole list); the name column stretches."""
        header = self.view.horizontalHeader()
        metrics = self.view.fontMetrics()
        stretch = self.stretch_column()
        for c, col in enumerate(self.model.columns):
            width = metrics.horizontalAdvance(_(col.label)) + 36
            for r in range(min(40, self.model.rowCount())):
                text = self.model.data(self.model.index(r, c)) or ""
                width = max(width, metrics.horizontalAdvance(text) + 16)
            header.resizeSection(c, max(min(width, WIDEST), self._header_width(c)))
            if c == stretch:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)

    def _header_width(self, column: int) -> int:
        """What the column's header needs to show its label whole (header font, sort arrow, margins)."""
        return self.view.horizontalHeader().sectionSizeFromContents(column).width()

    def _fit_headers(self) -> None:
        """Widen columns whose (newly translated) header would be clipped; wider ones stay as they are."""
        header = self.view.horizontalHeader()
        for c in range(self.model.columnCount()):
            if header.sectionSize(c) < self._header_width(c):
                header.resizeSection(c, self._header_width(c))

    def fill_choices(self) -> None:
        for combo, table, text in (
            (self.site, "sites", _("All sites")),
            (self.mineral, "minerals", _("All minerals")),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(text, None)
            if self._filters[table]:
                for ident, label in tables.choices(table):
                    combo.addItem(label, ident)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        if self.name in STATE_CHOICES:
            kind, values = STATE_CHOICES[self.name]
            current = self.state.currentData()
            self.state.blockSignals(True)
            self.state.clear()
            self.state.addItem(_(ANY_CHOICE.get(kind, N_("Any state"))), None)
            for v in values:
                self.state.addItem(fmt.label(kind, v), v)
            self.state.setCurrentIndex(max(0, self.state.findData(current)))
            self.state.blockSignals(False)

    def add_action(
        self, text: Callable[[], str], slot: Callable[[], None], enabled: bool = True
    ) -> QPushButton:
        """A button under the list; `text` is called again on a language switch."""
        button = QPushButton(text(), self)
        button.clicked.connect(slot)
        button.setEnabled(enabled)
        button.setVisible(enabled)
        self.actions_bar.addWidget(button)
        self._actions.append((button, text))
        self._update_empty()
        return button

    def _first_action(self) -> None:
        for button, _text in self._actions:
            if button.isEnabled():
                button.click()
                return

    def offer_import(self, action: QAction) -> None:
        """Offer this File menu action (an import into this list) when the list is empty."""
        self.import_action = action
        action.changed.connect(self._update_empty)
        self._update_empty()

    # --- empty state ------------------------------------------------------------------------------
    def filtered(self) -> bool:
        """Whether the search or a filter may be what hides rows."""
        choices = (self.site.currentData(), self.mineral.currentData(), self.state.currentData())
        return bool(self.search.text()) or self.use_dates.isChecked() or any(c is not None for c in choices)

    def clear_filters(self) -> None:
        for combo in (self.site, self.mineral, self.state):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.use_dates.blockSignals(True)
        self.use_dates.setChecked(False)
        self.use_dates.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filters()

    def _update_empty(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty.setVisible(empty)
        if not empty:
            return
        matched = self.filtered()
        self.empty.set_text(_(NO_MATCH) if matched else _(EMPTY.get(self.name, NO_MATCH)))
        # a list's first action is the one that creates a row; a role that may not use it gets none offered
        first = self._actions[0][0] if self._actions and self._actions[0][0].isEnabled() else None
        self.empty.create.setVisible(first is not None and not matched)
        self.empty.create.setText(first.text() if first is not None else "")
        offer = self.import_action is not None and self.import_action.isEnabled() and not matched
        self.empty.importer.setVisible(offer)
        self.empty.importer.setText(
            plain(self.import_action.text()) if self.import_action is not None else ""
        )
        self.empty.clear.setVisible(matched)
        self.empty.clear.setText(_("Clear the search and filters"))

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search…"))
        self.use_dates.setText(_("Dates"))
        self.export_button.setText(_("Export CSV…"))
        for button, text in self._actions:
            button.setText(text())
        self.fill_choices()
        self._update_empty()
        self.model.refresh_labels()
        self._fit_headers()
        QTimer.singleShot(0, self, self._update_totals)  # not after the page is gone

    # --- filtering -----------------------------------------------------------------------------
    def _dates_changed(self) -> None:
        if self.use_dates.isChecked():
            self.apply_filters()

    def apply_filters(self) -> None:
        q = self.model.query
        q.search = self.search.text()
        dated = self.use_dates.isChecked() and bool(self.spec.date_col)
        # a date being typed (or left empty) does not filter yet
        start, end = self.date_from.date(), self.date_to.date()
        q.date_from = start.toPython() if dated and start.isValid() else None
        q.date_to = end.toPython() if dated and end.isValid() else None
        q.site_id = self.site.currentData()
        q.mineral_id = self.mineral.currentData()
        q.state = self.state.currentData()
        self.refresh()

    def refresh(self) -> None:
        self.model.reload()
        rows = self.model.rowCount()
        self.totals_label.setText(
            ngettext("{count} row", "{count} rows", rows).format(count=fmt.cell("int", rows, {}))
        )
        QTimer.singleShot(0, self, self._update_totals)  # sums may scan the list: after the first paint

    def _update_totals(self) -> None:
        rows = self.model.rowCount()
        count = ngettext("{count} row", "{count} rows", rows).format(count=fmt.cell("int", rows, {}))
        totals = self.model.totals_text()
        self.totals_label.setText(f"{count}   {totals}" if totals else count)

    def _on_changed(self, changes: Changes) -> None:
        if changes.affects(*FILTERS):
            self.fill_choices()
        if changes.affects(*SHOWS[self.name]):
            self.refresh()

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_id(rows[0].row()) if rows else None

    def selected_raw(self) -> dict | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.raw(rows[0].row()) if rows else None

    # --- export --------------------------------------------------------------------------------
    def export_csv(self, path: str | None = None) -> int | None:
        if path is None:
            path = filedialogs.save_path(
                self, "csv", filedialogs.dated_name(self.name, "csv"), "CSV (*.csv)", _("Export CSV")
            )
            if not path:
                return None
        header, rows = self.model.export_rows()
        try:
            written = csvio.write_rows(path, header, rows)
        except CoopError as exc:
            msgbox.warning(self, _("Cannot export"), exc.message())
            return None
        filedialogs.confirm_saved(self, path)
        return written
