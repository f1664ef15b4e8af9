"""Dialog factories per record kind, wired to the coop services (create and edit)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QSpinBox, QWidget

from coop.changes import Changes, Saved
from coop.errors import CoopError, ErrorList, UnusualValue, ValidationError
from coop.i18n import N_, _, ngettext
from coop.permissions import Actor
from coop.services import ledger, lookups, payouts, production, registry, safety, settings, tables, taxes
from ui import fmt, msgbox
from ui.forms import (
    BUYER_FIELDS,
    INCIDENT_FIELDS,
    MEMBER_FIELDS,
    MERCURY_FIELDS,
    MINERAL_FIELDS,
    SETTINGS_FIELDS,
    SITE_FIELDS,
    TAX_RULE_FIELDS,
    Field,
    FormDialog,
    ServiceDialog,
)


def _row(actor: Actor, kind: str, record_id: int | None) -> dict[str, Any]:
    if record_id is None:
        return {}
    return lookups.record_values(actor, kind, record_id)  # foreign keys hold the id


def member_dialog(actor: Actor, member_id: int | None, parent: QWidget | None) -> ServiceDialog:
    def save(v: dict) -> Saved:
        v["birth_year"] = v["birth_year"] or None
        v["sex"] = v["sex"] or ""  # "—": not asked yet
        return registry.save_member(actor, member_id, **v)

    title = _("New member") if member_id is None else _("Edit member")
    dlg = ServiceDialog(title, MEMBER_FIELDS, save, parent)
    values = _row(actor, "member", member_id)
    if not values:
        values["member_no"] = lookups.next_member_no(actor) or None  # a suggestion the clerk may change
    dlg.set_values(values)
    return dlg


def simple_dialog(kind: str, actor: Actor, record_id: int | None, parent: QWidget | None) -> ServiceDialog:
    """Sites, minerals, buyers, tax rules: a field list and a save function."""
    fields, saver, title_new, title_edit = {
        "site": (SITE_FIELDS, registry.save_site, N_("New site"), N_("Edit site")),
        "mineral": (MINERAL_FIELDS, registry.save_mineral, N_("New mineral"), N_("Edit mineral")),
        "buyer": (BUYER_FIELDS, registry.save_buyer, N_("New buyer"), N_("Edit buyer")),
        "tax_rule": (TAX_RULE_FIELDS, taxes.save_rule, N_("New tax rule"), N_("Edit tax rule")),
    }[kind]

    def save(v: dict) -> Saved:
        if "rate" in v:
            v["rate_bp"] = v.pop("rate")
        return saver(actor, record_id, **v)

    dlg = ServiceDialog(_(title_new if record_id is None else title_edit), fields, save, parent)
    values = _row(actor, kind, record_id)
    if "rate_bp" in values:
        values["rate"] = values["rate_bp"]
    dlg.set_values(values)
    return dlg


def incident_dialog(actor: Actor, incident_id: int | None, parent: QWidget | None) -> ServiceDialog:
    def save(v: dict) -> Saved:
        if not v["reported_to_authority"]:
            v["reported_on"] = None
        return safety.save_incident(actor, incident_id, **v)

    title = _("New incident") if incident_id is None else _("Edit incident")
    dlg = ServiceDialog(title, INCIDENT_FIELDS, save, parent)
    dlg.set_values(_row(actor, "incident", incident_id))
    return dlg


def mercury_dialog(actor: Actor, parent: QWidget | None) -> ServiceDialog:
    return ServiceDialog(
        _("Record mercury"), MERCURY_FIELDS, lambda v: safety.record_mercury(actor, **v), parent
    )


def settings_dialog(actor: Actor, parent: QWidget | None) -> ServiceDialog:
    def save(v: dict) -> Changes:
        v["levy_bp"] = v.pop("levy")
        changes = settings.save(actor, **v)
        fmt.Context.refresh()
        return changes

    dlg = ServiceDialog(_("Cooperative details"), SETTINGS_FIELDS, save, parent)
    s = settings.get()
    dlg.set_values({**s.__dict__, "levy": s.levy_bp})
    return dlg


def payout_dialog(actor: Actor, member_id: int | None, parent: QWidget | None) -> ServiceDialog:
    """Pay a member out of their balance (the balance is shown and pre-filled)."""
    fields = [
        Field("member", N_("Member"), "fk", "members"),
        Field("amount", N_("Amount"), "amount", suffix=fmt.Context.currency),
        Field("day", N_("Date"), "date"),
        Field("method", N_("Method"), "choice", "methods"),
        Field("reference", N_("Reference")),
    ]

    def save(v: dict) -> Saved:
        return payouts.pay_member(actor, v["member"], v["amount"], v["day"], v["method"], v["reference"])

    dlg = ServiceDialog(_("Pay a member"), fields, save, parent)
    balance = QLabel(dlg, objectName="balance")
    dlg.form.insertRow(1, _("Balance owed"), balance)
    combo = dlg.widgets["member"]
    assert isinstance(combo, QComboBox)

    def show_balance() -> None:
        if combo.currentData() is None:
            return
        owed = ledger.member_balance(actor, combo.currentData())
        balance.setText(fmt.money_text(owed))
        dlg.widgets["amount"].setText(fmt.cell("money", owed, {}) if owed > 0 else "")  # type: ignore[attr-defined]

    combo.currentIndexChanged.connect(show_balance)
    if member_id is not None:
        combo.setCurrentIndex(max(0, combo.findData(member_id)))
    show_balance()
    return dlg


class LotDialog(FormDialog):
    """A production lot with up to six owners and their shares (in percent, summing to 100)."""

    OWNER_ROWS = 6

    def __init__(self, actor: Actor, lot_id: int | None, parent: QWidget | None = None) -> None:
        fields = [
            Field("site_id", N_("Site"), "fk", "sites"),
            Field("mineral_id", N_("Mineral"), "fk", "minerals"),
            Field("date", N_("Date"), "date"),
            Field("quantity", N_("Gross quantity"), "decimal"),
            Field("grade", N_("Grade (‰ / % / karat)"), "decimal"),
            Field("mercury_g", N_("Mercury used"), "decimal", suffix="g"),
            Field("retort_used", N_("Retort used"), "bool"),
            Field("notes", N_("Notes"), "multiline"),
        ]
        super().__init__(
            _("New production lot") if lot_id is None else _("Edit production lot"), fields, parent
        )
        self.actor, self.lot_id = actor, lot_id
        self.unusual_qty: Decimal | None = None  # shown as unusual once: saving it unchanged keeps it
        self.unit = QLabel(self, objectName="unit")
        self.form.insertRow(4, _("Unit"), self.unit)
        self.reference = QLabel(self, objectName="reference")
        self.form.insertRow(0, _("Reference"), self.reference)
        grid = QGridLayout()
        members = tables.choices("members")
        self.owner_rows: list[tuple[QComboBox, QSpinBox]] = []
        for i in range(self.OWNER_ROWS):
            combo = QComboBox(self, objectName=f"owner_{i}")
            combo.addItem("—", None)
            for ident, text in members:
                combo.addItem(text, ident)
            share = QSpinBox(self, objectName=f"share_{i}", suffix=" %")
            share.setRange(0, 100)
            grid.addWidget(combo, i, 0)
            grid.addWidget(share, i, 1)
            self.owner_rows.append((combo, share))
        err = QLabel(self, objectName="error_owners")
        err.setStyleSheet("color: #b00020;")
        err.hide()
        self.errors["owners"] = err
        grid.addWidget(err, self.OWNER_ROWS, 0, 1, 2)
        self.form.addRow(_("Owners and shares"), grid)
        mineral = self.widgets["mineral_id"]
        assert isinstance(mineral, QComboBox)
        mineral.currentIndexChanged.connect(self._show_unit)
        self._load()
        self._show_unit()
        self.widgets["site_id"].currentIndexChanged.connect(self._show_reference)  # type: ignore[attr-defined]
        self.widgets["date"].textChanged.connect(self._show_reference)  # type: ignore[attr-defined]
        self._show_reference()

    def _show_reference(self) -> None:
        """The lot's reference: stored when editing; when new, the one it will get (site + date + number)."""
        if self.lot_id is not None:
            self.reference.setText(lookups.lot_values(self.actor, self.lot_id).reference)
            return
        site, day = self.widgets["site_id"].currentData(), self.widgets["date"].date()  # type: ignore[attr-defined]
        if site is None or not day.isValid():
            self.reference.setText("")
            return
        self.reference.setText(
            _("{reference} (given when saved)").format(
                reference=lookups.next_lot_reference(site, day.toPython())
            )
        )

    def _show_unit(self) -> None:
        ident = self.widgets["mineral_id"].currentData()  # type: ignore[attr-defined]
        unit = lookups.mineral_unit(ident) if ident else ""
        self.unit.setText(_(fmt.LABELS["units"].get(unit, unit)))

    def _load(self) -> None:
        if self.lot_id is None:
            return
        lot = lookups.lot_values(self.actor, self.lot_id)
        self.set_values(
            {
                "site_id": lot.site_id,
                "mineral_id": lot.mineral_id,
                "date": lot.date,
                "quantity": fmt.milli_text(lot.qty_milli),
                "grade": fmt.milli_text(lot.grade_milli),
                "mercury_g": fmt.milli_text(lot.mercury_milli),
                "retort_used": lot.retort_used,
                "notes": lot.notes,
            }
        )
        for (combo, share), (member_id, share_bp) in zip(self.owner_rows, lot.owners, strict=False):
            combo.setCurrentIndex(combo.findData(member_id))
            share.setValue(share_bp // 100)

    def set_owners(self, owners: list[tuple[int, int]]) -> None:
        """(member id, percent) pairs (used by tests and by 'copy last lot')."""
        for (combo, share), (member, pct) in zip(self.owner_rows, owners, strict=False):
            combo.setCurrentIndex(combo.findData(member))
            share.setValue(pct)

    def submit(self, values: dict[str, Any]) -> Saved | Changes:
        owners = [
            (c.currentData(), s.value() * 100) for c, s in self.owner_rows if c.currentData() is not None
        ]
        if not owners:
            raise ValidationError("owners", "Name at least one owner of the lot.")
        inp = production.LotInput(
            site_id=values["site_id"],
            mineral_id=values["mineral_id"],
            date=values["date"],
            quantity=values["quantity"],
            owners=owners,
            grade=values["grade"],
            mercury_g=values["mercury_g"],
            retort_used=values["retort_used"],
            notes=values["notes"],
            confirm_unusual=self.unusual_qty is not None and values["quantity"] == self.unusual_qty,
        )
        if self.lot_id is None:
            return production.create_lot(self.actor, inp)
        return production.update_lot(self.actor, self.lot_id, inp)

    def _refused(self, exc: CoopError) -> bool:
        """An unusually large quantity is shown with its warning; Save again with it unchanged confirms it."""
        if isinstance(exc, UnusualValue):
            self.unusual_qty = self.values()["quantity"]
            self.show_error(exc)
            self.top_error.setText(_("Save again to keep this quantity."))
            self.top_error.show()
            return True
        return super()._refused(exc)


class TaxPaymentDialog(FormDialog):
    """Record a tax payment against the summary of a period: what is due, what was paid, the balance."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        fields = [
            Field("period_from", N_("Period from"), "date"),
            Field("period_to", N_("Period to"), "date"),
            Field("rule_id", N_("Tax"), "choice", "tax_rules_dyn", optional=True),
            Field("authority", N_("Authority")),
            Field("amount", N_("Amount"), "amount", suffix=fmt.Context.currency),
            Field("day", N_("Payment date"), "date"),
            Field("method", N_("Paid from"), "choice", "methods"),
            Field("reference", N_("Reference")),
        ]
        fmt.LABELS["tax_rules_dyn"] = {}
        super().__init__(_("Record a tax payment"), fields, parent)
        self.actor = actor
        rules = self.widgets["rule_id"]
        assert isinstance(rules, QComboBox)
        self._authorities: dict[int, str] = {}  # tax rule id -> its authority
        for rule in lookups.tax_rules():
            rules.addItem(f"{rule.authority} — {rule.name}", rule.id)
            self._authorities[rule.id] = rule.authority
        rules.currentIndexChanged.connect(self._rule_picked)
        self.widgets["method"].setCurrentIndex(2)  # type: ignore[attr-defined]
        today = date.today()
        quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        self.set_values({"period_from": quarter_start, "period_to": today})
        self.summary = QLabel(self, objectName="tax_summary", wordWrap=True)
        self.form.insertRow(2, _("Summary"), self.summary)
        for name in ("period_from", "period_to"):
            self.widgets[name].dateChanged.connect(self.update_summary)  # type: ignore[attr-defined]
        self.update_summary()

    def _rule_picked(self) -> None:
        ident = self.widgets["rule_id"].currentData()  # type: ignore[attr-defined]
        if ident:
            self.widgets["authority"].setText(self._authorities[ident])  # type: ignore[attr-defined]
        self.update_summary()

    def update_summary(self) -> None:
        days = {n: self.widgets[n].date() for n in ("period_from", "period_to")}  # type: ignore[attr-defined]
        if not all(d.isValid() for d in days.values()):  # still being typed
            return
        v = {n: d.toPython() for n, d in days.items()}
        if v["period_to"] < v["period_from"]:
            self.summary.setText("")
            return
        s = taxes.summary(self.actor, v["period_from"], v["period_to"])
        lines = [
            _("{tax} ({authority}): due {due}").format(
                tax=t.name, authority=t.authority, due=fmt.money_text(t.due_minor)
            )
            for t in s.taxes
        ]
        lines.append(
            _("Due {due} · paid {paid} · balance {balance}").format(
                due=fmt.money_text(s.due_minor),
                paid=fmt.money_text(s.paid_minor),
                balance=fmt.money_text(s.balance_minor),
            )
        )
        self.summary.setText("\n".join(lines))
        self.balance_minor = s.balance_minor
        # the amount follows the period: the balance of the one shown, never the one first proposed
        self.widgets["amount"].setText(  # type: ignore[attr-defined]
            fmt.cell("money", s.balance_minor, {}) if s.balance_minor > 0 else ""
        )

    def submit(self, values: dict[str, Any]) -> Saved:
        return taxes.pay(
            self.actor,
            authority=values["authority"],
            amount=Decimal(values["amount"]),
            day=values["day"],
            period_from=values["period_from"],
            period_to=values["period_to"],
            reference=values["reference"],
            rule_id=values["rule_id"],
            method=values["method"],
        )


SHOWN_PROBLEMS = 30  # listed in the message; all of them are in its details


def import_refused(parent: QWidget | None, exc: CoopError) -> bool:
    """A CSV file refused by its validation: a title saying so with the count, then every problem."""
    if not isinstance(exc, ErrorList | ValidationError):
        return False  # a cancel or a storage error: the runner shows it
    problems = exc.errors if isinstance(exc, ErrorList) else [exc]
    count = len(problems)
    title = ngettext(
        "The file was not imported: {count} problem found",
        "The file was not imported: {count} problems found",
        count,
    ).format(count=fmt.cell("int", count, {}))
    lines = [p.message() for p in problems]
    shown = lines[:SHOWN_PROBLEMS]
    if count > SHOWN_PROBLEMS:
        more = count - SHOWN_PROBLEMS
        shown.append(
            ngettext(
                "…and {count} more problem (see the details).",
                "…and {count} more problems (see the details).",
                more,
            ).format(count=fmt.cell("int", more, {}))
        )
    msgbox.warning(parent, title, title + "\n\n" + "\n".join(shown), details="\n".join(lines))
    return True


def user_dialog(actor: Actor, parent: QWidget | None) -> ServiceDialog:
    """A new account: user name, password, role and (for member accounts) the linked member."""
    from coop.services import users

    fields = [
        Field("username", N_("User name")),
        Field("password", N_("Password")),
        Field("role", N_("Role"), "choice", "roles"),
        Field("member_id", N_("Member (for member accounts)"), "fk", "members", optional=True),
    ]

    def save(v: dict) -> Saved:
        return users.add_user(actor, v["username"], v["password"], v["role"], v["member_id"])

    dlg = ServiceDialog(_("New user"), fields, save, parent)
    dlg.widgets["password"].setEchoMode(dlg.widgets["password"].EchoMode.Password)  # type: ignore[attr-defined]
    return dlg


def user_edit_dialog(actor: Actor, user_id: int, parent: QWidget | None) -> ServiceDialog:
    """An existing account: role, linked member and (optionally) a new password set by the manager."""
    from coop.services import users

    user = lookups.account(actor, user_id)
    fields = [
        Field("role", N_("Role"), "choice", "roles"),
        Field("member_id", N_("Member (for member accounts)"), "fk", "members", optional=True),
        Field("password", N_("New password (leave empty to keep)"), optional=True),
    ]

    def save(v: dict) -> Changes:
        return users.update_account(actor, user_id, v["role"], v["member_id"], v["password"] or "")

    dlg = ServiceDialog(_("Account {name}").format(name=user.username), fields, save, parent)
    dlg.widgets["password"].setEchoMode(dlg.widgets["password"].EchoMode.Password)  # type: ignore[attr-defined]
    dlg.set_values({"role": user.role, "member_id": user.member_id})
    return dlg
