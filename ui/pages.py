"""The areas of the main window: list pages with their actions, the reports list and settings tabs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coop import i18n, vocab, workflow
from coop import report_periods as periods
from coop.changes import Changes
from coop.errors import CoopError, ValidationError
from coop.i18n import N_, _
from coop.permissions import Actor
from coop.services import describe, ledger, lookups, payouts, production, sales, taxes
from ui import dialogs, fmt, msgbox
from ui.forms import Field, ServiceDialog, VoidDialog, record_line
from ui.listview import ListPage
from ui.ops import OPS
from ui.pdfview import build_report, show_pdf, show_report_in_background
from ui.sale import SaleDialog, receipt_format


def _need(page: ListPage) -> int | None:
    ident = page.selected_id()
    if ident is None:
        msgbox.information(page, _("Nothing selected"), _("Select a row first."))
    return ident


def _posted_only(page: ListPage) -> int | None:
    """Posted records are read-only: the only change is a void (which needs the row to be posted)."""
    raw = page.selected_raw()
    if raw is None:
        msgbox.information(page, _("Nothing selected"), _("Select a row first."))
        return None
    if raw.get("state") != "posted":
        msgbox.information(page, _("Already voided"), _(vocab.VOID_NOT_POSTED))
        return None
    return int(raw["id"])


def void_dialog(
    actor: Actor, parent: QWidget, kind: str, ident: int, title: str, void: Callable[..., Changes]
) -> VoidDialog:
    """The void dialog of record `kind` #`ident`, naming it (number, party, amount); `title` is an N_ id.
    Postings (sale, payout, tax payment) are voided on a date (`void(ident, reason, day)`); a lot is not."""
    line = record_line(describe.describe(actor, kind, ident))
    dated = kind in DATED_VOIDS
    return VoidDialog(_(title), lambda *answer: void(ident, *answer), parent, description=line, dated=dated)


DATED_VOIDS = frozenset({"sale", "payout", "tax_payment"})  # their reversal is a journal entry with a date


def _void_action(page: ListPage, kind: str, title: str, void: Callable[..., Changes]) -> Callable[[], None]:
    """The Void… button of a list of posted records: the selected posted row, a required reason, then `void`."""

    def run() -> None:
        ident = _posted_only(page)
        if ident is not None:
            void_dialog(page.actor, page, kind, ident, title, void).open()

    return run


def members_page(actor: Actor, parent: QWidget) -> ListPage:
    page = ListPage(actor, "members", parent)
    edit = actor.can("members.write")
    page.add_action(lambda: _("New member…"), lambda: dialogs.member_dialog(actor, None, page).open(), edit)
    page.add_action(lambda: _("Edit…"), lambda: _edit_member(actor, page), edit)
    page.add_action(
        lambda: _("Pay out…"),
        lambda: dialogs.payout_dialog(actor, page.selected_id(), page).open(),
        actor.can("payouts.post"),
    )
    page.add_action(
        lambda: _("Statement…"),
        lambda: _statement(actor, page),
        actor.can("reports.read") or actor.can("read.own"),
    )
    page.activated.connect(lambda ident: dialogs.member_dialog(actor, ident, page).open() if edit else None)
    if actor.member_id is not None:
        balance = QLabel(page, objectName="my_balance")
        balance.setText(
            _("Balance owed to you: {amount}").format(
                amount=fmt.money_text(ledger.member_balance(actor, actor.member_id))
            )
        )
        page.layout().insertWidget(0, balance)
    return page


def _edit_member(actor: Actor, page: ListPage) -> None:
    ident = _need(page)
    if ident is not None:
        dialogs.member_dialog(actor, ident, page).open()


def _statement(actor: Actor, page: ListPage) -> None:
    ident = page.selected_id() if actor.can("read.all") else actor.member_id
    if ident is None:
        _need(page)
        return
    year = date.today().year - 1  # this year and last: a statement shows the opening balance before it
    pdf = build_report("statement", actor, member_id=ident, start=date(year, 1, 1), end=date.today())
    if pdf is None:
        msgbox.information(page, _("Statement"), _("The reports module is not installed in this build."))
        return
    show_pdf(page, pdf, _("Statement"), f"statement-{ident}.pdf")


def simple_page(kind: str, table: str, action: str, actor: Actor, parent: QWidget) -> ListPage:
    page = ListPage(actor, table, parent)
    allowed = actor.can(action)
    page.add_action(lambda: _("New…"), lambda: dialogs.simple_dialog(kind, actor, None, page).open(), allowed)
    page.add_action(lambda: _("Edit…"), lambda: _edit_simple(kind, actor, page), allowed)
    page.activated.connect(
        lambda ident: dialogs.simple_dialog(kind, actor, ident, page).open() if allowed else None
    )
    return page


def _edit_simple(kind: str, actor: Actor, page: ListPage) -> None:
    ident = _need(page)
    if ident is not None:
        dialogs.simple_dialog(kind, actor, ident, page).open()


def lots_page(actor: Actor, parent: QWidget) -> ListPage:
    page = ListPage(actor, "lots", parent)
    allowed = actor.can("lots.write")

    def edit() -> None:
        raw = page.selected_raw()
        if raw is None or raw.get("status") != "in_stock":
            msgbox.information(page, _("Cannot edit"), _("Only a lot still in stock can be changed."))
            return
        dialogs.LotDialog(actor, int(raw["id"]), page).open()

    def void() -> None:
        ident = _need(page)
        if ident is not None:
            void_dialog(
                actor, page, "lot", ident, N_("Void lot"), lambda i, r: production.void_lot(actor, i, r)
            ).open()

    page.add_action(lambda: _("New lot…"), lambda: dialogs.LotDialog(actor, None, page).open(), allowed)
    page.add_action(lambda: _("Edit…"), edit, allowed)
    page.add_action(lambda: _("Void…"), void, allowed)
    return page


def sales_page(actor: Actor, parent: QWidget) -> ListPage:
    own_view = actor.member_id is not None and not actor.can("read.all")
    page = ListPage(actor, "my_sales" if own_view else "sales", parent)

    def new_sale() -> None:
        dlg = SaleDialog(actor, page)
        dlg.accepted.connect(lambda: show_receipt(actor, page, dlg.sale_id, duplicate=False))
        dlg.open()

    def receipt() -> None:
        ident = _need(page)
        if ident is not None:
            show_receipt(actor, page, ident, duplicate=True)

    void = _void_action(
        page, "sale", N_("Void sale"), lambda ident, r, d: sales.void_sale(actor, ident, r, d)
    )

    page.add_action(lambda: _("New sale…"), new_sale, actor.can("sales.post"))
    readable = actor.can("reports.read") or own_view  # a member opens the receipts of their own lots' sales
    page.add_action(lambda: _("Receipt…"), receipt, readable)
    page.add_action(lambda: _("Void…"), void, actor.can("sales.void"))
    page.activated.connect(
        lambda ident: show_receipt(actor, page, ident, duplicate=True) if readable else None
    )
    return page


def show_receipt(actor: Actor, parent: QWidget, sale_id: int | None, duplicate: bool) -> None:
    if sale_id is None:
        return
    pdf = build_report("receipt", actor, sale_id=sale_id, fmt=receipt_format(), duplicate=duplicate)
    sale = lookups.receipt_no(actor, sale_id)
    name = f"receipt-{sale.series}-{sale.number}.pdf"
    if pdf is None:
        msgbox.information(
            parent,
            _("Sale posted"),
            _("Receipt {series}/{no} is recorded. The reports module is not installed in this build.").format(
                series=sale.series, no=sale.number
            ),
        )
        return
    show_pdf(parent, pdf, _("Receipt {series}/{no}").format(series=sale.series, no=sale.number), name)


def payouts_page(actor: Actor, parent: QWidget) -> ListPage:
    page = ListPage(actor, "payouts", parent)

    void = _void_action(
        page, "payout", N_("Void payout"), lambda ident, r, d: payouts.void_payout(actor, ident, r, d)
    )

    page.add_action(
        lambda: _("New payout…"),
        lambda: dialogs.payout_dialog(actor, None, page).open(),
        actor.can("payouts.post"),
    )
    page.add_action(lambda: _("Void…"), void, actor.can("payouts.void"))
    page.add_action(
        lambda: _("Print voucher…"),
        lambda: _voucher(actor, page),
        actor.can("reports.read") or actor.member_id is not None,
    )
    return page


def _voucher(actor: Actor, page: ListPage) -> None:
    """The selected payout's voucher, for the member to sign, in the PDF preview."""
    ident = _need(page)
    if ident is None:
        return
    pdf = build_report("voucher", actor, payout_id=ident)
    if pdf is None:
        msgbox.information(page, _("Payout voucher"), _("The reports module is not installed in this build."))
        return
    show_pdf(page, pdf, _("Payout voucher"), f"voucher-{ident}.pdf")


