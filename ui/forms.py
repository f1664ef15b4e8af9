"""Record dialogs declared as field lists: validation messages next to the field, Enter saves, Esc cancels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coop import money, vocab
from coop.errors import CoopError, ValidationError
from coop.i18n import N_, _
from coop.services import tables
from coop.services.describe import RecordLine
from ui import fmt
from ui.datefield import DateField, DateTimeField
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
    places: int | None = None  # decimals kept (decimal: 3, money and amount: the currency's, bp: 2)


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
    elif f.kind == "date":  # an optional date starts empty: today would be a guess (a card's expiry)
        w = DateField(None if f.optional else date.today(), parent, optional=f.optional)
    elif f.kind == "datetime":
        w = DateTimeField(datetime.now(), parent)  # two plain fields: Tab leaves the date, then the time
    elif f.kind == "int":
        w = QSpinBox(parent)
        w.setRange(0, 1_000_000)
    elif f.kind == "bool":
        w = QCheckBox(parent)
    else:
        w = QLineEdit(parent)
        if f.kind in ("money", "amount", "decimal", "bp"):
            w.setAlignment(Qt.AlignmentFlag.AlignRight)
    w.setObjectName(f.name)
    return w


def read_widget(f: Field, w: QWidget) -> Any:
    """The typed value of a field; numbers are parsed in the cooperative's locale."""
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText().strip()
    if isinstance(w, QComboBox):
        return w.currentData()
    if isinstance(w, DateTimeField):
        return w.value(f.name)
    if isinstance(w, DateField):
        return w.value(f.name)
    if isinstance(w, QDateEdit):
        return w.date().toPython()
    if isinstance(w, QSpinBox):
        return w.value()
    if isinstance(w, QCheckBox):
        return w.isChecked()
    text = w.text().strip()  # type: ignore[attr-defined]
    if f.kind == "money":
        return money.to_minor(exact_number(text, f), fmt.Context.currency)
    if f.kind in ("decimal", "amount"):
        return exact_number(text, f)
    if f.kind == "bp":
        return int(exact_number(text, f) * 100)
    return text


def places_of(f: Field) -> int:
    """How many decimals a number field keeps."""
    if f.places is not None:
        return f.places
    if f.kind in ("money", "amount"):
        return money.digits(fmt.Context.currency)
    return 2 if f.kind == "bp" else 3


def exact_number(text: str, f: Field) -> Decimal:
    """A number typed in the user's locale, refused (not rounded) when it has more decimals than are kept."""
    # the services' one check (coop.money.exact): normalize() would round a 29th decimal away
    return money.exact(fmt.number(text or "0", f.name), places_of(f), f.name, text)


def write_widget(f: Field, w: QWidget, value: Any) -> None:
    if value is None:
        return
    if isinstance(w, QPlainTextEdit):
        w.setPlainText(str(value))
    elif isinstance(w, QComboBox):
        w.setCurrentIndex(max(0, w.findData(value)))
    elif isinstance(w, DateTimeField):
        w.setDateTime(value if isinstance(value, datetime) else datetime.fromisoformat(str(value)))
    elif isinstance(w, DateField | QDateEdit):
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


def on_edit(w: QWidget, slot: Callable[[], None]) -> None:
    """Call `slot` when the user changes the widget's value."""
    if isinstance(w, QPlainTextEdit | QLineEdit):
        w.textChanged.connect(lambda *_a: slot())
    elif isinstance(w, QComboBox):
        w.currentIndexChanged.connect(lambda *_a: slot())
    elif isinstance(w, QCheckBox):
        w.toggled.connect(lambda *_a: slot())
    elif isinstance(w, DateTimeField):
        w.day.textChanged.connect(lambda *_a: slot())
        w.clock.textChanged.connect(lambda *_a: slot())
    elif isinstance(w, QAbstractSpinBox):
        w.editingFinished.connect(slot)
        if isinstance(w, QSpinBox):
            w.valueChanged.connect(lambda *_a: slot())
        if isinstance(w, QDateTimeEdit):
            w.dateTimeChanged.connect(lambda *_a: slot())


