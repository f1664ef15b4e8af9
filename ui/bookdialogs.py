"""The treasurer's dialogs of the books: expense and income (with a split over accounts), transfer, share capital,
cash count, a new treasury account, and the manager's year close; each writes through the operation runner."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coop import money
from coop.changes import Saved
from coop.errors import CoopError, ErrorList, ValidationError
from coop.i18n import N_, _, ngettext
from coop.permissions import Actor
from coop.services.books import cashcount, chart, charts, entries, shares, treasury, yearclose
from ui import fmt, msgbox
from ui.forms import ERROR_STYLE, Field, FormDialog, ServiceDialog, exact_number

DYNAMIC = "books_dynamic"  # the choice fields whose items the dialog fills itself (accounts, members)
fmt.LABELS.setdefault(DYNAMIC, {})
SHARE_ACTIONS = {
    "subscribe": N_("Subscription (the member promises capital)"),
    "pay": N_("Payment of subscribed capital"),
    "refund": N_("Refund to a member who leaves"),
}
fmt.LABELS.setdefault("share_actions", SHARE_ACTIONS)
SPLIT_ROWS = 5
SPLIT_MISMATCH = N_("The parts add up to {total}; the amount is {amount}.")


def treasury_text(t: treasury.Treasury) -> str:
    """A treasury account as listed: its (translated) name and its number in the chart."""
    return _("{name} ({number})").format(name=_(t.name), number=t.number)


def fill_treasuries(combo: QComboBox, actor: Actor, kinds: tuple[str, ...] = treasury.KINDS) -> None:
    """The active treasury accounts of these kinds, by kind; the item data is the account's id."""
    combo.clear()
    for t in treasury.accounts(actor):
        if t.active and t.kind in kinds:
            combo.addItem(treasury_text(t), t.id)


def account_text(a: chart.Account) -> str:
    return " — ".join((a.number, _(a.name)))  # (no gettext inside an f-string: the extractor misses it)


def category_accounts(actor: Actor, primary: str) -> list[chart.Account]:
    """The accounts an expense (primary "expense") or income ("income") may go to: the leaves of the chart of
    that type first, then the other asset and liability leaves (equipment bought, a supplier paid); never a
    treasury account (a transfer) or a member's account (share capital, payouts)."""
    own = {t.number for t in treasury.accounts(actor)}
    by_number = {n: k for k, n in chart.key_numbers().items()}
    usable = [
        a
        for a in chart.accounts(actor)
        if a.leaf
        and a.number not in own
        and by_number.get(a.number) not in charts.MEMBER_KEYS
        and a.type in (primary, "asset", "liability")
    ]
    return sorted(usable, key=lambda a: (a.type != primary, a.number))


def fill_accounts(combo: QComboBox, accounts: list[chart.Account]) -> None:
    combo.clear()
    for a in accounts:
        combo.addItem(account_text(a), a.number)


class BooksDialog(FormDialog):
    """A form of the books: the services' field names (treasury, to, date, …) mapped to this form's inputs."""

    ALIASES: dict[str, str] = {}

    def _field_alias(self, name: str | None) -> str:
        return self.ALIASES.get(name or "") or super()._field_alias(name)

    def combo(self, name: str) -> QComboBox:
        w = self.widgets[name]
        assert isinstance(w, QComboBox)
        return w

    def line(self, name: str) -> QLineEdit:
        w = self.widgets[name]
        assert isinstance(w, QLineEdit)
        return w

    def add_note(self, row: int, label: str, name: str) -> QLabel:
        """A read-only line (a balance, a total) inserted at `row` of the form."""
        value = QLabel(self, objectName=name, wordWrap=True)
        self.form.insertRow(row, label, value)
        return value

    def balance_text(self, treasury_id: Any) -> str:
        if treasury_id is None:
            return ""
        return fmt.money_text(treasury.get(int(treasury_id)).balance_minor)


