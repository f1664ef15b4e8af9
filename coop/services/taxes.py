"""Tax rules as data (with sourced presets), tax payments, and the period tax summary for filings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from coop import money
from coop.chain import PostingLine
from coop.changes import Changes, Saved, SavedMany
from coop.errors import NotFound, ValidationError
from coop.i18n import N_
from coop.models import (
    JournalEntry,
    Mineral,
    Posting,
    TaxPayment,
    TaxRule,
    database,
)
from coop.permissions import Actor
from coop.services import audit, posting
from coop.services.periods import Closing

CHECK_NOTE = N_("Preset: check the current rate with your authority.")


@dataclass(frozen=True, kw_only=True)
class Preset:
    """A shipped tax rule: name and source are msgids, stored in the cooperative's language when loaded."""

    name: str
    authority: str
    rate_bp: int
    mineral: str | None  # key of coop.countries.MINERALS (found by its HS code); None = every mineral
    buyer_kind: str = ""
    withheld: bool = True
    source: str  # the law or notice and its date
    since: date  # in force from (a preset loaded for an earlier date starts here)


# Sources: DOMAIN.md and the README "Tax presets" notes. Every preset is labelled "check with your authority".
PRESETS: dict[str, list[Preset]] = {
    "TZ": [
        Preset(
            name=N_("Royalty"),
            authority="Mining Commission",
            rate_bp=600,
            mineral=None,
            source=N_(
                "Mining Act 2010 (as amended 2017): 6 percent of gross value of gold, metallic minerals, gems"
            ),
            since=date(2017, 7, 1),
        ),
        Preset(
            name=N_("Royalty"),
            authority="Mining Commission",
            rate_bp=400,
            mineral="gold",
            buyer_kind="refinery",
            source=N_("Mining Act 2010 (as amended): 4 percent on gold sold to domestic refineries"),
            since=date(2022, 7, 1),
        ),
        Preset(
            name=N_("Inspection fee"),
            authority="Mining Commission",
            rate_bp=100,
            mineral=None,
            source=N_("Mining Act 2010 (as amended 2017): inspection fee 1 percent of gross value"),
            since=date(2017, 7, 1),
        ),
    ],
    "BO": [
        Preset(
            name=N_("Mining royalty"),
            authority="SENARECOM",
            rate_bp=250,
            mineral="gold",
            source=N_(
                "Ley 535 de Minería y Metalurgia (2014), regalía minera: small-scale gold from marginal "
                "deposits 2.5 percent of gross value; cooperatives are exempt from profit tax"
            ),
            since=date(2014, 5, 28),
        ),
    ],
    "CD": [
        Preset(
            name=N_("Mining royalty"),
            authority="DGRAD",
            rate_bp=350,
            mineral=None,
            source=N_(
                "Mining Code 2018, art. 241: non-ferrous/base and precious metals 3.5 percent of gross value"
            ),
            since=date(2018, 3, 9),
        ),
        Preset(
            name=N_("Mining royalty"),
            authority="DGRAD",
            rate_bp=1000,
            mineral="cobalt",
            source=N_("Mining Code 2018, art. 241: strategic substance (cobalt) 10 percent of gross value"),
            since=date(2018, 3, 9),
        ),
    ],
    "PE": [
        Preset(
            name=N_("Detraction (SPOT)"),
            authority="SUNAT",
            rate_bp=1000,
            mineral=None,
            source=N_(
                "SUNAT Resolution 183-2004 as amended by Resolution 000086-2025 (from 1 April 2025): gold "
                "ores and concentrates and non-gold metallic minerals 10%, deposited by the buyer in the "
                "seller's Banco de la Nación account; small producers and artisanal miners are exempt "
                "from the mining royalty (Law 28258, art. 10)"
            ),
            since=date(2025, 4, 1),
        ),
    ],
    "GH": [
        Preset(
            name=N_("Withholding tax on unprocessed gold"),
            authority="Ghana Revenue Authority",
            rate_bp=150,
            mineral="gold",
            source=N_(
                "Ghana's 2022 budget: 1.5% withheld on sales of unprocessed gold by small-scale miners "
                "(was 3%); since 2025 the Ghana Gold Board (GoldBod) buys small-scale gold in cedis"
            ),
            since=date(2022, 1, 1),
        ),
    ],
}


