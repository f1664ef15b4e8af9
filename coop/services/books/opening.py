"""Opening balances: once, dated at the start of the first fiscal year the app keeps, balanced against the
opening-equity account, so that a cooperative moving from paper books starts from its real position."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from peewee import fn

from coop import money
from coop.chain import PostingLine
from coop.changes import Saved
from coop.errors import ErrorList, ValidationError
from coop.i18n import N_
from coop.models import BookEntry, JournalEntry
from coop.permissions import Actor
from coop.services import settings
from coop.services.books import chart, entries

COLUMNS = ("account", "debit", "credit")  # and, for a member's account, "member" (member number)
ALREADY = N_("The opening balances were already entered (entry {id}): void that entry to enter them again.")


@dataclass(frozen=True)
class OpeningRow:
    """One line of the opening balances: an account number, a debit or a credit, a member for members' accounts."""

    account: str
    debit: Decimal | str = ""
    credit: Decimal | str = ""
    member: str = ""  # member number, for a member's account (share capital, owed to members)
    row: int | None = None  # its row in a file, for the messages


def opening_date() -> date:
    """The first day of the first fiscal year the app keeps: that of the oldest entry, else of today."""
    coop = settings.get()
    oldest = JournalEntry.select(fn.MIN(JournalEntry.date)).scalar()
    first = (
        date.today()
        if oldest is None
        else (oldest if isinstance(oldest, date) else date.fromisoformat(str(oldest)))
    )
    series = settings.fiscal_series(first, coop.fiscal_year_start)
    return settings.fiscal_year_bounds(series, coop.fiscal_year_start)[0]


def existing() -> int | None:
    """The posted opening-balances entry, if any."""
    row = (
        BookEntry.select(BookEntry.id)
        .where((BookEntry.kind == "opening") & (BookEntry.state == "posted"))
        .first()
    )
    return row.id if row else None


def _amount(text: Decimal | str, field: str, row: int | None) -> int:
    if isinstance(text, str) and not text.strip():
        return 0
    try:
        value = money.amount_to_minor(text, settings.get().currency, field)
    except ValidationError as exc:
        raise ValidationError(field, exc.msgid, row=row, **exc.params) from None
    if value < 0:
        raise ValidationError(field, "The amount cannot be negative.", row=row)
    return value


def _line(item: OpeningRow, row: int | None) -> PostingLine | None:
    from coop.services import registry

    try:
        key = chart.key_for(item.account)
    except ValidationError as exc:
        raise ValidationError("account", exc.msgid, row=row, **exc.params) from None
    debit, credit = _amount(item.debit, "debit", row), _amount(item.credit, "credit", row)
    if debit and credit:
        raise ValidationError("credit", N_("A line has either a debit or a credit, not both."), row=row)
    member_id = None
    if chart.is_member_key(key):
        member_id = registry.find_member(item.member.strip()) if item.member.strip() else None
        if member_id is None:
            raise ValidationError(
                "member",
                N_("Account {number} is a member's account: name the member."),
                row=row,
                number=item.account,
            )
    elif item.member.strip():
        raise ValidationError(
            "member", N_("Account {number} is not a member's account."), row=row, number=item.account
        )
    if not debit and not credit:
        return None
    return PostingLine(key, member_id, None, debit - credit)


def check_day(day: date) -> None:
    """An opening date given by the user: the first day of a fiscal year, not after the first year kept."""
    coop = settings.get()
    start = settings.fiscal_year_bounds(
        settings.fiscal_series(day, coop.fiscal_year_start), coop.fiscal_year_start
    )[0]
    first = opening_date()
    if day != start or day > first:
        raise ValidationError(
            "date",
            N_("The opening balances are dated the first day of the first fiscal year kept ({date})."),
            date=first.isoformat(),
        )


def enter(actor: Actor, rows: Sequence[OpeningRow], day: date | None = None) -> Saved:
    """Post the opening balances (all rows or none); the difference goes to the opening-equity account.

    Dated `day` (the first day of a fiscal year, not after the first year kept), else opening_date()."""
    actor.require("books.opening")
    if day is not None:
        check_day(day)
    found = existing()
    if found is not None:
        raise ValidationError("file", ALREADY, id=found)
    lines: dict[tuple[str, int | None], int] = {}
    errors: list[ValidationError] = []
    for item in rows:
        try:
            line = _line(item, item.row)
        except ValidationError as exc:
            errors.append(exc)
            continue
        if line is not None:
            lines[(line.account, line.member_id)] = (
                lines.get((line.account, line.member_id), 0) + line.amount_minor
            )
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorList(errors)
    postings = [PostingLine(k, m, None, a) for (k, m), a in sorted(lines.items(), key=str) if a]
    if not postings:
        raise ValidationError("file", N_("The opening balances have no amounts."))
    plug = -sum(p.amount_minor for p in postings)
    if plug:
        postings.append(PostingLine("opening_equity", None, None, plug))
    total = sum(p.amount_minor for p in postings if p.amount_minor > 0)
    return entries.post_entry(actor, "opening", day or opening_date(), postings, amount_minor=total)


def enter_csv(actor: Actor, path: str | os.PathLike, day: date | None = None) -> Saved:
    """The opening balances from a CSV (or any file coop.services.csvio reads): account, debit, credit[, member]."""
    from coop.services import csvio

    actor.require("books.opening")
    rows = [
        OpeningRow(r["account"], r.get("debit", ""), r.get("credit", ""), r.get("member", ""), n)
        for n, r in csvio.open_rows(path, COLUMNS)
    ]
    return enter(actor, rows, day)


def write_template(actor: Actor, path: str | os.PathLike) -> int:
    """A CSV to fill in: one row per treasury account, and one share-capital row per member with the share
    capital the register held before the books (the old field; only this template reads it). Returns rows."""
    from coop.models import Member
    from coop.services import csvio
    from coop.services.books import treasury

    actor.require("books.opening")
    ccy = settings.get().currency
    rows: list[list[object]] = [[t.number, "", "", ""] for t in treasury.accounts(actor)]
    paid = chart.system_number("share_paid")
    for m in Member.select().where(Member.share_capital_minor > 0).order_by(Member.member_no):
        rows.append([paid, "", str(money.from_minor(m.share_capital_minor, ccy)), m.member_no])
    return csvio.write_rows(path, ["account", "debit", "credit", "member"], rows)