class MoneyDialog(BooksDialog):
    """An expense (money paid out of a treasury account) or other income (money received into one): one account
    of the chart, or split over several with a running total that must equal the amount."""

    ALIASES = {"treasury": "treasury"}

    def __init__(self, actor: Actor, kind: str, parent: QWidget | None = None) -> None:
        self.actor, self.kind = actor, kind
        expense = kind == "expense"
        fields = [
            Field("day", N_("Date"), "date"),
            Field("treasury", N_("Paid from") if expense else N_("Received into"), "choice", DYNAMIC),
            Field("account", N_("Account"), "choice", DYNAMIC),
            Field("party", N_("Payee") if expense else N_("Payer")),
            Field("amount", N_("Amount"), "amount", suffix=fmt.Context.currency),
            Field("document_ref", N_("Document reference (invoice, receipt no.)")),
            Field("note", N_("Note"), "multiline"),
        ]
        super().__init__(_("New expense") if expense else _("New income"), fields, parent)
        self.accounts = category_accounts(actor, kind)
        fill_treasuries(self.combo("treasury"), actor)
        fill_accounts(self.combo("account"), self.accounts)
        self.balance = self.add_note(2, _("Balance"), "treasury_balance")
        self.combo("treasury").currentIndexChanged.connect(lambda _i: self._show_balance())
        self._split_rows()
        self._show_balance()

    def _split_rows(self) -> None:
        self.split_on = QCheckBox(_("Split over several accounts"), self, objectName="split_on")
        grid = QGridLayout()
        self.parts: list[tuple[QComboBox, QLineEdit]] = []
        for i in range(SPLIT_ROWS):
            combo = QComboBox(self, objectName=f"split_account_{i}")
            fill_accounts(combo, self.accounts)
            amount = QLineEdit(self, objectName=f"split_amount_{i}")
            amount.setAlignment(Qt.AlignmentFlag.AlignRight)
            err = QLabel(self, objectName=f"error_split_{i + 1}", wordWrap=True)
            err.setStyleSheet(ERROR_STYLE)
            err.hide()
            self.errors[f"split {i + 1}"] = err
            grid.addWidget(combo, 2 * i, 0)
            grid.addWidget(amount, 2 * i, 1)
            grid.addWidget(err, 2 * i + 1, 0, 1, 2)
            amount.textChanged.connect(lambda _t: self._show_total())
            self.parts.append((combo, amount))
        self.total = QLabel(self, objectName="split_total")
        err = QLabel(self, objectName="error_split", wordWrap=True)
        err.setStyleSheet(ERROR_STYLE)
        err.hide()
        self.errors["split"] = err
        grid.addWidget(self.total, 2 * SPLIT_ROWS, 0, 1, 2)
        grid.addWidget(err, 2 * SPLIT_ROWS + 1, 0, 1, 2)
        self.split_box = QWidget(self)
        self.split_box.setLayout(grid)
        grid.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(self.split_on)
        self.form.addRow(self.split_box)
        self.split_on.toggled.connect(lambda _c: self._split_toggled())
        self.line("amount").textChanged.connect(lambda _t: self._show_total())
        self._split_toggled()

    def _split_toggled(self) -> None:
        on = self.split_on.isChecked()
        self.split_box.setVisible(on)
        self.combo("account").setEnabled(not on)
        self._show_total()

    def _show_balance(self) -> None:
        self.balance.setText(self.balance_text(self.combo("treasury").currentData()))

    def part_values(self) -> list[tuple[str, Decimal]]:
        """The split's (account, amount) rows with an amount typed; a ValidationError names the row."""
        out = []
        for i, (combo, amount) in enumerate(self.parts):
            if amount.text().strip():
                out.append(
                    (combo.currentData(), exact_number(amount.text(), Field(f"split {i + 1}", "", "amount")))
                )
        return out

    def _show_total(self) -> None:
        try:
            parts = self.part_values()
            total = sum((a for _n, a in parts), Decimal(0))
            typed = exact_number(self.line("amount").text(), Field("amount", "", "amount"))
        except ValidationError:
            self.total.setText(_("Split total: —"))
            return
        ccy = fmt.Context.currency
        self.total.setText(
            _("Split total: {total} of {amount}").format(
                total=fmt.money_text(money.to_minor(total, ccy)),
                amount=fmt.money_text(money.to_minor(typed, ccy)),
            )
        )
        self.total.setStyleSheet("" if total == typed else ERROR_STYLE)

    def set_split(self, parts: list[tuple[str, str]]) -> None:
        """Fill the split rows with (account number, amount as typed) (used by tests and by a user)."""
        self.split_on.setChecked(True)
        for (combo, amount), (number, text) in zip(self.parts, parts, strict=False):
            combo.setCurrentIndex(combo.findData(number))
            amount.setText(text)

    def _refused(self, exc: CoopError) -> bool:
        """Several parts of a split refused at once: each message beside its row."""
        if isinstance(exc, ErrorList) and all(isinstance(e, ValidationError) for e in exc.errors):
            for e in exc.errors:
                self.show_error(e)
            return True
        return super()._refused(exc)

    def submit(self, values: dict[str, Any]) -> Saved:
        splits: list[entries.Split] = []
        if self.split_on.isChecked():
            parts = self.part_values()
            total = sum((a for _n, a in parts), Decimal(0))
            if total != values["amount"]:
                ccy = fmt.Context.currency
                raise ValidationError(
                    "split",
                    SPLIT_MISMATCH,
                    total=fmt.money_text(money.to_minor(total, ccy)),
                    amount=fmt.money_text(money.to_minor(values["amount"], ccy)),
                )
            splits = [entries.Split(n, a) for n, a in parts]
        common = {
            "day": values["day"],
            "treasury_id": values["treasury"],
            "account": values["account"] or "",
            "amount": values["amount"],
            "splits": splits,
            "document_ref": values["document_ref"],
            "note": values["note"],
        }
        if self.kind == "expense":
            return entries.record_expense(self.actor, payee=values["party"], **common)
        return entries.record_income(self.actor, payer=values["party"], **common)


