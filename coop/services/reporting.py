"""Report data built from the database as dataclasses: receipts, production, safety, mercury, census, custody, annual."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from peewee import JOIN, fn

from coop import chain
from coop.errors import NotFound, PermissionDenied, ValidationError
from coop.models import (
    Buyer,
    Incident,
    JournalEntry,
    LotOwner,
    Member,
    MercuryEntry,
    Mineral,
    Payout,
    Posting,
    ProductionLot,
    Sale,
    SaleLot,
    Site,
    TaxPayment,
    TaxRule,
    database,
)
from coop.permissions import Actor
from coop.services import settings
from coop.services.sales import priced_qty, priced_qty_of
from coop.services.taxes import TaxSummary
from coop.services.taxes import summary as tax_summary

# The cooperative's details printed on every document are exactly its settings.
CoopHeader = settings.CoopSettings


def header() -> CoopHeader:
    return settings.get()


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


# ---------------------------------------------------------------- production


@dataclass(frozen=True)
class ProductionRow:
    month: str  # YYYY-MM
    site_code: str
    mineral: str
    unit: str
    lots: int
    qty_milli: int
    fine_milli: int
    mercury_milli: int


@dataclass
class ProductionReport:
    period_from: date
    period_to: date
    rows: list[ProductionRow] = field(default_factory=list)
    sites: dict[str, str] = field(default_factory=dict)  # code -> name

    def totals(self) -> dict[tuple[str, str], tuple[int, int, int]]:
        """(mineral, unit) -> (lots, quantity, fine quantity)."""
        out: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        for r in self.rows:
            acc = out[(r.mineral, r.unit)]
            acc[0] += r.lots
            acc[1] += r.qty_milli
            acc[2] += r.fine_milli
        return {k: (v[0], v[1], v[2]) for k, v in sorted(out.items())}


# The year's lots read as plain rows, aggregated in SQL where no per-lot rounding is involved: building a
# peewee object per lot took 4 s for 100,000 lots (production report) and 3 s again for the mercury one.
_LOTS_IN_PERIOD = (
    " FROM production_lot l JOIN site s ON s.id = l.site_id JOIN mineral n ON n.id = l.mineral_id"
    " WHERE l.date BETWEEN ? AND ? AND l.status != 'voided'"
)
_PRODUCTION_SQL = (
    "SELECT substr(l.date, 1, 7), s.code, n.name, n.unit, n.grade_kind, l.qty_milli, l.grade_milli,"
    " l.mercury_milli" + _LOTS_IN_PERIOD
)
_GOLD_LOTS_SQL = (
    "SELECT substr(l.date, 1, 7), s.code, n.name, n.hs_code, SUM(l.qty_milli), SUM(l.retort_used), COUNT(*)"
    + _LOTS_IN_PERIOD
    + " GROUP BY 1, 2, n.id"
)


def production(actor: Actor, start: date, end: date) -> ProductionReport:
    """Lots registered (not voided) by month, site and mineral."""
    actor.require("reports.read")
    _check_period(start, end)
    out = ProductionReport(start, end, sites={s.code: s.name for s in Site.select()})
    acc: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    cursor = database.execute_sql(_PRODUCTION_SQL, [start.isoformat(), end.isoformat()])
    for month, site, mineral, unit, grade_kind, qty, grade, mercury_milli in cursor:
        row = acc[(month, site, mineral, unit)]
        row[0] += 1
        row[1] += qty
        row[2] += priced_qty_of(grade_kind, qty, grade)  # rounded per lot, as each sale prices it
        row[3] += mercury_milli
    out.rows = [ProductionRow(*k, *v) for k, v in sorted(acc.items())]
    return out


# ---------------------------------------------------------------- safety


@dataclass(frozen=True)
class IncidentLine:
    occurred_at: date
    site_code: str
    category: str
    severity: str
    state: str
    injured: int
    fatalities: int
    description: str
    actions: str
    reported_on: date | None


@dataclass
class SafetyReport:
    period_from: date
    period_to: date
    incidents: list[IncidentLine] = field(default_factory=list)

    def matrix(self) -> dict[str, dict[str, int]]:
        """category -> severity -> count."""
        out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for i in self.incidents:
            out[i.category][i.severity] += 1
        return out

    @property
    def open(self) -> list[IncidentLine]:
        return [i for i in self.incidents if i.state != "closed"]

    @property
    def fatalities(self) -> int:
        return sum(i.fatalities for i in self.incidents)

    @property
    def injured(self) -> int:
        return sum(i.injured for i in self.incidents)


def safety(actor: Actor, start: date, end: date) -> SafetyReport:
    actor.require("reports.read")
    _check_period(start, end)
    q = (
        Incident.select(Incident, Site)
        .join(Site)
        .where((fn.DATE(Incident.occurred_at) >= start) & (fn.DATE(Incident.occurred_at) <= end))
        .order_by(Incident.occurred_at)
    )
    out = SafetyReport(start, end)
    for i in q:
        when = (
            i.occurred_at if isinstance(i.occurred_at, date) else date.fromisoformat(str(i.occurred_at)[:10])
        )
        out.incidents.append(
            IncidentLine(
                when,
                i.site.code,
                i.category,
                i.severity,
                i.state,
                i.injured,
                i.fatalities,
                i.description,
                i.actions,
                i.reported_on if i.reported_to_authority else None,
            )
        )
    return out


# ---------------------------------------------------------------- mercury


def is_gold(name: str, hs_code: str) -> bool:
    return hs_code.startswith("7108") or name.strip().lower() in {"gold", "or", "oro", "ouro", "dhahabu"}


@dataclass(frozen=True)
class MercuryRow:
    month: str
    site_code: str
    purchased_milli: int
    used_milli: int
    used_with_retort_milli: int
    uses: int
    uses_with_retort: int
    gold_milli: int  # gold produced (gross weight of gold lots, grams)
    lots_with_retort: int
    gold_lots: int

    @property
    def ratio(self) -> float | None:
        """Hg:Au = grams of mercury used per gram of gold produced (None without gold)."""
        return self.used_milli / self.gold_milli if self.gold_milli else None


@dataclass
class MercuryReport:
    period_from: date
    period_to: date
    rows: list[MercuryRow] = field(default_factory=list)

    def total(self) -> MercuryRow:
        sums = [
            sum(getattr(r, f) for r in self.rows)
            for f in MercuryRow.__dataclass_fields__
            if f not in ("month", "site_code")
        ]
        return MercuryRow("", "", *sums)


def mercury(actor: Actor, start: date, end: date) -> MercuryReport:
    """Mercury purchased and used per site and month, gold produced there, Hg:Au ratio and retort use."""
    actor.require("reports.read")
    _check_period(start, end)
    acc: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * 8)
    entries = (
        MercuryEntry.select(MercuryEntry, Site)
        .join(Site)
        .where((MercuryEntry.date >= start) & (MercuryEntry.date <= end))
    )
    for e in entries:
        row = acc[(f"{e.date:%Y-%m}", e.site.code)]
        if e.kind == "purchased":
            row[0] += e.grams_milli
        else:
            row[1] += e.grams_milli
            row[3] += 1
            if e.retort_used:
                row[2] += e.grams_milli
                row[4] += 1
    cursor = database.execute_sql(_GOLD_LOTS_SQL, [start.isoformat(), end.isoformat()])
    for month, site, mineral, hs_code, qty, with_retort, count in cursor:
        if is_gold(mineral, hs_code):
            row = acc[(month, site)]
            row[5] += qty
            row[6] += with_retort
            row[7] += count
    return MercuryReport(start, end, [MercuryRow(m, s, *v) for (m, s), v in sorted(acc.items())])


# ---------------------------------------------------------------- census

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


@dataclass(frozen=True)
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


@dataclass
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
    out = Census(as_of, aggregate, sites={s.code: s.name for s in Site.select()})
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
                m.member_no, m.full_name, m.sex, m.birth_year, m.role, c, m.status, m.join_date, m.card_expiry
            )
            for m, c in zip(rows, code, strict=True)
        ]
    return out


# ---------------------------------------------------------------- chain of custody


@dataclass(frozen=True)
class CustodyOwner:
    member_no: str
    full_name: str
    share_bp: int


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class CustodySale:
    sale_id: int
    number: str
    date: date
    state: str
    buyer_name: str
    buyer_licence: str
    buyer_kind: str
    buyer_tax_id: str
    currency: str
    gross_minor: int
    gross_local_minor: int
    chain_hash: str


@dataclass
class Custody:
    subject: str  # the lot reference or receipt number asked for
    lots: list[CustodyLot]
    sales: list[CustodySale]


def _custody_lot(lot: ProductionLot) -> CustodyLot:
    owners = [
        CustodyOwner(o.member.member_no, o.member.full_name, o.share_bp)
        for o in LotOwner.select(LotOwner, Member)
        .join(Member)
        .where(LotOwner.lot == lot.id)
        .order_by(LotOwner.id)
    ]
    s = lot.site
    gps = f"{s.latitude}, {s.longitude}" if s.latitude and s.longitude else ""
    m = lot.mineral
    return CustodyLot(
        lot.reference,
        lot.date,
        s.code,
        s.name,
        gps,
        s.licence_no,
        m.name,
        m.hs_code,
        m.unit,
        m.grade_kind,
        lot.qty_milli,
        lot.grade_milli,
        lot.mercury_milli,
        lot.retort_used,
        lot.status,
        owners,
    )


def _custody_sale(sale: Sale) -> CustodySale:
    b = sale.buyer
    return CustodySale(
        sale.id,
        f"{sale.series}/{sale.receipt_no}",
        sale.date,
        sale.state,
        b.name,
        b.licence_no,
        b.kind,
        b.tax_id,
        sale.currency,
        sale.gross_minor,
        sale.gross_local_minor,
        sale.chain_hash,
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
        return Custody(lot.reference, [_custody_lot(lot)], [_custody_sale(s) for s in sales])
    if sale_id is None:
        raise ValidationError("lot", "Give a lot reference or a sale.")
    sale = Sale.get_or_none(Sale.id == sale_id)
    if sale is None or sale.state == "draft":
        raise NotFound("Sale {id} does not exist.", id=sale_id)
    lots = [sl.lot for sl in SaleLot.select().where(SaleLot.sale == sale_id).order_by(SaleLot.id)]
    c = _custody_sale(sale)
    return Custody(c.number, [_custody_lot(lot) for lot in lots], [c])


# ---------------------------------------------------------------- annual report


@dataclass
class AnnualReport:
    year: int
    series: str
    period_from: date
    period_to: date
    members_active: int
    members_joined: int
    members_total: int
    production: ProductionReport
    sales_count: int
    gross_local_minor: int
    levy_minor: int
    net_to_members_minor: int
    paid_to_members_minor: int
    taxes_due_minor: int
    taxes_paid_minor: int
    owed_to_members_end_minor: int
    tax_payable_end_minor: int
    sales_by_month: dict[str, int] = field(default_factory=dict)  # YYYY-MM -> gross local
    sales_by_mineral: dict[str, int] = field(default_factory=dict)
    safety: SafetyReport | None = None
    mercury_used_milli: int = 0
    mercury_purchased_milli: int = 0
    gold_milli: int = 0


def annual(actor: Actor, year: int) -> AnnualReport:
    """The general assembly's report for a fiscal year: production, sales, distribution, taxes, incidents."""
    actor.require("reports.read")
    from coop.services import ledger

    coop = settings.get()
    series = settings.fiscal_series(date(year, coop.fiscal_year_start, 1), coop.fiscal_year_start)
    start, end = settings.fiscal_year_bounds(series, coop.fiscal_year_start)
    # sums in SQL: building 200,000 Sale and 50,000 Member objects was 9 s of the report at federation scale
    by_month: dict[str, int] = {}
    sales_count = gross = levy = net = 0
    cursor = database.execute_sql(
        "SELECT substr(date, 1, 7), COUNT(*), SUM(gross_local_minor), SUM(levy_minor), SUM(net_minor)"
        " FROM sale WHERE state = 'posted' AND date BETWEEN ? AND ? GROUP BY 1",
        [start.isoformat(), end.isoformat()],
    )
    for month, count, month_gross, month_levy, month_net in cursor:
        by_month[month] = month_gross
        sales_count, gross, levy, net = (
            sales_count + count,
            gross + month_gross,
            levy + month_levy,
            net + month_net,
        )
    members_total, members_active, members_joined = database.execute_sql(
        "SELECT COUNT(*), COALESCE(SUM(status = 'active'), 0), COALESCE(SUM(join_date >= ?), 0) FROM member"
        " WHERE join_date <= ?",
        [start.isoformat(), end.isoformat()],
    ).fetchone()
    taxes = tax_summary(actor, start, end)
    paid_out = int(
        Payout.select(fn.SUM(Payout.amount_minor))
        .where((Payout.state == "posted") & (Payout.date >= start) & (Payout.date <= end))
        .scalar()
        or 0
    )
    tax_paid = int(
        TaxPayment.select(fn.SUM(TaxPayment.amount_minor))
        .where((TaxPayment.state == "posted") & (TaxPayment.date >= start) & (TaxPayment.date <= end))
        .scalar()
        or 0
    )
    pos = ledger.position(actor, until=end)
    hg = mercury(actor, start, end).total()
    return AnnualReport(
        year=year,
        series=series,
        period_from=start,
        period_to=end,
        members_active=members_active,
        members_joined=members_joined,
        members_total=members_total,
        production=production(actor, start, end),
        sales_count=sales_count,
        gross_local_minor=gross,
        levy_minor=levy,
        net_to_members_minor=net,
        paid_to_members_minor=paid_out,
        taxes_due_minor=taxes.due_minor,
        taxes_paid_minor=tax_paid,
        owed_to_members_end_minor=pos.members_payable,
        tax_payable_end_minor=pos.tax_payable,
        sales_by_month=dict(sorted(by_month.items())),
        sales_by_mineral={m.mineral: m.gross_local_minor for m in taxes.by_mineral},
        safety=safety(actor, start, end),
        mercury_used_milli=hg.used_milli,
        mercury_purchased_milli=hg.purchased_milli,
        gold_milli=hg.gold_milli,
    )
