"""Entries the treasurer records: expenses and other income (optionally split over several accounts),
transfers between treasury accounts, voids. Each is one balanced journal entry posted through
coop.services.posting (chain link, audit, closed periods, the funds check)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from coop import money
from coop.chain import PostingLine
from coop.changes import Changes, Saved
from coop.errors import ErrorList, StateError, ValidationError
from coop.i18n import N_
from coop.models import BookEntry, database
from coop.permissions import Actor
from coop.services import journal, posting, records, settings
from coop.services.books import chart, treasury

# the kinds a treasurer records (the year-end kinds are coop.services.books.yearclose's)
KINDS = {k: v for k, v in journal.BOOK_ENTRY_KINDS.items() if k not in ("year_close", "allocation")}
POSITIVE = N_("The amount must be greater than zero.")


@dataclass(frozen=True)
class Split:
    """One part of an expense or income: an account of the chart and its amount (as typed)."""

    account: str
    amount: Decimal | str


@dataclass(frozen=True, kw_only=True)
class Entry:
    id: int
    kind: str
    date: date
    treasury: str
    counter: str
    party: str
    member_id: int | None
    amount_minor: int
    document_ref: str
    note: str
    state: str
    void_reason: str
    created_by: str


def minor(amount: Decimal | str | int, field: str = "amount") -> int:
    """An amount as typed, in the ledger currency's minor units; more decimals than it has are refused."""
    value = money.amount_to_minor(amount, settings.get().currency, field)
    if value <= 0:
        raise ValidationError(field, POSITIVE)
    return value


def post_entry(
    actor: Actor,
    kind: str,
    day: date,
    lines: Sequence[PostingLine],
    *,
    amount_minor: int,
    treasury: str = "",
    counter: str = "",
    party: str = "",
    member_id: int | None = None,
    document_ref: str = "",
    note: str = "",
) -> Saved:
    """Write the entry's row and post it (chain link, audit, funds check) in one transaction."""
    records.check_not_future(day)
    with database.atomic():
        row = BookEntry.create(
            kind=kind,
            date=day,
            treasury=treasury,
            counter=counter,
            party=party.strip(),
            member=member_id,
            amount_minor=amount_minor,
            document_ref=document_ref.strip(),
            note=note.strip(),
            created_by=actor.username,
            state="draft",
        )
        changes = posting.post(actor, BookEntry, row.id, day, document_ref.strip(), lines)
    return Saved(row.id, changes | Changes.of(treasury=None))


def _category(number: str) -> str:
    """The posting key of an expense or income account: any leaf of the chart but a treasury account (move
    money between those with a transfer) or a member's account (shares, payouts)."""
    key = chart.key_for(number)
    if key in treasury.keys():
        raise ValidationError(
            "account", N_("Account {number} is a treasury account: record a transfer instead."), number=number
        )
    if chart.is_member_key(key):
        raise ValidationError(
            "account",
            N_("Account {number} is a member's account: use share capital or payouts."),
            number=number,
        )
    return key


def _splits(account: str, amount: Decimal | str | None, splits: Sequence[Split]) -> list[tuple[str, int]]:
    parts = list(splits) or [Split(account, amount if amount is not None else "")]
    out, errors = [], []
    for i, part in enumerate(parts):
        field = "account" if len(parts) == 1 else f"split {i + 1}"
        try:
            out.append((_category(part.account), minor(part.amount, "amount" if len(parts) == 1 else field)))
        except ValidationError as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ErrorList(errors)
    return out


def _treasury(treasury_id: int) -> treasury.Treasury:
    t = treasury.get(treasury_id)
    if not t.active:
        raise ValidationError("treasury", N_("The treasury account {name} is closed."), name=t.name)
    return t


def record_expense(
    actor: Actor,
    *,
    day: date,
    treasury_id: int,
    account: str = "",
    amount: Decimal | str | None = None,
    splits: Sequence[Split] = (),
    payee: str = "",
    document_ref: str = "",
    note: str = "",
) -> Saved:
    """Money paid out of a treasury account: each account (category) debited, the treasury credited."""
    return _record_cash(
        actor, "expense", day, treasury_id, account, amount, splits, payee, document_ref, note
    )