class TransferDialog(BooksDialog):
    """Money moved between two treasury accounts (cash deposited at the bank, mobile money withdrawn)."""

    ALIASES = {"to": "to_id", "from": "from_id", "treasury": "from_id"}

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        self.actor = actor
        fields = [
            Field("day", N_("Date"), "date"),
            Field("from_id", N_("From"), "choice", DYNAMIC),
            Field("to_id", N_("To"), "choice", DYNAMIC),
            Field("amount", N_("Amount"), "amount", suffix=fmt.Context.currency),
            Field("document_ref", N_("Document reference (deposit slip, transaction no.)")),
            Field("note", N_("Note"), "multiline"),
        ]
        super().__init__(_("Transfer between treasury accounts"), fields, parent)
        fill_treasuries(self.combo("from_id"), actor)
        fill_treasuries(self.combo("to_id"), actor)
        self.combo("to_id").setCurrentIndex(min(1, self.combo("to_id").count() - 1))
        self.balance = self.add_note(2, _("Balance"), "treasury_balance")
        self.combo("from_id").currentIndexChanged.connect(lambda _i: self._show_balance())
        self._show_balance()

    def _show_balance(self) -> None:
        self.balance.setText(self.balance_text(self.combo("from_id").currentData()))

    def submit(self, values: dict[str, Any]) -> Saved:
        return entries.transfer(
            self.actor,
            day=values["day"],
            from_id=values["from_id"],
            to_id=values["to_id"],
            amount=values["amount"],
            document_ref=values["document_ref"],
            note=values["note"],
        )


