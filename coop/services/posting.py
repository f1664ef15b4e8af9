"""Posting and voiding of financial records (sale, payout, tax payment): one mechanism for all three."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from peewee import Model

from coop import chain, money, vocab, workflow
from coop.chain import PostingLine
from coop.changes import Changes
from coop.errors import ValidationError
from coop.models import JournalEntry, database
from coop.permissions import Actor
from coop.services import audit, periods, records

# the change area of each financial record kind (its table name)
AREA = {"sale": "sales", "payout": "payouts", "tax_payment": "tax_payments", "book_entry": "books"}
VOID_ACTION = {
    "sale": "sales.void",
    "payout": "payouts.void",
    "tax_payment": "taxes.void",
    "book_entry": "books.void",
}


def post(
    actor: Actor, model: type[Model], row_id: int, day: date, memo: str, lines: Sequence[PostingLine]
) -> Changes:
    """Move a draft row to posted: append its journal entry to the chain and store the link's hash.

    Call inside the caller's transaction, after every hashed field of the row is final. Returns the row
    and the journal entry as touched.
    """
    from coop.services.books import treasury

    kind = model._meta.table_name
    periods.check_open(day)
    # a payment method's line goes to its default treasury account; then the one funds check: no treasury
    # account below zero on any day
    lines, wallets = treasury.with_defaults(lines)
    treasury.check_funds(lines, day, wallets)
    entry = chain.append(
        entry_date=day,
        kind=kind,
        source_type=kind,
        source_id=row_id,
        memo=memo,
        created_by=actor.username,
        postings=lines,
        source=chain.source_snapshot(kind, row_id),
    )
    workflow.transition(model, row_id, "posted", chain_hash=entry.hash)
    audit.record(actor, "post", kind, row_id, None, audit.row_dict(model.get_by_id(row_id)))
    return Changes.of(**{AREA[kind]: [row_id]}, ledger=[entry.id])


def void(
    actor: Actor,
    model: type[Model],
    row_id: int,
    reason: str,
    after: Callable[[int], Changes] | None = None,
    day: date | None = None,
) -> Changes:
    """Void a posted row: append the exact reversal of its entry with the reason; the row stays, marked voided.

    The reversal is dated `day` (today by default) and counts in the period of that date, never in the
    original's: never before the original's date, never in the future, never in a closed period.
    `after(row_id)` runs in the same transaction and returns what it touched besides."""
    from coop.services.books import treasury

    kind = model._meta.table_name
    actor.require(VOID_ACTION[kind])
    if not reason.strip():
        raise ValidationError("reason", vocab.VOID_REASON_REQUIRED)
    with database.atomic():
        was = workflow.transition(model, row_id, "voided", void_reason=reason.strip())
        original = JournalEntry.get(
            (JournalEntry.source_type == kind)
            & (JournalEntry.source_id == row_id)
            & (JournalEntry.kind == kind)
        )
        when = void_date(original, day)
        lines = [
            PostingLine(p.account, p.member_id, p.tax_rule_id, -p.amount_minor) for p in original.postings
        ]
        treasury.check_funds(lines, when)  # voiding money received takes it out again
        reversal = chain.append(
            entry_date=when,
            kind="void",
            source_type=kind,
            source_id=row_id,
            memo=reason.strip(),
            created_by=actor.username,
            postings=lines,
            source=chain.source_snapshot(kind, row_id),
        )
        changes = Changes.of(**{AREA[kind]: [row_id]}, ledger=[reversal.id])
        if after:
            changes |= after(row_id)
        audit.record(
            actor, "void", kind, row_id, {"state": was}, {"state": "voided", "reason": reason.strip()}
        )
    return changes


def void_date(original: JournalEntry, day: date | None) -> date:
    """The date of a void: the day it is made unless the user gives one, which may not precede the record."""
    when = date.today() if day is None else day
    records.check_not_future(when)  # also refuses a closed period
    posted_on = original.date if isinstance(original.date, date) else date.fromisoformat(str(original.date))
    if when < posted_on:
        raise ValidationError(
            "date",
            "A void cannot be dated before the record it voids ({date}).",
            date=posted_on.isoformat(),
        )
    return when


def payment_minor(amount: Decimal | str, day: date, method: str) -> int:
    """Checks shared by payouts and tax payments; the amount in ledger-currency minor units."""
    from coop.services import ledger, settings

    minor = money.amount_to_minor(amount, settings.get().currency)  # more decimals than the currency: refused
    if minor <= 0:
        raise ValidationError("amount", "The amount must be greater than zero.")
    if method not in ledger.TREASURY:
        raise ValidationError("method", "Unknown payment method {method}.", method=method)
    records.check_not_future(day)
    return minor
