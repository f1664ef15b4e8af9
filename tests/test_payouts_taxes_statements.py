"""Payouts, tax payments, the period tax summary and member statements, all derived from the ledger."""

from datetime import date
from decimal import Decimal

import pytest

from coop import chain, i18n
from coop.errors import PermissionDenied, ValidationError
from coop.models import Payout
from coop.permissions import SYSTEM, Actor
from coop.services import ledger, payouts, statements, taxes


def test_payout_reduces_balance_and_cannot_exceed_it(coop):
    coop.sell([coop.lot()], method="mobile_money")  # the wallet the payout leaves holds the proceeds
    owed = ledger.member_balance(SYSTEM, coop.members[0])
    wallet = ledger.position(SYSTEM).mobile_money
    pid = payouts.pay_member(
        SYSTEM, coop.members[0], Decimal("1000.50"), date(2026, 1, 7), "mobile_money", "MM-1"
    ).id
    assert ledger.member_balance(SYSTEM, coop.members[0]) == owed - 100050
    assert ledger.position(SYSTEM).mobile_money == wallet - 100050
    with pytest.raises(ValidationError) as err:
        payouts.pay_member(SYSTEM, coop.members[0], Decimal(owed), date(2026, 1, 7))
    assert err.value.field == "amount"
    payouts.void_payout(SYSTEM, pid, "paid twice")
    assert ledger.member_balance(SYSTEM, coop.members[0]) == owed
    assert Payout.get_by_id(pid).state == "voided"
    assert chain.verify().ok


def test_tax_summary_due_paid_and_balance(coop):
    coop.sell([coop.lot()], day=date(2026, 1, 6))
    coop.sell(
        [coop.lot(mineral=coop.cassiterite, qty="100", grade="65")],
        currency="CDF",
        price="30000",
        day=date(2026, 2, 1),
    )
    voided = coop.sell([coop.lot()], day=date(2026, 2, 2))
    from coop.services import sales

    sales.void_sale(SYSTEM, voided, "cancelled", day=date(2026, 3, 1))  # voided in the same quarter
    s = taxes.summary(SYSTEM, date(2026, 1, 1), date(2026, 3, 31))
    assert [m.mineral for m in s.by_mineral] == ["Cassiterite", "Gold"]
    assert [m.sales for m in s.by_mineral] == [1, 1]  # the voided sale is not counted
    gross = sum(m.gross_local_minor for m in s.by_mineral)
    assert s.taxes[0].base_minor == gross and s.adjustments == []
    # the void is in the quarter: the ledger owes exactly what the summary says
    assert s.due_minor == -ledger.account_balance("tax_payable")
    taxes.pay(
        SYSTEM,
        authority="DGRAD",
        amount=Decimal("100000"),
        day=date(2026, 4, 5),
        period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31),
        reference="Q1",
        method="cash",  # the sales came into the cash box
    )
    s = taxes.summary(SYSTEM, date(2026, 1, 1), date(2026, 3, 31))
    assert s.paid_minor == 100000_00
    assert s.balance_minor == s.due_minor - 100000_00
    assert taxes.summary(SYSTEM, date(2026, 1, 1), date(2026, 3, 31), authority="Other").taxes == []


def test_tax_payment_validation(coop):
    with pytest.raises(ValidationError) as err:
        taxes.pay(
            SYSTEM,
            authority="DGRAD",
            amount=Decimal(0),
            day=date(2026, 1, 2),
            period_from=date(2026, 1, 1),
            period_to=date(2026, 1, 31),
        )
    assert err.value.field == "amount"
    with pytest.raises(ValidationError) as err:
        taxes.pay(
            SYSTEM,
            authority="DGRAD",
            amount=Decimal(5),
            day=date(2026, 1, 2),
            period_from=date(2026, 2, 1),
            period_to=date(2026, 1, 31),
        )
    assert err.value.field == "period_to"
    with pytest.raises(PermissionDenied):
        taxes.pay(
            Actor("c", "clerk"),
            authority="DGRAD",
            amount=Decimal(5),
            day=date(2026, 1, 2),
            period_from=date(2026, 1, 1),
            period_to=date(2026, 1, 31),
        )


def test_presets_are_marked_check_with_authority(db):
    from coop.services import registry, settings

    settings.save(SYSTEM, name="TZ coop", currency="TZS", locale="sw_TZ", country="TZ")
    registry.save_mineral(SYSTEM, None, name="Gold", unit="g", grade_kind="fineness")
    ids = taxes.load_presets(SYSTEM, "TZ", date(2024, 1, 1)).ids
    assert len(ids) == 3
    from coop.models import TaxRule

    rules = list(TaxRule.select().order_by(TaxRule.id))
    assert sorted(r.rate_bp for r in rules) == [100, 400, 600]
    with i18n.language("sw"):  # the cooperative's language (sw_TZ): names and notes are stored in it
        check = i18n._(taxes.CHECK_NOTE)
    assert all(r.note.endswith(check) for r in rules)


def test_statement_opening_lines_closing(coop):
    member = coop.members[0]
    coop.sell([coop.lot(day=date(2026, 1, 5))], day=date(2026, 1, 6))
    jan = ledger.member_balance(SYSTEM, member)
    coop.sell([coop.lot(day=date(2026, 2, 5))], day=date(2026, 2, 6))
    payouts.pay_member(SYSTEM, member, Decimal("5000"), date(2026, 2, 10), reference="P-1")
    st = statements.statement(SYSTEM, member, date(2026, 2, 1), date(2026, 2, 28))
    assert st.opening_minor == jan
    assert [ln.kind for ln in st.lines] == ["sale", "payout"]
    assert st.lines[0].reference == "2026/2" and st.lines[1].reference == "P-1"
    assert st.closing_minor == ledger.member_balance(SYSTEM, member)
    assert st.closing_minor == st.opening_minor + st.earned_minor - st.paid_minor


def test_member_sees_only_their_own_statement(coop):
    me = Actor("m", "member", member_id=coop.members[0])
    statements.statement(me, coop.members[0], date(2026, 1, 1), date(2026, 1, 31))
    with pytest.raises(PermissionDenied):
        statements.statement(me, coop.members[1], date(2026, 1, 1), date(2026, 1, 31))
    with pytest.raises(PermissionDenied):
        ledger.member_balance(me, coop.members[1])


def test_a_rule_applied_to_sales_is_ended_not_rewritten(coop):
    coop.sell([coop.lot()])
    base = dict(name="Royalty", authority="DGRAD", rate_bp=350, valid_from=date(2020, 1, 1))
    with pytest.raises(ValidationError) as err:
        taxes.save_rule(SYSTEM, coop.royalty, **{**base, "rate_bp": 400})
    assert err.value.field == "rate_bp"
    taxes.save_rule(SYSTEM, coop.royalty, **base, valid_to=date(2026, 1, 31), note="ended")
    new = taxes.save_rule(SYSTEM, None, **{**base, "rate_bp": 400, "valid_from": date(2026, 2, 1)}).id
    assert [r.id for r in taxes.applicable_rules(coop.gold, "comptoir", date(2026, 2, 2))] == [new]
    unused = taxes.save_rule(
        SYSTEM, None, name="Fee", authority="X", rate_bp=100, valid_from=date(2020, 1, 1)
    ).id
    taxes.save_rule(SYSTEM, unused, name="Fee", authority="X", rate_bp=150, valid_from=date(2020, 1, 1))