class ShareDialog(BooksDialog):
    """A member's share capital: subscribed, paid into a treasury account, or refunded when they leave."""

    ALIASES = {"member": "member", "treasury": "treasury"}

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        self.actor = actor
        fields = [
            Field("member", N_("Member"), "fk", "members"),
            Field("action", N_("Movement"), "choice", "share_actions"),
            Field("treasury", N_("Treasury account"), "choice", DYNAMIC),
            Field("amount", N_("Amount"), "amount", suffix=fmt.Context.currency),
            Field("day", N_("Date"), "date"),
            Field("document_ref", N_("Document reference (receipt no.)")),
            Field("note", N_("Note"), "multiline"),
        ]
        super().__init__(_("Share capital"), fields, parent)
        fill_treasuries(self.combo("treasury"), actor)
        self.capital = self.add_note(1, _("Share capital"), "share_capital")
        self.combo("member").currentIndexChanged.connect(lambda _i: self._show_capital())
        self.combo("action").currentIndexChanged.connect(lambda _i: self._action_changed())
        self._action_changed()
        self._show_capital()

    def _action_changed(self) -> None:
        # a subscription moves no money: it is what the member owes
        self.combo("treasury").setEnabled(self.combo("action").currentData() != "subscribe")

    def _show_capital(self) -> None:
        member = self.combo("member").currentData()
        if member is None:
            self.capital.setText("")
            return
        c = shares.share_capital(self.actor, int(member))
        self.capital.setText(
            _("Subscribed {subscribed} · paid {paid} · still to pay {unpaid}").format(
                subscribed=fmt.money_text(c.subscribed_minor),
                paid=fmt.money_text(c.paid_minor),
                unpaid=fmt.money_text(c.unpaid_minor),
            )
        )

    def submit(self, values: dict[str, Any]) -> Saved:
        member, amount, day = values["member"], values["amount"], values["day"]
        if member is None:
            raise ValidationError("member", N_("Choose the member."))
        if values["action"] == "subscribe":
            return shares.subscribe(self.actor, member, amount, day, note=values["note"])
        through = {"treasury_id": values["treasury"], "document_ref": values["document_ref"]}
        if values["action"] == "pay":
            return shares.pay(self.actor, member, amount, day, **through)
        return shares.refund(self.actor, member, amount, day, **through, note=values["note"])


class CashCountDialog(BooksDialog):
    """The treasurer counts a cash box: the books' balance and the difference are shown; a difference needs a
    reason (posted to cash over / cash short)."""

    ALIASES = {"treasury": "treasury"}

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        self.actor = actor
        fields = [
            Field("treasury", N_("Cash box"), "choice", DYNAMIC),
            Field("day", N_("Date"), "date"),
            Field("counted", N_("Counted amount"), "amount", suffix=fmt.Context.currency),
            Field("reason", N_("Reason for a difference"), "multiline"),
        ]
        super().__init__(_("Cash count"), fields, parent)
        fill_treasuries(self.combo("treasury"), actor, ("cash",))
        self.book = self.add_note(3, _("Balance in the books"), "book_balance")
        self.difference = self.add_note(4, _("Difference"), "count_difference")
        self.combo("treasury").currentIndexChanged.connect(lambda _i: self.update_figures())
        self.widgets["day"].textChanged.connect(lambda _t: self.update_figures())  # type: ignore[attr-defined]
        self.line("counted").textChanged.connect(lambda _t: self.update_figures())
        self.update_figures()

    def book_minor(self) -> int | None:
        ident, day = self.combo("treasury").currentData(), self.widgets["day"].date()  # type: ignore[attr-defined]
        if ident is None or not day.isValid():
            return None
        return treasury.daily_balance(treasury.get(int(ident)).key, day.toPython())

    def update_figures(self) -> None:
        book = self.book_minor()
        self.book.setText("" if book is None else fmt.money_text(book))
        try:
            typed = self.line("counted").text().strip()
            counted = money.to_minor(
                exact_number(typed, Field("counted", "", "amount")), fmt.Context.currency
            )
        except ValidationError:
            counted = None
        if book is None or counted is None or not typed:
            self.difference.setText("")
            return
        diff = counted - book
        if diff == 0:
            self.difference.setText(_("None: the count matches the books."))
        elif diff > 0:
            self.difference.setText(
                _("{amount} more than the books (a reason is required)").format(amount=fmt.money_text(diff))
            )
        else:
            self.difference.setText(
                _("{amount} less than the books (a reason is required)").format(amount=fmt.money_text(-diff))
            )

    def submit(self, values: dict[str, Any]) -> Saved:
        if values["treasury"] is None:
            raise ValidationError("treasury", N_("There is no cash box to count."))
        return cashcount.count_cash(
            self.actor, values["treasury"], values["counted"], values["day"], values["reason"]
        )


def treasury_dialog(actor: Actor, parent: QWidget | None) -> ServiceDialog:
    """A new cash box, mobile-money wallet or bank account (a sub-account of the chart gets its number)."""
    fields = [
        Field("name", N_("Name")),
        Field("kind", N_("Kind"), "choice", "methods"),
        Field("default", N_("Used by default for its kind"), "bool"),
    ]
    return ServiceDialog(
        _("New treasury account"),
        fields,
        lambda v: treasury.add(actor, v["name"], v["kind"], default=v["default"]),
        parent,
    )


