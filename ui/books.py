"""The Books area: treasury accounts and their balances, the entries of the books with their actions, and the
cash book, general ledger, trial balance, income statement and balance sheet, each printable as PDF."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coop import vocab
from coop.changes import Changes
from coop.errors import CoopError
from coop.i18n import N_, _, ngettext
from coop.permissions import Actor
from coop.services import journal, settings, tables
from coop.services.books import cashcount, chart, entries, opening, reports, treasury, yearclose
from ui import bookdialogs, filedialogs, fmt, msgbox
from ui.datefield import DateField
from ui.forms import VoidDialog
from ui.ops import OPS
from ui.pdfview import show_report_in_background
from ui.tablemodel import read_only_flags

# What the area shows (coop/changes.py): its entries and accounts, the postings of every other write (a
# payout moves a cash box), closed periods (year close), member names and the cooperative's currency.
SHOWS = ("books", "treasury", "ledger", "periods", "members", "settings")
KIND_LABELS: dict[str, str] = {**entries.KINDS, **yearclose.KIND_LABELS}
TREASURY_KINDS = treasury.FIRST_NAMES  # kind -> its name: cash box, mobile-money wallet, bank account
NUMERIC = {"money", "int"}
Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """A read-only table of computed rows (a report is a few hundred lines: held whole). Columns are
    (label msgid, kind): text, msg (a msgid translated when shown), date, money (minor units), int."""

    def __init__(self, columns: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[tuple] = []
        self.ids: list[int | None] = []
        self.bold: set[int] = set()
        self.muted: set[int] = set()

    def set_rows(
        self,
        rows: list[tuple],
        ids: Sequence[int | None] | None = None,
        *,
        bold: Sequence[int] = (),
        muted: Sequence[int] = (),
    ) -> None:
        self.beginResetModel()
        self.rows = rows
        self.ids = list(ids) if ids is not None else [None] * len(rows)
        self.bold, self.muted = set(bold), set(muted)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt's name)
        return 0 if parent.isValid() else len(self.columns)

    def text(self, row: int, column: int) -> str:
        value, kind = self.rows[row][column], self.columns[column][1]
        if value is None or value == "":
            return ""
        if kind == "msg":
            return _(value)
        if kind == "date":
            return fmt.date_text(value)
        if kind == "money":
            return fmt.amount_text(int(value))
        if kind == "int":
            return fmt.cell("int", value, {})
        return str(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            right = self.columns[index.column()][1] in NUMERIC
            return int(
                (Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft)
                | Qt.AlignmentFlag.AlignVCenter
            )
        if role == Qt.ItemDataRole.FontRole and index.row() in self.bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and index.row() in self.muted:
            return QBrush(QColor("#888888"))
        if role == Qt.ItemDataRole.UserRole:
            return self.ids[index.row()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return _(self.columns[section][0])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return read_only_flags(index)

    def relabel(self) -> None:
        """After a language switch: the headers and the translated cells change, the rows do not."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.columns) - 1))
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))


def make_table(parent: QWidget, model: RowsModel, name: str, stretch: int = 1) -> QTableView:
    view = QTableView(parent, objectName=name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(24)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if 0 <= stretch < model.columnCount():
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def selected_id(view: QTableView) -> int | None:
    rows = view.selectionModel().selectedRows()
    model = view.model()
    if not rows or not isinstance(model, RowsModel):
        return None
    return model.ids[rows[0].row()]


def fiscal_year_of(day: date) -> tuple[date, date]:
    start = settings.get().fiscal_year_start
    return settings.fiscal_year_bounds(settings.fiscal_series(day, start), start)


def default_period(actor: Actor) -> tuple[date, date]:
    """The fiscal year of the latest entry of the books (the demo's 2025), else the current one."""
    found = entries.entries(actor)
    return fiscal_year_of(found[-1].date if found else date.today())


class Tab(QWidget):
    """One tab of the area: rebuilt from the services when shown after a change (`stale`)."""

    title = ""

    def __init__(self, actor: Actor, page: BooksPage) -> None:
        super().__init__(page)
        self.actor, self.page = actor, page
        self.stale = True
        self._buttons: list[tuple[QPushButton, Callable[[], str]]] = []
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)

    def button(
        self, text: Callable[[], str], slot: Callable[[], None], allowed: bool, name: str
    ) -> QPushButton:
        """An action under the table; a role that may not use it does not see it."""
        b = QPushButton(text(), self, objectName=name)
        b.clicked.connect(lambda: slot())  # not clicked(bool) as an argument
        b.setVisible(allowed)
        b.setEnabled(allowed)
        self.buttons.addWidget(b)
        self._buttons.append((b, text))
        return b

    def second_row(self, count: int) -> QHBoxLayout:
        """The last `count` actions moved to a row of their own: one row of every action of the entries
        list is wider than a 1366-pixel screen in French."""
        row = QHBoxLayout()
        row.addStretch(1)
        for b, _text in self._buttons[-count:]:
            self.buttons.removeWidget(b)
            row.addWidget(b)
        return row

    def ensure_fresh(self) -> None:
        if self.stale:
            self.stale = False
            self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        for b, text in self._buttons:
            b.setText(text())
        for model in self.findChildren(RowsModel):
            model.relabel()


