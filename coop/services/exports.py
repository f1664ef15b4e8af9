"""CSV exports: members and lots in their import formats (round trip), other tables column by column."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from coop import db, money
from coop.errors import ValidationError
from coop.models import LotOwner, Member, Mineral, ProductionLot, Site, database
from coop.permissions import Actor
from coop.services import audit, csvio, imports, settings

RAW_TABLES = (
    "sites",
    "minerals",
    "buyers",
    "sales",
    "sale_lot",
    "payouts",
    "tax_payments",
    "tax_rules",
    "incidents",
    "mercury",
    "journal_entries",
    "postings",
    "audit",
)
_TABLE_NAMES = {
    "sites": "site",
    "minerals": "mineral",
    "buyers": "buyer",
    "sales": "sale",
    "sale_lot": "sale_lot",
    "payouts": "payout",
    "tax_payments": "tax_payment",
    "tax_rules": "tax_rule",
    "incidents": "incident",
    "mercury": "mercury_entry",
    "journal_entries": "journal_entry",
    "postings": "posting",
    "audit": "audit_log",
}
# "journal": the accountant's journal, one row per posting with its account number (coop.services.books.beancount)
TABLES = ("members", "lots", "journal") + RAW_TABLES


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 820, 12.5, 0."""
    return format(value.normalize(), "f") if value else "0"


def _qty(milli: int) -> str:
    return _plain(money.milli_to_qty(milli))


def _member_rows(actor: Actor) -> Iterator[list]:
    """The members in the import's columns; share_capital is what each subscribed, from the books (what the
    import turns into a subscription), left empty for a role that may not read balances."""
    from coop.services.books import shares

    ccy = settings.get().currency
    codes = dict(Site.select(Site.id, Site.code).tuples())
    readable = actor.can("balances.read")
    capital = shares.share_capital_by_member(actor) if readable else {}
    for m in Member.select().order_by(Member.member_no):
        subscribed = capital[m.id].subscribed_minor if m.id in capital else 0
        yield [
            m.member_no,
            m.full_name,
            m.sex,
            m.birth_year or "",
            m.id_number,
            m.card_expiry or "",
            m.phone,
            m.community,
            codes.get(m.site_id, ""),
            m.role,
            m.join_date,
            m.status,
            money.from_minor(subscribed, ccy) if readable else "",
        ]


def _lot_rows() -> Iterator[list]:
    owners: dict[int, list[str]] = {}
    q = (
        LotOwner.select(LotOwner.lot, Member.member_no, LotOwner.share_bp)
        .join(Member)
        .order_by(LotOwner.lot, LotOwner.id)
        .tuples()
    )
    for lot_id, no, bp in q:
        owners.setdefault(lot_id, []).append(f"{no}:{_plain(Decimal(bp) / 100)}")
    lots = (
        ProductionLot.select(ProductionLot, Site.code, Mineral.name)
        .join(Site)
        .switch(ProductionLot)
        .join(Mineral)
        .order_by(ProductionLot.id)
    )
    for lot in lots:
        yield [
            lot.reference,
            lot.date,
            lot.site.code,
            lot.mineral.name,
            _qty(lot.qty_milli),
            _qty(lot.grade_milli),
            ";".join(owners.get(lot.id, [])),
            _qty(lot.mercury_milli),
            "yes" if lot.retort_used else "no",
            lot.notes,
        ]


def _raw(table: str) -> tuple[list[str], Iterator[tuple]]:
    cursor = database.execute_sql(f"SELECT * FROM {_TABLE_NAMES[table]} ORDER BY 1")
    return [d[0] for d in cursor.description], iter(cursor)


def export(actor: Actor, table: str, path: str | os.PathLike) -> int:
    """Write one table to CSV (atomically); returns the number of rows written."""
    header: list[str]
    rows: Iterable[Sequence]
    actor.require("data.export")
    if table not in TABLES:
        raise ValidationError(
            "table",
            "Unknown table {value}. Choose one of: {choices}.",
            value=table,
            choices=", ".join(TABLES),
        )
    if table == "members":
        header, rows = imports.MEMBER_COLUMNS, _member_rows(actor)
    elif table == "lots":
        header, rows = imports.LOT_COLUMNS, _lot_rows()
    elif table == "journal":
        from coop.services.books import beancount

        header, rows = beancount.JOURNAL_COLUMNS, beancount.journal_rows()
    else:
        header, rows = _raw(table)
    count = csvio.write_rows(path, header, rows)
    if db.is_read_only():  # a file on read-only media can be exported, not audited
        return count
    with database.atomic():
        audit.record(actor, "export", table, None, None, {"file": os.path.basename(str(path)), "rows": count})
    return count
