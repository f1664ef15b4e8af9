"""Tax rules as data (with sourced presets), tax payments, and the period tax summary for filings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from peewee import fn

from coop.chain import PostingLine
from coop.changes import Changes, Saved, SavedMany
from coop.errors import NotFound, ValidationError
from coop.i18n import N_
from coop.models import (
    JournalEntry,
    Mineral,
    Posting,
    Sale,
    TaxPayment,
    TaxRule,
    database,
)
from coop.permissions import Actor
from coop.services import audit, posting

CHECK_NOTE = N_("Preset: check the current rate with your authority.")

# (country, name, authority, rate_bp, mineral name or None, buyer kind, withheld, source)
PRESETS: dict[str, list[tuple[str, str, int, str | None, str, bool, str]]] = {
    "TZ": [
        ("Royalty", "Mining Commission", 600, None, "", True, "Mining Act: 6% of gross value"),
        (
            "Royalty",
            "Mining Commission",
            400,
            "Gold",
            "refinery",
            True,
            "4% on gold sold to domestic refineries",
        ),
        ("Inspection fee", "Mining Commission", 100, None, "", True, "1% of gross value"),
    ],
    "BO": [
        ("Regalía minera", "SENARECOM", 250, "Gold", "", True, "Small-scale gold, marginal deposits: 2.5%"),
    ],
    "CD": [
        ("Redevance minière", "DGRAD", 350, None, "", True, "Mining Code 2018: non-ferrous/base metals 3.5%"),
        ("Redevance minière", "DGRAD", 1000, "Cobalt", "", True, "Strategic substance (cobalt): 10%"),
    ],
}


def load_presets(actor: Actor, country: str, valid_from: date) -> SavedMany:
    """Create the preset rules of a country (marked 'check with your authority'); returns their ids."""
    actor.require("taxrules.write")
    ids: list[int] = []
    minerals = {m.name: m.id for m in Mineral.select()}
    for name, authority, bp, mineral, buyer_kind, withheld, source in PRESETS.get(country.upper(), []):
        if mineral is not None and mineral not in minerals:
            continue
        ids.append(
            save_rule(
                actor,
                None,
                name=name,
                authority=authority,
                rate_bp=bp,
                mineral=minerals.get(mineral) if mineral else None,
                buyer_kind=buyer_kind,
                valid_from=valid_from,
                withheld=withheld,
                note=f"{source}. {CHECK_NOTE}",
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
) -> Saved:
    """Record a posted tax payment: tax payable (debit) against the treasury account (credit)."""
    actor.require("taxes.pay")
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
        lines = [PostingLine("tax_payable", None, rule_id, minor), PostingLine(method, None, None, -minor)]
        posted = posting.post(actor, TaxPayment, row.id, day, reference, lines)
    return Saved(row.id, posted)


def void_payment(actor: Actor, payment_id: int, reason: str) -> Changes:
    return posting.void(actor, TaxPayment, payment_id, reason)


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
    base_minor: int
    due_minor: int


@dataclass(frozen=True, kw_only=True)
class PaymentLine:
    payment_id: int
    date: date
    authority: str
    reference: str
    amount_minor: int


@dataclass(kw_only=True)
class TaxSummary:
    period_from: date
    period_to: date
    currency: str
    authority: str | None
    by_mineral: list[MineralSales] = field(default_factory=list)
    taxes: list[TaxDue] = field(default_factory=list)
    payments: list[PaymentLine] = field(default_factory=list)

    @property
    def due_minor(self) -> int:
        return sum(t.due_minor for t in self.taxes)

    @property
    def paid_minor(self) -> int:
        return sum(p.amount_minor for p in self.payments)

    @property
    def balance_minor(self) -> int:
        return self.due_minor - self.paid_minor


# One aggregate in SQLite: folding the rows in Python would pull every (sale, mineral) pair of the period.
# Each (sale, mineral) pair counts once and adds the sale's priced quantity and gross value.
_BY_MINERAL_SQL = """
SELECT m.name, m.unit, COUNT(*), SUM(x.qty), SUM(s.priced_qty_milli), SUM(s.gross_local_minor)
FROM (SELECT sl.sale_id, p.mineral_id, SUM(p.qty_milli) AS qty
      FROM sale_lot sl
      JOIN sale s2 ON s2.id = sl.sale_id
      JOIN production_lot p ON p.id = sl.lot_id
      WHERE s2.state = 'posted' AND s2.date >= ? AND s2.date <= ?
      GROUP BY sl.sale_id, p.mineral_id) x
JOIN sale s ON s.id = x.sale_id
JOIN mineral m ON m.id = x.mineral_id
GROUP BY m.id
"""


def _by_mineral(start: date, end: date) -> list[MineralSales]:
    rows = database.execute_sql(_BY_MINERAL_SQL, (start.isoformat(), end.isoformat())).fetchall()
    return [
        MineralSales(
            mineral=n, unit=u, sales=c, qty_milli=int(q), priced_qty_milli=int(pq), gross_local_minor=int(g)
        )
        for n, u, c, q, pq, g in sorted(rows)
    ]


def summary(actor: Actor, start: date, end: date, authority: str | None = None) -> TaxSummary:
    """Sales by mineral, each tax's base and amount due, payments made and the balance for a period."""
    actor.require("reports.read")
    from coop.services import settings

    if end < start:
        raise ValidationError("to", "The end date is before the start date.")
    out = TaxSummary(
        period_from=start,
        period_to=end,
        currency=settings.get().currency,
        authority=authority,
        by_mineral=_by_mineral(start, end),
    )
    q = (
        Posting.select(
            TaxRule.id,
            TaxRule.name,
            TaxRule.authority,
            TaxRule.rate_bp,
            fn.SUM(Posting.amount_minor),
            fn.SUM(Sale.gross_local_minor),
        )
        .join(JournalEntry)
        .join(Sale, on=(JournalEntry.source_id == Sale.id))
        .switch(Posting)
        .join(TaxRule)
        .where(
            (JournalEntry.kind == "sale")
            & (Posting.account == "tax_payable")
            & (Sale.state == "posted")
            & (Sale.date >= start)
            & (Sale.date <= end)
        )
        .group_by(TaxRule.id)
        .order_by(TaxRule.authority, TaxRule.name, TaxRule.id)
        .tuples()
    )
    for rule_id, name, auth, bp, total, base in q:
        if authority and auth != authority:
            continue
        out.taxes.append(
            TaxDue(
                rule_id=rule_id,
                name=name,
                authority=auth,
                rate_bp=bp,
                base_minor=int(base),
                due_minor=-int(total),
            )
        )
    pay_q = (
        TaxPayment.select()
        .where(
            (TaxPayment.state == "posted") & (TaxPayment.period_from <= end) & (TaxPayment.period_to >= start)
        )
        .order_by(TaxPayment.date, TaxPayment.id)
    )
    out.payments = [
        PaymentLine(
            payment_id=p.id,
            date=p.date,
            authority=p.authority,
            reference=p.reference,
            amount_minor=p.amount_minor,
        )
        for p in pay_q
        if not authority or p.authority == authority
    ]
    return out
