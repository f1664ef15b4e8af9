"""Imports of sites, buyers, minerals, tax rules, payouts and tax payments, through their write services."""

from __future__ import annotations

import os
from decimal import Decimal

from coop import money
from coop.changes import Changes
from coop.errors import ValidationError
from coop.models import Buyer, Member, Mineral, Site, TaxRule
from coop.permissions import Actor
from coop.services import csvio, imports, payouts, records, registry, taxes
from coop.services.imports import ImportResult, Watch, _bool, _Row, _run

SITE_COLUMNS = ["code", "name", "latitude", "longitude", "licence_no", "minerals", "status"]
BUYER_COLUMNS = ["name", "licence_no", "kind", "tax_id"]
MINERAL_COLUMNS = ["name", "unit", "grade_kind", "hs_code"]
TAX_RULE_COLUMNS = [
    "name",
    "authority",
    "rate",
    "mineral",
    "buyer_kind",
    "valid_from",
    "valid_to",
    "withheld",
    "note",
]
PAYOUT_COLUMNS = ["date", "member_no", "amount", "method", "reference"]
TAX_PAYMENT_COLUMNS = [
    "date",
    "authority",
    "amount",
    "period_from",
    "period_to",
    "tax",
    "tax_rate",
    "method",
    "reference",
]
COLUMNS = {
    "sites": SITE_COLUMNS,
    "buyers": BUYER_COLUMNS,
    "minerals": MINERAL_COLUMNS,
    "tax-rules": TAX_RULE_COLUMNS,
    "payouts": PAYOUT_COLUMNS,
    "tax-payments": TAX_PAYMENT_COLUMNS,
}
REQUIRED = {
    "sites": ["code", "name"],
    "buyers": ["name"],
    "minerals": ["name", "unit"],
    "tax-rules": ["name", "authority", "rate", "valid_from"],
    "payouts": ["date", "member_no", "amount"],
    "tax-payments": ["date", "authority", "amount", "period_from", "period_to"],
}
NUMBERS: dict[str, dict[str, int | str | None]] = {
    "sites": {"latitude": None, "longitude": None},
    "buyers": {},
    "minerals": {},
    "tax-rules": {"rate": 2},  # percent with two decimals: basis points, as stored
    "payouts": {"amount": imports.LOCAL_DIGITS},
    "tax-payments": {"amount": imports.LOCAL_DIGITS, "tax_rate": 2},
}
TOUCHES = {
    "sites": Changes.of(sites=None),
    "buyers": Changes.of(buyers=None),
    "minerals": Changes.of(minerals=None),
    "tax-rules": Changes.of(tax_rules=None),
    "payouts": Changes.of(payouts=None, ledger=None),
    "tax-payments": Changes.of(tax_payments=None, ledger=None),
}
# The permission each kind writes with, beside data.import (every kind: the import menu asks it)
WRITES = {
    "members": "members.write",
    "lots": "lots.write",
    "sales": "sales.post",
    "sites": "sites.write",
    "buyers": "buyers.write",
    "minerals": "minerals.write",
    "tax-rules": "taxrules.write",
    "payouts": "payouts.post",
    "tax-payments": "taxes.pay",
    "entries": "books.post",  # coop.services.imports_entries
}


def _start(actor: Actor, kind: str) -> None:
    actor.require("data.import")
    actor.require(WRITES[kind])


def import_sites(
    actor: Actor, path: str | os.PathLike, watch: Watch | None = None, *, sheet: str | None = None
) -> ImportResult:
    """Mine sites (code, name, GPS, licence); a code already registered, or given twice, is refused."""
    _start(actor, "sites")
    taken = {records.identifier_key(code) for (code,) in Site.select(Site.code).tuples()}

    def handle(rowno: int, r: dict[str, str]) -> None:
        code = records.identifier(r["code"], "code").upper()
        if records.identifier_key(code) in taken:
            raise imports._already_used("code", code)
        registry.save_site(
            actor,
            None,
            code=code,
            name=r["name"],
            latitude=r.get("latitude", ""),
            longitude=r.get("longitude", ""),
            licence_no=r.get("licence_no", ""),
            minerals=r.get("minerals", ""),
            status=r.get("status") or "active",
        )
        taken.add(records.identifier_key(code))

    return _run(actor, "sites", path, handle, lambda: None, watch, sheet=sheet)