class PeriodBar(QWidget):
    """From – to dates (either may be left empty: no bound) above a report; `changed` after an edit."""

    def __init__(self, parent: Tab, period: tuple[date, date] | None, *, since: bool = True) -> None:
        super().__init__(parent)
        self.tab = parent
        self.label = QLabel(self)
        self.date_from = DateField(period[0] if period else None, self, optional=True)
        self.date_from.setObjectName("period_from")
        self.to_label = QLabel(self)
        self.date_to = DateField(period[1] if period else None, self, optional=True)
        self.date_to.setObjectName("period_to")
        self.date_from.setVisible(since)
        self._since = since
        self.timer = QTimer(self, singleShot=True, interval=250)
        self.timer.timeout.connect(lambda: self.tab.refresh())
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for w in (self.label, self.date_from, self.to_label, self.date_to):
            lay.addWidget(w)
        self.extra = lay  # a tab adds its own choice (account, kind) after the dates
        for field in (self.date_from, self.date_to):
            field.dateChanged.connect(lambda _d: self.timer.start())
            field.textChanged.connect(lambda t: self.timer.start() if not t else None)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(_("From") if self._since else _("As of"))
        self.to_label.setText(_("to") if self._since else "")
        self.to_label.setVisible(self._since)

    def bounds(self) -> tuple[date | None, date | None]:
        """The dates typed (None for an empty or half-typed one)."""
        start, end = self.date_from.date(), self.date_to.date()
        return (
            start.toPython() if self._since and start.isValid() else None,
            end.toPython() if end.isValid() else None,
        )


def treasury_names(actor: Actor) -> dict[str, str]:
    """Posting key -> the treasury account's name as shown."""
    return {t.key: _(t.name) for t in treasury.accounts(actor)}


class TreasuryTab(Tab):
    title = N_("Treasury")

    def __init__(self, actor: Actor, page: BooksPage) -> None:
        super().__init__(actor, page)
        self.model = RowsModel(
            [(N_("Name"), "msg"), (N_("Kind"), "msg"), (N_("Account"), "text"), (N_("Default"), "text"),
             (N_("Balance"), "money")],
            self,
        )  # fmt: skip
        self.view = make_table(self, self.model, "table_treasury", stretch=0)
        self.view.activated.connect(lambda idx: self._cash_book(self.model.ids[idx.row()]))
        self.total = QLabel(self, objectName="treasury_total")
        write = actor.can("treasury.write")
        self.button(lambda: _("New treasury account…"), lambda: bookdialogs.treasury_dialog(actor, self).open(),
                    write, "add_treasury")  # fmt: skip
        self.button(lambda: _("Use by default"), self.make_default, write, "treasury_default")
        self.button(
            lambda: _("Cash book…"), lambda: self._cash_book(selected_id(self.view)), True, "open_cash_book"
        )
        lay = QVBoxLayout(self)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.total)
        lay.addLayout(self.buttons)

    def refresh(self) -> None:
        accounts = treasury.accounts(self.actor)
        rows = [
            (t.name, TREASURY_KINDS[t.kind], t.number, "✓" if t.is_default else "", t.balance_minor)
            for t in accounts
        ]
        self.model.set_rows(
            rows, [t.id for t in accounts], muted=[i for i, t in enumerate(accounts) if not t.active]
        )
        self.total.setText(
            _("{label}: {value}").format(
                label=_("Total"), value=fmt.money_text(sum(t.balance_minor for t in accounts))
            )
        )

    def _cash_book(self, ident: int | None) -> None:
        if ident is None:
            msgbox.information(self, _("Nothing selected"), _("Select a row first."))
            return
        self.page.show_cash_book(ident)

    def make_default(self) -> None:
        ident = selected_id(self.view)
        if ident is None:
            msgbox.information(self, _("Nothing selected"), _("Select a row first."))
            return
        OPS.run(self, treasury.set_default, self.actor, ident)


