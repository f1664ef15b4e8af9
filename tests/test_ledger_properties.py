"""Ledger invariants under random operations, checked against an independent model of member balances and of
the cash box (the one funds check refuses exactly what would take it below zero, and writes nothing)."""

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coop import chain, money
from coop.db import open_database
from coop.errors import ValidationError
from coop.models import JournalEntry, Posting, Sale
from coop.permissions import SYSTEM
from coop.services import ledger, payouts, sales
from coop.services.books import treasury
from tests.conftest import make_small_coop

ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("sell"),
            st.lists(st.tuples(st.integers(0, 3), st.integers(1, 100)), min_size=1, max_size=3),
            st.integers(1, 5_000),
            st.integers(5_000, 300_000),
            st.sampled_from(["USD", "CDF"]),
        ),
        st.tuples(st.just("pay"), st.integers(0, 3), st.integers(1, 100)),
        st.tuples(st.just("void"), st.integers(0, 50)),
    ),
    min_size=1,
    max_size=12,
)


def _owners(raw, members):
    by_member: dict[int, int] = {}
    for index, weight in raw:
        by_member[members[index]] = by_member.get(members[index], 0) + weight
    ids = sorted(by_member)
    return list(zip(ids, money.split(money.BP, [by_member[i] for i in ids]), strict=True))


def _refused_for_funds(write, *args) -> None:
    """`write(*args)` is refused by the funds check and leaves the journal as it was."""
    entries = JournalEntry.select().count()
    try:
        write(*args)
    except ValidationError as err:
        assert err.field == "amount"
        assert err.msgid in (treasury.NOT_ENOUGH, treasury.NOT_ENOUGH_LATER)
    else:
        raise AssertionError("the funds check let the cash box go below zero")
    assert JournalEntry.select().count() == entries


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
# a sale whose share was paid out, then voided: refused (the box holds less than its gross), nothing written
@example([("sell", [(0, 1)], 100, 100_000, "CDF"), ("pay", 0, 100), ("void", 0)])
def test_entries_balance_and_balances_match_a_model(operations):
    handle = open_database(":memory:")
    try:
        c = make_small_coop()
        model: dict[int, int] = {m: 0 for m in c.members}
        cash = 0  # every sale comes into the cash box, every payout leaves it
        shares_of: dict[int, dict[int, int]] = {}
        day = date(2026, 1, 10)
        for op in operations:
            if op[0] == "sell":
                _, raw, qty, price, ccy = op
                owners = [o for o in _owners(raw, c.members) if o[1] > 0]
                lot = c.lot(qty=str(Decimal(qty) / 10), owners=owners, day=day)
                try:
                    sale_id = c.sell([lot], price=str(Decimal(price) / 100), currency=ccy, day=day)
                except ValidationError:
                    continue  # value too small to cover levy and taxes: refused, nothing written
                sale = Sale.get_by_id(sale_id)
                per_member = {
                    p.member_id: -p.amount_minor
                    for p in Posting.select()
                    .join(JournalEntry)
                    .where(
                        (JournalEntry.source_id == sale_id)
                        & (JournalEntry.kind == "sale")
                        & (Posting.account == "member_payable")
                    )
                }
                assert sum(per_member.values()) == sale.net_minor
                shares_of[sale_id] = per_member
                cash += sale.gross_local_minor
                for m, amount in per_member.items():
                    model[m] += amount
            elif op[0] == "pay":
                member = c.members[op[1]]
                amount = model[member] * op[2] // 100
                if amount > cash:  # a member paid out before a sale was voided may be owed more than the box
                    _refused_for_funds(
                        payouts.pay_member, SYSTEM, member, money.from_minor(amount, "CDF"), day
                    )
                elif amount > 0:
                    payouts.pay_member(SYSTEM, member, money.from_minor(amount, "CDF"), day)
                    model[member] -= amount
                    cash -= amount
            else:
                posted = [s for s in shares_of if Sale.get_by_id(s).state == "posted"]
                if posted:
                    sale_id = posted[op[1] % len(posted)]
                    gross = Sale.get_by_id(sale_id).gross_local_minor
                    if gross > cash:  # its money was paid out: voiding it would take the box below zero
                        _refused_for_funds(sales.void_sale, SYSTEM, sale_id, "test")
                        assert Sale.get_by_id(sale_id).state == "posted"
                        continue
                    sales.void_sale(SYSTEM, sale_id, "test")
                    cash -= gross
                    for m, amount in shares_of[sale_id].items():
                        model[m] -= amount
        assert ledger.unbalanced_entries() == []
        assert sum(ledger.trial_balance().values()) == 0
        balances = ledger.member_balances(SYSTEM)
        assert {m: balances.get(m, 0) for m in c.members} == model
        assert ledger.position(SYSTEM).cash == cash >= 0
        assert chain.verify().ok
    finally:
        handle.close()