PARTS = (
    ("legal_reserve", N_("Legal (general) reserve")),
    ("education_reserve", N_("Education and training reserve")),
    ("other_reserve", N_("Other reserves / development fund")),
    ("ristourne", N_("Patronage refund to members (ristourne)")),
)


class YearCloseDialog(BooksDialog):
    """The manager closes a fiscal year with the allocation the general assembly decided (percentages of the
    surplus); Preview shows the figures, the closing button posts them and closes the year's periods."""

    ALIASES = {
        "year": "year",
        "date": "day",
        **{f"{p}_pct": p for p, _l in PARTS},
    }

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        self.actor = actor
        fields = [
            Field("year", N_("Fiscal year"), "int"),
            Field("day", N_("Date of the general assembly"), "date"),
            Field("reference", N_("Resolution or minutes reference")),
            *(Field(p, label, "decimal", suffix="%", places=2) for p, label in PARTS),
        ]
        super().__init__(_("Close the fiscal year"), fields, parent)
        year = self.widgets["year"]
        assert isinstance(year, QSpinBox)
        year.setRange(2000, 2100)
        year.setValue(date.today().year - 1)
        if chart.installed() == "syscohada":  # the least the OHADA Uniform Act allows (art. 114)
            self.line("legal_reserve").setText(fmt.cell("int", 20, {}))
            self.line("education_reserve").setText(fmt.cell("int", 20, {}))
        self.figures = QLabel(self, objectName="year_figures", wordWrap=True)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.figures)  # under the inputs, not inside their scroll area: read whole
        self.preview_button = self.buttons.addButton(_("Preview"), QDialogButtonBox.ButtonRole.ActionRole)
        self.preview_button.setObjectName("year_preview")
        self.preview_button.clicked.connect(lambda: self.preview())
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Close the year"))

    def allocation(self, values: dict[str, Any]) -> yearclose.AllocationInput:
        percent = {p: str(values[p]) for p, _l in PARTS if values[p]}
        return yearclose.AllocationInput(day=values["day"], reference=values["reference"], percent=percent)

    def preview(self) -> yearclose.YearClose | None:
        """Show the year's figures and the allocation, without writing; a problem next to its field."""
        self.clear_errors()
        try:
            values = self.values()
            plan = yearclose.plan(self.actor, values["year"], self.allocation(values))
        except CoopError as exc:
            self.figures.setText("")
            if not self._refused(exc):
                msgbox.warning(self, _("Cannot do this"), exc.message())
            return None
        self.figures.setText(plan_text(plan))
        self.adjustSize()  # the figures' lines
        return plan

    def submit(self, values: dict[str, Any]) -> Saved:
        return yearclose.close_year(self.actor, values["year"], self.allocation(values))


def plan_text(p: yearclose.YearClose) -> str:
    """The figures of a year close, one per line, in the user's formats."""
    pair = _("{label}: {value}").format
    refunded = ngettext("{amount} to {count} member", "{amount} to {count} members", len(p.refunds)).format(
        amount=fmt.money_text(p.ristourne_minor), count=fmt.cell("int", len(p.refunds), {})
    )
    lines = [
        pair(label=_("Fiscal year"), value=p.series),
        pair(label=_("Income"), value=fmt.money_text(p.income_minor)),
        pair(label=_("Expenses"), value=fmt.money_text(p.expenses_minor)),
        pair(label=_("Result of the year"), value=fmt.money_text(p.result_minor)),
        pair(label=_(PARTS[0][1]), value=fmt.money_text(p.legal_reserve_minor)),
        pair(label=_(PARTS[1][1]), value=fmt.money_text(p.education_reserve_minor)),
        pair(label=_(PARTS[2][1]), value=fmt.money_text(p.other_reserve_minor)),
        pair(label=_(PARTS[3][1]), value=refunded),
        pair(label=_("Retained earnings"), value=fmt.money_text(p.retained_minor)),
    ]
    return "\n".join(lines)
