"""Payout voucher data from stored records: the member's receipt of a payout, with balances before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peewee import fn

from coop.errors import NotFound
from coop.models import JournalEntry, Member, Payout, Posting
from coop.permissions import Actor


@dataclass(frozen=True, kw_only=True)
class VoucherData:
    payout_id: int
    date: date
    state: str
    void_reason: str
    member_no: str
    member_name: str
    amount_minor: int
    method: str
    reference: str
    balance_before_minor: int  # owed to the member just before this payout (ledger order)
    balance_after_minor: int
    created_by: str
    chain_hash: str  # the payout's journal entry link

    @property
    def number(self) -> str:
        return f"{self.date.year}/{self.payout_id}"


def _owed_through(member_id: int, seq: int) -> int:
    """What the cooperative owed the member after the chain link `seq` (credits to their payable account)."""
    total = (
        Posting.select(fn.SUM(Posting.amount_minor))
        .join(JournalEntry)
        .where(
            (Posting.account == "member_payable") & (Posting.member == member_id) & (JournalEntry.seq <= seq)
        )
        .scalar()
    )
    return -int(total or 0)


def voucher_data(actor: Actor, payout_id: int) -> VoucherData:
    """A posted (or voided) payout's voucher; a member only for their own payouts."""
    payout = Payout.get_or_none(Payout.id == payout_id)
    if payout is None or payout.state == "draft":
        raise NotFound("Payout {id} does not exist.", id=payout_id)
    actor.require_record({payout.member_id}, "reports.read")
    member = Member.get_by_id(payout.member_id)
    entry = JournalEntry.get(
        (JournalEntry.source_type == "payout")
        & (JournalEntry.source_id == payout_id)
        & (JournalEntry.kind == "payout")
    )
    after = _owed_through(member.id, entry.seq)
    return VoucherData(
        payout_id=payout.id,
        date=payout.date,
        state=payout.state,
        void_reason=payout.void_reason,
        member_no=member.member_no,
        member_name=member.full_name,
        amount_minor=payout.amount_minor,
        method=payout.method,
        reference=payout.reference,
        balance_before_minor=after + payout.amount_minor,
        balance_after_minor=after,
        created_by=payout.created_by,
        chain_hash=entry.hash,
    )
