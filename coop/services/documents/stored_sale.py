"""A posted sale's SaleFigures read back from its row, lot values and journal postings (for reprints)."""

from __future__ import annotations

from collections import defaultdict

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
        unit_price_minor=sale.unit_price_minor,
        qty_milli=sale.qty_milli,
        priced_qty_milli=sale.priced_qty_milli,
        lot_values=lot_values,
        gross_minor=sale.gross_minor,
        gross_local_minor=sale.gross_local_minor,
        levy_bp=_levy_bp(sale),
        levy_minor=sale.levy_minor,
        taxes=_taxes(postings, sale.gross_local_minor),
        withheld_minor=sale.tax_minor,
        net_minor=sale.net_minor,
        shares=_shares(postings),
    )


def _levy_bp(sale: Sale) -> int:
    """The levy rate as applied to this sale, derived from stored amounts (the setting may change later)."""
    if not sale.gross_local_minor:
        return 0
    return round(sale.levy_minor * 10_000 / sale.gross_local_minor)


def _sale_postings(sale_id: int) -> list[Posting]:
    entry = JournalEntry.get_or_none(
        (JournalEntry.source_type == "sale")
        & (JournalEntry.source_id == sale_id)
        & (JournalEntry.kind == "sale")
    )
    return [] if entry is None else list(Posting.select().where(Posting.entry == entry.id))


def _taxes(postings: list[Posting], base_minor: int) -> tuple[TaxLine, ...]:
    amounts: dict[int, int] = defaultdict(int)
    expensed: set[int] = set()
    for p in postings:
        if p.tax_rule_id is None:
            continue
        if p.account == "tax_payable":
            amounts[p.tax_rule_id] -= p.amount_minor
        elif p.account == "tax_expense":
            expensed.add(p.tax_rule_id)
    rules = {r.id: r for r in TaxRule.select().where(TaxRule.id.in_(list(amounts)))}
    return tuple(
        TaxLine(
            rule_id=i,
            name=rules[i].name,
            authority=rules[i].authority,
            rate_bp=rules[i].rate_bp,
            base_minor=base_minor,
            amount_minor=amounts[i],
            withheld=i not in expensed,
        )
        for i in sorted(amounts)
    )


def _shares(postings: list[Posting]) -> tuple[OwnerShare, ...]:
    owed = {p.member_id: -p.amount_minor for p in postings if p.account == "member_payable"}
    members = {m.id: m for m in Member.select().where(Member.id.in_(list(owed)))}
    return tuple(
        OwnerShare(mid, members[mid].member_no, members[mid].full_name, amount)
        for mid, amount in sorted(owed.items(), key=lambda kv: members[kv[0]].member_no)
    )