def _minerals_by_key() -> dict[str, int]:
    """Mineral ids by the first four digits of their HS code (a preset finds "gold" whatever its name) and, for
    minerals entered without one, by their name folded to lower case."""
    found: dict[str, int] = {}
    rows = Mineral.select(Mineral.id, Mineral.name, Mineral.hs_code).order_by(Mineral.id).tuples()
    for mineral_id, name, hs_code in rows:
        if hs_code:
            found.setdefault(str(hs_code).replace(".", "")[:4], mineral_id)
        found.setdefault(str(name).strip().casefold(), mineral_id)
    return found


def _preset_mineral(key: str, found: dict[str, int]) -> int | None:
    """The cooperative's mineral a preset names: by HS heading, else by its name (translated or English)."""
    from coop import countries
    from coop.i18n import _

    seed = countries.MINERALS[key]
    for candidate in (seed.hs_code.replace(".", "")[:4], _(seed.name).casefold(), seed.name.casefold()):
        if candidate in found:
            return found[candidate]
    return None


def load_presets(actor: Actor, country: str, valid_from: date, language: str | None = None) -> SavedMany:
    """Create the preset rules of a country (marked 'check with your authority'), named in `language` (default:
    the cooperative's); a preset for a mineral the cooperative does not trade is left out. Returns their ids."""
    from coop.i18n import _, current_language, language_of
    from coop.i18n import language as in_language
    from coop.services import settings

    actor.require("taxrules.write")
    if language is None:
        coop = settings.current()
        language = language_of(coop.locale) if coop is not None else current_language()
    minerals = _minerals_by_key()
    ids: list[int] = []
    with database.atomic(), in_language(language):
        for preset in PRESETS.get(country.upper(), []):
            mineral_id = None
            if preset.mineral is not None:
                mineral_id = _preset_mineral(preset.mineral, minerals)
                if mineral_id is None:
                    continue
            ids.append(
                save_rule(
                    actor,
                    None,
                    name=_(preset.name),
                    authority=preset.authority,
                    rate_bp=preset.rate_bp,
                    mineral=mineral_id,
                    buyer_kind=preset.buyer_kind,
                    valid_from=max(valid_from, preset.since),
                    withheld=preset.withheld,
                    note=_("{source}. {check}").format(source=_(preset.source), check=_(CHECK_NOTE)),
                ).id
            )
    return SavedMany(tuple(ids), Changes.of(tax_rules=ids))


def save_rule(actor: Actor, rule_id: int | None, **values) -> Saved:
    """Create (rule_id None) or change a tax rule. Changing a rate for new sales = end one rule, start another."""
    actor.require("taxrules.write")
    if not str(values.get("name", "")).strip():
        raise ValidationError("name", "The tax needs a name.")
    if not str(values.get("authority", "")).strip():
        raise ValidationError("authority", "Name the authority that collects the tax.")
    if not 0 < int(values.get("rate_bp", 0)) <= 5000:
        raise ValidationError("rate_bp", "The rate must be above 0% and at most 50%.")
    if values.get("valid_to") and values["valid_to"] < values["valid_from"]:
        raise ValidationError("valid_to", "The end date is before the start date.")
    with database.atomic():
        if rule_id is None:
            rule = TaxRule.create(**values)
            audit.record(actor, "create", "tax_rule", rule.id, None, values)
            return Saved(rule.id, Changes.of(tax_rules=[rule.id]))
        old = TaxRule.get_or_none(TaxRule.id == rule_id)
        if old is None:
            raise NotFound("Tax rule {id} does not exist.", id=rule_id)
        _refuse_rewriting_history(old, values)
        TaxRule.update(**values).where(TaxRule.id == rule_id).execute()
        audit.record(actor, "update", "tax_rule", rule_id, audit.row_dict(old), values)
        return Saved(rule_id, Changes.of(tax_rules=[rule_id]))


# What a posted sale printed and filed: once a rule was applied, these stay as they were.
_APPLIED_FIELDS = ("name", "authority", "rate_bp", "mineral", "buyer_kind", "valid_from", "withheld")


def _refuse_rewriting_history(old: TaxRule, values: dict) -> None:
    """A rule already applied to a sale may only get an end date or a note; a new rate is a new rule."""
    used = Posting.select().where(Posting.tax_rule == old.id).exists()
    changed = [f for f in _APPLIED_FIELDS if f in values and values[f] != old.__data__.get(f)]
    if used and changed:
        raise ValidationError(
            changed[0],
            "This tax was already applied to posted sales: give it an end date "
            "and create a new rule from the day the change applies.",
        )


