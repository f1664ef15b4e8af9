"""Members' share capital: subscription, payments and refunds as entries of the books. A member's share
capital is derived from these entries (the register's loose field of old is not the books)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from peewee import fn

from coop.chain import PostingLine
from coop.changes import Changes, Saved
from coop.errors import ValidationError
from coop.i18n import N_
from coop.models import BookEntry, Member, Posting
from coop.permissions import Actor
from coop.services import settings
from coop.services.books import entries, treasury

SHARE_KEYS = ("share_called", "share_paid", "share_receivable")


@dataclass(frozen=True, kw_only=True)
class ShareCapital:
    """A member's share capital (minor units): subscribed (called), paid, and still to pay."""

    subscribed_minor: int
    paid_minor: int

    @property
    def unpaid_minor(self) -> int:
        return self.subscribed_minor - self.paid_minor


def _sums(member_id: int | None = None) -> dict[tuple[int, str], int]:
    q = Posting.select(Posting.member, Posting.account, fn.SUM(Posting.amount_minor)).where(
        Posting.account.in_(SHARE_KEYS)
    )
    if member_id is not None:
        q = q.where(Posting.member == member_id)
    return {(m, k): int(s) for m, k, s in q.group_by(Posting.member, Posting.account).tuples()}


def _capital(sums: dict[tuple[int, str], int], member_id: int) -> ShareCapital:
    paid = -sums.get((member_id, "share_paid"), 0)
    called = -sums.get((member_id, "share_called"), 0)
    return ShareCapital(subscribed_minor=called + paid, paid_minor=paid)


def share_capital(actor: Actor, member_id: int) -> ShareCapital:
    """One member's share capital, from the entries (a member sees their own)."""
    actor.require_record({member_id}, "balances.read")
    return _capital(_sums(member_id), member_id)


def share_capital_by_member(actor: Actor) -> dict[int, ShareCapital]:
    """Every member with share capital entries: member id -> ShareCapital (one aggregate)."""
    actor.require("balances.read")
    sums = _sums()
    return {m: _capital(sums, m) for m in sorted({m for m, _k in sums})}


def _member(member_id: int) -> Member:
    found = Member.get_or_none(Member.id == member_id)
    if found is None:
        raise ValidationError("member", "Unknown member: {value}.", value=member_id)
    return found


def _money(value: int) -> str:
    from coop.i18n import format_money

    coop = settings.get()
    return format_money(value, coop.currency, coop.locale)


def subscribe(actor: Actor, member_id: int, amount: Decimal | str, day: date, note: str = "") -> Saved:
    """The member subscribes share capital, called at once: what they owe (4613) against capital called (1012)."""
    actor.require("books.post")
    _member(member_id)
    value = entries.minor(amount)
    lines = [
        PostingLine("share_receivable", member_id, None, value),
        PostingLine("share_called", member_id, None, -value),
    ]
    return entries.post_entry(
        actor, "share_subscribe", day, lines, amount_minor=value, member_id=member_id, note=note
    )


def pay(
    actor: Actor,
    member_id: int,
    amount: Decimal | str,
    day: date,
    *,
    treasury_id: int | None = None,
    method: str = "cash",
    document_ref: str = "",
) -> Saved:
    """The member pays subscribed capital into a treasury account; the capital moves from called to paid."""
    value, capital = _checked(actor, member_id, amount)
    if value > capital.unpaid_minor:
        raise ValidationError(
            "amount",
            N_("The member has only {unpaid} of subscribed capital left to pay."),
            unpaid=_money(capital.unpaid_minor),
        )
    return _post_through_treasury(
        actor,
        "share_pay",
        member_id,
        value,
        day,
        treasury_id,
        method,
        document_ref,
        "",
        lambda key: [
            PostingLine(key, None, None, value),
            PostingLine("share_receivable", member_id, None, -value),
            PostingLine("share_called", member_id, None, value),
            PostingLine("share_paid", member_id, None, -value),
        ],
    )


def refund(
    actor: Actor,
    member_id: int,
    amount: Decimal | str,
    day: date,
    *,
    treasury_id: int | None = None,
    method: str = "cash",
    document_ref: str = "",
    note: str = "",
) -> Saved:
    """Paid capital given back to a member who leaves: at most what they paid; a payment (funds checked)."""
    value, capital = _checked(actor, member_id, amount)
    if value > capital.paid_minor:
        raise ValidationError(
            "amount", N_("The member has paid only {paid} of share capital."), paid=_money(capital.paid_minor)
        )
    return _post_through_treasury(
        actor,
        "share_refund",
        member_id,
        value,
        day,
        treasury_id,
        method,
        document_ref,
        note,
        lambda key: [PostingLine("share_paid", member_id, None, value), PostingLine(key, None, None, -value)],
    )


def _checked(actor: Actor, member_id: int, amount: Decimal | str) -> tuple[int, ShareCapital]:
    """The permission, the member and the amount checked; the amount in minor units and the member's capital."""
    actor.require("books.post")
    _member(member_id)
    value = entries.minor(amount)
    return value, share_capital(actor, member_id)


def _post_through_treasury(
    actor: Actor,
    kind: str,
    member_id: int,
    value: int,
    day: date,
    treasury_id: int | None,
    method: str,
    document_ref: str,
    note: str,
    lines: Callable[[str], list[PostingLine]],
) -> Saved:
    """Post a share-capital entry that moves money through the treasury account `lines` gets the key of."""
    _method, key = treasury.resolve(method, treasury_id)
    return entries.post_entry(
        actor,
        kind,
        day,
        lines(key),
        amount_minor=value,
        treasury=key,
        member_id=member_id,
        document_ref=document_ref,
        note=note,
    )


def check_subscription_voidable(row: BookEntry) -> None:
    """A subscription can be voided only while that much of it is still unpaid (void the payments first)."""
    sums = _sums(row.member_id)
    unpaid = _capital(sums, row.member_id).unpaid_minor
    if row.amount_minor > unpaid:
        raise ValidationError("entry", N_("Part of this subscription is paid: void the payments first."))


def void(actor: Actor, entry_id: int, reason: str, day: date | None = None) -> Changes:
    return entries.void_entry(actor, entry_id, reason, day)
