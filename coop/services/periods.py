"""Closing of periods: a chained record holding the chain head, after which nothing may be dated in the period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coop import chain, workflow
from coop.changes import Changes, Saved
from coop.errors import ValidationError
from coop.i18n import N_
from coop.models import JournalEntry, PeriodClose, database
from coop.permissions import Actor
from coop.services import audit

KIND = "period_close"  # the journal entry kind (and source type) of a closing
CLOSED = N_("The books are closed up to {closed}: nothing can be dated {date} or earlier.")
ALREADY_CLOSED = N_("The books are already closed up to {closed}: choose a later date.")
HEAD_CHARS = 16  # the part of the chain head printed on paper (the whole head is in the QR code)


@dataclass(frozen=True, kw_only=True)
class Closing:
    """A posted closing: the last day it closes, the chain head it holds, who closed and when."""

    id: int
    to_date: date
    head_seq: int
    head_hash: str
    closed_on: date
    closed_by: str
    link_seq: int  # the closing's own link in the chain
    link_hash: str

    @property
    def head_prefix(self) -> str:
        return self.head_hash[:HEAD_CHARS]


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def closed_to() -> date | None:
    """The last day of the newest closing, or None when no period is closed."""
    value = PeriodClose.select(PeriodClose.to_date).order_by(PeriodClose.to_date.desc()).limit(1).scalar()
    return None if value is None else _as_date(value)


def closed_error(day: date, closed: date, name: str = "date") -> ValidationError:
    return ValidationError(name, CLOSED, closed=closed.isoformat(), date=day.isoformat())


def check_open(day: date, name: str = "date") -> None:
    """Refuse a date on or before the newest closing: a closed period is final."""
    closed = closed_to()
    if closed is not None and day <= closed:
        raise closed_error(day, closed, name)


def close(actor: Actor, to_date: date) -> Saved:
    """Close the books up to `to_date` (inclusive): append a link holding the current chain head.

    Closings only move forward: there is no reopening, and a closing never changes once posted."""
    from coop.services import records

    actor.require("periods.close")
    records.check_date(to_date, "to")
    with database.atomic():
        closed = closed_to()
        if closed is not None and to_date <= closed:
            raise ValidationError("to", ALREADY_CLOSED, closed=closed.isoformat())
        head_seq, head_hash = chain.head()
        today = date.today()
        row = PeriodClose.create(
            to_date=to_date,
            head_seq=head_seq,
            head_hash=head_hash,
            closed_on=today,
            closed_by=actor.username,
            state="draft",
        )
        entry = chain.append(
            entry_date=today,
            kind=KIND,
            source_type=KIND,
            source_id=row.id,
            memo="",
            created_by=actor.username,
            postings=[],
            source=chain.source_snapshot(KIND, row.id),
        )
        workflow.transition(PeriodClose, row.id, "posted", chain_hash=entry.hash)
        audit.record(actor, "close", KIND, row.id, None, audit.row_dict(PeriodClose.get_by_id(row.id)))
    return Saved(row.id, Changes.of(periods=[row.id], ledger=[entry.id]))


def _closing(row: PeriodClose) -> Closing:
    link = JournalEntry.get((JournalEntry.source_type == KIND) & (JournalEntry.source_id == row.id))
    return Closing(
        id=row.id,
        to_date=_as_date(row.to_date),
        head_seq=row.head_seq,
        head_hash=row.head_hash,
        closed_on=_as_date(row.closed_on),
        closed_by=row.closed_by,
        link_seq=link.seq,
        link_hash=link.hash,
    )


def closing_for(end: date) -> Closing | None:
    """The first closing that covers `end` (a period ending on or before its date is final), or None."""
    row = (
        PeriodClose.select()
        .where((PeriodClose.state == "posted") & (PeriodClose.to_date >= end))
        .order_by(PeriodClose.to_date)
        .first()
    )
    return None if row is None else _closing(row)


def closings(actor: Actor) -> list[Closing]:
    """Every closing, oldest first."""
    actor.require("read.all")
    rows = PeriodClose.select().where(PeriodClose.state == "posted").order_by(PeriodClose.to_date)
    return [_closing(r) for r in rows]
