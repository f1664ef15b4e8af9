"""Record dialogs declared as field lists: validation messages next to the field, Enter saves, Esc cancels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coop import money, vocab
from coop.errors import CoopError, ValidationError
from coop.i18n import N_, _
from coop.services import tables
from ui import fmt
from ui.ops import OPS
from ui.screen import FitScrollArea, fit_on_first_show

ERROR_STYLE = "color: #b00020;"


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # N_ id
    kind: str = "text"  # text, multiline, choice, fk, date, datetime, int, money, decimal, bool, bp
    choices: str = ""  # label dict name (choice) or table name (fk)
    optional: bool = False  # fk/date: allow empty
    suffix: str = ""  # unit shown after a number


def make_widget(f: Field, parent: QWidget) -> QWidget:
    if f.kind == "multiline":
        w: QWidget = QPlainTextEdit(parent)
        w.setTabChangesFocus(True)
        w.setFixedHeight(64)
    elif f.kind in ("choice", "fk"):
        w = QComboBox(parent)
        if f.optional:
            w.addItem("—", None)
        if f.kind == "choice":
            for key, text in fmt.LABELS[f.choices].items():
                w.addItem(_(text), key)
        else:
            for ident, text in tables.choices(f.choices):
                w.addItem(text, ident)
    elif f.kind == "date":
        w = QDateEdit(QDate.currentDate(), parent, calendarPopup=True)
    elif f.kind == "datetime":
        w = QDateTimeEdit(QDateTime.currentDateTime(), parent, calendarPopup=True)
    elif f.kind == "int":
        w = QSpinBox(parent)
        w.setRange(0, 1_000_000)
    elif f.kind == "bool":
        w = QCheckBox(parent)
    else:
        w = QLineEdit(parent)
        if f.kind in ("money", "decimal", "bp"):
            w.setAlignment(Qt.AlignmentFlag.AlignRight)
    w.setObjectName(f.name)
    return w


def read_widget(f: Field, w: QWidget) -> Any:
    """The typed value of a field; numbers are parsed in the cooperative's locale."""
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText().strip()
    if isinstance(w, QComboBox):
        return w.currentData()
    if isinstance(w, QDateTimeEdit) and f.kind == "datetime":
        return w.dateTime().toPython().replace(second=0, microsecond=0)
    if isinstance(w, QDateEdit):
        return w.date().toPython()
    if isinstance(w, QSpinBox):
        return w.value()
    if isinstance(w, QCheckBox):
        return w.isChecked()
    text = w.text().strip()  # type: ignore[attr-defined]
    if f.kind == "money":
        return money.to_minor(fmt.number(text or "0", f.name), fmt.Context.currency)
    if f.kind == "decimal":
        return fmt.number(text or "0", f.name)
    if f.kind == "bp":
        return int(fmt.number(text or "0", f.name) * 100)
    return text


def write_widget(f: Field, w: QWidget, value: Any) -> None:
    if value is None:
        return
    if isinstance(w, QPlainTextEdit):
        w.setPlainText(str(value))
    elif isinstance(w, QComboBox):
        w.setCurrentIndex(max(0, w.findData(value)))
    elif isinstance(w, QDateTimeEdit) and f.kind == "datetime":
        w.setDateTime(QDateTime(value if isinstance(value, datetime) else datetime.fromisoformat(str(value))))
    elif isinstance(w, QDateEdit):
        w.setDate(QDate(value if isinstance(value, date) else date.fromisoformat(str(value)[:10])))
    elif isinstance(w, QSpinBox):
        w.setValue(int(value))
    elif isinstance(w, QCheckBox):
        w.setChecked(bool(value))
    elif f.kind == "money":
        w.setText(fmt.amount_text(int(value)))  # type: ignore[attr-defined]
    elif f.kind == "bp":
        w.setText(fmt.cell("int", 0, {}) if not value else fmt.milli_text(int(value) * 10, 2))  # type: ignore[attr-defined]
    elif f.kind == "decimal":
        w.setText(str(value))  # type: ignore[attr-defined]
    else:
        w.setText(str(value))  # type: ignore[attr-defined]