def _tax_slip(actor: Actor, page: ListPage) -> None:
    """The selected tax payment's slip, for the treasurer to keep with the authority's receipt."""
    ident = _need(page)
    if ident is None:
        return
    pdf = build_report("tax-slip", actor, payment_id=ident)
    if pdf is None:
        msgbox.information(
            page, _("Tax payment slip"), _("The reports module is not installed in this build.")
        )
        return
    show_pdf(page, pdf, _("Tax payment slip"), f"tax-slip-{ident}.pdf")


def taxes_page(actor: Actor, parent: QWidget) -> ListPage:
    page = ListPage(actor, "tax_payments", parent)

    void = _void_action(
        page,
        "tax_payment",
        N_("Void tax payment"),
        lambda ident, r, d: taxes.void_payment(actor, ident, r, d),
    )

    page.add_action(
        lambda: _("Record payment…"),
        lambda: dialogs.TaxPaymentDialog(actor, page).open(),
        actor.can("taxes.pay"),
    )
    page.add_action(lambda: _("Void…"), void, actor.can("taxes.void"))
    page.add_action(lambda: _("Print slip…"), lambda: _tax_slip(actor, page), actor.can("reports.read"))
    page.add_action(
        lambda: _("Close period…"),
        lambda: close_period_dialog(actor, page).open(),
        actor.can("periods.close"),
    )
    return page


