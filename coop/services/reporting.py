"""Report data built from the database as dataclasses: receipts, production, safety, mercury, census, custody, annual."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from peewee import fn

from coop import chain
from coop.errors import NotFound, PermissionDenied, ValidationError
from coop.models import (
    Buyer,
    JournalEntry,
    LotOwner,
    Mineral,
    Posting,
    ProductionLot,
    Sale,
    SaleLot,
    Site,
    TaxRule,
)
from coop.permissions import Actor
from coop.services import settings
from coop.services.sales import priced_qty
from coop.services.taxes import TaxSummary
from coop.services.taxes import summary as tax_summary


@dataclass(frozen=True)
class CoopHeader:
    name: str
    registration_no: str
    tax_id: str
    address: str
    country: str
    currency: str
    locale: str
    levy_bp: int
    receipt_footer: str
    fiscal_year_start: int


def header() -> CoopHeader:
    s = settings.get()
    return CoopHeader(
        s.name,
        s.registration_no,
        s.tax_id,
        s.address,
        s.country,
        s.currency,
        s.locale,
        s.levy_bp,
        s.receipt_footer,
        s.fiscal_year_start,
    )


def chain_prefix() -> str:
    """The first 10 hex characters of the ledger's chain head (the paper anchor)."""
    return chain.head()[1][:10]


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError("to", "The end date is before the start date.")


# ---------------------------------------------------------------- receipts


@dataclass(frozen=True)
class ReceiptLot:
    reference: str
    lot_date: date
    site_code: str
    site_name: str
    mineral: str
    unit: str
    grade_kind: str
    qty_milli: int
    grade_milli: int
    priced_qty_milli: int
    value_minor: int  # price currency


@dataclass(frozen=True)
class ReceiptTax:
    name: str
    authority: str
    rate_bp: int
    amount_minor: int
    withheld: bool


@dataclass(frozen=True)
class ReceiptData:
    sale_id: int
    series: str
    receipt_no: int
    date: date
    state: str
    void_reason: str
    buyer_name: str
    buyer_licence: str
    buyer_tax_id: str
    buyer_kind: str
    currency: str
    local_currency: str
    unit_price_minor: int
    rate_micro: int
    qty_milli: int
    priced_qty_milli: int
    gross_minor: int
    gross_local_minor: int
    levy_bp: int
    levy_minor: int
    tax_minor: int
    net_minor: int
    payment_method: str
    created_by: str
    chain_hash: str
    lots: list[ReceiptLot] = field(default_factory=list)
    taxes: list[ReceiptTax] = field(default_factory=list)
    owner_ids: frozenset[int] = frozenset()

    @property
    def number(self) -> str:
        return f"{self.series}/{self.receipt_no}"

    @property
    def qr_payload(self) -> str:
        """ASCII payload of the receipt's QR code: number, date, total paid, currency, chain-hash prefix."""
        from coop import money

        total = money.from_minor(self.gross_minor, self.currency)
        return (
            f"COOPLEDGER;R={self.number};D={self.date.isoformat()};T={total};C={self.currency};"
            f"H={self.chain_hash[:10]}"
        )


def find_sale(number: str) -> int:
    """A sale id from "N" (receipt N of the latest series) or "SERIES/N" (e.g. 2025/17)."""
    text = number.strip()
    series, _sep, no = text.rpartition("/")
    if not no.isdigit():
        raise ValidationError("sale", "“{value}” is not a receipt number.", value=number)
    q = Sale.select().where((Sale.receipt_no == int(no)) & (Sale.state != "draft"))
    if series:
        q = q.where(Sale.series == series)
    else:
        latest = Sale.select(fn.MAX(Sale.series)).where(Sale.state != "draft").scalar()
        q = q.where(Sale.series == latest)
    sale = q.first()
    if sale is None:
        raise NotFound("Receipt {number} does not exist.", number=number)
    return sale.id