def applicable_rules(mineral_id: int, buyer_kind: str, day: date) -> list[TaxRule]:
    """Rules in force on `day` for a mineral and buyer; per tax name the most specific rule wins."""
    q = TaxRule.select().where(
        (TaxRule.valid_from <= day)
        & ((TaxRule.valid_to.is_null()) | (TaxRule.valid_to >= day))
        & ((TaxRule.mineral.is_null()) | (TaxRule.mineral == mineral_id))
        & ((TaxRule.buyer_kind == "") | (TaxRule.buyer_kind == buyer_kind))
    )
    best: dict[tuple[str, str], TaxRule] = {}
    for rule in q.order_by(TaxRule.id):
        key = (rule.name, rule.authority)
        rank = (rule.mineral_id is not None) + 2 * (rule.buyer_kind != "")
        if key not in best or rank > (best[key].mineral_id is not None) + 2 * (best[key].buyer_kind != ""):
            best[key] = rule
    return sorted(best.values(), key=lambda r: r.id)


def pay(
    actor: Actor,
    *,
    authority: str,
    amount: Decimal,
    day: date,
    period_from: date,
    period_to: date,
    reference: str = "",
    rule_id: int | None = None,
    method: str = "bank",
    treasury_id: int | None = None,
) -> Saved:
    """Record a posted tax payment: tax payable (debit) against the treasury account (credit): `treasury_id`
    when given, else the method's default account; refused when that account lacks the money."""
    from coop.services.books import treasury

    actor.require("taxes.pay")
    method, key = treasury.resolve(method, treasury_id)
    minor = posting.payment_minor(amount, day, method)
    if not authority.strip():
        raise ValidationError("authority", "Name the authority that was paid.")
    if period_to < period_from:
        raise ValidationError("period_to", "The end date is before the start date.")
    with database.atomic():
        row = TaxPayment.create(
            date=day,
            authority=authority.strip(),
            tax_rule=rule_id,
            period_from=period_from,
            period_to=period_to,
            amount_minor=minor,
            reference=reference.strip(),
            created_by=actor.username,
            state="draft",
        )
        lines = [PostingLine("tax_payable", None, rule_id, minor), PostingLine(key, None, None, -minor)]
        posted = posting.post(actor, TaxPayment, row.id, day, reference, lines)
    return Saved(row.id, posted)


def void_payment(actor: Actor, payment_id: int, reason: str, day: date | None = None) -> Changes:
    return posting.void(actor, TaxPayment, payment_id, reason, day=day)


@dataclass(frozen=True, kw_only=True)
class MineralSales:
    mineral: str
    unit: str
    sales: int
    qty_milli: int
    priced_qty_milli: int
    gross_local_minor: int


@dataclass(frozen=True, kw_only=True)
class TaxDue:
    rule_id: int
    name: str
    authority: str
    rate_bp: int
    base_minor: int  # the period's sales, less the earlier sales voided in the period
    due_minor: int  # the sum of the amounts applied to each sale, each rounded once (per sale)

    @property
    def rate_times_base_minor(self) -> int:
        """rate × base rounded once: beside the amount due, which rounds per sale and may differ by a few
        minor units."""
        return money.apply_bp(self.base_minor, self.rate_bp)


@dataclass(frozen=True, kw_only=True)
class PaymentLine:
    payment_id: int
    date: date
    authority: str
    reference: str
    amount_minor: int


@dataclass(frozen=True, kw_only=True)
class VoidAdjustment:
    """A sale of an earlier period voided in this one: it counts here, with its figures taken off."""

    sale_id: int
    series: str
    receipt_no: int
    sale_date: date
    void_date: date
    mineral: str
    gross_local_minor: int  # the sale's gross value, taken off this period's base
    tax_minor: int  # the tax due taken off this period (of the summary's authority, if one is named)


@dataclass(kw_only=True)
class TaxSummary:
    period_from: date
    period_to: date
    currency: str
    authority: str | None
    by_mineral: list[MineralSales] = field(default_factory=list)
    adjustments: list[VoidAdjustment] = field(default_factory=list)
    taxes: list[TaxDue] = field(default_factory=list)
    payments: list[PaymentLine] = field(default_factory=list)
    closing: Closing | None = None  # the closing that made this period final, if any
    untaxed_base_minor: int = 0  # the period's sales (less voids) to which no tax (of the authority) applied

    @property
    def final(self) -> bool:
        return self.closing is not None

    @property
    def due_minor(self) -> int:
        return sum(t.due_minor for t in self.taxes)

    @property
    def paid_minor(self) -> int:
        return sum(p.amount_minor for p in self.payments)

    @property
    def balance_minor(self) -> int:
        return self.due_minor - self.paid_minor


