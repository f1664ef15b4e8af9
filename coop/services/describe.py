"""What a confirmation names: one record (sale, payout, tax payment, lot) as plain values for one line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coop.errors import NotFound
from coop.models import LotOwner, Member, Mineral, Payout, ProductionLot, Sale, TaxPayment
from coop.permissions import Actor
from coop.services import settings


@dataclass(frozen=True, kw_only=True)
class RecordLine:
    """The record a dialog acts on: its number, date, the other party and the amount or quantity."""

    kind: str  # sale, payout, tax_payment, lot
    number: str  # receipt "2026/12", lot reference, or the payout's / tax payment's id
    day: date
    party: str  # the buyer, the member ("M001 Name"), the authority, or the lot's site and mineral
    amount_minor: int = 0  # in `currency` (sales: the price currency)
    currency: str = ""
    qty_milli: int = 0  # lots
    unit: str = ""


def _get(model, record_id: int):
    row = model.get_or_none(model.id == record_id)
    if row is None:
        raise NotFound("Record {id} does not exist.", id=record_id)
    return row


def _lot_owners(lot_ids: list[int]) -> set[int]:
    return {o.member_id for o in LotOwner.select(LotOwner.member).where(LotOwner.lot.in_(lot_ids))}


def _sale(actor: Actor, sale_id: int) -> RecordLine:
    sale = _get(Sale, sale_id)
    actor.require_record(_lot_owners([sl.lot_id for sl in sale.sale_lots]))
    return RecordLine(
        kind="sale",
        number=f"{sale.series}/{sale.receipt_no}",
        day=sale.date,
        party=sale.buyer.name,
        amount_minor=sale.gross_minor,
        currency=sale.currency,
    )


def _payout(actor: Actor, payout_id: int) -> RecordLine:
    payout = _get(Payout, payout_id)
    actor.require_record({payout.member_id})
    member = Member.get_by_id(payout.member_id)
    return RecordLine(
        kind="payout",
        number=str(payout.id),
        day=payout.date,
        party=f"{member.member_no} {member.full_name}",
        amount_minor=payout.amount_minor,
        currency=settings.get().currency,
    )


def _tax_payment(actor: Actor, payment_id: int) -> RecordLine:
    actor.record_scope(owned=False)
    payment = _get(TaxPayment, payment_id)
    return RecordLine(
        kind="tax_payment",
        number=str(payment.id),
        day=payment.date,
        party=payment.authority,
        amount_minor=payment.amount_minor,
        currency=settings.get().currency,
    )


def _lot(actor: Actor, lot_id: int) -> RecordLine:
    lot = _get(ProductionLot, lot_id)
    actor.require_record(_lot_owners([lot.id]))
    mineral = Mineral.get_by_id(lot.mineral_id)
    return RecordLine(
        kind="lot",
        number=lot.reference,
        day=lot.date,
        party=mineral.name,
        qty_milli=lot.qty_milli,
        unit=mineral.unit,
    )


KINDS = {"sale": _sale, "payout": _payout, "tax_payment": _tax_payment, "lot": _lot}


def describe(actor: Actor, kind: str, record_id: int) -> RecordLine:
    """The record `kind` #`record_id` as the actor may see it (record access checked as for its lists)."""
    return KINDS[kind](actor, record_id)
