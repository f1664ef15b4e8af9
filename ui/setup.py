"""The setup window of a new cooperative, in three short pages: the country (which proposes the currency, the
formats, the language and the tax presets), the cooperative's details, the first manager account."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coop import countries, i18n
from coop.errors import CoopError, ValidationError
from coop.i18n import N_, _
from coop.permissions import Actor
from coop.services import setup, taxes, users
from ui import fmt
from ui.screen import fit_on_first_show

HINT_STYLE = "color: #555;"
ERROR_STYLE = "color: #b00020;"

# Which page holds each field a refusal may name (the window turns to it and puts the cursor there).
PAGE_OF = {
    "country": 0,
    "currency": 0,
    "locale": 0,
    "language": 0,
    "name": 1,
    "registration_no": 1,
    "tax_id": 1,
    "address": 1,
    "levy_bp": 1,
    "fiscal_year_start": 1,
    "username": 2,
    "password": 2,
    "confirm": 2,
}


def _combo(parent: QWidget, name: str, items: list[tuple[object, str]]) -> QComboBox:
    combo = QComboBox(parent, objectName=name)
    for data, text in items:
        combo.addItem(text, data)
    return combo


def _select(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    if index < 0:  # a profile's value the list lacks (cannot happen with the shipped lists): offer it
        combo.addItem(str(data), data)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


def month_names(lang: str | None = None) -> list[tuple[int, str]]:
    """(1, 'January') … (12, 'December') in the interface language, capitalised as a list item."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(i18n.babel_locale(lang or i18n.current_language())).months["stand-alone"]["wide"]
    except (ValueError, UnknownLocaleError):
        names = Locale.parse("en").months["stand-alone"]["wide"]
    return [(m, names[m][:1].upper() + names[m][1:]) for m in range(1, 13)]