def close_period_dialog(actor: Actor, parent: QWidget | None) -> ServiceDialog:
    """A manager closes the books up to a day: nothing can be dated on or before it afterwards, for good."""
    from coop.services import periods as closings

    title = _("Close period")
    dlg = ServiceDialog(
        title,
        [Field("period_to", N_("Last day of the closed period"), "date")],
        lambda v: closings.close(actor, v["period_to"]),
        parent,
    )
    closed = closings.closed_to()
    warning = _(
        "After closing, no sale, void, payout, tax payment or lot can be dated on or before this day, and "
        "the closing cannot be undone. Filings of the closed period print as final."
    )
    if closed is not None:
        warning += " " + _("The books are closed up to {date}.").format(date=fmt.date_text(closed))
    dlg.form.insertRow(0, QLabel(warning, dlg, objectName="close_period_warning", wordWrap=True))
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).setText(title)
    dlg.widgets["period_to"].setDate(_last_quarter_end(date.today()))
    return dlg


def _last_quarter_end(today: date) -> date:
    """The end of the last quarter before `today`: the period a manager usually closes."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    return date(today.year, first_month, 1) - timedelta(days=1)


def incidents_page(actor: Actor, parent: QWidget) -> ListPage:
    page = ListPage(actor, "incidents", parent)
    allowed = actor.can("incidents.write")

    def edit() -> None:
        ident = _need(page)
        if ident is not None:
            dialogs.incident_dialog(actor, ident, page).open()

    def move(target: str) -> None:
        from ui import incidents

        raw = page.selected_raw()
        if raw is None:
            _need(page)
            return
        incidents.move(actor, page, int(raw["id"]), str(raw.get("state")), target)

    page.add_action(
        lambda: _("New incident…"), lambda: dialogs.incident_dialog(actor, None, page).open(), allowed
    )
    page.add_action(lambda: _("Edit…"), edit, allowed)
    for target in ("investigating", "closed"):
        page.add_action(
            lambda t=target: _("Mark {state}").format(state=_(workflow.STATE_LABELS[t]).lower()),
            lambda _checked=False, t=target: move(t),
            allowed,
        )
    page.activated.connect(
        lambda ident: dialogs.incident_dialog(actor, ident, page).open() if allowed else None
    )
    return page


def mercury_page(actor: Actor, parent: QWidget) -> ListPage:
    page = ListPage(actor, "mercury", parent)
    page.add_action(
        lambda: _("Record mercury…"),
        lambda: dialogs.mercury_dialog(actor, page).open(),
        actor.can("mercury.write"),
    )
    return page


REPORTS = {
    "receipt": N_("Sale receipt (select a sale in Sales)"),
    "statement": N_("Statements of every member (one PDF)"),
    "tax-filing": N_("Tax filing for a period"),
    "production": N_("Production by site and mineral"),
    "safety": N_("Safety incidents"),
    "mercury": N_("Mercury use and Hg:Au ratio"),
    "census": N_("Member census"),
    "custody": N_("Chain of custody (site → lot → sale → buyer)"),
    "annual": N_("Annual report for the general assembly"),
}


class ReportsPage(QWidget):
    """The report types; each opens through reports.build in the PDF preview. A period (year, quarter, month
    or from–to dates) for the period reports; a lot reference or receipt number for the chain of custody."""

    PERIOD_REPORTS = ("statement", "tax-filing", "production", "safety", "mercury")

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.list = QListWidget(self, objectName="reports")
        self.list.setSpacing(3)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self.open_selected)
        self.list.itemActivated.connect(lambda _i: self.open_selected())
        self.list.currentRowChanged.connect(lambda _r: self._show_inputs())
        self.note = QLabel(self, wordWrap=True)
        from coop.services import dashboard

        latest = dashboard.latest_year() or date.today().year
        self.period_kind = QComboBox(self, objectName="report_period")
        self.year = QSpinBox(self, objectName="report_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(latest)
        self.quarter = QComboBox(self, objectName="report_quarter")
        self.month = QComboBox(self, objectName="report_month")
        self.date_from = QDateEdit(QDate(latest, 1, 1), self, calendarPopup=True, objectName="report_from")
        self.date_to = QDateEdit(QDate(latest, 12, 31), self, calendarPopup=True, objectName="report_to")
        self.to_label = QLabel(self)
        self.period_kind.currentIndexChanged.connect(lambda _i: self._show_inputs())
        self.period_label = QLabel(self)
        period_row = QHBoxLayout()
        for w in (
            self.period_label,
            self.period_kind,
            self.year,
            self.quarter,
            self.month,
            self.date_from,
            self.to_label,
            self.date_to,
        ):
            period_row.addWidget(w)
        period_row.addStretch(1)
        self.custody_label = QLabel(self)
        self.custody_kind = QComboBox(self, objectName="custody_kind")
        self.custody_ref = QLineEdit(self, objectName="custody_ref")
        self.custody_ref.setClearButtonEnabled(True)
        self.custody_ref.returnPressed.connect(self.open_selected)
        custody_row = QHBoxLayout()
        for w in (self.custody_label, self.custody_kind, self.custody_ref):
            custody_row.addWidget(w)
        custody_row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(period_row)
        lay.addLayout(custody_row)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.note)
        lay.addWidget(self.open_button)
        self.retranslate()

    def retranslate(self) -> None:
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for key, text in REPORTS.items():
            item = QListWidgetItem(_(text), self.list)
            item.setData(256, key)
        self.list.setCurrentRow(max(row, 0))
        self.list.blockSignals(False)
        self.open_button.setText(_("Open report…"))
        self.period_label.setText(_("Period"))
        self.to_label.setText(_("to"))
        self.custody_label.setText(_("Chain of custody of"))
        self.custody_ref.setPlaceholderText(
            _("e.g. KAM-20250102-001") if self.custody_kind.currentData() != "sale" else _("e.g. 2025/17")
        )
        labels = {
            "year": _("Year"),
            "quarter": _("Quarter"),
            "month": _("Month"),
            "dates": _("From – to"),
        }
        _refill(self.period_kind, [(k, labels[k]) for k in periods.KINDS])
        _refill(self.quarter, [(q, _("Quarter {quarter}").format(quarter=q)) for q in range(1, 5)])
        _refill(
            self.month,
            [(m, i18n.format_date(date(2000, m, 1), fmt.Context.locale, "LLLL")) for m in range(1, 13)],
        )
        _refill(self.custody_kind, [("lot", _("the lot")), ("sale", _("the sale with receipt no."))])
        self.note.setText(_("Reports cover the chosen period; they open in a preview to print or save."))
        self._show_inputs()

    def kind(self) -> str | None:
        item = self.list.currentItem()
        return item.data(256) if item else None

    def _show_inputs(self) -> None:
        """The period inputs of the chosen period kind; the custody inputs only for that report."""
        period = self.period_kind.currentData() or "year"
        shown = {
            self.year: period != "dates",
            self.quarter: period == "quarter",
            self.month: period == "month",
            self.date_from: period == "dates",
            self.to_label: period == "dates",
            self.date_to: period == "dates",
        }
        for widget, visible in shown.items():
            widget.setVisible(visible)
        kind = self.kind()
        for widget in (self.period_label, self.period_kind, *shown):
            widget.setEnabled(kind in (*self.PERIOD_REPORTS, "census", "annual"))
        for widget in (self.custody_label, self.custody_kind, self.custody_ref):
            widget.setVisible(kind == "custody")

    def period(self) -> tuple[date, date]:
        """The start and end of the chosen period."""
        period, year = self.period_kind.currentData() or "year", self.year.value()
        if period == "quarter":
            return periods.quarter(year, self.quarter.currentData() or 1)
        if period == "month":
            return periods.month(year, self.month.currentData() or 1)
        if period == "dates":
            return self.date_from.date().toPython(), self.date_to.date().toPython()
        return periods.year(year)

    def set_period(self, kind: str, year: int, number: int = 1) -> None:
        """Choose a period (quarter or month `number` of `year`), as a user does with the inputs."""
        self.period_kind.setCurrentIndex(self.period_kind.findData(kind))
        self.year.setValue(year)
        if kind == "quarter":
            self.quarter.setCurrentIndex(self.quarter.findData(number))
        elif kind == "month":
            self.month.setCurrentIndex(self.month.findData(number))

    def params(self, kind: str) -> dict:
        start, end = self.period()
        if kind in ("tax-filing", "production", "safety", "mercury"):
            return {"start": start, "end": end}
        if kind == "census":
            return {"end": end}
        if kind == "annual":
            return {"year": self.year.value()}
        if kind == "custody":
            return self._custody_params()
        return {}

    def _custody_params(self) -> dict:
        """The lot reference, or the sale of the receipt number typed (a ValidationError when empty)."""
        text = self.custody_ref.text().strip()
        if not text:
            raise ValidationError("custody", "Type a lot reference or a receipt number.")
        if self.custody_kind.currentData() == "sale":
            from coop.services.documents import receipt

            return {"sale_id": receipt.find_sale(text)}
        return {"lot_ref": text}

    def batch_statements(self) -> None:
        """Every member's statement for the period in one PDF, built on a worker thread."""
        from ui.work import run_in_background

        start, end = self.period()
        name = periods.name(start, end, fmt.Context.locale) or _("{start} to {end}").format(
            start=fmt.date_text(start), end=fmt.date_text(end)
        )

        def job(progress, cancelled):
            return build_report("statement", self.actor, start=start, end=end, all=True)

        def done(pdf) -> None:
            if pdf is None:
                msgbox.information(
                    self, _("Reports"), _("The reports module is not installed in this build.")
                )
                return
            show_pdf(
                self,
                pdf,
                _("Member statements — {period}").format(period=name),
                f"statements-{start.isoformat()}-{end.isoformat()}.pdf",
            )

        run_in_background(self, _("Preparing the statements…"), job, done)

    def open_selected(self) -> None:
        item = self.list.currentItem()
        kind = item.data(256) if item else None
        if kind in (None, "receipt"):
            msgbox.information(self, _("Reports"), _("Open receipts from Sales."))
            return
        if kind == "statement":
            self.batch_statements()
            return
        try:
            params = self.params(kind)
        except CoopError as exc:
            msgbox.warning(self, _("Reports"), exc.message())
            return
        show_report_in_background(self, kind, self.actor, item.text(), params)