def record_income(
    actor: Actor,
    *,
    day: date,
    treasury_id: int,
    account: str = "",
    amount: Decimal | str | None = None,
    splits: Sequence[Split] = (),
    payer: str = "",
    document_ref: str = "",
    note: str = "",
) -> Saved:
    """Money received into a treasury account other than from sales: the treasury debited, each account credited."""
    return _record_cash(actor, "income", day, treasury_id, account, amount, splits, payer, document_ref, note)


def _record_cash(
    actor: Actor,
    kind: str,
    day: date,
    treasury_id: int,
    account: str,
    amount: Decimal | str | None,
    splits: Sequence[Split],
    party: str,
    document_ref: str,
    note: str,
) -> Saved:
    """Post an expense (categories debited, treasury credited) or an income (the reverse)."""
    actor.require("books.post")
    parts = _splits(account, amount, splits)
    t = _treasury(treasury_id)
    total = sum(a for _k, a in parts)
    if kind == "expense":
        lines = [PostingLine(k, None, None, a) for k, a in parts] + [PostingLine(t.key, None, None, -total)]
    else:
        lines = [PostingLine(t.key, None, None, total)] + [PostingLine(k, None, None, -a) for k, a in parts]
    return post_entry(
        actor,
        kind,
        day,
        lines,
        amount_minor=total,
        treasury=t.key,
        party=party,
        document_ref=document_ref,
        note=note,
    )


def transfer(
    actor: Actor,
    *,
    day: date,
    from_id: int,
    to_id: int,
    amount: Decimal | str,
    document_ref: str = "",
    note: str = "",
) -> Saved:
    """Money moved between two treasury accounts (cash deposited at the bank, mobile money withdrawn)."""
    actor.require("books.post")
    value = minor(amount)
    source, target = _treasury(from_id), _treasury(to_id)
    if source.id == target.id:
        raise ValidationError("to", N_("A transfer needs two different treasury accounts."))
    lines = [PostingLine(target.key, None, None, value), PostingLine(source.key, None, None, -value)]
    return post_entry(
        actor,
        "transfer",
        day,
        lines,
        amount_minor=value,
        treasury=source.key,
        counter=target.key,
        document_ref=document_ref,
        note=note,
    )


def void_entry(actor: Actor, entry_id: int, reason: str, day: date | None = None) -> Changes:
    """Void a posted entry by its exact reversal (dated `day`, today by default)."""
    from coop.services.books import shares

    row = BookEntry.get_or_none(BookEntry.id == entry_id)
    if row is None:
        raise ValidationError("entry", N_("Unknown entry: {value}."), value=entry_id)
    if row.kind in ("year_close", "allocation"):  # a closed year's carry and allocation are final
        raise StateError(N_("A year-end entry cannot be voided: the year is closed."))
    if row.kind == "share_subscribe" and row.state == "posted":
        shares.check_subscription_voidable(row)
    return posting.void(actor, BookEntry, entry_id, reason, day=day) | Changes.of(treasury=None)


def _entry(row: BookEntry) -> Entry:
    day = row.date if isinstance(row.date, date) else date.fromisoformat(str(row.date))
    return Entry(
        id=row.id,
        kind=row.kind,
        date=day,
        treasury=row.treasury,
        counter=row.counter,
        party=row.party,
        member_id=row.member_id,
        amount_minor=row.amount_minor,
        document_ref=row.document_ref,
        note=row.note,
        state=row.state,
        void_reason=row.void_reason,
        created_by=row.created_by,
    )


def entry(actor: Actor, entry_id: int) -> Entry:
    actor.require("read.all")
    row = BookEntry.get_or_none(BookEntry.id == entry_id)
    if row is None:
        raise ValidationError("entry", N_("Unknown entry: {value}."), value=entry_id)
    return _entry(row)


def entries(
    actor: Actor, *, kind: str | None = None, since: date | None = None, until: date | None = None
) -> list[Entry]:
    """Posted and voided entries of the books, oldest first."""
    actor.require("read.all")
    q = BookEntry.select().where(BookEntry.state != "draft")
    if kind:
        q = q.where(BookEntry.kind == kind)
    if since:
        q = q.where(BookEntry.date >= since)
    if until:
        q = q.where(BookEntry.date <= until)
    return [_entry(r) for r in q.order_by(BookEntry.date, BookEntry.id)]