def import_buyers(
    actor: Actor, path: str | os.PathLike, watch: Watch | None = None, *, sheet: str | None = None
) -> ImportResult:
    """Buyers; a sale names its buyer, so a name already registered (in any case) is refused."""
    _start(actor, "buyers")
    taken = {name.casefold() for (name,) in Buyer.select(Buyer.name).tuples()}

    def handle(rowno: int, r: dict[str, str]) -> None:
        if r["name"].casefold() in taken:
            raise imports._already_used("name", r["name"])
        registry.save_buyer(
            actor,
            None,
            name=r["name"],
            licence_no=r.get("licence_no", ""),
            kind=r.get("kind") or "comptoir",
            tax_id=r.get("tax_id", ""),
        )
        taken.add(r["name"].casefold())

    return _run(actor, "buyers", path, handle, lambda: None, watch, sheet=sheet)


def import_minerals(
    actor: Actor, path: str | os.PathLike, watch: Watch | None = None, *, sheet: str | None = None
) -> ImportResult:
    """Minerals with their unit (g, ct, kg), grade kind and HS code."""
    _start(actor, "minerals")

    def handle(rowno: int, r: dict[str, str]) -> None:
        registry.save_mineral(
            actor,
            None,
            name=r["name"],
            unit=r["unit"].lower(),
            grade_kind=r.get("grade_kind") or "none",
            hs_code=r.get("hs_code", ""),
        )

    return _run(actor, "minerals", path, handle, lambda: None, watch, sheet=sheet)


def _percent_bp(text: str, column: str) -> int:
    """A rate in percent (6, 3.5, 0.25) to basis points; csvio.number_text already refused a third decimal."""
    return int(money.parse_decimal(text, column) * 100)


def _date(text: str, column: str, *, optional: bool = False, allow_future: bool = False):
    if not text and optional:
        return None
    if not text:
        raise ValidationError(column, "The date is missing.")
    return csvio.parse_date(text, column, allow_future=allow_future)


def import_tax_rules(
    actor: Actor, path: str | os.PathLike, watch: Watch | None = None, *, sheet: str | None = None
) -> ImportResult:
    """Tax rules: rate in percent, optional mineral (by name) and buyer kind, validity dates, withheld."""
    _start(actor, "tax-rules")
    minerals = {name.casefold(): mid for mid, name in Mineral.select(Mineral.id, Mineral.name).tuples()}

    def handle(rowno: int, r: dict[str, str]) -> None:
        row = _Row()
        bp = row.cell(_percent_bp, r["rate"], "rate")
        mineral = None
        if r.get("mineral"):
            mineral = minerals.get(r["mineral"].casefold())
            if mineral is None:
                row.refuse(ValidationError("mineral", "Unknown mineral: {value}.", value=r["mineral"]))
        kind = r.get("buyer_kind", "").lower()
        if kind and kind not in registry.BUYER_KINDS:
            row.refuse(
                ValidationError("buyer_kind", "“{value}” is not one of the allowed values.", value=kind)
            )
        start = row.cell(_date, r["valid_from"], "valid_from", allow_future=True)
        end = row.cell(_date, r.get("valid_to", ""), "valid_to", optional=True, allow_future=True)
        withheld = row.cell(_bool, r.get("withheld") or "yes", "withheld")
        row.check()
        try:
            taxes.save_rule(
                actor,
                None,
                name=r["name"],
                authority=r["authority"],
                rate_bp=bp,
                mineral=mineral,
                buyer_kind=kind,
                valid_from=start,
                valid_to=end,
                withheld=withheld,
                note=r.get("note", ""),
            )
        except ValidationError as exc:  # the service names its fields, the file has its own columns
            exc.field = {"rate_bp": "rate"}.get(exc.field, exc.field)
            raise

    return _run(actor, "tax-rules", path, handle, lambda: None, watch, sheet=sheet)