class FormDialog(QDialog):
    """A dialog over fields; `submit(values)` calls the service (through the operation runner) and returns
    its result; a ValidationError is shown next to its field, any other refusal by the runner."""

    def __init__(self, title: str, fields: list[Field], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.fields = fields
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.result_id: int | None = None
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in fields:
            self._add_row(f)
        self.top_error = QLabel(self, objectName="form_error", wordWrap=True)
        self.top_error.setStyleSheet(ERROR_STYLE)
        self.top_error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        fields_box = QWidget(self)
        fields_box.setLayout(self.form)
        self.form.setContentsMargins(0, 0, 0, 0)
        lay = QVBoxLayout(self)
        lay.addWidget(FitScrollArea(fields_box, self), 1)  # a long form scrolls on a small screen
        lay.addWidget(self.top_error)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(460)
        fit_on_first_show(self)  # rows may still be added by the caller

    def _add_row(self, f: Field) -> None:
        w = make_widget(f, self)
        err = QLabel(self, objectName=f"error_{f.name}", wordWrap=True)
        err.setStyleSheet(ERROR_STYLE)
        err.hide()
        box = QVBoxLayout()
        box.setSpacing(2)
        if f.suffix:
            from PySide6.QtWidgets import QHBoxLayout

            row = QHBoxLayout()
            row.addWidget(w, 1)
            row.addWidget(QLabel(f.suffix, self))
            box.addLayout(row)
        else:
            box.addWidget(w)
        box.addWidget(err)
        self.form.addRow(_(f.label), box)
        self.widgets[f.name] = w
        self.errors[f.name] = err

    def set_values(self, values: dict[str, Any]) -> None:
        for f in self.fields:
            if f.name in values:
                write_widget(f, self.widgets[f.name], values[f.name])

    def values(self) -> dict[str, Any]:
        return {f.name: read_widget(f, self.widgets[f.name]) for f in self.fields}

    def show_error(self, exc: CoopError) -> None:
        """Put a ValidationError next to its field (or at the bottom if the field is not on the form)."""
        name = getattr(exc, "field", None)
        label = self.errors.get(self._field_alias(name)) if name else None
        if label is None:
            self.top_error.setText(exc.message())
            self.top_error.show()
            return
        label.setText(exc.message())
        label.show()
        widget = self.widgets.get(self._field_alias(name))
        if widget is not None:
            widget.setFocus()

    def _field_alias(self, name: str | None) -> str:
        aliases = {
            "share_capital_minor": "share_capital",
            "grams_milli": "grams",
            "rate_bp": "rate",
            "levy_bp": "levy",
            "quantity": "quantity",
            "site": "site_id" if "site_id" in self.widgets else "site",
            "mineral": "mineral_id" if "mineral_id" in self.widgets else "mineral",
            "member": "member_id" if "member_id" in self.widgets else "member",
            "date": "day" if "day" in self.widgets else "date",
            "to": "period_to",
        }
        return aliases.get(name or "", name or "")

    def clear_errors(self) -> None:
        for label in [*self.errors.values(), self.top_error]:
            label.clear()
            label.hide()

    def save(self) -> None:
        self.clear_errors()
        OPS.run(self, lambda: self.submit(self.values()), success=self._saved, failure=self._refused)

    def _saved(self, result: Any) -> None:
        self.result_id = getattr(result, "id", None)
        self.accept()

    def _refused(self, exc: CoopError) -> bool:
        """Problems with what was typed stay on the form; the runner shows any other refusal."""
        if isinstance(exc, ValidationError):
            self.show_error(exc)
            return True
        return False

    def submit(self, values: dict[str, Any]) -> Any:
        """Call the service with the form's values; returns its result (Saved, Changes...)."""
        raise NotImplementedError


class ServiceDialog(FormDialog):
    """A FormDialog whose submit calls `fn(values)`."""

    def __init__(
        self,
        title: str,
        fields: list[Field],
        fn: Callable[[dict[str, Any]], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, fields, parent)
        self._fn = fn

    def submit(self, values: dict[str, Any]) -> Any:
        return self._fn(values)


class VoidDialog(FormDialog):
    """Ask for the required reason, then void through `fn(reason)`."""

    def __init__(self, title: str, fn: Callable[[str], Any], parent: QWidget | None = None) -> None:
        super().__init__(title, [Field("reason", N_("Reason"), "multiline")], parent)
        self._fn = fn
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Void"))

    def submit(self, values: dict[str, Any]) -> Any:
        reason = values["reason"]
        if not reason:
            raise ValidationError("reason", vocab.VOID_REASON_REQUIRED)
        return self._fn(reason)


MEMBER_FIELDS = [
    Field("member_no", N_("Member no.")),
    Field("full_name", N_("Full name")),
    Field("sex", N_("Sex"), "choice", "sexes"),
    Field("birth_year", N_("Birth year"), "int"),
    Field("id_number", N_("ID / artisanal card no.")),
    Field("card_expiry", N_("Card expiry"), "date"),
    Field("phone", N_("Phone")),
    Field("community", N_("Community")),
    Field("site", N_("Site"), "fk", "sites", optional=True),
    Field("role", N_("Role"), "choice", "member_roles"),
    Field("join_date", N_("Join date"), "date"),
    Field("status", N_("Status"), "choice", "member_statuses"),
    Field("share_capital", N_("Share capital paid"), "money"),
]
SITE_FIELDS = [
    Field("code", N_("Code")),
    Field("name", N_("Name")),
    Field("latitude", N_("Latitude")),
    Field("longitude", N_("Longitude")),
    Field("licence_no", N_("Licence / permit no.")),
    Field("minerals", N_("Minerals")),
    Field("status", N_("Status"), "choice", "site_statuses"),
]
MINERAL_FIELDS = [
    Field("name", N_("Name")),
    Field("unit", N_("Unit"), "choice", "units"),
    Field("grade_kind", N_("Grade"), "choice", "grade_kinds"),
    Field("hs_code", N_("HS code")),
]
BUYER_FIELDS = [
    Field("name", N_("Name")),
    Field("kind", N_("Kind"), "choice", "buyer_kinds"),
    Field("licence_no", N_("Licence no.")),
    Field("tax_id", N_("Tax id")),
]
TAX_RULE_FIELDS = [
    Field("name", N_("Tax")),
    Field("authority", N_("Authority")),
    Field("rate", N_("Rate"), "bp", suffix="%"),
    Field("mineral", N_("Mineral"), "fk", "minerals", optional=True),
    Field("valid_from", N_("Valid from"), "date"),
    Field("withheld", N_("Withheld at sale"), "bool"),
    Field("note", N_("Note"), "multiline"),
]
INCIDENT_FIELDS = [
    Field("occurred_at", N_("Date and time"), "datetime"),
    Field("site", N_("Site"), "fk", "sites"),
    Field("category", N_("Category"), "choice", "categories"),
    Field("severity", N_("Severity"), "choice", "severities"),
    Field("people", N_("People involved"), "multiline"),
    Field("injured", N_("Injured"), "int"),
    Field("fatalities", N_("Deaths"), "int"),
    Field("description", N_("What happened"), "multiline"),
    Field("actions", N_("Actions taken"), "multiline"),
    Field("reported_to_authority", N_("Reported to the authority"), "bool"),
    Field("reported_on", N_("Reported on"), "date"),
]
MERCURY_FIELDS = [
    Field("day", N_("Date"), "date"),
    Field("site_id", N_("Site"), "fk", "sites"),
    Field("member_id", N_("Member"), "fk", "members", optional=True),
    Field("kind", N_("Kind"), "choice", "mercury_kinds"),
    Field("grams", N_("Mercury"), "decimal", suffix="g"),
    Field("supplier", N_("Supplier")),
    Field("retort_used", N_("Retort used"), "bool"),
]
SETTINGS_FIELDS = [
    Field("name", N_("Cooperative name")),
    Field("registration_no", N_("Registration no.")),
    Field("tax_id", N_("Tax id (NIF/NIT/TIN)")),
    Field("address", N_("Address"), "multiline"),
    Field("country", N_("Country (ISO code)")),
    Field("currency", N_("Ledger currency")),
    Field("locale", N_("Number and date format (e.g. fr_CD)")),
    Field("fiscal_year_start", N_("Fiscal year starts in month"), "int"),
    Field("levy", N_("Cooperative levy"), "bp", suffix="%"),
    Field("receipt_footer", N_("Receipt footer"), "multiline"),
]


def decimal_text(value: Decimal) -> str:
    return fmt.cell("milli", int(value * 1000), {})