def editor_state(w: QWidget) -> Any:
    """The value an input holds, for telling whether a form was changed; None for other widgets."""
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText()
    if isinstance(w, QComboBox):
        return w.currentIndex()
    if isinstance(w, QCheckBox):
        return w.isChecked()
    if isinstance(w, QAbstractSpinBox | QLineEdit | DateTimeField):
        return w.text()
    return None


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
        self._untouched: list[Any] | None = None  # the inputs when first shown
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
        on_edit(w, lambda: self.clear_error(f.name))

    def clear_error(self, name: str) -> None:
        """A field's message goes once the field is edited (the bottom one with it: it may be about it)."""
        for label in (self.errors[name], self.top_error):
            label.clear()
            label.hide()

    # --- leaving with unsaved changes ----------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._untouched is None:  # what the caller filled in before showing is not a change
            self._untouched = self.snapshot()
        super().showEvent(event)

    def snapshot(self) -> list[Any]:
        """What every input of the form holds now (owner rows and fields added by subclasses included)."""
        inputs = [w for w in self.findChildren(QWidget) if not self._inside_another_input(w)]
        return [state for state in map(editor_state, inputs) if state is not None]

    def _inside_another_input(self, w: QWidget) -> bool:
        """A spin box's own line edit, a calendar popup's year box, a question box's parts."""
        parent = w.parentWidget()
        while parent is not None and parent is not self:
            if isinstance(parent, QAbstractSpinBox | QCalendarWidget | QMenu | QMessageBox):
                return True
            parent = parent.parentWidget()
        return False

    def is_modified(self) -> bool:
        return self._untouched is not None and self.snapshot() != self._untouched

    def reject(self) -> None:
        """Escape, Cancel or the window's close button: asks first when something was typed."""
        if self.result() == QDialog.DialogCode.Accepted or not self.is_modified():
            super().reject()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.windowTitle(),
            _("Discard the changes?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("discard_changes")
        box.button(QMessageBox.StandardButton.Discard).setText(_("Discard"))
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Keep editing"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda answer: self._discard(answer))
        box.open()

    def _discard(self, answer: int) -> None:
        if answer == QMessageBox.StandardButton.Discard:
            super().reject()

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
    """Ask for the required reason, then void through `fn(reason)`. `title` (translated, e.g. "Void sale") is
    also the confirming button's label and `description` names the record voided: a plain "Void" beside
    "Cancel" reads "Annuler" twice in French."""

    def __init__(
        self,
        title: str,
        fn: Callable[..., Any],
        parent: QWidget | None = None,
        *,
        description: str = "",
        dated: bool = False,
    ) -> None:
        # dated: the void of a posting is dated (today unless the user gives another day; the service refuses
        # a day before the record or in a closed period) and `fn(reason, day)` receives the day
        fields = [Field("reason", N_("Reason"), "multiline")]
        if dated:
            fields.append(Field("date", N_("Date"), "date"))
        super().__init__(title, fields, parent)
        self._fn = fn
        self._dated = dated
        self.subject = QLabel(description, self, objectName="void_subject", wordWrap=True)
        self.subject.setVisible(bool(description))
        self.form.insertRow(0, self.subject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(title)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Keep it"))

    def submit(self, values: dict[str, Any]) -> Any:
        reason = values["reason"]
        if not reason:
            raise ValidationError("reason", vocab.VOID_REASON_REQUIRED)
        if self._dated:
            return self._fn(reason, values["date"])
        return self._fn(reason)


MEMBER_FIELDS = [
    Field("member_no", N_("Member no.")),
    Field("full_name", N_("Full name")),
    Field("sex", N_("Sex"), "choice", "sexes", optional=True),  # not pre-set: asked, never guessed
    Field("birth_year", N_("Birth year"), "int"),
    Field("id_number", N_("ID / artisanal card no.")),
    Field("card_expiry", N_("Card expiry"), "date", optional=True),
    Field("phone", N_("Phone")),
    Field("community", N_("Community")),
    Field("site", N_("Site"), "fk", "sites", optional=True),
    Field("role", N_("Role"), "choice", "member_roles"),
    Field("join_date", N_("Join date"), "date"),
    Field("status", N_("Status"), "choice", "member_statuses"),
    # no share capital: it is derived from the entries of the books (subscriptions and payments of shares)
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


def record_line(line: RecordLine) -> str:
    """One line naming a record (coop/services/describe.py) in the UI's formats."""
    if line.kind == "sale":
        text = _("Sale {number} of {date} to {buyer}: {amount}")
    elif line.kind == "payout":
        text = _("Payout no. {number} of {date} to {member}: {amount}")
    elif line.kind == "tax_payment":
        text = _("Tax payment no. {number} of {date} to {authority}: {amount}")
    else:
        text = _("Lot {number} of {date}: {quantity} of {mineral}")
    return text.format(
        number=line.number,
        date=fmt.date_text(line.day),
        buyer=line.party,
        member=line.party,
        authority=line.party,
        mineral=line.party,
        amount=fmt.money_text(line.amount_minor, line.currency or None),
        quantity=fmt.qty_text(line.qty_milli, line.unit),
    )


def decimal_text(value: Decimal) -> str:
    return fmt.cell("milli", int(value * 1000), {})
