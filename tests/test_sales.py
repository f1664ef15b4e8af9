"""Sales: computation, posting (receipt numbers, ledger, chain, lots sold), voids and bad input."""

from datetime import date
from decimal import Decimal

import pytest

from coop import chain
from coop.errors import NotFound, PermissionDenied, StateError, ValidationError
from coop.models import ProductionLot, Sale
from coop.permissions import SYSTEM, Actor
from coop.services import ledger, sales, settings, taxes
from tests.conftest import TOMORROW, resolve_dates


def test_gold_is_priced_per_gram_of_fine_gold(coop):
    lot = coop.lot(qty="12.5", grade="800")  # 10 g fine
    c = sales.compute(
        sales.SaleInput(coop.buyer, [lot], date(2026, 1, 6), "USD", Decimal("95"), Decimal("2850"))
    )
    assert c.priced_qty_milli == 10_000
    assert c.gross_minor == 950_00  # USD cents
    assert c.gross_local_minor == 2_707_500_00  # CDF centimes
    assert c.levy_minor == 135_375_00  # 5 %
    assert [t.amount_minor for t in c.taxes] == [94_762_50]  # 3.5 %
    assert c.net_minor == c.gross_local_minor - c.levy_minor - c.withheld_minor
    assert [s.amount_minor for s in c.shares] == [1_486_417_50, 990_945_00]  # 60 / 40 of 2 477 362,50 CDF
    assert sum(s.amount_minor for s in c.shares) == c.net_minor


def test_posting_numbers_receipts_marks_lots_and_balances_members(coop):
    lots = [coop.lot(), coop.lot(owners=[(coop.members[2], 10000)])]
    sale_id = coop.sell(lots)
    sale = Sale.get_by_id(sale_id)
    assert (sale.state, sale.series, sale.receipt_no) == ("posted", "2026", 1)
    assert sale.chain_hash == chain.head()[1]
    assert {ProductionLot.get_by_id(i).status for i in lots} == {"sold"}
    balances = ledger.member_balances(SYSTEM)
    assert sum(balances.values()) == sale.net_minor
    assert sum(ledger.trial_balance().values()) == 0
    assert coop.sell([coop.lot()]) == sale_id + 1
    assert Sale.get_by_id(sale_id + 1).receipt_no == 2


def test_receipt_series_follows_the_fiscal_year(coop):
    settings.save(SYSTEM, fiscal_year_start=7)
    sale = Sale.get_by_id(coop.sell([coop.lot(day=date(2025, 8, 1))], day=date(2025, 8, 2)))
    assert sale.series == "2025-26"
    assert settings.fiscal_series(date(2026, 6, 30), 7) == "2025-26"
    assert settings.fiscal_series(date(2026, 7, 1), 7) == "2026-27"


def test_local_currency_sale_ignores_the_rate(coop):
    c = sales.compute(
        sales.SaleInput(coop.buyer, [coop.lot()], date(2026, 1, 6), "CDF", Decimal("250000"), Decimal("0"))
    )
    assert c.gross_minor == c.gross_local_minor == 8 * 250000 * 100


def test_void_reverses_exactly_and_returns_lots_to_stock(coop):
    lot = coop.lot()
    before = ledger.member_balances(SYSTEM)
    sale_id = coop.sell([lot])
    sales.void_sale(SYSTEM, sale_id, "wrong buyer")
    assert Sale.get_by_id(sale_id).state == "voided"
    assert ProductionLot.get_by_id(lot).status == "in_stock"
    after = ledger.member_balances(SYSTEM)
    assert {m: after.get(m, 0) for m in after} == {m: before.get(m, 0) for m in after}
    assert chain.verify().ok
    with pytest.raises(StateError):
        sales.void_sale(SYSTEM, sale_id, "again")
    coop.sell([lot], day=date(2026, 1, 7))  # back in stock: can be sold again


def test_void_needs_a_reason_and_an_existing_sale(coop):
    sale_id = coop.sell([coop.lot()])
    with pytest.raises(ValidationError) as err:
        sales.void_sale(SYSTEM, sale_id, "  ")
    assert err.value.field == "reason"
    with pytest.raises(NotFound):
        sales.void_sale(SYSTEM, 999, "x")