class EntriesTab(Tab):
    """Every entry of the books (filtered by kind and dates) and the actions that record them."""

    title = N_("Entries")

    def __init__(self, actor: Actor, page: BooksPage) -> None:
        super().__init__(actor, page)
        self.period = PeriodBar(self, None)
        self.kind = QComboBox(self, objectName="entry_kind")
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.period.extra.addWidget(self.kind, 1)
        self.model = RowsModel(
            [(N_("No."), "int"), (N_("Date"), "date"), (N_("Kind"), "msg"), (N_("Treasury account"), "text"),
             (N_("Payee / payer / member"), "text"), (N_("Amount"), "money"), (N_("Reference"), "text"),
             (N_("Note"), "text"), (N_("State"), "msg")],
            self,
        )  # fmt: skip
        self.view = make_table(self, self.model, "table_entries", stretch=7)
        self.count = QLabel(self, objectName="entries_count")
        post, a = actor.can("books.post"), actor
        self.button(lambda: _("New expense…"), lambda: bookdialogs.MoneyDialog(a, "expense", self).open(), post,
                    "new_expense")  # fmt: skip
        self.button(lambda: _("New income…"), lambda: bookdialogs.MoneyDialog(a, "income", self).open(), post,
                    "new_income")  # fmt: skip
        self.button(
            lambda: _("Transfer…"), lambda: bookdialogs.TransferDialog(a, self).open(), post, "new_transfer"
        )
        self.button(
            lambda: _("Share capital…"), lambda: bookdialogs.ShareDialog(a, self).open(), post, "new_shares"
        )
        self.button(
            lambda: _("Cash count…"), lambda: bookdialogs.CashCountDialog(a, self).open(), post, "cash_count"
        )
        self.button(lambda: _("Void…"), self.void, actor.can("books.void"), "void_entry")
        opening_ok = actor.can("books.opening")
        self.button(lambda: _("Opening balances template…"), lambda: self.opening_template(), opening_ok,
                    "opening_template")  # fmt: skip
        self.button(lambda: _("Enter opening balances…"), lambda: self.enter_opening(), opening_ok, "opening")
        self.button(lambda: _("Close the fiscal year…"), lambda: bookdialogs.YearCloseDialog(a, self).open(),
                    actor.can("periods.close"), "year_close")  # fmt: skip
        lay = QVBoxLayout(self)
        lay.addWidget(self.period)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.count)
        more = self.second_row(3)
        lay.addLayout(self.buttons)
        lay.addLayout(more)
        self.fill_kinds()

    def fill_kinds(self) -> None:
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(_("All kinds"), None)
        for key, label in KIND_LABELS.items():
            self.kind.addItem(_(label), key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(current)))
        self.kind.blockSignals(False)

    def refresh(self) -> None:
        since, until = self.period.bounds()
        found = entries.entries(self.actor, kind=self.kind.currentData(), since=since, until=until)
        names = treasury_names(self.actor)
        members = dict(tables.choices("members"))
        rows = []
        for e in found:
            where = names.get(e.treasury, e.treasury)
            if e.counter:
                where = f"{where} → {names.get(e.counter, e.counter)}"
            party = members.get(e.member_id, "") if e.member_id is not None else e.party
            state = vocab.RECORD_STATES.get(e.state, e.state)
            rows.append((e.id, e.date, KIND_LABELS.get(e.kind, e.kind), where, party, e.amount_minor,
                         e.document_ref, e.note, state))  # fmt: skip
        self.model.set_rows(
            rows, [e.id for e in found], muted=[i for i, e in enumerate(found) if e.state != "posted"]
        )
        self.count.setText(
            ngettext("{count} entry", "{count} entries", len(found)).format(
                count=fmt.cell("int", len(found), {})
            )
        )

    def retranslate(self) -> None:
        super().retranslate()
        self.period.retranslate()
        self.fill_kinds()

    def void(self) -> None:
        ident = selected_id(self.view)
        if ident is None:
            msgbox.information(self, _("Nothing selected"), _("Select a row first."))
            return
        e = entries.entry(self.actor, ident)
        if e.state != "posted":
            msgbox.information(self, _("Already voided"), _(vocab.VOID_NOT_POSTED))
            return
        line = _("Entry no. {number} of {date}: {kind}, {amount}").format(
            number=e.id, date=fmt.date_text(e.date), kind=_(KIND_LABELS.get(e.kind, e.kind)),
            amount=fmt.money_text(e.amount_minor),
        )  # fmt: skip
        VoidDialog(
            _("Void entry"),
            lambda reason, day: entries.void_entry(self.actor, ident, reason, day),
            self,
            description=line,
            dated=True,
        ).open()

    def enter_opening(self, path: str | None = None) -> None:
        """The opening balances from a CSV or workbook (columns account, debit, credit, member): once."""
        from ui.dialogs import import_refused

        if path is None:
            path = filedialogs.open_path(
                self, "opening", _("CSV or Excel files (*.csv *.xlsx)"), _("Enter opening balances")
            )
            if not path:
                return

        def done(saved) -> None:
            msgbox.information(
                self,
                _("Opening balances"),
                _("The opening balances were entered (entry {id}).").format(id=saved.id),
            )

        OPS.run(
            self,
            opening.enter_csv,
            self.actor,
            path,
            success=done,
            failure=lambda exc: import_refused(self, exc),
        )

    def opening_template(self, path: str | None = None) -> None:
        """A CSV to fill in: the treasury accounts and the members' share capital of the paper register."""
        if path is None:
            path = filedialogs.save_path(
                self, "opening", filedialogs.dated_name("opening-balances", "csv"), "CSV (*.csv)",
                _("Opening balances template"),
            )  # fmt: skip
            if not path:
                return
        try:
            opening.write_template(self.actor, path)
        except CoopError as exc:
            msgbox.warning(self, _("Cannot export"), exc.message())
            return
        filedialogs.confirm_saved(self, path)


