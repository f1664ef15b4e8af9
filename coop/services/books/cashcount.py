"""Cash counts: the treasurer counts a cash box; a difference with the books is posted to cash over/short
with a reason, and every count is listed in the cash book."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from coop import money
from coop.chain import PostingLine
from coop.changes import Changes, Saved
from coop.errors import ValidationError
from coop.i18n import N_
from coop.models import BookEntry, CashCount, database
from coop.permissions import Actor
from coop.services import audit, records, settings
from coop.services.books import entries, treasury


@dataclass(frozen=True, kw_only=True)
class Count:
    id: int
    date: date
    treasury: str
    counted_minor: int
    book_minor: int
    reason: str
    entry_id: int | None  # the posted difference, None when the count matched
    voided: bool  # the difference was voided since
    created_by: str

    @property
    def difference_minor(self) -> int:
        return self.counted_minor - self.book_minor


def count_cash(actor: Actor, treasury_id: int, counted: Decimal | str, day: date, reason: str = "") -> Saved:
    """Record a count of a cash box at the end of `day`; a difference needs a reason and is posted (a surplus
    to cash over, a shortage to cash short). Returns the count's id."""
    actor.require("books.post")
    t = treasury.get(treasury_id)
    if t.kind != "cash":
        raise ValidationError("treasury", N_("Only a cash box is counted: {name} is not one."), name=t.name)
    value = money.amount_to_minor(counted, settings.get().currency, "amount")
    if value < 0:
        raise ValidationError("amount", "The amount cannot be negative.")
    records.check_not_future(day)
    with database.atomic():
        book = treasury.daily_balance(t.key, day)
        diff = value - book
        changes = Changes.of(books=None, treasury=None)
        entry_id = None
        if diff:
            if not reason.strip():
                raise ValidationError(
                    "reason", N_("The count differs from the books: give the reason for the difference.")
                )
            other = "cash_over" if diff > 0 else "cash_short"
            lines = [PostingLine(t.key, None, None, diff), PostingLine(other, None, None, -diff)]
            saved = entries.post_entry(
                actor, "cash_count", day, lines, amount_minor=abs(diff), treasury=t.key, note=reason
            )
            entry_id, changes = saved.id, changes | saved.changes
        row = CashCount.create(
            date=day,
            treasury=t.key,
            counted_minor=value,
            book_minor=book,
            reason=reason.strip(),
            entry=entry_id,
            created_by=actor.username,
        )
        audit.record(actor, "create", "cash_count", row.id, None, audit.row_dict(row))
    return Saved(row.id, changes | Changes.of(books=[entry_id] if entry_id else None))


def counts(actor: Actor, treasury_id: int) -> list[Count]:
    """The counts of one cash box, oldest first."""
    actor.require("read.all")
    t = treasury.get(treasury_id)
    rows = CashCount.select().where(CashCount.treasury == t.key).order_by(CashCount.date, CashCount.id)
    voided = {i for (i,) in BookEntry.select(BookEntry.id).where(BookEntry.state == "voided").tuples()}
    return [
        Count(
            id=r.id,
            date=r.date if isinstance(r.date, date) else date.fromisoformat(str(r.date)),
            treasury=r.treasury,
            counted_minor=r.counted_minor,
            book_minor=r.book_minor,
            reason=r.reason,
            entry_id=r.entry_id,
            voided=r.entry_id in voided,
            created_by=r.created_by,
        )
        for r in rows
    ]