def import_payouts(
    actor: Actor, path: str | os.PathLike, watch: Watch | None = None, *, sheet: str | None = None
) -> ImportResult:
    """Post each row as a payout through payouts.pay_member (balance, period, ledger and chain rules hold)."""
    _start(actor, "payouts")
    members = {
        records.identifier_key(no): mid for mid, no in Member.select(Member.id, Member.member_no).tuples()
    }

    def handle(rowno: int, r: dict[str, str]) -> None:
        row = _Row()
        day = row.cell(_date, r["date"], "date")
        member = members.get(records.identifier_key(r["member_no"]))
        if member is None:
            row.refuse(ValidationError("member_no", "Unknown member: {value}.", value=r["member_no"]))
        amount = row.cell(money.parse_decimal, r["amount"], "amount")
        row.check()
        assert member is not None and day is not None and amount is not None
        payouts.pay_member(
            actor,
            member,
            amount,
            day,
            method=(r.get("method") or "cash").lower(),
            reference=r.get("reference", ""),
        )

    return _run(actor, "payouts", path, handle, lambda: None, watch, sheet=sheet)


def _tax_rule(rules: list[tuple[int, str, str, int]], r: dict[str, str], row: _Row) -> int | None:
    """The rule a payment pays: by its name (and authority), and by `tax_rate` where several share a name."""
    name = r.get("tax", "").strip()
    if not name:
        return None
    found = [
        (rid, bp)
        for rid, rule_name, authority, bp in rules
        if rule_name.casefold() == name.casefold()
        and authority.casefold() == r["authority"].strip().casefold()
    ]
    if r.get("tax_rate"):
        wanted = row.cell(_percent_bp, r["tax_rate"], "tax_rate")
        found = [(rid, bp) for rid, bp in found if bp == wanted]
    if not found:
        row.refuse(ValidationError("tax", "Unknown tax {value} of this authority.", value=name))
        return None
    if len(found) > 1:
        row.refuse(
            ValidationError(
                "tax",
                "Several tax rules are named {value}: give the column tax_rate to say which.",
                value=name,
            )
        )
        return None
    return found[0][0]


def import_tax_payments(
    actor: Actor, path: str | os.PathLike, watch: Watch | None = None, *, sheet: str | None = None
) -> ImportResult:
    """Post each row as a tax payment through taxes.pay (period, ledger and chain rules hold)."""
    _start(actor, "tax-payments")
    rules = list(TaxRule.select(TaxRule.id, TaxRule.name, TaxRule.authority, TaxRule.rate_bp).tuples())

    def handle(rowno: int, r: dict[str, str]) -> None:
        row = _Row()
        day = row.cell(_date, r["date"], "date")
        start = row.cell(_date, r["period_from"], "period_from")
        end = row.cell(_date, r["period_to"], "period_to", allow_future=True)
        amount: Decimal | None = row.cell(money.parse_decimal, r["amount"], "amount")
        rule = _tax_rule(rules, r, row)
        row.check()
        assert day is not None and start is not None and end is not None and amount is not None
        taxes.pay(
            actor,
            authority=r["authority"],
            amount=amount,
            day=day,
            period_from=start,
            period_to=end,
            reference=r.get("reference", ""),
            rule_id=rule,
            method=(r.get("method") or "bank").lower(),
        )

    return _run(actor, "tax-payments", path, handle, lambda: None, watch, sheet=sheet)


IMPORTERS = {
    "sites": import_sites,
    "buyers": import_buyers,
    "minerals": import_minerals,
    "tax-rules": import_tax_rules,
    "payouts": import_payouts,
    "tax-payments": import_tax_payments,
}
imports.IMPORTERS.update(IMPORTERS)
imports.REQUIRED.update(REQUIRED)
imports.NUMBERS.update(NUMBERS)
imports.TOUCHES.update(TOUCHES)
