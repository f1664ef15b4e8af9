"""Money: rounding once by currency digits, conversions, and exact largest-remainder splits."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop import money
from coop.errors import ValidationError


def test_minor_units_follow_currency_digits():
    assert money.to_minor(Decimal("12.345"), "USD") == 1235  # half up
    assert money.to_minor(Decimal("12.344"), "USD") == 1234
    assert money.to_minor(Decimal("1500.5"), "XOF") == 1501  # 0 digits
    assert money.from_minor(1235, "USD") == Decimal("12.35")
    assert money.from_minor(1501, "XOF") == Decimal("1501")


def test_unknown_currency_is_a_field_error():
    with pytest.raises(ValidationError) as err:
        money.to_minor(1, "ZZZ")
    assert err.value.field == "currency"


def test_convert_usd_to_cdf_at_stored_rate():
    rate = money.rate_to_micro("2850.5")
    assert money.convert(100_00, "USD", "CDF", rate) == 285_050_00
    assert money.convert(1, "USD", "XOF", money.rate_to_micro("605.3")) == 6  # 6.053 -> 6


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "NaN", ""])
def test_bad_rates_are_refused(bad):
    with pytest.raises(ValidationError) as err:
        money.rate_to_micro(bad)
    assert err.value.field == "exchange_rate"


@pytest.mark.parametrize("bad", ["0", "-0.5", "x"])
def test_quantities_must_be_positive_numbers(bad):
    with pytest.raises(ValidationError):
        money.qty_to_milli(bad)


def test_parse_decimal_accepts_grouping_spaces():
    assert money.parse_decimal("2\u202f850", "x") == Decimal(2850)
    assert money.parse_decimal("1 000.25", "x") == Decimal("1000.25")


def test_apply_basis_points_rounds_half_up():
    assert money.apply_bp(1000, 350) == 35
    assert money.apply_bp(10, 350) == 0  # 0.35 -> 0
    assert money.apply_bp(15, 1000) == 2  # 1.5 -> 2


def test_split_ties_go_to_earlier_weights():
    assert money.split(10, [1, 1, 1]) == [4, 3, 3]
    assert money.split(-10, [1, 1, 1]) == [-4, -3, -3]
    assert money.split(100, [60, 40]) == [60, 40]


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12).filter(
        lambda w: sum(w) > 0
    ),
)
def test_split_parts_sum_exactly_and_stay_within_one_unit(total, weights):
    parts = money.split(total, weights)
    assert sum(parts) == total
    wsum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / wsum) < 1 + 1e-9
        if weight == 0:
            assert part == 0


def test_split_refuses_meaningless_weights():
    with pytest.raises(ValueError):
        money.split(10, [0, 0])


# ISO 4217 minor units, written by hand from the standard's list (not from babel/CLDR, which the code uses).
ISO_4217_DIGITS = {
    "XOF": 0, "XAF": 0, "CDF": 2, "TZS": 2, "UGX": 0, "RWF": 0, "GNF": 0, "BIF": 0, "BOB": 2, "PEN": 2,
    "GHS": 2, "MZN": 2, "BRL": 2, "COP": 2, "USD": 2, "EUR": 2, "AOA": 2, "AED": 2, "ZAR": 2, "NGN": 2,
    "SLE": 2, "CNY": 2, "GBP": 2, "CHF": 2, "KES": 2, "ZMW": 2, "MGA": 2, "JPY": 0, "KRW": 0, "CLP": 0,
    "KWD": 3, "BHD": 3, "OMR": 3, "TND": 3, "IQD": 3, "HUF": 2, "IDR": 2, "SEK": 2, "XPF": 0,
}  # fmt: skip


@pytest.mark.parametrize(("code", "iso_digits"), sorted(ISO_4217_DIGITS.items()))
def test_currency_digits_are_iso_4217(code, iso_digits):
    assert money.digits(code) == iso_digits
    assert money.digits(code.lower()) == iso_digits
    assert code in money.currencies()


@pytest.mark.parametrize("code", ["ZZZ", "XAU", "XDR", "SLL", "", "US"])
def test_codes_that_are_no_currency_in_use_are_refused(code):
    with pytest.raises(ValidationError) as err:
        money.digits(code)
    assert err.value.field == "currency"


def test_every_current_currency_has_iso_digits():
    codes = money.currencies()
    assert len(codes) > 140 and codes == sorted(set(codes))
    assert all(money.digits(c) in (0, 2, 3) for c in codes)
    assert money.to_minor(Decimal("12.345"), "KWD") == 12345 and money.to_minor(Decimal("12.5"), "UGX") == 13


def test_overrides_are_kept_only_where_cldr_differs_from_iso():
    from babel.numbers import get_currency_precision

    for code, iso_digits in money.ISO_DIGITS_OVERRIDES.items():
        assert get_currency_precision(code) != iso_digits, (
            f"{code}: CLDR agrees with ISO now, drop the override"
        )