class ReportTab(Tab):
    """A report of the books over a period, in a table; Print / save PDF opens its document."""

    report = ""  # reports.build kind
    since = True

    def __init__(
        self, actor: Actor, page: BooksPage, columns: Sequence[tuple[str, str]], stretch: int
    ) -> None:
        super().__init__(actor, page)
        self.period = PeriodBar(self, page.period, since=self.since)
        self.model = RowsModel(columns, self)
        self.view = make_table(self, self.model, f"table_{self.report}", stretch=stretch)
        self.summary = QLabel(self, objectName=f"summary_{self.report}", wordWrap=True)
        self.button(lambda: _("Print / save PDF…"), lambda: self.print_pdf(), actor.can("reports.read"),
                    f"pdf_{self.report}")  # fmt: skip
        self.button(lambda: _("Export CSV…"), lambda: self.export_csv(), actor.can("reports.read"),
                    f"csv_{self.report}")  # fmt: skip
        self.lay = QVBoxLayout(self)
        self.lay.addWidget(self.period)
        self.lay.addWidget(self.view, 1)
        self.lay.addWidget(self.summary)
        self.lay.addLayout(self.buttons)

    def retranslate(self) -> None:
        super().retranslate()
        self.period.retranslate()

    def params(self) -> dict[str, Any] | None:
        since, until = self.period.bounds()
        return {"start": since, "end": until}

    def export_csv(self, path: str | None = None) -> None:
        """The report as CSV for the accountant (coop.services.books.report_csv: account numbers, amounts)."""
        from coop.services.books import report_csv

        params = self.params()
        if params is None:
            return
        if path is None:
            name = filedialogs.dated_name(self.report, "csv")
            path = filedialogs.save_path(self, "csv", name, "CSV (*.csv)", _("Export CSV"))
            if not path:
                return
        try:
            report_csv.write(self.actor, self.report, path, **params)
        except CoopError as exc:
            msgbox.warning(self, _("Cannot export"), exc.message())
            return
        filedialogs.confirm_saved(self, path)

    def print_pdf(self) -> None:
        params = self.params()
        if params is None:
            return
        show_report_in_background(self, self.report, self.actor, _(self.title), params)


