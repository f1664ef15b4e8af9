"""Sale workflow: buyer → in-stock lots (filter by mineral/site) → price, currency, rate → live preview → Post."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QDate, QSettings, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from coop.changes import Saved
from coop.errors import CoopError, ValidationError
from coop.i18n import N_, _
from coop.permissions import Actor
from coop.services import lookups, sales, tables
from ui import fmt
from ui.forms import ERROR_STYLE
from ui.ops import OPS
from ui.screen import fit_to_screen

LOT_LIMIT = 500  # in-stock lots listed at once; narrow with the filters
# the receipt's paper: an A5 sheet or a thermal roll, as reports/receipt.py FORMATS
RECEIPT_FORMATS = {"a5": N_("A5 sheet"), "80mm": N_("80 mm roll"), "58mm": N_("58 mm roll")}
FORMAT_KEY = "receipt_format"  # QSettings key: the office's printer does not change between sales


def receipt_format() -> str:
    """The receipt format last chosen on this computer (A5 until one is chosen)."""
    value = str(QSettings().value(FORMAT_KEY, "a5"))
    return value if value in RECEIPT_FORMATS else "a5"


class SaleDialog(QDialog):
    """Collects a SaleInput, previews sales.compute on every change, posts with sales.post_sale."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.sale_id: int | None = None
        self.units: dict[int, str] = {}  # unit of each listed lot (the preview's quantities)
        self.setWindowTitle(_("New sale"))
        self.buyer = QComboBox(self, objectName="buyer")
        for ident, text in tables.choices("buyers"):
            self.buyer.addItem(text, ident)
        self.mineral = QComboBox(self, objectName="lot_mineral")
        self.site = QComboBox(self, objectName="lot_site")
        for combo, table, any_text in (
            (self.mineral, "minerals", _("All minerals")),
            (self.site, "sites", _("All sites")),
        ):
            combo.addItem(any_text, None)
            for ident, text in tables.choices(table):
                combo.addItem(text, ident)
            combo.currentIndexChanged.connect(self.fill_lots)
        self.lots = QListWidget(self, objectName="lots")
        self.lots.setSpacing(2)
        self.stock_hint = QLabel(self, objectName="stock_hint", wordWrap=True)
        self.lots.itemChanged.connect(self.update_preview)
        self.day = QDateEdit(QDate.currentDate(), self, calendarPopup=True, objectName="date")
        self.currency = QComboBox(self, objectName="currency")
        local = fmt.Context.currency
        for ccy in dict.fromkeys(["USD", local]):
            self.currency.addItem(ccy, ccy)
        self.price = QLineEdit(self, objectName="price")
        self.price.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.rate = QLineEdit(self, objectName="rate")
        self.rate.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.rate_label = QLabel(self)
        self.method = QComboBox(self, objectName="method")
        for key, text in fmt.LABELS["methods"].items():
            self.method.addItem(_(text), key)
        self.receipt_format = QComboBox(self, objectName="receipt_format")
        for key, text in RECEIPT_FORMATS.items():
            self.receipt_format.addItem(_(text), key)
        self.receipt_format.setCurrentIndex(self.receipt_format.findData(receipt_format()))
        self.receipt_format.currentIndexChanged.connect(
            lambda _i: QSettings().setValue(FORMAT_KEY, self.receipt_format.currentData())
        )
        self.preview = QTextBrowser(self, objectName="preview")
        self.error = QLabel(self, objectName="form_error", wordWrap=True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.post_button = self.buttons.addButton(_("Post sale"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.post_button.setObjectName("post")
        self.post_button.setDefault(True)
        self.buttons.accepted.connect(self.post)
        self.buttons.rejected.connect(self.reject)
        for w in (self.price, self.rate):
            w.textChanged.connect(self.update_preview)
        for c in (self.buyer, self.currency, self.method):
            c.currentIndexChanged.connect(self.update_preview)
        self.currency.currentIndexChanged.connect(self._currency_changed)
        self.day.dateChanged.connect(self.update_preview)
        self._layout()
        self.fill_lots()
        self._currency_changed()
        fit_to_screen(self, QSize(900, 620))

    def _layout(self) -> None:
        left = QFormLayout()
        left.addRow(_("Buyer"), self.buyer)
        filters = QHBoxLayout()
        filters.addWidget(self.mineral)
        filters.addWidget(self.site)
        left.addRow(_("Lots in stock"), filters)
        left.addRow(self.lots)
        left.addRow(self.stock_hint)
        left.addRow(_("Date"), self.day)
        left.addRow(_("Price currency"), self.currency)
        left.addRow(_("Unit price"), self.price)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate_label)
        rate_row.addWidget(self.rate, 1)
        left.addRow(_("Exchange rate"), rate_row)
        left.addRow(_("Payment"), self.method)
        left.addRow(_("Receipt paper"), self.receipt_format)
        top = QHBoxLayout()
        top.addLayout(left, 3)
        top.addWidget(self.preview, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def _currency_changed(self) -> None:
        ccy = self.currency.currentData()
        local = fmt.Context.currency
        self.rate_label.setText(_("1 {ccy} =").format(ccy=ccy))
        self.rate.setToolTip(local)
        same = ccy == local
        self.rate.setEnabled(not same)
        if same:
            self.rate.setText("1")
        else:
            last = lookups.last_exchange_rate(self.actor, ccy)
            self.rate.setText(format(last, "f") if last is not None else "")
        self.rate.setPlaceholderText(local)
        self.update_preview()

    def fill_lots(self) -> None:
        """In-stock lots matching the mineral/site filters, checkable, with quantity and unit."""
        checked = set(self.lot_ids())
        self.lots.blockSignals(True)
        self.lots.clear()
        stock = lookups.lots_in_stock(
            self.actor,
            mineral_id=self.mineral.currentData(),
            site_id=self.site.currentData(),
            limit=LOT_LIMIT,
        )
        self.units = {lot.id: lot.unit for lot in stock}
        for lot in stock:
            text = f"{lot.reference}   {lot.mineral}   {fmt.qty_text(lot.qty_milli, lot.unit)}"
            item = QListWidgetItem(text, self.lots)
            item.setData(Qt.ItemDataRole.UserRole, lot.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if lot.id in checked else Qt.CheckState.Unchecked)
        self.lots.blockSignals(False)
        filtered = self.mineral.currentData() is not None or self.site.currentData() is not None
        if stock:
            self.stock_hint.setText("")
        elif filtered:
            self.stock_hint.setText(_("No lot in stock matches these filters."))
        else:
            self.stock_hint.setText(_("No lots in stock: register production lots first."))
        self.stock_hint.setVisible(not stock)
        self.update_preview()

    def lot_ids(self) -> list[int]:
        return [
            self.lots.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.lots.count())
            if self.lots.item(i).checkState() == Qt.CheckState.Checked
        ]

    def check_lot(self, lot_id: int) -> None:
        for i in range(self.lots.count()):
            if self.lots.item(i).data(Qt.ItemDataRole.UserRole) == lot_id:
                self.lots.item(i).setCheckState(Qt.CheckState.Checked)

    def sale_input(self) -> sales.SaleInput:
        if not self.lot_ids():
            raise ValidationError("lots", "Select at least one lot.")
        if self.buyer.currentData() is None:
            raise ValidationError("buyer", "Choose the buyer.")
        return sales.SaleInput(
            buyer_id=self.buyer.currentData(),
            lot_ids=self.lot_ids(),
            date=self.day.date().toPython(),
            currency=self.currency.currentData(),
            unit_price=fmt.number(self.price.text() or "0", "unit_price"),
            exchange_rate=fmt.number(self.rate.text() or "0", "exchange_rate")
            if self.rate.isEnabled()
            else Decimal(1),
            payment_method=self.method.currentData(),
        )

    def update_preview(self) -> None:
        """Gross, levy, each tax and net per owner from sales.compute; problems shown below."""
        self.error.clear()
        if not self.lot_ids() or not self.price.text().strip():
            self.preview.setHtml("<p>" + _("Tick the lots sold and type the price.") + "</p>")
            return
        try:
            c = sales.compute(self.sale_input())
        except CoopError as exc:
            self.preview.setHtml("")
            self.error.setText(exc.message())
            return
        self.preview.setHtml(preview_html(c, self.units[self.lot_ids()[0]]))

    def post(self) -> None:
        """Post through the operation runner; a problem with what was typed is shown under the form."""
        self.error.clear()
        OPS.run(
            self,
            lambda: sales.post_sale(self.actor, self.sale_input()),
            success=self._posted,
            failure=self._refused,
        )

    def _posted(self, saved: Saved) -> None:
        self.sale_id = saved.id
        self.accept()

    def _refused(self, exc: CoopError) -> bool:
        if isinstance(exc, ValidationError):
            self.error.setText(exc.message())
            return True
        return False


def preview_html(c: sales.SaleFigures, unit: str) -> str:
    local = c.local_currency
    rows = [
        (_("Quantity sold"), fmt.qty_text(c.qty_milli, unit)),
        (_("Quantity priced (fine)"), fmt.qty_text(c.priced_qty_milli, unit)),
        (_("Gross"), fmt.money_text(c.gross_minor, c.currency)),
    ]
    if c.currency != local:
        rows.append((_("Gross in {ccy}").format(ccy=local), fmt.money_text(c.gross_local_minor, local)))
    rows.append((_("Cooperative levy"), "− " + fmt.money_text(c.levy_minor, local)))
    for t in c.taxes:
        label = f"{t.name} ({t.authority})" + ("" if t.withheld else " " + _("(not withheld)"))
        rows.append((label, ("− " if t.withheld else "") + fmt.money_text(t.amount_minor, local)))
    rows.append(("<b>" + _("Net to members") + "</b>", "<b>" + fmt.money_text(c.net_minor, local) + "</b>"))
    html = (
        "<table width='100%'>"
        + "".join(f"<tr><td>{a}</td><td align='right'>{b}</td></tr>" for a, b in rows)
        + "</table>"
    )
    html += "<h4>" + _("Net per owner") + "</h4><table width='100%'>"
    html += "".join(
        f"<tr><td>{s.member_no} {s.name}</td><td align='right'>{fmt.money_text(s.amount_minor, local)}</td></tr>"
        for s in c.shares
    )
    return html + "</table>"
