"""Member payouts: from what the cooperative owes a member to the treasury, posted and voidable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from coop.chain import PostingLine
from coop.changes import Changes, Saved
from coop.errors import ValidationError
from coop.models import Member, Payout, database
from coop.permissions import Actor
from coop.services import ledger, posting, settings


def pay_member(
    actor: Actor,
    member_id: int,
    amount: Decimal,
    day: date,
    method: str = "cash",
    reference: str = "",
    *,
    treasury_id: int | None = None,
) -> Saved:
    """Post a payout of at most the member's balance: member payable (debit) against treasury (credit).

    The money leaves `treasury_id` when given (its kind is the method stored), else the method's default
    treasury account; coop.services.posting refuses it when that account lacks the money."""
    from coop.services.books import treasury

    actor.require("payouts.post")
    method, key = treasury.resolve(method, treasury_id)
    minor = posting.payment_minor(amount, day, method)
    ccy = settings.get().currency
    with database.atomic():
        if Member.get_or_none(Member.id == member_id) is None:
            raise ValidationError("member", "Unknown member: {value}.", value=member_id)
        balance = ledger.member_balance(actor, member_id)
        if minor > balance:
            from coop.i18n import format_money

            raise ValidationError(
                "amount",
                "The member is owed only {balance}.",
                balance=format_money(balance, ccy, settings.get().locale),
            )
        row = Payout.create(
            date=day,
            member=member_id,
            amount_minor=minor,
            method=method,
            reference=reference.strip(),
            created_by=actor.username,
            state="draft",
        )
        lines = [
            PostingLine("member_payable", member_id, None, minor),
            PostingLine(key, None, None, -minor),
        ]
        posted = posting.post(actor, Payout, row.id, day, reference, lines)
    return Saved(row.id, posted)


def void_payout(actor: Actor, payout_id: int, reason: str, day: date | None = None) -> Changes:
    return posting.void(actor, Payout, payout_id, reason, day=day)