def _refill(combo: QComboBox, items: list[tuple[object, str]]) -> None:
    """Replace a combo's (data, text) items, keeping the chosen data and sending no change signal."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


def users_page(actor: Actor, parent: QWidget) -> ListPage:
    """Accounts (managers only): add, change role / member / password, unlock after failed logins."""
    from coop.services import users

    page = ListPage(actor, "users", parent)

    def edit() -> None:
        ident = _need(page)
        if ident is not None:
            dialogs.user_edit_dialog(actor, ident, page).open()

    def unlock() -> None:
        ident = _need(page)
        if ident is not None:
            OPS.run(page, users.unlock, actor, ident)

    page.add_action(lambda: _("New user…"), lambda: dialogs.user_dialog(actor, page).open())
    page.add_action(lambda: _("Edit…"), edit)
    page.add_action(lambda: _("Unlock"), unlock)
    page.activated.connect(lambda ident: dialogs.user_edit_dialog(actor, ident, page).open())
    return page


class SettingsPage(QTabWidget):
    """Cooperative details, tax rules, minerals, buyers and (for managers) users."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        coop_tab = QWidget(self)
        self.coop_label = QLabel(coop_tab, wordWrap=True, objectName="coop_details")
        self.coop_button = QPushButton(coop_tab)
        self.coop_button.setEnabled(actor.can("settings.write"))
        self.coop_button.clicked.connect(lambda: dialogs.settings_dialog(actor, self).open())
        lay = QVBoxLayout(coop_tab)
        lay.addWidget(self.coop_label)
        lay.addWidget(self.coop_button)
        lay.addStretch(1)
        self.tabs: list[tuple[QWidget, str]] = [(coop_tab, N_("Cooperative"))]
        self.tabs.append(
            (simple_page("tax_rule", "tax_rules", "taxrules.write", actor, self), N_("Tax rules"))
        )
        self.tabs.append((simple_page("mineral", "minerals", "minerals.write", actor, self), N_("Minerals")))
        self.tabs.append((simple_page("buyer", "buyers", "buyers.write", actor, self), N_("Buyers")))
        if actor.can("users.manage"):
            self.tabs.append((users_page(actor, self), N_("Users")))
        for widget, title in self.tabs:
            self.addTab(widget, _(title))
        OPS.changed.connect(self._on_changed)
        self.retranslate()

    SHOWS = ("settings",)  # the areas the cooperative's tab shows (each list tab declares its own)

    def _on_changed(self, changes: Changes) -> None:
        if changes.affects(*self.SHOWS):
            self.retranslate()

    def retranslate(self) -> None:
        from coop.services import settings

        s = settings.get()
        # "{label}: {value}" is translated whole: French puts a no-break space before the colon
        pair = _("{label}: {value}").format
        lines = [
            f"<b>{s.name}</b>",
            s.address,
            pair(label=_("Registration no."), value=s.registration_no),
            pair(label=_("Tax id"), value=s.tax_id),
            pair(label=_("Currency"), value=s.currency) + " · " + pair(label=_("Format"), value=s.locale),
            pair(label=_("Cooperative levy"), value=fmt.cell("bp", s.levy_bp, {})),
        ]
        self.coop_label.setText("<br>".join(lines))
        self.coop_button.setText(_("Edit cooperative details…"))
        for i, (widget, title) in enumerate(self.tabs):
            self.setTabText(i, _(title))
            if isinstance(widget, ListPage):
                widget.retranslate()