class CashBookTab(ReportTab):
    title = N_("Cash book")
    report = "cash-book"

    def __init__(self, actor: Actor, page: BooksPage) -> None:
        columns = [(N_("Date"), "date"), (N_("Entry"), "msg"), (N_("Description"), "text"), (N_("In"), "money"),
                   (N_("Out"), "money"), (N_("Balance"), "money")]  # fmt: skip
        super().__init__(actor, page, columns, stretch=2)
        self.account = QComboBox(self, objectName="cash_book_account")
        self.account.currentIndexChanged.connect(lambda _i: self.refresh())
        self.period.extra.addWidget(self.account, 1)
        self.counts_label = QLabel(self)
        self.counts = RowsModel(
            [(N_("Date"), "date"), (N_("Counted"), "money"), (N_("In the books"), "money"),
             (N_("Difference"), "money"), (N_("Reason"), "text")],
            self,
        )  # fmt: skip
        self.counts_view = make_table(self, self.counts, "table_cash_counts", stretch=4)
        self.counts_view.setMaximumHeight(140)
        self.lay.insertWidget(3, self.counts_label)
        self.lay.insertWidget(4, self.counts_view)
        self.fill_accounts()

    def fill_accounts(self) -> None:
        current = self.account.currentData()
        self.account.blockSignals(True)
        bookdialogs.fill_treasuries(self.account, self.actor)
        self.account.setCurrentIndex(max(0, self.account.findData(current)))
        self.account.blockSignals(False)

    def choose(self, treasury_id: int) -> None:
        self.account.setCurrentIndex(max(0, self.account.findData(treasury_id)))

    def params(self) -> dict[str, Any] | None:
        ident = self.account.currentData()
        if ident is None:
            msgbox.information(self, _("Cash book"), _("There is no treasury account yet."))
            return None
        return {**super().params(), "treasury_id": ident}  # type: ignore[dict-item]

    def refresh(self) -> None:
        self.fill_accounts()
        ident = self.account.currentData()
        if ident is None:
            self.model.set_rows([])
            self.counts.set_rows([])
            return
        since, until = self.period.bounds()
        led = reports.cash_book(self.actor, ident, since=since, until=until)
        self.model.set_rows(ledger_rows(self.actor, led), bold=[0])
        found = [c for c in cashcount.counts(self.actor, ident) if _within(c.date, since, until)]
        self.counts.set_rows(
            [(c.date, c.counted_minor, c.book_minor, c.difference_minor, c.reason) for c in found],
            muted=[i for i, c in enumerate(found) if c.voided],
        )
        self.counts_label.setText(_("Cash counts"))
        self.summary.setText(
            _("Opening {opening} · closing {closing}").format(
                opening=fmt.money_text(led.opening_minor), closing=fmt.money_text(led.closing_minor)
            )
        )


