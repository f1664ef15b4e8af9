"""The one record-access check (Actor.record_scope / require_record) and the document services built on it;
a sale's figures are computed once and read back unchanged for its receipt and custody report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import reports
from coop.errors import PermissionDenied
from coop.permissions import SYSTEM, Actor
from coop.services import sales, statements, tables
from coop.services.documents import receipt, registers

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _member(coop, i: int) -> Actor:
    return Actor(f"m{i}", "member", member_id=coop.members[i])


@pytest.mark.parametrize(
    ("actor", "owners", "all_action", "allowed"),
    [
        (Actor("t", "treasurer"), set(), "reports.read", True),
        (Actor("c", "clerk"), {1}, "read.all", True),
        (Actor("c", "clerk"), {1}, "reports.read", False),  # a clerk reads lists, not documents
        (Actor("m", "member", member_id=1), {1, 2}, "reports.read", True),
        (Actor("m", "member", member_id=3), {1, 2}, "reports.read", False),
        (Actor("m", "member", member_id=None), {1}, "read.all", False),  # an unlinked member account
        (Actor("x", "nobody", member_id=1), {1}, "read.all", False),  # unknown role: denied by default
    ],
)
def test_require_record(actor, owners, all_action, allowed):
    if allowed:
        actor.require_record(owners, all_action)
    else:
        with pytest.raises(PermissionDenied):
            actor.require_record(owners, all_action)


def test_record_scope():
    assert Actor("a", "auditor").record_scope() is None
    assert Actor("m", "member", member_id=7).record_scope() == 7
    with pytest.raises(PermissionDenied):
        Actor("m", "member", member_id=7).record_scope(owned=False)  # a kind no member owns
    with pytest.raises(PermissionDenied):
        Actor("m", "member").record_scope()


def test_a_member_gets_only_its_own_receipt(coop):
    sale_id = coop.sell([coop.lot()])  # owners: members[0] and members[1]
    assert receipt.receipt_data(_member(coop, 0), sale_id).sale_id == sale_id
    with pytest.raises(PermissionDenied):
        receipt.receipt_data(_member(coop, 2), sale_id)
    with pytest.raises(PermissionDenied):
        reports.build("receipt", _member(coop, 2), sale_id=sale_id)


def test_a_member_gets_only_its_own_statement(coop):
    coop.sell([coop.lot()])
    mine, theirs = coop.members[0], coop.members[1]
    own = statements.statements_data(_member(coop, 0), *YEAR, member_id=mine)
    assert [s.member_id for s in own] == [mine]
    assert statements.statement(_member(coop, 0), mine, *YEAR).member_id == mine
    for call in (
        lambda: statements.statements_data(_member(coop, 0), *YEAR, member_id=theirs),
        lambda: statements.statements_data(_member(coop, 0), *YEAR, all=True),
        lambda: statements.statement(_member(coop, 0), theirs, *YEAR),
        lambda: reports.build("statement", _member(coop, 0), start=YEAR[0], end=YEAR[1], member_id=theirs),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_a_member_gets_no_custody_report(coop):
    lot = coop.lot()
    sale_id = coop.sell([lot])
    for actor in (_member(coop, 0), _member(coop, 2)):
        with pytest.raises(PermissionDenied):
            registers.custody(actor, sale_id=sale_id)
        with pytest.raises(PermissionDenied):
            reports.build("custody", actor, sale_id=sale_id)
    assert registers.custody(SYSTEM, sale_id=sale_id).sales[0].sale_id == sale_id


def test_lists_are_scoped_by_the_same_check(coop):
    coop.sell([coop.lot()])
    coop.lot(owners=[(coop.members[2], 10_000)])
    q = tables.Query()
    assert tables.count(_member(coop, 2), "lots", q) == 1
    assert tables.count(SYSTEM, "lots", q) == 2
    with pytest.raises(PermissionDenied):
        tables.count(Actor("m", "member"), "lots", q)


def _sale_input(coop, lot_ids: list[int]) -> sales.SaleInput:
    return sales.SaleInput(
        buyer_id=coop.buyer,
        lot_ids=lot_ids,
        date=date(2026, 1, 6),
        currency="USD",
        unit_price=Decimal("90"),
        exchange_rate=Decimal("2850"),
    )


def test_receipt_and_custody_carry_the_figures_compute_produced(coop):
    lots = [coop.lot(qty="12.5", grade="850"), coop.lot(qty="3.2", grade="800")]
    computed = sales.compute(_sale_input(coop, lots))
    sale_id = coop.sell(lots)
    assert receipt.receipt_data(SYSTEM, sale_id).figures == computed
    assert registers.custody(SYSTEM, sale_id=sale_id).sales[0].figures == computed
    assert computed.taxes and len(computed.shares) == 2
