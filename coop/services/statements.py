"""Member earnings statement data: opening balance, each sale share, payout and void, closing balance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from coop.errors import NotFound, ValidationError
from coop.models import JournalEntry, Posting, database
from coop.permissions import Actor
from coop.services import settings


@dataclass(frozen=True)
class StatementLine:
    date: date
    kind: str  # sale, payout, void, or the kind of an entry of the books (allocation: the ristourne; opening)
    reference: str  # "2026/17" receipt, payout reference
    amount_minor: int  # positive: earned (or a payout reversed); negative: paid out (or a share reversed)
    balance_minor: int
    source: str = ""  # what a void reverses: "sale" or "payout"


@dataclass(kw_only=True)
class MemberStatement:
    member_id: int
    member_no: str
    full_name: str
    site: str
    period_from: date
    period_to: date
    currency: str
    opening_minor: int
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def closing_minor(self) -> int:
        return self.lines[-1].balance_minor if self.lines else self.opening_minor

    @property
    def earned_minor(self) -> int:
        return sum(ln.amount_minor for ln in self.lines if ln.kind == "sale")

    @property
    def paid_minor(self) -> int:
        return -sum(ln.amount_minor for ln in self.lines if ln.kind == "payout")

    @property
    def sales_reversed_minor(self) -> int:
        """Shares of voided sales taken back in the period (the voids dated in it)."""
        return -sum(ln.amount_minor for ln in self.lines if ln.kind == "void" and ln.source == "sale")

    @property
    def payouts_reversed_minor(self) -> int:
        """Voided payouts owed to the member again in the period."""
        return sum(ln.amount_minor for ln in self.lines if ln.kind == "void" and ln.source == "payout")

    @property
    def other_minor(self) -> int:
        """Entries of the books on the member's account: the patronage refund (ristourne) of a closed year,
        opening balances, and their voids."""
        return sum(
            ln.amount_minor
            for ln in self.lines
            if ln.kind not in _STATEMENT_KINDS or ln.source == "book_entry"
        )

    @property
    def credits_minor(self) -> int:
        """Everything that raised the balance: opening + credits − debits = closing."""
        return sum(ln.amount_minor for ln in self.lines if ln.amount_minor > 0)

    @property
    def debits_minor(self) -> int:
        return -sum(ln.amount_minor for ln in self.lines if ln.amount_minor < 0)


_STATEMENT_KINDS = ("sale", "payout", "void")  # what earned/paid/reversed count; the rest is other_minor


# One member's movements with the receipt or payout reference each points at, read as plain tuples:
# building Posting/JournalEntry model objects would be most of a statement's cost in a batch.
# Served by the covering index posting(account, member, entry, amount_minor), then journal_entry's id.
_LINES_SQL = """
SELECT j.date, j.kind, j.source_type, j.source_id, p.amount_minor, s.series, s.receipt_no, s.id,
       COALESCE(py.reference, b.document_ref), b.kind
FROM posting p
JOIN journal_entry j ON j.id = p.entry_id
LEFT JOIN sale s ON j.source_type = 'sale' AND s.id = j.source_id
LEFT JOIN payout py ON j.source_type = 'payout' AND py.id = j.source_id
LEFT JOIN book_entry b ON j.source_type = 'book_entry' AND b.id = j.source_id
WHERE p.account = 'member_payable' AND p.member_id = ? AND j.date >= ? AND j.date <= ?
ORDER BY j.date, j.seq
"""
_OPENING_SQL = """
SELECT SUM(p.amount_minor) FROM posting p JOIN journal_entry j ON j.id = p.entry_id
WHERE p.account = 'member_payable' AND p.member_id = ? AND j.date < ?
"""
_MEMBER_SQL = """
SELECT m.id, m.member_no, m.full_name, COALESCE(st.name, '') FROM member m
LEFT JOIN site st ON st.id = m.site_id WHERE m.id = ?
"""


def _reference(source_type: str, source_id: int, series, receipt_no, sale_id, payout_ref) -> str:
    """The sale's receipt number, else the payout's reference, else #source id."""
    if source_type == "sale":
        return f"{series}/{receipt_no}" if sale_id is not None else ""
    return payout_ref or f"#{source_id}"


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def statement(actor: Actor, member_id: int, start: date, end: date) -> MemberStatement:
    """One member's statement; a member account may only ask for its own."""
    actor.require_record({member_id})
    if end < start:
        raise ValidationError("to", "The end date is before the start date.")
    member = database.execute_sql(_MEMBER_SQL, (member_id,)).fetchone()
    if member is None:
        raise NotFound("Member {id} does not exist.", id=member_id)
    first, last = start.isoformat(), end.isoformat()
    opening = -int(database.execute_sql(_OPENING_SQL, (member_id, first)).fetchone()[0] or 0)
    rows = database.execute_sql(_LINES_SQL, (member_id, first, last)).fetchall()
    out = MemberStatement(
        member_id=member[0],
        member_no=member[1],
        full_name=member[2],
        site=member[3],
        period_from=start,
        period_to=end,
        currency=settings.get().currency,
        opening_minor=opening,
    )
    balance = opening
    days: dict[object, date] = {}
    for day, kind, source_type, source_id, amount, series, receipt_no, sale_id, payout_ref, book_kind in rows:
        balance -= amount
        when = days.get(day) or days.setdefault(day, _day(day))
        reference = _reference(source_type, source_id, series, receipt_no, sale_id, payout_ref)
        source = source_type if kind == "void" else ""
        if book_kind is not None and kind != "void":
            kind = book_kind  # the entry of the books' own kind (allocation, opening), not "book_entry"
        out.lines.append(StatementLine(when, kind, reference, -amount, balance, source))
    return out


def members_with_activity(actor: Actor, start: date, end: date) -> list[int]:
    """Members with a non-zero balance or any movement in the period (for batch statements)."""
    actor.require("read.all")
    moved = (
        Posting.select(Posting.member)
        .join(JournalEntry)
        .where((Posting.account == "member_payable") & (JournalEntry.date <= end))
        .distinct()
        .tuples()
    )
    return sorted(m for (m,) in moved)


def statements_data(
    actor: Actor, start: date, end: date, member_id: int | None = None, all: bool = False
) -> list[MemberStatement]:
    """The statements of one member or (all=True) of every member with a balance or movement.

    Needs reports.read, except that a member account may have its own statement."""
    if all or member_id is None:
        actor.require("reports.read")
    else:
        actor.require_record({member_id}, "reports.read")
    if all:
        ids = members_with_activity(actor, start, end)
    elif member_id is None:
        raise ValidationError("member", "Choose a member or all members.")
    else:
        ids = [member_id]
    return [statement(actor, i, start, end) for i in ids]
