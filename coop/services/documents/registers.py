"""Register data: the member census (aggregate or named) and the chain of custody site → lot → sale → buyer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from peewee import JOIN

from coop.errors import NotFound, ValidationError
from coop.models import LotOwner, Member, ProductionLot, Sale, SaleLot, Site
from coop.permissions import Actor
from coop.services.documents.stored_sale import stored_figures
from coop.services.sales import SaleFigures

AGE_BANDS = (
    (0, 17, "<18"),
    (18, 24, "18–24"),
    (25, 34, "25–34"),
    (35, 44, "35–44"),
    (45, 54, "45–54"),
    (55, 64, "55–64"),
    (65, 200, "65+"),
)


def age_band(birth_year: int | None, year: int) -> str:
    if not birth_year:
        return "?"
    age = year - birth_year
    return next(label for lo, hi, label in AGE_BANDS if lo <= age <= hi)


@dataclass(frozen=True, kw_only=True)
class MemberLine:
    member_no: str
    full_name: str
    sex: str
    birth_year: int | None
    role: str
    site_code: str
    status: str
    join_date: date
    card_expiry: date | None


@dataclass(kw_only=True)
class Census:
    as_of: date
    aggregate: bool
    by_sex: dict[str, int] = field(default_factory=dict)
    by_age: dict[str, int] = field(default_factory=dict)
    by_role: dict[str, int] = field(default_factory=dict)
    by_site: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    sex_by_role: dict[str, dict[str, int]] = field(default_factory=dict)
    members: list[MemberLine] = field(default_factory=list)  # empty in the aggregate version
    sites: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def _count(values: list[str]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for v in values:
        out[v] += 1
    return dict(sorted(out.items()))


def census(actor: Actor, as_of: date, aggregate: bool = True) -> Census:
    """Members who had joined by `as_of`, counted by sex, age band, role, site, status; names only if not aggregate."""
    actor.require("reports.read")
    q = (
        Member.select(Member, Site)
        .join(Site, JOIN.LEFT_OUTER)
        .where(Member.join_date <= as_of)
        .order_by(Member.member_no)
    )
    rows = list(q)
    out = Census(as_of=as_of, aggregate=aggregate, sites={s.code: s.name for s in Site.select()})
    code = [m.site.code if m.site_id else "—" for m in rows]
    out.by_sex = _count([m.sex or "?" for m in rows])
    out.by_age = {label: 0 for _lo, _hi, label in AGE_BANDS} | {"?": 0}
    for m in rows:
        out.by_age[age_band(m.birth_year, as_of.year)] += 1
    out.by_role = _count([m.role for m in rows])
    out.by_site = _count(code)
    out.by_status = _count([m.status for m in rows])
    cross: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for m in rows:
        cross[m.role][m.sex or "?"] += 1
    out.sex_by_role = {k: dict(v) for k, v in sorted(cross.items())}
    if not aggregate:
        out.members = [
            MemberLine(
                member_no=m.member_no,
                full_name=m.full_name,
                sex=m.sex,
                birth_year=m.birth_year,
                role=m.role,
                site_code=c,
                status=m.status,
                join_date=m.join_date,
                card_expiry=m.card_expiry,
            )
            for m, c in zip(rows, code, strict=True)
        ]
    return out


@dataclass(frozen=True, kw_only=True)
class CustodyOwner:
    member_no: str
    full_name: str
    share_bp: int


@dataclass(frozen=True, kw_only=True)
class CustodyLot:
    reference: str
    date: date
    site_code: str
    site_name: str
    site_gps: str
    site_licence: str
    mineral: str
    hs_code: str
    unit: str
    grade_kind: str
    qty_milli: int
    grade_milli: int
    mercury_milli: int
    retort_used: bool
    status: str
    owners: list[CustodyOwner]


@dataclass(frozen=True, kw_only=True)
class CustodySale:
    sale_id: int
    number: str
    date: date
    state: str
    buyer_name: str
    buyer_licence: str
    buyer_kind: str
    buyer_tax_id: str
    figures: SaleFigures
    chain_hash: str


@dataclass(kw_only=True)
class Custody:
    subject: str  # the lot reference or receipt number asked for
    lots: list[CustodyLot]
    sales: list[CustodySale]


def _custody_lot(lot: ProductionLot) -> CustodyLot:
    owners = [
        CustodyOwner(member_no=o.member.member_no, full_name=o.member.full_name, share_bp=o.share_bp)
        for o in LotOwner.select(LotOwner, Member)
        .join(Member)
        .where(LotOwner.lot == lot.id)
        .order_by(LotOwner.id)
    ]
    s = lot.site
    gps = f"{s.latitude}, {s.longitude}" if s.latitude and s.longitude else ""
    m = lot.mineral
    return CustodyLot(
        reference=lot.reference,
        date=lot.date,
        site_code=s.code,
        site_name=s.name,
        site_gps=gps,
        site_licence=s.licence_no,
        mineral=m.name,
        hs_code=m.hs_code,
        unit=m.unit,
        grade_kind=m.grade_kind,
        qty_milli=lot.qty_milli,
        grade_milli=lot.grade_milli,
        mercury_milli=lot.mercury_milli,
        retort_used=lot.retort_used,
        status=lot.status,
        owners=owners,
    )


def _custody_sale(sale: Sale) -> CustodySale:
    b = sale.buyer
    return CustodySale(
        sale_id=sale.id,
        number=f"{sale.series}/{sale.receipt_no}",
        date=sale.date,
        state=sale.state,
        buyer_name=b.name,
        buyer_licence=b.licence_no,
        buyer_kind=b.kind,
        buyer_tax_id=b.tax_id,
        figures=stored_figures(sale),
        chain_hash=sale.chain_hash,
    )


def custody(actor: Actor, *, lot_ref: str | None = None, sale_id: int | None = None) -> Custody:
    """Site -> lot(s) -> owners -> sale(s) -> buyer for one lot (with every sale that included it) or one sale."""
    actor.require("reports.read")
    if lot_ref:
        lot = ProductionLot.get_or_none(ProductionLot.reference == lot_ref.strip())
        if lot is None:
            raise NotFound("Lot {reference} does not exist.", reference=lot_ref)
        sale_ids = [sl.sale_id for sl in SaleLot.select().where(SaleLot.lot == lot.id)]
        sales = list(
            Sale.select().where(Sale.id.in_(sale_ids) & (Sale.state != "draft")).order_by(Sale.date, Sale.id)
        )
        return Custody(
            subject=lot.reference, lots=[_custody_lot(lot)], sales=[_custody_sale(s) for s in sales]
        )
    if sale_id is None:
        raise ValidationError("lot", "Give a lot reference or a sale.")
    sale = Sale.get_or_none(Sale.id == sale_id)
    if sale is None or sale.state == "draft":
        raise NotFound("Sale {id} does not exist.", id=sale_id)
    lots = [sl.lot for sl in SaleLot.select().where(SaleLot.sale == sale_id).order_by(SaleLot.id)]
    c = _custody_sale(sale)
    return Custody(subject=c.number, lots=[_custody_lot(lot) for lot in lots], sales=[c])
