"""Money and quantity value types: integer minor units, Decimal arithmetic, one rounding rule, exact splits."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from coop.errors import ValidationError

# ISO 4217 minor-unit digits for the currencies a cooperative meets. CDF has 2 by ISO even if
# centimes are not used in practice; XOF/XAF/TZS-style currencies with 0 digits round to units.
CURRENCY_DIGITS: dict[str, int] = {
    "USD": 2,
    "EUR": 2,
    "CDF": 2,
    "XOF": 0,
    "XAF": 0,
    "BOB": 2,
    "PEN": 2,
    "TZS": 2,
    "GHS": 2,
    "MZN": 2,
    "BRL": 2,
    "COP": 2,
    "RWF": 0,
    "UGX": 0,
    "BIF": 0,
    "KES": 2,
    "ZMW": 2,
    "GNF": 0,
    "MGA": 2,
}
QTY_SCALE = 1000  # quantities are integer thousandths of their unit (mg, 0.001 ct, g)
RATE_SCALE = 1_000_000  # exchange rates stored as integer millionths
BP = 10_000  # basis points in one
# Largest number a user may type (amounts, prices, quantities, rates): far above any real value, and small
# enough that every stored product (price x quantity, rate x amount in millionths) fits SQLite's 64-bit INTEGER.
MAX_INPUT = Decimal(10) ** 12
MAX_MINOR = 10**17  # largest amount in minor units a record may hold
WIDE = 60  # decimal digits for products of bounded inputs: exact, never an InvalidOperation


def digits(currency: str) -> int:
    """Minor-unit digits of a currency; unknown codes are a user error, not a silent default."""
    try:
        return CURRENCY_DIGITS[currency.upper()]
    except KeyError:
        raise ValidationError("currency", "Unknown currency code {code}.", code=currency) from None


def round_to(value: Decimal, places: int) -> Decimal:
    """The one rounding rule of the application: half up, to a number of decimal places."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_minor(amount: Decimal | int | str, currency: str) -> int:
    """A major-unit amount (e.g. Decimal('12.345') USD) to integer minor units, rounded once."""
    d = digits(currency)
    return int(round_to(Decimal(amount), d).scaleb(d))


def from_minor(minor: int, currency: str) -> Decimal:
    """Integer minor units to an exact Decimal in major units."""
    return Decimal(minor).scaleb(-digits(currency))


def parse_decimal(text: str | int | Decimal, field: str) -> Decimal:
    """Parse a plain decimal (dot as separator, no grouping) or raise a field error."""
    if isinstance(text, Decimal | int):
        return _bounded(Decimal(text), text, field)
    cleaned = str(text).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(field, "“{value}” is not a number.", value=text) from None
    return _bounded(value, text, field)


def _bounded(value: Decimal, text: object, field: str) -> Decimal:
    if not value.is_finite():
        raise ValidationError(field, "“{value}” is not a number.", value=text)
    if abs(value) >= MAX_INPUT:
        raise ValidationError(field, "“{value}” is too large.", value=text)
    return value


def qty_to_milli(amount: Decimal | int | str, field: str = "quantity") -> int:
    """A quantity in its unit (grams, carats, kg) to integer thousandths; must be positive."""
    value = parse_decimal(amount, field)
    milli = int(round_to(value * QTY_SCALE, 0))
    if milli <= 0:
        raise ValidationError(field, "The quantity must be greater than zero.")
    return milli


def milli_to_qty(milli: int) -> Decimal:
    """Integer thousandths back to an exact Decimal in the unit."""
    return Decimal(milli).scaleb(-3)


def rate_to_micro(rate: Decimal | int | str, field: str = "exchange_rate") -> int:
    """An exchange rate 'local units per one unit of the sale currency' to integer millionths (> 0)."""
    value = parse_decimal(rate, field)
    micro = int(round_to(value * RATE_SCALE, 0))
    if micro <= 0:
        raise ValidationError(field, "The exchange rate must be greater than zero.")
    return micro


def micro_to_rate(micro: int) -> Decimal:
    """Integer millionths back to the exchange rate as a Decimal (trailing zeros removed)."""
    return Decimal(micro).scaleb(-6).normalize()


def convert(minor: int, from_ccy: str, to_ccy: str, rate_micro: int) -> int:
    """Convert minor units of one currency into another at a stored rate, rounding once."""
    with localcontext(prec=WIDE):
        major = from_minor(minor, from_ccy) * Decimal(rate_micro).scaleb(-6)
        return to_minor(major, to_ccy)


def apply_bp(minor: int, rate_bp: int) -> int:
    """A rate in basis points applied to an amount in minor units, rounded half up to a minor unit."""
    with localcontext(prec=WIDE):
        return int(round_to(Decimal(minor) * rate_bp / BP, 0))


def value_of(qty_milli: int, unit_price_minor: int) -> int:
    """Value in minor units of a quantity (thousandths) at a price per whole unit (minor units)."""
    with localcontext(prec=WIDE):
        return int(round_to(Decimal(qty_milli) * unit_price_minor / QTY_SCALE, 0))


def split(total: int, weights: Sequence[int]) -> list[int]:
    """Split an integer total by weights with the largest-remainder method; parts sum to total exactly.

    Ties go to the earlier weight so the result is deterministic. Negative totals split symmetrically.
    """
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("split needs non-negative weights with a positive sum")
    if total < 0:
        return [-p for p in split(-total, weights)]
    wsum = sum(weights)
    floors = [total * w // wsum for w in weights]
    remainders = [total * w % wsum for w in weights]
    left = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors
