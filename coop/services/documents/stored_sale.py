"""A posted sale's SaleFigures read back from its row, lot values and journal postings (for reprints)."""

from __future__ import annotations

import json
from collections import defaultdict

from coop import money
from coop.models import JournalEntry, Member, Posting, Sale, SaleLot, TaxRule
from coop.services import settings
from coop.services.sales import OwnerShare, SaleFigures, TaxLine


def stored_figures(sale: Sale) -> SaleFigures:
    """The figures `sales.compute` produced when the sale was posted, as the books hold them."""
    postings = _sale_postings(sale.id)
    lot_values = tuple(
        (sl.lot_id, sl.value_minor)
        for sl in SaleLot.select().where(SaleLot.sale == sale.id).order_by(SaleLot.id)
    )
    return SaleFigures(
        currency=sale.currency,
        local_currency=settings.get().currency,
        rate_micro=sale.rate_micro,
        price_micro=_price_micro(sale),
        qty_milli=sale.qty_milli,
        priced_qty_milli=sale.priced_qty_milli,
        lot_values=lot_values,
        gross_minor=sale.gross_minor,
        gross_local_minor=sale.gross_local_minor,
        # the levy rate stored when the sale was posted (the setting may change later); None on a sale posted
        # before schema 6, whose receipt prints the levy without a rate rather than one worked back from
        # rounded amounts or taken from today's setting
        levy_bp=sale.levy_bp,
        levy_minor=sale.levy_minor,
        taxes=_taxes(postings, sale.gross_local_minor, _stored_rates(sale)),
        withheld_minor=sale.tax_minor,
        net_minor=sale.net_minor,
        shares=_shares(postings),
    )


def _price_micro(sale: Sale) -> int:
    """The price as typed; a sale posted before schema 6 kept it in minor units only."""
    if sale.price_micro is not None:
        return sale.price_micro
    return int(money.from_minor(sale.unit_price_minor, sale.currency).scaleb(money.PRICE_PLACES))


def _stored_rates(sale: Sale) -> dict[int, tuple[int, bool]] | None:
    """rule id -> (rate in basis points, withheld) as applied to the sale; None for sales posted before
    schema 6, whose rates are read from the rules."""
    if sale.tax_rates is None:
        return None
    return {rule_id: (rate_bp, bool(withheld)) for rule_id, rate_bp, withheld in json.loads(sale.tax_rates)}


def _sale_postings(sale_id: int) -> list[Posting]:
    entry = JournalEntry.get_or_none(
        (JournalEntry.source_type == "sale")
        & (JournalEntry.source_id == sale_id)
        & (JournalEntry.kind == "sale")
    )
    return [] if entry is None else list(Posting.select().where(Posting.entry == entry.id))


def _taxes(
    postings: list[Posting], base_minor: int, stored: dict[int, tuple[int, bool]] | None
) -> tuple[TaxLine, ...]:
    """Every tax applied, with the rate stored on the sale (also a tax that rounded to zero); the amounts
    are the journal's."""
    amounts: dict[int, int] = defaultdict(int)
    expensed: set[int] = set()
    for p in postings:
        if p.tax_rule_id is None:
            continue
        if p.account == "tax_payable":
            amounts[p.tax_rule_id] -= p.amount_minor
        elif p.account == "tax_expense":
            expensed.add(p.tax_rule_id)
    ids = sorted(set(amounts) | set(stored or ()))
    rules = {r.id: r for r in TaxRule.select().where(TaxRule.id.in_(ids))}

    def rate(i: int) -> tuple[int, bool]:
        return stored[i] if stored is not None else (rules[i].rate_bp, i not in expensed)

    return tuple(
        TaxLine(
            rule_id=i,
            name=rules[i].name,
            authority=rules[i].authority,
            rate_bp=rate(i)[0],
            base_minor=base_minor,
            amount_minor=amounts[i],
            withheld=rate(i)[1],
        )
        for i in ids
    )


def _shares(postings: list[Posting]) -> tuple[OwnerShare, ...]:
    owed = {p.member_id: -p.amount_minor for p in postings if p.account == "member_payable"}
    members = {m.id: m for m in Member.select().where(Member.id.in_(list(owed)))}
    return tuple(
        OwnerShare(mid, members[mid].member_no, members[mid].full_name, amount)
        for mid, amount in sorted(owed.items(), key=lambda kv: members[kv[0]].member_no)
    )
