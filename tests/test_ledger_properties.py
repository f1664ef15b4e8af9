"""Ledger invariants under random operations, checked against an independent model of member balances."""

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coop import chain, money
from coop.db import open_database
from coop.errors import ValidationError
from coop.models import JournalEntry, Posting, Sale
from coop.permissions import SYSTEM
from coop.services import ledger, payouts, sales
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


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_entries_balance_and_balances_match_a_model(operations):
    handle = open_database(":memory:")
    try:
        c = make_small_coop()
        model: dict[int, int] = {m: 0 for m in c.members}
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
                for m, amount in per_member.items():
                    model[m] += amount
            elif op[0] == "pay":
                member = c.members[op[1]]
                amount = model[member] * op[2] // 100
                if amount > 0:
                    payouts.pay_member(SYSTEM, member, money.from_minor(amount, "CDF"), day)
                    model[member] -= amount
            else:
                posted = [s for s in shares_of if Sale.get_by_id(s).state == "posted"]
                if posted:
                    sale_id = posted[op[1] % len(posted)]
                    sales.void_sale(SYSTEM, sale_id, "test")
                    for m, amount in shares_of[sale_id].items():
                        model[m] -= amount
        assert ledger.unbalanced_entries() == []
        assert sum(ledger.trial_balance().values()) == 0
        balances = ledger.member_balances(SYSTEM)
        assert {m: balances.get(m, 0) for m in c.members} == model
        assert chain.verify().ok
    finally:
        handle.close()
