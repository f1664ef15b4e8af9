"""Member earnings statement data: opening balance, each sale share, payout and void, closing balance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from peewee import fn

from coop.errors import NotFound, ValidationError
from coop.models import JournalEntry, Member, Payout, Posting, Sale
from coop.permissions import Actor
from coop.services import settings


@dataclass(frozen=True)
class StatementLine:
    date: date
    kind: str  # sale, payout, void
    reference: str  # "2026/17" receipt, payout reference
    amount_minor: int  # positive: earned; negative: paid out or reversed
    balance_minor: int


@dataclass
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


def _reference(entry: JournalEntry, receipts: dict[int, str], payouts: dict[int, str]) -> str:
    if entry.source_type == "sale":
        return receipts.get(entry.source_id, "")
    return payouts.get(entry.source_id, "") or f"#{entry.source_id}"


def statement(actor: Actor, member_id: int, start: date, end: date) -> MemberStatement:
    """One member's statement; a member account may only ask for its own."""
    actor.require_member_access(member_id)
    if end < start:
        raise ValidationError("to", "The end date is before the start date.")
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        raise NotFound("Member {id} does not exist.", id=member_id)
    mine = (Posting.account == "member_payable") & (Posting.member == member_id)
    opening = -int(
        Posting.select(fn.SUM(Posting.amount_minor))
        .join(JournalEntry)
        .where(mine & (JournalEntry.date < start))
        .scalar()
        or 0
    )
    rows = list(
        Posting.select(Posting, JournalEntry)
        .join(JournalEntry)
        .where(mine & (JournalEntry.date >= start) & (JournalEntry.date <= end))
        .order_by(JournalEntry.date, JournalEntry.seq)
    )
    sale_ids = [p.entry.source_id for p in rows if p.entry.source_type == "sale"]
    receipts = {s.id: f"{s.series}/{s.receipt_no}" for s in Sale.select().where(Sale.id.in_(sale_ids))}
    pay_ids = [p.entry.source_id for p in rows if p.entry.source_type == "payout"]
    payouts = {p.id: p.reference for p in Payout.select().where(Payout.id.in_(pay_ids))}
    out = MemberStatement(
        member.id,
        member.member_no,
        member.full_name,
        member.site.name if member.site else "",
        start,
        end,
        settings.get().currency,
        opening,
    )
    balance = opening
    for p in rows:
        balance -= p.amount_minor
        out.lines.append(
            StatementLine(
                p.entry.date, p.entry.kind, _reference(p.entry, receipts, payouts), -p.amount_minor, balance
            )
        )
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