# A sale counts in the period of its date unless it was voided in that period too (on or before its end); a
# void counts in the period of its own date (posting.void), so a reprint of a past period never changes.
_NOT_VOIDED_BY_END = (
    "NOT EXISTS (SELECT 1 FROM journal_entry v WHERE v.source_type = 'sale' AND v.source_id = s2.id"
    " AND v.kind = 'void' AND v.date <= ?)"
)
# One aggregate in SQLite: folding the rows in Python would pull every (sale, mineral) pair of the period.
# Each (sale, mineral) pair counts once and adds the sale's priced quantity and gross value.
_BY_MINERAL_SQL = f"""
SELECT m.name, m.unit, COUNT(*), SUM(x.qty), SUM(s.priced_qty_milli), SUM(s.gross_local_minor)
FROM (SELECT sl.sale_id, p.mineral_id, SUM(p.qty_milli) AS qty
      FROM sale_lot sl
      JOIN sale s2 ON s2.id = sl.sale_id
      JOIN production_lot p ON p.id = sl.lot_id
      WHERE s2.state <> 'draft' AND s2.date >= ? AND s2.date <= ? AND {_NOT_VOIDED_BY_END}
      GROUP BY sl.sale_id, p.mineral_id) x
JOIN sale s ON s.id = x.sale_id
JOIN mineral m ON m.id = x.mineral_id
GROUP BY m.id
"""

# Tax due and base per rule from the journal: the sale entries and the void entries dated in the period.
_BY_RULE_SQL = """
SELECT p.tax_rule_id, SUM(p.amount_minor),
       SUM(CASE j.kind WHEN 'sale' THEN s.gross_local_minor ELSE -s.gross_local_minor END)
FROM journal_entry j
JOIN posting p ON p.entry_id = j.id
JOIN sale s ON s.id = j.source_id
WHERE j.source_type = 'sale' AND j.kind IN ('sale', 'void') AND p.account = 'tax_payable'
  AND j.date >= ? AND j.date <= ?
GROUP BY p.tax_rule_id
"""

# The period's sales (less the voids dated in it) whose journal entry has no tax line at all: a tax that
# rounded to zero keeps its zero line (sales._postings), so these are the sales no rule applied to.
_UNTAXED_SQL = """
SELECT SUM(CASE j.kind WHEN 'sale' THEN s.gross_local_minor ELSE -s.gross_local_minor END)
FROM journal_entry j
JOIN sale s ON s.id = j.source_id
WHERE j.source_type = 'sale' AND j.kind IN ('sale', 'void') AND j.date >= ? AND j.date <= ?
  AND NOT EXISTS (SELECT 1 FROM posting p JOIN tax_rule r ON r.id = p.tax_rule_id
                  WHERE p.entry_id = j.id AND p.account = 'tax_payable' AND (? = '' OR r.authority = ?))
"""

_ADJUSTMENTS_SQL = """
SELECT s.id, s.series, s.receipt_no, s.date, j.date, s.gross_local_minor, j.id,
       (SELECT m.name FROM sale_lot sl JOIN production_lot l ON l.id = sl.lot_id
        JOIN mineral m ON m.id = l.mineral_id WHERE sl.sale_id = s.id ORDER BY sl.id LIMIT 1)
FROM journal_entry j
JOIN sale s ON s.id = j.source_id
WHERE j.source_type = 'sale' AND j.kind = 'void' AND j.date >= ? AND j.date <= ? AND s.date < ?
ORDER BY j.seq
"""


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _by_mineral(start: date, end: date) -> list[MineralSales]:
    rows = database.execute_sql(
        _BY_MINERAL_SQL, (start.isoformat(), end.isoformat(), end.isoformat())
    ).fetchall()
    return [
        MineralSales(
            mineral=n, unit=u, sales=c, qty_milli=int(q), priced_qty_milli=int(pq), gross_local_minor=int(g)
        )
        for n, u, c, q, pq, g in sorted(rows)
    ]