class SetupWizard(QDialog):
    """Set up my cooperative. Without `actor` (a new file) the last page creates the first manager account;
    with one (an account exists but no cooperative) it is left out. `actor` holds the manager afterwards."""

    def __init__(self, parent: QWidget | None = None, actor: Actor | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_wizard")
        self.setWindowTitle(_("Set up my cooperative"))
        self.actor = actor
        self.with_account = actor is None
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._country_page())
        self.pages.addWidget(self._details_page())
        if self.with_account:
            self.pages.addWidget(self._account_page())
        self.heading = QLabel(self, objectName="setup_heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.error = QLabel(self, objectName="setup_error", wordWrap=True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.back = QPushButton(_("Back"), self, objectName="back")
        self.next = QPushButton(_("Next"), self, objectName="next")
        self.finish = QPushButton(_("Create the cooperative"), self, objectName="finish")
        self.cancel = QPushButton(_("Cancel"), self, objectName="cancel")
        self.back.clicked.connect(lambda: self.go(self.pages.currentIndex() - 1))
        self.next.clicked.connect(self.forward)
        self.finish.clicked.connect(self.create)
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        for button in (self.back, self.next, self.finish):
            buttons.addWidget(button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.pages, 1)
        lay.addWidget(self.error)
        lay.addLayout(buttons)
        self.country.currentIndexChanged.connect(self.propose)
        self.propose()
        self.go(0)
        fit_on_first_show(self, QSize(760, 620))

    # --- the pages ----------------------------------------------------------------------------------
    def _hint(self, parent: QWidget, text: str) -> QLabel:
        label = QLabel(text, parent, wordWrap=True)
        label.setStyleSheet(HINT_STYLE)
        return label

    def _row(self, form: QFormLayout, label: str, widget: QWidget, hint: str) -> None:
        box = QWidget(form.parentWidget())
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(widget)
        lay.addWidget(self._hint(box, hint))
        form.addRow(label, box)

    def _country_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.country = _combo(page, "country", countries.choices())
        self.currency = _combo(page, "currency", countries.currency_choices())
        self.locale = _combo(page, "locale", countries.locale_choices())
        self.language = _combo(page, "language", list(i18n.LANGUAGES.items()))
        self.presets = QCheckBox(_("Load the country's tax presets"), page, objectName="presets")
        self.presets.setChecked(True)
        self.presets_info = self._hint(page, "")
        self.presets_info.setObjectName("presets_info")
        self.minerals = QCheckBox(_("Add the minerals usually traded there"), page, objectName="minerals")
        self.minerals.setChecked(True)
        self.minerals_info = self._hint(page, "")
        self.minerals_info.setObjectName("minerals_info")
        self.chart_info = self._hint(page, "")
        self.chart_info.setObjectName("chart_info")
        self._row(form, _("Country"), self.country, _("Proposes the values below; each can be changed."))
        self._row(
            form, _("Ledger currency"), self.currency, _("The currency the books and the taxes are kept in.")
        )
        self._row(form, _("Number and date format"), self.locale, _("How amounts and dates are written."))
        self._row(
            form, _("Interface language"), self.language, _("Also the language of mineral and tax names.")
        )
        form.addRow(self.presets)
        form.addRow(self.presets_info)
        form.addRow(self.minerals)
        form.addRow(self.minerals_info)
        form.addRow(self.chart_info)
        return page

    def _details_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.name = QLineEdit(page, objectName="name")
        self.registration_no = QLineEdit(page, objectName="registration_no")
        self.tax_id = QLineEdit(page, objectName="tax_id")
        self.address = QLineEdit(page, objectName="address")
        self.levy = QLineEdit(page, objectName="levy")
        self.fiscal_year_start = _combo(page, "fiscal_year_start", list(month_names()))
        self._row(form, _("Cooperative name"), self.name, _("As registered; printed on every receipt."))
        self._row(
            form,
            _("Registration number"),
            self.registration_no,
            _("From the register of cooperatives (e.g. RCCM); may be left empty for now."),
        )
        self._row(form, _("Tax id"), self.tax_id, _("NIF, NIT, TIN or RUC; printed on the tax filings."))
        self._row(form, _("Address"), self.address, _("Printed on receipts and statements."))
        self._row(
            form,
            _("Cooperative levy (%)"),
            self.levy,
            _("The share of each sale the statutes keep for the cooperative (often 2 to 10%)."),
        )
        self._row(
            form,
            _("Fiscal year starts in"),
            self.fiscal_year_start,
            _("Receipt numbers start again at 1 each fiscal year."),
        )
        return page

    def _account_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.username = QLineEdit("manager", page, objectName="username")
        self.password = QLineEdit(page, objectName="password", echoMode=QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(page, objectName="confirm", echoMode=QLineEdit.EchoMode.Password)
        self._row(
            form, _("User name"), self.username, _("The manager signs in with it; others get accounts later.")
        )
        self._row(
            form,
            _("Password"),
            self.password,
            _("At least {n} characters, not a common word, name or pattern.").format(n=users.MIN_PASSWORD),
        )
        self._row(form, _("Password again"), self.confirm, _("Typed twice so that a typing error shows."))
        return page

    # --- moving between pages -------------------------------------------------------------------------
    TITLES = (
        N_("1. Country, currency and formats"),
        N_("2. The cooperative"),
        N_("3. The first manager account"),
    )

    def go(self, index: int) -> None:
        index = max(0, min(index, self.pages.count() - 1))
        self.pages.setCurrentIndex(index)
        last = index == self.pages.count() - 1
        self.heading.setText(_(self.TITLES[index]))
        self.back.setEnabled(index > 0)
        self.next.setVisible(not last)
        self.finish.setVisible(last)
        self.finish.setDefault(last)
        self.next.setDefault(not last)

    def forward(self) -> None:
        """The next page, once this page's values are acceptable (the cooperative's are checked here)."""
        self.error.clear()
        if self.pages.currentIndex() == 1:
            try:
                setup.choices(**self.values())
            except CoopError as exc:
                self.show_error(exc)
                return
        self.go(self.pages.currentIndex() + 1)

    # --- the country's proposals ----------------------------------------------------------------------
    def propose(self) -> None:
        """The chosen country's currency, formats, language, fiscal year and the presets it ships."""
        profile = countries.profile(self.country.currentData())
        _select(self.currency, profile.currency)
        _select(self.locale, profile.locale)
        _select(self.language, profile.language)
        _select(self.fiscal_year_start, profile.fiscal_year_start)
        if not self.levy.text():
            self.levy.setText(i18n.format_decimal(Decimal(5), profile.locale))
        self.presets_info.setText(self.presets_text(profile))
        if setup.chart_of(profile.code) == "syscohada":
            self.chart_info.setText(
                _("Chart of accounts: SYSCOHADA (revised), the chart of the OHADA states.")
            )
        else:
            self.chart_info.setText(
                _("Chart of accounts: the general chart (the country is not an OHADA state).")
            )
        self.presets.setEnabled(bool(profile.presets))
        self.minerals_info.setText(", ".join(_(countries.MINERALS[key].name) for key in profile.minerals))

    def presets_text(self, profile: countries.Country) -> str:
        rules = taxes.PRESETS.get(profile.presets, [])
        if not rules:
            return _(
                "No tax presets are shipped for this country: enter its taxes under Settings › Tax rules."
            )
        lines = [
            _("{name} ({authority}): {rate}").format(
                name=_(p.name),
                authority=p.authority,
                rate=fmt.cell("bp", p.rate_bp, {}),
            )
            for p in rules
        ]
        return "\n".join(lines + [_(taxes.CHECK_NOTE)])

    # --- finishing -------------------------------------------------------------------------------------
    def levy_bp(self) -> int:
        locale = self.locale.currentData() or "en"
        value = i18n.parse_number(self.levy.text().strip() or "0", locale, "levy_bp")
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            raise ValidationError(
                "levy_bp",
                "“{value}” has too many decimals: at most {places}.",
                value=self.levy.text(),
                places=2,
            )
        return int(value * 100)

    def values(self) -> dict:
        return {
            "country": self.country.currentData(),
            "name": self.name.text(),
            "registration_no": self.registration_no.text(),
            "tax_id": self.tax_id.text(),
            "address": self.address.text(),
            "levy_bp": self.levy_bp(),
            "fiscal_year_start": self.fiscal_year_start.currentData(),
            "currency": self.currency.currentData(),
            "locale": self.locale.currentData(),
            "language": self.language.currentData(),
        }

    def create(self) -> None:
        from ui.ops import OPS

        self.error.clear()
        try:
            values = self.values()
        except CoopError as exc:
            self.show_error(exc)
            return
        values |= {"presets": self.presets.isChecked(), "minerals": self.minerals.isChecked()}
        if self.with_account:
            OPS.run(
                self,
                setup.first_run,
                self.username.text().strip(),
                self.password.text(),
                self.confirm.text(),
                success=self._created,
                failure=self.show_error,
                **values,
            )
        else:
            assert self.actor is not None
            OPS.run(
                self,
                setup.create_cooperative,
                self.actor,
                success=lambda _c: self.accept(),
                failure=self.show_error,
                **values,
            )

    def _created(self, result: setup.FirstRun) -> None:
        self.actor = result.actor
        self.accept()

    def show_error(self, exc: CoopError) -> bool:
        """A refusal is said in this window, on the page of the field it names, with the cursor there."""
        self.error.setText(exc.message())
        field = getattr(exc, "field", None)
        page = PAGE_OF.get(field or "")
        if page is not None and page < self.pages.count():
            self.go(page)
            widget = self.findChild(QWidget, "levy" if field == "levy_bp" else field)
            if widget is not None:
                widget.setFocus()
        return True
