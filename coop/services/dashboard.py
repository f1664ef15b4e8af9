"""Monthly series for the dashboard: production and sales, tax due vs paid, incidents, mercury per gold."""

from __future__ import annotations

from dataclasses import dataclass, field

from coop.models import database
from coop.permissions import Actor


@dataclass(kw_only=True)
class Dashboard:
    months: list[str] = field(default_factory=list)  # "YYYY-MM"
    production: dict[str, dict[str, int]] = field(default_factory=dict)  # mineral -> month -> qty milli
    units: dict[str, str] = field(default_factory=dict)  # mineral -> unit
    sales: dict[str, int] = field(default_factory=dict)  # month -> gross local minor
    tax_due: dict[str, int] = field(default_factory=dict)
    tax_paid: dict[str, int] = field(default_factory=dict)
    incidents: dict[str, int] = field(default_factory=dict)  # category -> count
    mercury_per_gold: dict[str, float] = field(default_factory=dict)  # month -> g Hg per g Au (display only)


def _pairs(sql: str, params: list) -> dict[str, int]:
    return {str(k): int(v or 0) for k, v in database.execute_sql(sql, params).fetchall()}


def build(actor: Actor, year: int) -> Dashboard:
    """Aggregates for one calendar year (manager, treasurer, clerk, auditor: read.all)."""
    actor.require("read.all")
    lo, hi = f"{year}-01-01", f"{year}-12-31"
    out = Dashboard(months=[f"{year}-{m:02d}" for m in range(1, 13)])
    # One pass over the year's lots for both the production chart and the gold under the mercury ratio
    # (scanning the lots is most of the dashboard's cost); substr, not strftime, for the month of an ISO
    # date text, as it is cheaper per row.
    q = (
        "SELECT n.name, n.unit, n.grade_kind, substr(l.date, 1, 7), SUM(l.qty_milli),"
        " SUM(l.qty_milli * CASE WHEN l.grade_milli > 0 THEN l.grade_milli / 1000000.0 ELSE 1 END),"
        " SUM(l.mercury_milli)"
        " FROM production_lot l JOIN mineral n ON n.id = l.mineral_id"
        " WHERE l.status != 'voided' AND l.date BETWEEN ? AND ? GROUP BY n.id, 4"
    )
    au: dict[str, float] = {}
    lot_hg: dict[str, int] = {}  # mercury typed on the lot form counts as used, like a mercury entry
    for name, unit, grade_kind, month, qty, fine, hg_milli in database.execute_sql(q, [lo, hi]).fetchall():
        lot_hg[month] = lot_hg.get(month, 0) + int(hg_milli or 0)
        out.production.setdefault(name, {})[month] = int(qty)
        out.units[name] = unit
        if unit == "g" and "gold" in name.lower():  # fine gold where the grade is a fineness
            au[month] = au.get(month, 0) + (fine if grade_kind == "fineness" else qty)
    out.sales = _pairs(
        "SELECT substr(date, 1, 7), SUM(gross_local_minor) FROM sale"
        " WHERE state = 'posted' AND date BETWEEN ? AND ? GROUP BY 1",
        [lo, hi],
    )
    out.tax_due = _pairs(
        "SELECT substr(e.date, 1, 7), -SUM(p.amount_minor) FROM posting p JOIN journal_entry e"
        " ON e.id = p.entry_id WHERE p.account = 'tax_payable' AND e.kind IN ('sale', 'void')"
        " AND e.source_type = 'sale' AND e.date BETWEEN ? AND ? GROUP BY 1",
        [lo, hi],
    )
    out.tax_paid = _pairs(
        "SELECT substr(date, 1, 7), SUM(amount_minor) FROM tax_payment"
        " WHERE state = 'posted' AND date BETWEEN ? AND ? GROUP BY 1",
        [lo, hi],
    )
    out.incidents = _pairs(
        "SELECT category, COUNT(*) FROM incident WHERE date(occurred_at) BETWEEN ? AND ? GROUP BY 1",
        [lo, hi],
    )
    hg = _pairs(
        "SELECT substr(date, 1, 7), SUM(grams_milli) FROM mercury_entry"
        " WHERE kind = 'used' AND date BETWEEN ? AND ? GROUP BY 1",
        [lo, hi],
    )
    out.mercury_per_gold = {m: (hg.get(m, 0) + lot_hg.get(m, 0)) / au[m] for m in out.months if au.get(m)}
    return out


def latest_year() -> int | None:
    row = database.execute_sql("SELECT MAX(date) FROM production_lot").fetchone()
    return int(row[0][:4]) if row and row[0] else None


# Compact axis units are CLDR's short compact patterns ("0 k", "elfu 0", "0 mil M"), read from babel for
# 10^3, 10^6, 10^9 and 10^12; the number itself is formatted here, not by babel's format_compact_decimal,
# which scales Swahili wrongly ("elfu 10" for 1,000).
_SCALES = ("1000", "1000000", "1000000000", "1000000000000")


def _compact_units(locale: str) -> list[tuple[float, str, str]]:
    """(scale, prefix, suffix) per magnitude, largest first; the scale counts the pattern's zeros ("0000 M"
    for 10^9 in Spanish is millions)."""
    from babel import Locale

    formats = Locale.parse(locale).compact_decimal_formats.get("short", {}).get("other", {})
    units = []
    for key in _SCALES:
        pattern = formats.get(key)
        if pattern is None:
            continue
        positive = pattern.pattern.split(";")[0]
        zeros = positive.count("0")
        prefix, _zeros, suffix = positive.partition("0" * zeros)
        units.append((int(key) / 10 ** (zeros - 1), prefix, suffix))
    return sorted(units, reverse=True)


def axis_labels(ticks: list[float], locale: str) -> list[str]:
    """Tick labels of one axis in the user's locale: one compact unit for the whole axis ("50 k", "elfu 50",
    "1,5 M"), as few decimals as tell the ticks apart, never a float artefact (0.04, not 0.04000000000000001)."""
    from decimal import Decimal

    from babel.numbers import format_decimal

    if not ticks:
        return []
    top = max(abs(t) for t in ticks)
    # thousands only from 10,000: a four-digit number is as short as its compact form
    units = [(s, p, x) for s, p, x in _compact_units(locale) if top >= (s * 10 if s == 1000 else s)]
    scale, prefix, suffix = units[0] if units else (1.0, "", "")
    scaled = [t / scale for t in ticks]
    places = next(
        (d for d in range(5) if all(abs(round(v, d) - v) < 1e-6 * max(1.0, abs(v)) for v in scaled)), 4
    )
    labels = []
    for v in scaled:
        number = Decimal(repr(round(v, places) + 0.0)).quantize(Decimal(1).scaleb(-places))
        text = format_decimal(number, locale=locale, decimal_quantization=False)
        labels.append(f"{prefix}{text}{suffix}" if number else text)
    return labels
