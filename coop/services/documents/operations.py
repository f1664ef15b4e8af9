"""Operations report data: production by month, site and mineral; safety incidents; mercury use and Hg:Au."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from peewee import fn

from coop.models import Incident, MercuryEntry, Site, database
from coop.permissions import Actor
from coop.services.documents.header import check_period
from coop.services.sales import priced_qty_of


@dataclass(frozen=True, kw_only=True)
class ProductionRow:
    month: str  # YYYY-MM
    site_code: str
    mineral: str
    unit: str
    lots: int
    qty_milli: int
    fine_milli: int
    mercury_milli: int


@dataclass(kw_only=True)
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
# peewee object per lot would make the production and mercury reports slow on a federation's lots.
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
    check_period(start, end)
    out = ProductionReport(period_from=start, period_to=end, sites={s.code: s.name for s in Site.select()})
    acc: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    cursor = database.execute_sql(_PRODUCTION_SQL, [start.isoformat(), end.isoformat()])
    for month, site, mineral, unit, grade_kind, qty, grade, mercury_milli in cursor:
        row = acc[(month, site, mineral, unit)]
        row[0] += 1
        row[1] += qty
        row[2] += priced_qty_of(grade_kind, qty, grade)  # rounded per lot, as each sale prices it
        row[3] += mercury_milli
    out.rows = [
        ProductionRow(
            month=month,
            site_code=site,
            mineral=mineral,
            unit=unit,
            lots=lots,
            qty_milli=qty,
            fine_milli=fine,
            mercury_milli=mercury_milli,
        )
        for (month, site, mineral, unit), (lots, qty, fine, mercury_milli) in sorted(acc.items())
    ]
    return out


@dataclass(frozen=True, kw_only=True)
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


@dataclass(kw_only=True)
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
    check_period(start, end)
    q = (
        Incident.select(Incident, Site)
        .join(Site)
        .where((fn.DATE(Incident.occurred_at) >= start) & (fn.DATE(Incident.occurred_at) <= end))
        .order_by(Incident.occurred_at)
    )
    out = SafetyReport(period_from=start, period_to=end)
    for i in q:
        when = (
            i.occurred_at if isinstance(i.occurred_at, date) else date.fromisoformat(str(i.occurred_at)[:10])
        )
        out.incidents.append(
            IncidentLine(
                occurred_at=when,
                site_code=i.site.code,
                category=i.category,
                severity=i.severity,
                state=i.state,
                injured=i.injured,
                fatalities=i.fatalities,
                description=i.description,
                actions=i.actions,
                reported_on=i.reported_on if i.reported_to_authority else None,
            )
        )
    return out


def is_gold(name: str, hs_code: str) -> bool:
    return hs_code.startswith("7108") or name.strip().lower() in {"gold", "or", "oro", "ouro", "dhahabu"}


@dataclass(frozen=True, kw_only=True)
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


# MercuryRow's counted fields, in the order mercury() accumulates them.
_MERCURY_COUNTS = (
    "purchased_milli",
    "used_milli",
    "used_with_retort_milli",
    "uses",
    "uses_with_retort",
    "gold_milli",
    "lots_with_retort",
    "gold_lots",
)


@dataclass(kw_only=True)
class MercuryReport:
    period_from: date
    period_to: date
    rows: list[MercuryRow] = field(default_factory=list)

    def total(self) -> MercuryRow:
        sums = {f: sum(getattr(r, f) for r in self.rows) for f in _MERCURY_COUNTS}
        return MercuryRow(month="", site_code="", **sums)


def mercury(actor: Actor, start: date, end: date) -> MercuryReport:
    """Mercury purchased and used per site and month, gold produced there, Hg:Au ratio and retort use."""
    actor.require("reports.read")
    check_period(start, end)
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
    rows = [
        MercuryRow(month=m, site_code=s, **dict(zip(_MERCURY_COUNTS, v, strict=True)))
        for (m, s), v in sorted(acc.items())
    ]
    return MercuryReport(period_from=start, period_to=end, rows=rows)
