"""Read-only look-ups the desktop's forms need: a record's stored values for its edit form, the lots in stock
for the sale dialog, a mineral's unit, a sale's receipt number, an account's role. Plain values, no rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from coop import money
from coop.errors import NotFound
from coop.models import (
    Buyer,
    Incident,
    LotOwner,
    Member,
    Mineral,
    ProductionLot,
    Sale,
    SaleLot,
    Site,
    TaxRule,
    User,
)
from coop.permissions import Actor

# the record kinds an edit form can load, by the form's kind
_EDITABLE = {
    "member": Member,
    "site": Site,
    "mineral": Mineral,
    "buyer": Buyer,
    "tax_rule": TaxRule,
    "incident": Incident,
}


def _get(model: Any, record_id: int) -> Any:
    row = model.get_or_none(model.id == record_id)
    if row is None:
        raise NotFound("Record {id} does not exist.", id=record_id)
    return row


def record_values(actor: Actor, kind: str, record_id: int) -> dict[str, Any]:
    """The stored fields of one register record (foreign keys as ids), to fill its edit form."""
    actor.require("read.all")
    return dict(_get(_EDITABLE[kind], record_id).__data__)


@dataclass(frozen=True, kw_only=True)
class LotValues:
    """A production lot as its edit form shows it (quantities in thousandths, owners' shares in bp)."""

    site_id: int
    mineral_id: int
    date: date
    qty_milli: int
    grade_milli: int
    mercury_milli: int
    retort_used: bool
    notes: str
    owners: tuple[tuple[int, int], ...]  # (member id, share in basis points), in the order entered
    reference: str = ""


def lot_values(actor: Actor, lot_id: int) -> LotValues:
    actor.require("read.all")
    lot = _get(ProductionLot, lot_id)
    owners = LotOwner.select().where(LotOwner.lot == lot_id).order_by(LotOwner.id)
    return LotValues(
        site_id=lot.site_id,
        mineral_id=lot.mineral_id,
        date=lot.date,
        qty_milli=lot.qty_milli,
        grade_milli=lot.grade_milli,
        mercury_milli=lot.mercury_milli,
        retort_used=bool(lot.retort_used),
        notes=lot.notes,
        owners=tuple((o.member_id, o.share_bp) for o in owners),
        reference=lot.reference,
    )


def mineral_unit(mineral_id: int) -> str:
    """The unit a mineral is weighed in (g, ct, kg)."""
    return str(_get(Mineral, mineral_id).unit)


@dataclass(frozen=True)
class StockLot:
    """A lot in stock, as the sale dialog lists it."""

    id: int
    reference: str
    mineral: str
    unit: str
    qty_milli: int


def lots_in_stock(
    actor: Actor, *, mineral_id: int | None = None, site_id: int | None = None, limit: int = 500
) -> list[StockLot]:
    """In-stock lots (oldest first) of a mineral and/or site, at most `limit`."""
    actor.require("read.all")
    q = ProductionLot.select(ProductionLot, Mineral).join(Mineral).where(ProductionLot.status == "in_stock")
    if mineral_id:
        q = q.where(ProductionLot.mineral == mineral_id)
    if site_id:
        q = q.where(ProductionLot.site == site_id)
    return [
        StockLot(lot.id, lot.reference, lot.mineral.name, lot.mineral.unit, lot.qty_milli)
        for lot in q.order_by(ProductionLot.date, ProductionLot.id).limit(limit)
    ]


@dataclass(frozen=True)
class ReceiptNo:
    """A sale's receipt number within its series (the fiscal year)."""

    series: str
    number: int | None


def receipt_no(actor: Actor, sale_id: int) -> ReceiptNo:
    """Anyone who may print receipts; a member for sales of lots they had a share in."""
    sale = _get(Sale, sale_id)
    owners = (
        LotOwner.select(LotOwner.member)
        .join(SaleLot, on=(SaleLot.lot == LotOwner.lot))
        .where(SaleLot.sale == sale_id)
    )
    actor.require_record({o.member_id for o in owners}, "reports.read")
    return ReceiptNo(sale.series, sale.receipt_no)


def last_exchange_rate(actor: Actor, currency: str) -> Decimal | None:
    """The exchange rate of the latest posted sale priced in `currency` (to pre-fill the next one)."""
    actor.require("read.all")
    sale = (
        Sale.select(Sale.rate_micro)
        .where((Sale.currency == currency) & (Sale.state != "draft"))
        .order_by(Sale.date.desc(), Sale.id.desc())
        .first()
    )
    return money.micro_to_rate(sale.rate_micro) if sale is not None else None


@dataclass(frozen=True)
class TaxRuleChoice:
    id: int
    name: str
    authority: str


def tax_rules() -> list[TaxRuleChoice]:
    """Every tax rule, by authority and name (to pick the tax a payment settles)."""
    rules = TaxRule.select().order_by(TaxRule.authority, TaxRule.name)
    return [TaxRuleChoice(r.id, r.name, r.authority) for r in rules]


@dataclass(frozen=True)
class Account:
    """A user account as the manager's edit form shows it."""

    username: str
    role: str
    member_id: int | None


def account(actor: Actor, user_id: int) -> Account:
    actor.require("users.manage")
    user = _get(User, user_id)
    return Account(user.username, user.role, user.member_id)


def next_member_no(actor: Actor) -> str:
    """The member number after the highest one of the latest member's pattern (M0041 -> M0042), to suggest
    in a new member's form; "" when there are no members or the numbers are not prefix + digits."""
    import re

    actor.require("members.write")
    latest = Member.select(Member.member_no).order_by(Member.id.desc()).first()
    found = re.fullmatch(r"(.*?)([0-9]+)", latest.member_no) if latest is not None else None
    if found is None:
        return ""
    prefix, digits = found.groups()
    numbers = [
        int(m.group(1))
        for (no,) in Member.select(Member.member_no).where(Member.member_no.startswith(prefix)).tuples()
        if (m := re.fullmatch(re.escape(prefix) + r"([0-9]+)", no))
    ]
    return f"{prefix}{max(numbers) + 1:0{len(digits)}d}"


def next_lot_reference(site_id: int, day: date) -> str:
    """The reference a new lot of this site and date will get (shown in the lot form before saving)."""
    from coop.services import production

    site = _get(Site, site_id)
    return production.next_reference(site.code, day)
