"""No silent rounding of what the user typed (refused with the field and the decimals kept), and the safety
registers final in closed periods."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from coop import money
from coop.errors import ValidationError
from coop.permissions import SYSTEM
from coop.services import payouts, periods, safety, sales, taxes


def _sale(coop, lot, price="90", rate="2850", currency="USD"):
    return sales.SaleInput(
        buyer_id=coop.buyer, lot_ids=[lot], date=date(2026, 1, 6), currency=currency,
        unit_price=Decimal(price) if not isinstance(price, str) else price, exchange_rate=rate,
    )  # fmt: skip


@pytest.mark.parametrize(
    "price,rate,field,places",
    [
        ("90.1234567", "2850", "unit_price", 6),  # 7 decimals
        ("90", "2850.0000001", "exchange_rate", 6),
        ("0.0000001", "2850", "unit_price", 6),
    ],
)
def test_a_sale_with_an_over_precise_price_or_rate_is_refused_naming_the_field(
    coop, price, rate, field, places
):
    lot = coop.lot(day=date(2026, 1, 5))
    for attempt in (sales.compute, lambda inp: sales.post_sale(SYSTEM, inp)):
        with pytest.raises(ValidationError) as err:
            attempt(_sale(coop, lot, price, rate))
        assert err.value.field == field and err.value.params["places"] == places


def test_trailing_zeros_are_not_precision(coop):
    lot = coop.lot(day=date(2026, 1, 5))
    assert sales.compute(_sale(coop, lot, "90.1234560000", "2850.000000000")).price_micro == 90_123_456


def test_a_price_is_kept_exactly_as_typed_in_a_currency_without_minor_unit(db):
    from coop.services import settings
    from tests.conftest import make_small_coop

    coop = make_small_coop()
    settings.save(SYSTEM, currency="XOF", locale="fr_BF")
    tin = coop.lot(qty="1", grade="60", mineral=coop.cassiterite, day=date(2026, 1, 5))
    figures = sales.compute(_sale(coop, tin, "1.49", "1", "XOF"))
    assert figures.gross_minor == 1  # 1 kg at 1.49 XOF: the value rounded once
    big = coop.lot(qty="1000", grade="60", mineral=coop.cassiterite, day=date(2026, 1, 5))
    figures = sales.compute(_sale(coop, big, "1.49", "1", "XOF"))
    assert figures.gross_minor == 1490 and figures.unit_price == Decimal("1.49")  # not 1000 (−33 %)
    gold = coop.lot(qty="2", grade="1000", day=date(2026, 1, 5))
    assert sales.compute(_sale(coop, gold, "52345.5", "1", "XOF")).gross_minor == 104_691  # not 104,692


@pytest.mark.parametrize("qty", ["0.0005", "12.3456"])
def test_a_lot_quantity_with_more_than_three_decimals_is_refused(coop, qty):
    with pytest.raises(ValidationError) as err:
        coop.lot(qty=qty)
    assert err.value.field == "quantity" and err.value.params["places"] == 3


def test_a_payout_or_tax_payment_with_more_decimals_than_the_currency_is_refused(coop):
    lot = coop.lot(day=date(2026, 1, 5))
    sales.post_sale(SYSTEM, _sale(coop, lot))
    with pytest.raises(ValidationError) as err:
        payouts.pay_member(SYSTEM, coop.members[0], "10.005", date(2026, 1, 7))
    assert err.value.field == "amount" and err.value.params["places"] == 2
    with pytest.raises(ValidationError) as err:
        taxes.pay(
            SYSTEM, authority="DGRAD", amount="1.001", day=date(2026, 1, 7), period_from=date(2026, 1, 1),
            period_to=date(2026, 1, 31), method="cash",
        )  # fmt: skip
    assert err.value.field == "amount"
    payouts.pay_member(SYSTEM, coop.members[0], "10.50", date(2026, 1, 7))  # two decimals: kept


def test_the_parse_function_never_hides_a_29th_decimal():
    """normalize() rounds to 28 digits: the check reads the digits themselves."""
    with pytest.raises(ValidationError):
        money.parse_exact("1.00000000000000000000000000001", "quantity", 3)
    assert money.parse_exact("1.500000000000000000000000000000", "quantity", 3) == Decimal("1.5")


def test_mercury_and_incidents_are_refused_in_a_closed_period(coop):
    incident = safety.save_incident(
        SYSTEM, None, occurred_at=datetime(2025, 3, 3, 10), site=coop.site, category="collapse",
        severity="lost_time", injured=1, description="Wall fell.",
    ).id  # fmt: skip
    safety.record_mercury(SYSTEM, site_id=coop.site, day=date(2025, 3, 2), kind="used", grams=Decimal("1"))
    periods.close(SYSTEM, date(2025, 3, 31))
    with pytest.raises(ValidationError) as err:
        safety.record_mercury(
            SYSTEM, site_id=coop.site, day=date(2025, 3, 31), kind="used", grams=Decimal("2")
        )
    assert err.value.field == "date" and err.value.params["closed"] == "2025-03-31"
    with pytest.raises(ValidationError) as err:
        safety.save_incident(
            SYSTEM, None, occurred_at=datetime(2025, 2, 1, 8), site=coop.site, category="fall",
            severity="first_aid", injured=1, description="Slipped.",
        )  # fmt: skip
    assert err.value.field == "occurred_at"
    with pytest.raises(ValidationError):  # correcting an incident of the closed period
        safety.save_incident(
            SYSTEM, incident, occurred_at=datetime(2025, 3, 3, 10), site=coop.site, category="collapse",
            severity="lost_time", injured=2, description="Wall fell.",
        )  # fmt: skip
    with pytest.raises(ValidationError):  # nor moved out of it
        safety.save_incident(
            SYSTEM, incident, occurred_at=datetime(2025, 4, 3, 10), site=coop.site, category="collapse",
            severity="lost_time", injured=1, description="Wall fell.",
        )  # fmt: skip
    safety.move_incident(SYSTEM, incident, "investigating")  # its investigation still moves on, dated today
    safety.record_mercury(SYSTEM, site_id=coop.site, day=date(2025, 4, 1), kind="used", grams=Decimal("2"))
    safety.save_incident(
        SYSTEM, None, occurred_at=datetime(2025, 4, 1, 8), site=coop.site, category="fall",
        severity="first_aid", injured=1, description="Slipped.",
    )  # fmt: skip