def _input(coop, lots, **kw):
    base = dict(
        buyer_id=coop.buyer,
        lot_ids=lots,
        date=date(2026, 1, 6),
        currency="USD",
        unit_price=Decimal(90),
        exchange_rate=Decimal(2850),
    )
    base.update(resolve_dates(kw))
    return sales.SaleInput(**base)


@pytest.mark.parametrize(
    "change, field",
    [
        (dict(lot_ids=[]), "lots"),
        (dict(exchange_rate=Decimal(0)), "exchange_rate"),
        (dict(unit_price=Decimal(0)), "unit_price"),
        (dict(unit_price=Decimal(-5)), "unit_price"),
        (dict(currency="ZZZ"), "currency"),
        (dict(date=TOMORROW), "date"),
        (dict(payment_method="cheque"), "payment_method"),
        (dict(buyer_id=999), "buyer"),
    ],
)
def test_bad_sale_input_names_the_field(coop, change, field):
    lot = coop.lot()
    with pytest.raises(ValidationError) as err:
        sales.post_sale(SYSTEM, _input(coop, [lot], **change))
    assert err.value.field == field
    assert err.value.message()  # translatable text with its parameters filled
    assert Sale.select().count() == 0  # nothing half-written


def test_a_lot_cannot_be_sold_twice(coop):
    lot = coop.lot()
    coop.sell([lot])
    with pytest.raises(ValidationError, match="not in stock"):
        coop.sell([lot], day=date(2026, 1, 7))
    with pytest.raises(ValidationError, match="twice"):
        sales.compute(_input(coop, [coop.lot(), coop.lot()][:1] * 2))


def test_lots_of_different_minerals_cannot_share_a_sale(coop):
    lots = [coop.lot(), coop.lot(mineral=coop.cassiterite, grade="65", qty="100")]
    with pytest.raises(ValidationError, match="same mineral"):
        coop.sell(lots)


def test_no_back_dating_within_a_series(coop):
    coop.sell([coop.lot()], day=date(2026, 1, 10))
    with pytest.raises(ValidationError) as err:
        coop.sell([coop.lot()], day=date(2026, 1, 9))
    assert err.value.field == "date"


def test_roles_without_sales_rights_are_refused(coop):
    lot = coop.lot()
    for role in ("clerk", "member", "auditor"):
        with pytest.raises(PermissionDenied):
            sales.post_sale(Actor("x", role, member_id=coop.members[0]), _input(coop, [lot]))
    sales.post_sale(Actor("t", "treasurer"), _input(coop, [lot]))


def test_most_specific_tax_rule_wins(coop):
    taxes.save_rule(
        SYSTEM,
        None,
        name="Royalty",
        authority="DGRAD",
        rate_bp=400,
        mineral=coop.gold,
        buyer_kind="refinery",
        valid_from=date(2020, 1, 1),
    )
    taxes.save_rule(
        SYSTEM,
        None,
        name="Old fee",
        authority="X",
        rate_bp=100,
        valid_from=date(2020, 1, 1),
        valid_to=date(2021, 1, 1),
    )
    to_comptoir = sales.compute(_input(coop, [coop.lot()]))
    to_refinery = sales.compute(_input(coop, [coop.lot()], buyer_id=coop.refinery))
    assert [t.rate_bp for t in to_comptoir.taxes] == [350]
    assert [t.rate_bp for t in to_refinery.taxes] == [400]


def test_non_withheld_tax_is_the_cooperatives_expense(coop):
    taxes.save_rule(
        SYSTEM,
        None,
        name="Inspection",
        authority="Mines",
        rate_bp=100,
        withheld=False,
        valid_from=date(2020, 1, 1),
    )
    c = sales.compute(_input(coop, [coop.lot()]))
    assert c.withheld_minor == [t for t in c.taxes if t.withheld][0].amount_minor
    assert c.net_minor == c.gross_local_minor - c.levy_minor - c.withheld_minor
    coop.sell([coop.lot()])
    assert sum(ledger.trial_balance().values()) == 0
    assert ledger.position(SYSTEM).tax_expense == [t for t in c.taxes if not t.withheld][0].amount_minor