def _within(day: date, since: date | None, until: date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


def ledger_rows(actor: Actor, led: reports.AccountLedger) -> list[tuple]:
    """The opening balance, then each posting: date, what it comes from, its description, debit (in), credit
    (out) and the running balance. An entry of the books is described by its payee, note or reference."""
    books = {e.id: e for e in entries.entries(actor, since=led.since, until=led.until)}
    rows: list[tuple] = [(led.since, N_("Opening balance"), "", None, None, led.opening_minor)]
    for x in led.lines:
        e = books.get(x.source_id) if x.source_type == "book_entry" else None
        memo = " · ".join(t for t in (e.party, e.note, e.document_ref) if t) if e is not None else x.memo
        debit = x.amount_minor if x.amount_minor > 0 else None
        rows.append(
            (x.date, ledger_kind(x), memo, debit, -x.amount_minor if debit is None else None, x.balance_minor)
        )
    return rows


def ledger_kind(line: reports.LedgerLine) -> str:
    """The msgid naming what a ledger line comes from: the entry of the books' kind, else the journal's."""
    if line.entry_kind:
        return KIND_LABELS.get(line.entry_kind, line.entry_kind)
    return journal.ENTRY_KINDS.get(line.kind, line.kind)


class LedgerTab(ReportTab):
    title = N_("General ledger")
    report = "general-ledger"

    def __init__(self, actor: Actor, page: BooksPage) -> None:
        columns = [(N_("Date"), "date"), (N_("Entry"), "msg"), (N_("Description"), "text"), (N_("Debit"), "money"),
                   (N_("Credit"), "money"), (N_("Balance"), "money")]  # fmt: skip
        super().__init__(actor, page, columns, stretch=2)
        self.account = QComboBox(self, objectName="ledger_account")
        self.account.currentIndexChanged.connect(lambda _i: self.refresh())
        self.period.extra.addWidget(self.account, 2)
        self.fill_accounts()

    def fill_accounts(self) -> None:
        current = self.account.currentData()
        self.account.blockSignals(True)
        self.account.clear()
        for a in chart.accounts(self.actor):
            self.account.addItem(bookdialogs.account_text(a), a.number)
        if current is None:  # the first account with postings rather than a class heading
            used = [x.number for x in reports.trial_balance(self.actor).lines]
            current = used[0] if used else None
        self.account.setCurrentIndex(max(0, self.account.findData(current)))
        self.account.blockSignals(False)

    def choose(self, number: str) -> None:
        self.account.setCurrentIndex(max(0, self.account.findData(number)))

    def params(self) -> dict[str, Any] | None:
        number = self.account.currentData()
        return None if number is None else {**super().params(), "account": number}  # type: ignore[dict-item]

    def retranslate(self) -> None:
        super().retranslate()
        self.fill_accounts()

    def refresh(self) -> None:
        number = self.account.currentData()
        if number is None:
            self.model.set_rows([])
            return
        since, until = self.period.bounds()
        led = reports.general_ledger(self.actor, number, since=since, until=until)
        self.model.set_rows(ledger_rows(self.actor, led), bold=[0])
        self.summary.setText(
            _("Opening {opening} · closing {closing}").format(
                opening=fmt.money_text(led.opening_minor), closing=fmt.money_text(led.closing_minor)
            )
        )


class TrialBalanceTab(ReportTab):
    title = N_("Trial balance")
    report = "trial-balance"

    def __init__(self, actor: Actor, page: BooksPage) -> None:
        columns = [(N_("Account"), "text"), (N_("Name"), "msg"), (N_("Type"), "msg"), (N_("Debit"), "money"),
                   (N_("Credit"), "money"), (N_("Balance"), "money")]  # fmt: skip
        super().__init__(actor, page, columns, stretch=1)
        self.view.activated.connect(lambda idx: self._open(idx.row()))

    def _open(self, row: int) -> None:
        if row < len(self.lines):
            self.page.show_ledger(self.lines[row].number)

    def refresh(self) -> None:
        since, until = self.period.bounds()
        tb = reports.trial_balance(self.actor, since=since, until=until)
        self.lines = list(tb.lines)
        rows = [(x.number, x.name, chart.TYPES.get(x.type, x.type), x.debit_minor, x.credit_minor, x.balance_minor)
                for x in tb.lines]  # fmt: skip
        rows.append(("", N_("Total"), "", tb.total_debit_minor, tb.total_credit_minor,
                     tb.total_debit_minor - tb.total_credit_minor))  # fmt: skip
        self.model.set_rows(rows, bold=[len(rows) - 1])
        self.summary.setText(
            _("Debits equal credits.")
            if tb.balanced
            else _("Debits and credits differ: run Verify the books.")
        )


def section(rows: list[tuple], bold: list[int], title: str, lines: Sequence[reports.AccountLine], total: str,
            total_minor: int) -> None:  # fmt: skip
    """A heading, its accounts (on their natural side) and its total, appended to a statement's rows."""
    bold.append(len(rows))
    rows.append(("", title, None))
    rows.extend((x.number, x.name, x.natural_minor) for x in lines)
    bold.append(len(rows))
    rows.append(("", total, total_minor))


class IncomeTab(ReportTab):
    title = N_("Income statement")
    report = "income-statement"

    def __init__(self, actor: Actor, page: BooksPage) -> None:
        super().__init__(
            actor, page, [(N_("Account"), "text"), (N_("Name"), "msg"), (N_("Amount"), "money")], 1
        )

    def refresh(self) -> None:
        since, until = self.period.bounds()
        s = reports.income_statement(self.actor, since=since, until=until)
        rows: list[tuple] = []
        bold: list[int] = []
        section(rows, bold, N_("Income"), s.income, N_("Total income"), s.total_income_minor)
        section(rows, bold, N_("Expenses"), s.expenses, N_("Total expenses"), s.total_expenses_minor)
        bold.append(len(rows))
        rows.append(("", N_("Result of the period"), s.result_minor))
        self.model.set_rows(rows, bold=bold)
        self.summary.setText(
            (_("Surplus: {amount}") if s.result_minor >= 0 else _("Loss: {amount}")).format(
                amount=fmt.money_text(abs(s.result_minor))
            )
        )


class BalanceTab(ReportTab):
    title = N_("Balance sheet")
    report = "balance-sheet"
    since = False

    def __init__(self, actor: Actor, page: BooksPage) -> None:
        super().__init__(
            actor, page, [(N_("Account"), "text"), (N_("Name"), "msg"), (N_("Amount"), "money")], 1
        )

    def params(self) -> dict[str, Any] | None:
        return {"end": self.period.bounds()[1]}

    def refresh(self) -> None:
        b = reports.balance_sheet(self.actor, as_of=self.period.bounds()[1])
        rows: list[tuple] = []
        bold: list[int] = []
        section(rows, bold, N_("Assets"), b.assets, N_("Total assets"), b.total_assets_minor)
        section(
            rows, bold, N_("Liabilities"), b.liabilities, N_("Total liabilities"), b.total_liabilities_minor
        )
        bold.append(len(rows))
        rows.append(("", N_("Equity"), None))
        rows.extend((x.number, x.name, x.natural_minor) for x in b.equity)
        rows.append(("", N_("Result not yet allocated"), b.result_minor))  # part of equity until carried
        bold.append(len(rows))
        rows.append(("", N_("Total equity"), b.total_equity_minor))
        self.model.set_rows(rows, bold=bold)
        self.summary.setText(
            _("Assets equal liabilities and equity.")
            if b.balanced
            else _("The balance sheet does not balance: run Verify the books.")
        )


class BooksPage(QTabWidget):
    """The Books area (treasurer, manager, auditor): one tab per view, rebuilt when shown after a write that
    touched what it shows."""

    SHOWS = SHOWS

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.setObjectName("books")
        self.period = default_period(actor)
        self.treasury_tab = TreasuryTab(actor, self)
        self.entries_tab = EntriesTab(actor, self)
        self.cash_tab = CashBookTab(actor, self)
        self.ledger_tab = LedgerTab(actor, self)
        self.tabs: list[Tab] = [
            self.treasury_tab,
            self.entries_tab,
            self.cash_tab,
            self.ledger_tab,
            TrialBalanceTab(actor, self),
            IncomeTab(actor, self),
            BalanceTab(actor, self),
        ]
        for tab in self.tabs:
            self.addTab(tab, "")
        self.currentChanged.connect(lambda _i: self._shown())
        OPS.changed.connect(self._on_changed)
        self.retranslate()

    def _shown(self) -> None:
        tab = self.currentWidget()
        if isinstance(tab, Tab):
            tab.ensure_fresh()

    def _on_changed(self, changes: Changes) -> None:
        if changes.affects(*self.SHOWS):
            for tab in self.tabs:
                tab.stale = True
            self._shown()

    def show_cash_book(self, treasury_id: int) -> None:
        self.setCurrentWidget(self.cash_tab)
        self.cash_tab.choose(treasury_id)

    def show_ledger(self, number: str) -> None:
        self.setCurrentWidget(self.ledger_tab)
        self.ledger_tab.choose(number)

    def retranslate(self) -> None:
        for i, tab in enumerate(self.tabs):
            self.setTabText(i, _(tab.title))
            tab.retranslate()
            tab.stale = True  # names put in the rows (treasury accounts, entry kinds) are in the old language
        self._shown()
