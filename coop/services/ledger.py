"""Balances derived from the journal: members' payables, tax due, levy income, cash on hand, trial balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peewee import fn

from coop import vocab
from coop.models import JournalEntry, Posting
from coop.permissions import Actor

TREASURY = tuple(vocab.PAYMENT_METHODS)  # one account per payment method
ACCOUNTS = TREASURY + ("member_payable", "levy_income", "tax_payable", "tax_expense")


def _sum(query) -> int:
    return int(query.scalar() or 0)


def member_balance(actor: Actor, member_id: int, as_of: date | None = None) -> int:
    """What the cooperative owes the member (minor units): credits to their payable account.

    Roles that may see balances, and a member their own; a clerk registers members but sees no balances."""
    actor.require_record({member_id}, "balances.read")
    q = Posting.select(fn.SUM(Posting.amount_minor)).where(
        (Posting.account == "member_payable") & (Posting.member == member_id)
    )
    if as_of is not None:
        q = q.join(JournalEntry).where(JournalEntry.date <= as_of)
    return -_sum(q)


def member_balances(actor: Actor) -> dict[int, int]:
    """Every member's balance in one aggregate (member id -> minor units)."""
    actor.require("balances.read")
    q = (
        Posting.select(Posting.member, fn.SUM(Posting.amount_minor))
        .where(Posting.account == "member_payable")
        .group_by(Posting.member)
        .tuples()
    )
    return {m: -int(s) for m, s in q}


def account_balance(
    account: str, *, until: date | None = None, since: date | None = None, rule_id: int | None = None
) -> int:
    """Debit-positive balance of one account, optionally over a date range or for one tax rule."""
    q = Posting.select(fn.SUM(Posting.amount_minor)).join(JournalEntry).where(Posting.account == account)
    if until:
        q = q.where(JournalEntry.date <= until)
    if since:
        q = q.where(JournalEntry.date >= since)
    if rule_id is not None:
        q = q.where(Posting.tax_rule == rule_id)
    return _sum(q)


@dataclass(frozen=True, kw_only=True)
class Position:
    cash: int
    mobile_money: int
    bank: int
    members_payable: int
    tax_payable: int
    levy_income: int
    tax_expense: int


def position(actor: Actor, until: date | None = None) -> Position:
    """The cooperative's position: treasury by method, what it owes members and authorities, its income."""
    from coop.services.books import treasury

    actor.require("read.all")
    b = {a: account_balance(a, until=until) for a in ACCOUNTS}
    held = dict.fromkeys(TREASURY, 0)  # every cash box, wallet and bank account, summed by kind
    for t in treasury.accounts(actor, until):
        held[t.kind] += t.balance_minor
    return Position(
        cash=held["cash"],
        mobile_money=held["mobile_money"],
        bank=held["bank"],
        members_payable=-b["member_payable"],
        tax_payable=-b["tax_payable"],
        levy_income=-b["levy_income"],
        tax_expense=b["tax_expense"],
    )


def trial_balance() -> dict[str, int]:
    """Sum per account; the values sum to zero when the ledger balances."""
    q = Posting.select(Posting.account, fn.SUM(Posting.amount_minor)).group_by(Posting.account).tuples()
    return {a: int(s) for a, s in q}


def unbalanced_entries() -> list[int]:
    """Sequence numbers of journal entries whose postings do not sum to zero (should be none)."""
    q = (
        JournalEntry.select(JournalEntry.seq)
        .join(Posting)
        .group_by(JournalEntry.id)
        .having(fn.SUM(Posting.amount_minor) != 0)
        .tuples()
    )
    return [s for (s,) in q]
