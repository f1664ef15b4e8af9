"""Production lots: traceable references (SITE-YYYYMMDD-NNN), owners' shares, grade and mercury used."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from peewee import fn

from coop import money, vocab, workflow
from coop.changes import Changes, Saved
from coop.errors import NotFound, ValidationError
from coop.models import LotOwner, Member, Mineral, ProductionLot, Site, database
from coop.permissions import Actor
from coop.services import audit, periods, records

GRADE_LIMITS = {"fineness": Decimal(1000), "percent": Decimal(100), "karat": Decimal(24)}


@dataclass(frozen=True)
class LotInput:
    site_id: int
    mineral_id: int
    date: date
    quantity: Decimal  # in the mineral's unit
    owners: Sequence[tuple[int, int]]  # (member id, share in basis points)
    grade: Decimal = Decimal(0)  # ‰ fineness, % grade or karat
    mercury_g: Decimal = Decimal(0)
    retort_used: bool = False
    notes: str = ""
    confirm_unusual: bool = False  # the user confirmed an unusually large quantity (errors.UnusualValue)


def grade_milli(grade_kind: str, grade: Decimal | str) -> int:
    """A grade (‰, %, karat) to integer thousandths, checked against its kind's limit; 0 where none applies."""
    grade = money.parse_exact(grade or 0, "grade", money.QTY_PLACES)  # stored in thousandths: no rounding
    limit = GRADE_LIMITS.get(grade_kind)
    if limit is None:
        return 0
    if not 0 < grade <= limit:
        raise ValidationError("grade", "The grade must be above 0 and at most {limit}.", limit=limit)
    return int(money.round_to(grade * 1000, 0))


def check_shares(owners: Sequence[tuple[int, int]]) -> None:
    """Owners are distinct and their shares (basis points) are positive and add up to 100%."""
    if not owners:
        raise ValidationError("owners", "A lot needs at least one owner.")
    ids = [m for m, _ in owners]
    if len(set(ids)) != len(ids):
        raise ValidationError("owners", "A member is listed twice among the owners.")
    if any(bp <= 0 for _, bp in owners) or sum(bp for _, bp in owners) != money.BP:
        raise ValidationError("owners", "The owners' shares must add up to 100%.")


def mercury_milli(grams: Decimal | str) -> int:
    value = money.parse_exact(grams or 0, "mercury", money.QTY_PLACES)
    if value < 0:
        raise ValidationError("mercury", "The amount cannot be negative.")
    return int(money.round_to(value * 1000, 0))


def _check_owners(owners: Sequence[tuple[int, int]]) -> None:
    check_shares(owners)
    ids = [m for m, _ in owners]
    found = {m.id: m for m in Member.select().where(Member.id.in_(ids))}
    for member_id in ids:
        if member_id not in found:
            raise ValidationError("owners", "Unknown member: {value}.", value=member_id)
        if found[member_id].status != "active":
            raise ValidationError("owners", "Member {name} is not active.", name=found[member_id].full_name)


def validate(inp: LotInput) -> tuple[Site, Mineral, dict]:
    site = Site.get_or_none(Site.id == inp.site_id)
    if site is None:
        raise ValidationError("site", "Unknown site: {value}.", value=inp.site_id)
    if site.status != "active":
        raise ValidationError("site", "Site {code} is not active.", code=site.code)
    mineral = Mineral.get_or_none(Mineral.id == inp.mineral_id)
    if mineral is None:
        raise ValidationError("mineral", "Unknown mineral: {value}.", value=inp.mineral_id)
    records.check_date(inp.date, "date")
    periods.check_open(inp.date)
    _check_owners(inp.owners)
    fields = {
        "site": site.id,
        "mineral": mineral.id,
        "date": inp.date,
        "qty_milli": money.lot_qty_to_milli(
            inp.quantity, mineral.unit, "quantity", confirm_unusual=inp.confirm_unusual
        ),
        "grade_milli": grade_milli(mineral.grade_kind, inp.grade),
        "mercury_milli": mercury_milli(inp.mercury_g),
        "retort_used": bool(inp.retort_used),
        "notes": inp.notes.strip(),
    }
    return site, mineral, fields


def next_reference(site_code: str, day: date) -> str:
    prefix = f"{site_code}-{day:%Y%m%d}-"
    last = (
        ProductionLot.select(ProductionLot.reference)
        .where(ProductionLot.reference.startswith(prefix))
        .order_by(fn.LENGTH(ProductionLot.reference).desc(), ProductionLot.reference.desc())  # -1000 > -999
        .first()
    )
    return f"{prefix}{(int(last.reference.rsplit('-', 1)[1]) + 1) if last else 1:03d}"


def create_lot(actor: Actor, inp: LotInput) -> Saved:
    """Register a production lot with its owners; the reference is unique and printed on every document."""
    actor.require("lots.write")
    with database.atomic():
        site, _mineral, fields = validate(inp)
        lot = ProductionLot.create(reference=next_reference(site.code, inp.date), status="in_stock", **fields)
        LotOwner.insert_many([{"lot": lot.id, "member": m, "share_bp": bp} for m, bp in inp.owners]).execute()
        audit.record(actor, "create", "production_lot", lot.id, None, {**fields, "owners": list(inp.owners)})
    return Saved(lot.id, Changes.of(lots=[lot.id]))


def _in_stock(lot_id: int) -> ProductionLot:
    lot = ProductionLot.get_or_none(ProductionLot.id == lot_id)
    if lot is None:
        raise NotFound("Lot {id} does not exist.", id=lot_id)
    if lot.status != "in_stock":
        raise ValidationError(
            "status", "Lot {reference} is not in stock (it is sold or voided).", reference=lot.reference
        )
    return lot


def update_lot(actor: Actor, lot_id: int, inp: LotInput) -> Changes:
    """Correct a lot still in stock (a sold lot is part of a posted sale and stays as it was)."""
    actor.require("lots.write")
    with database.atomic():
        lot = _in_stock(lot_id)
        _site, _mineral, fields = validate(inp)
        old = audit.row_dict(lot)
        ProductionLot.update(**fields).where(ProductionLot.id == lot_id).execute()
        LotOwner.delete().where(LotOwner.lot == lot_id).execute()
        LotOwner.insert_many([{"lot": lot_id, "member": m, "share_bp": bp} for m, bp in inp.owners]).execute()
        audit.record(actor, "update", "production_lot", lot_id, old, {**fields, "owners": list(inp.owners)})
    return Changes.of(lots=[lot_id])


def void_lot(actor: Actor, lot_id: int, reason: str) -> Changes:
    """Take a lot registered by mistake out of stock; it keeps its reference."""
    actor.require("lots.write")
    if not reason.strip():
        raise ValidationError("reason", vocab.VOID_REASON_REQUIRED)
    with database.atomic():
        _in_stock(lot_id)  # the lot's own message; the transition below checks again from the row
        was = workflow.transition(ProductionLot, lot_id, "voided")
        audit.record(
            actor,
            "void",
            "production_lot",
            lot_id,
            {"status": was},
            {"status": "voided", "reason": reason.strip()},
        )
    return Changes.of(lots=[lot_id])