def _taxes_due(start: date, end: date, authority: str | None) -> list[TaxDue]:
    found = {
        rule_id: (-int(total), int(base))
        for rule_id, total, base in database.execute_sql(_BY_RULE_SQL, (start.isoformat(), end.isoformat()))
    }
    rules = (
        TaxRule.select()
        .where(TaxRule.id.in_(list(found)))
        .order_by(TaxRule.authority, TaxRule.name, TaxRule.id)
    )
    return [
        TaxDue(
            rule_id=r.id,
            name=r.name,
            authority=r.authority,
            rate_bp=r.rate_bp,
            base_minor=found[r.id][1],
            due_minor=found[r.id][0],
        )
        for r in rules
        if (not authority or r.authority == authority)
        and found[r.id] != (0, 0)  # a sale voided in its period
    ]


def _untaxed(start: date, end: date, authority: str | None) -> int:
    name = authority or ""
    row = database.execute_sql(_UNTAXED_SQL, (start.isoformat(), end.isoformat(), name, name)).fetchone()
    return int(row[0] or 0)


def _adjustments(start: date, end: date, authority: str | None) -> list[VoidAdjustment]:
    rows = database.execute_sql(
        _ADJUSTMENTS_SQL, (start.isoformat(), end.isoformat(), start.isoformat())
    ).fetchall()
    if not rows:
        return []
    taxes_of = (
        Posting.select(Posting.entry, Posting.amount_minor)
        .join(TaxRule)
        .where((Posting.entry.in_([r[6] for r in rows])) & (Posting.account == "tax_payable"))
    )
    if authority:
        taxes_of = taxes_of.where(TaxRule.authority == authority)
    tax: dict[int, int] = {}
    for entry_id, amount in taxes_of.tuples():
        tax[entry_id] = tax.get(entry_id, 0) + int(amount)
    return [
        VoidAdjustment(
            sale_id=sale_id,
            series=series,
            receipt_no=receipt_no,
            sale_date=_day(sale_day),
            void_date=_day(void_day),
            mineral=mineral or "",
            gross_local_minor=int(gross),
            tax_minor=tax.get(entry_id, 0),
        )
        for sale_id, series, receipt_no, sale_day, void_day, gross, entry_id, mineral in rows
    ]


def _payments(start: date, end: date, authority: str | None, closing: Closing | None) -> list[PaymentLine]:
    """Payments for the period; for a closed period, as the books stood at its closing (a later payment or
    void does not change what was filed)."""
    q = (
        TaxPayment.select()
        .where(
            (TaxPayment.state != "draft") & (TaxPayment.period_from <= end) & (TaxPayment.period_to >= start)
        )
        .order_by(TaxPayment.date, TaxPayment.id)
    )
    rows = [p for p in q if not authority or p.authority == authority]
    links: dict[tuple[int, str], int] = {}
    if rows:
        for source_id, kind, seq in (
            JournalEntry.select(JournalEntry.source_id, JournalEntry.kind, JournalEntry.seq)
            .where(
                (JournalEntry.source_type == "tax_payment")
                & (JournalEntry.source_id.in_([p.id for p in rows]))
            )
            .tuples()
        ):
            links[(source_id, kind)] = seq
    cut = closing.link_seq if closing is not None else None

    def counted(p: TaxPayment) -> bool:
        posted_seq, void_seq = links.get((p.id, "tax_payment")), links.get((p.id, "void"))
        if cut is None:
            return void_seq is None
        return posted_seq is not None and posted_seq < cut and (void_seq is None or void_seq > cut)

    return [
        PaymentLine(
            payment_id=p.id,
            date=p.date,
            authority=p.authority,
            reference=p.reference,
            amount_minor=p.amount_minor,
        )
        for p in rows
        if counted(p)
    ]


def summary(actor: Actor, start: date, end: date, authority: str | None = None) -> TaxSummary:
    """Sales by mineral, voids of earlier sales, each tax's base and amount due, payments made and the balance
    for a period; every figure is taken from the journal by the date of its entry."""
    actor.require("reports.read")
    from coop.services import periods, settings

    if end < start:
        raise ValidationError("to", "The end date is before the start date.")
    closing = periods.closing_for(end)
    return TaxSummary(
        period_from=start,
        period_to=end,
        currency=settings.get().currency,
        authority=authority,
        by_mineral=_by_mineral(start, end),
        adjustments=_adjustments(start, end, authority),
        taxes=_taxes_due(start, end, authority),
        payments=_payments(start, end, authority, closing),
        closing=closing,
        untaxed_base_minor=_untaxed(start, end, authority),
    )