def _sale_taxes(sale_id: int) -> list[ReceiptTax]:
    entry = JournalEntry.get_or_none(
        (JournalEntry.source_type == "sale")
        & (JournalEntry.source_id == sale_id)
        & (JournalEntry.kind == "sale")
    )
    if entry is None:
        return []
    amounts: dict[int, int] = defaultdict(int)
    expensed: set[int] = set()
    for p in Posting.select().where((Posting.entry == entry.id) & Posting.tax_rule.is_null(False)):
        if p.account == "tax_payable":
            amounts[p.tax_rule_id] -= p.amount_minor
        elif p.account == "tax_expense":
            expensed.add(p.tax_rule_id)
    rules = {r.id: r for r in TaxRule.select().where(TaxRule.id.in_(list(amounts)))}
    return [
        ReceiptTax(rules[i].name, rules[i].authority, rules[i].rate_bp, amounts[i], i not in expensed)
        for i in sorted(amounts)
    ]


def _sale_lots(sale_id: int) -> tuple[list[ReceiptLot], frozenset[int]]:
    rows = (
        SaleLot.select(SaleLot, ProductionLot, Site, Mineral)
        .join(ProductionLot)
        .join(Site)
        .switch(ProductionLot)
        .join(Mineral)
        .where(SaleLot.sale == sale_id)
        .order_by(SaleLot.id)
    )
    lots = []
    lot_ids = []
    for sl in rows:
        lot = sl.lot
        lot_ids.append(lot.id)
        lots.append(
            ReceiptLot(
                lot.reference,
                lot.date,
                lot.site.code,
                lot.site.name,
                lot.mineral.name,
                lot.mineral.unit,
                lot.mineral.grade_kind,
                lot.qty_milli,
                lot.grade_milli,
                priced_qty(lot),
                sl.value_minor,
            )
        )
    owners = frozenset(o.member_id for o in LotOwner.select().where(LotOwner.lot.in_(lot_ids)))
    return lots, owners


def receipt_data(actor: Actor, sale_id: int) -> ReceiptData:
    """A posted (or voided) sale's receipt from stored data; members only for sales they had a share in."""
    sale = Sale.get_or_none(Sale.id == sale_id)
    if sale is None or sale.state == "draft":
        raise NotFound("Sale {id} does not exist.", id=sale_id)
    lots, owners = _sale_lots(sale_id)
    if not actor.can("reports.read") and not (
        actor.can("read.own") and actor.member_id is not None and actor.member_id in owners
    ):
        raise PermissionDenied("You may only see your own records.")
    buyer = Buyer.get_by_id(sale.buyer_id)
    return ReceiptData(
        sale.id,
        sale.series,
        sale.receipt_no,
        sale.date,
        sale.state,
        sale.void_reason,
        buyer.name,
        buyer.licence_no,
        buyer.tax_id,
        buyer.kind,
        sale.currency,
        settings.get().currency,
        sale.unit_price_minor,
        sale.rate_micro,
        sale.qty_milli,
        sale.priced_qty_milli,
        sale.gross_minor,
        sale.gross_local_minor,
        _levy_bp(sale),
        sale.levy_minor,
        sale.tax_minor,
        sale.net_minor,
        sale.payment_method,
        sale.created_by,
        sale.chain_hash,
        lots,
        _sale_taxes(sale_id),
        owners,
    )


def _levy_bp(sale: Sale) -> int:
    """The levy rate as applied to this sale, derived from stored amounts (the setting may change later)."""
    if not sale.gross_local_minor:
        return 0
    return round(sale.levy_minor * 10_000 / sale.gross_local_minor)


# ---------------------------------------------------------------- tax filing


@dataclass
class TaxFilingData:
    summary: TaxSummary
    hs_codes: dict[str, str]
    sales_count: int


def tax_filing(actor: Actor, start: date, end: date, authority: str | None = None) -> TaxFilingData:
    s = tax_summary(actor, start, end, authority)
    hs = {m.name: m.hs_code for m in Mineral.select()}
    return TaxFilingData(s, hs, sum(m.sales for m in s.by_mineral))


def authorities() -> list[str]:
    return sorted({r.authority for r in TaxRule.select(TaxRule.authority)})
