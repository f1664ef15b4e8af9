"""Money and quantity value types: integer minor units, Decimal arithmetic, one rounding rule, exact splits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from coop.errors import UnusualValue, ValidationError
from coop.i18n import N_

# The number of minor-unit digits of a currency fixes the scale of every amount stored in it, so it follows
# ISO 4217 (what banks, tax authorities and exchange-rate conversions use) and must never move under stored
# data. babel's CLDR data gives the digits of every currency; CLDR departs from ISO 4217 only where it gives
# the digits people usually *display*: 0 for currencies whose minor unit is out of use. The ledger keeps ISO's
# digits for each of those: an amount keyed in whole units is just as exact with them, a converted amount or a
# bank statement with decimals is not refused, and a change in how CLDR displays a currency cannot rescale
# stored amounts by 100. CLDR's separate cash digits (TZS, CHF, SEK coins) are not used: accounts are not cash.
# Each entry: ISO 4217 digits where CLDR 49 (babel 2.19) gives fewer for display.
ISO_DIGITS_OVERRIDES: dict[str, int] = {
    "AFN": 2,  # afghani (puls)
    "ALL": 2,  # lek (qindarka)
    "COP": 2,  # Colombian peso (centavos, still on bank and tax documents)
    "HUF": 2,  # forint (fillér)
    "IDR": 2,  # rupiah (sen)
    "IQD": 3,  # Iraqi dinar (1,000 fils)
    "IRR": 2,  # Iranian rial (dinar)
    "KPW": 2,  # North Korean won (chon)
    "LAK": 2,  # kip (att)
    "LBP": 2,  # Lebanese pound (piastre)
    "MGA": 2,  # ariary: ISO writes 2 although 1 ariary = 5 iraimbilanja
    "MMK": 2,  # kyat (pya)
    "SOS": 2,  # Somali shilling (senti)
    "SYP": 2,  # Syrian pound (piastre)
    "YER": 2,  # Yemeni rial (fils)
}
_digits_table: dict[str, int] | None = None
QTY_SCALE = 1000  # quantities are integer thousandths of their unit (mg, 0.001 ct, g)
QTY_PLACES = 3
RATE_SCALE = 1_000_000  # exchange rates stored as integer millionths
# Unit prices and exchange rates keep 6 decimals: a tin-ore price of 1.49 XOF/kg or a rate of 0.000457 is kept
# exactly as typed; more decimals than that are refused, never rounded.
PRICE_PLACES = 6
BP = 10_000  # basis points in one
# Largest number a user may type (amounts, prices, quantities, rates): far above any real value, and small
# enough that every stored product (price x quantity, rate x amount in millionths) fits SQLite's 64-bit INTEGER.
MAX_INPUT = Decimal(10) ** 12
MAX_MINOR = 10**17  # largest amount in minor units a record may hold
WIDE = 60  # decimal digits for products of bounded inputs: exact, never an InvalidOperation


def _currency_digits() -> dict[str, int]:
    """ISO 4217 digits of every currency that is legal tender somewhere today (CLDR), built on first use."""
    global _digits_table
    if _digits_table is None:
        from babel.core import get_global  # money.py is imported at start-up: load CLDR data only when needed

        fractions = get_global("currency_fractions")
        default = fractions["DEFAULT"][0]
        # Withdrawn codes (SLL, ZWL, HRK), precious metals and funds codes (XAU, XDR, BOV) are not money a
        # cooperative keeps books in: CLDR's list of current tenders leaves them out.
        tenders = {
            code
            for currencies in get_global("territory_currencies").values()
            for code, _start, end, tender in currencies
            if tender and end is None
        }
        table = {code: fractions.get(code, (default,))[0] for code in tenders}
        _digits_table = table | ISO_DIGITS_OVERRIDES
    return _digits_table


def currencies() -> list[str]:
    """Every currency code the ledger accepts, sorted."""
    return sorted(_currency_digits())


def digits(currency: str) -> int:
    """Minor-unit digits of a currency (ISO 4217); unknown codes are a user error, not a silent default."""
    try:
        return _currency_digits()[currency.upper()]
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


# What a person types as a number: digits with at most one decimal point. Python's Decimal also takes
# exponents (1E3, 1e1000000 overflows the next multiplication), underscores (1_000), NaN and other scripts'
# digits: none of these is how a weight or a price is written, so they are refused, not reinterpreted.
PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def parse_decimal(text: str | int | Decimal, field: str) -> Decimal:
    """Parse a plain decimal (dot as separator, no grouping) or raise a field error."""
    if isinstance(text, Decimal | int):
        return _bounded(Decimal(text), text, field)
    cleaned = str(text).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if not PLAIN_NUMBER.fullmatch(cleaned):
        raise ValidationError(field, "“{value}” is not a number.", value=_clip(text))
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(field, "“{value}” is not a number.", value=_clip(text)) from None
    return _bounded(value, text, field)


def _clip(text: object) -> str:
    """The value as quoted in a message: a 10,000-digit cell is not repeated in full."""
    shown = str(text)
    return shown if len(shown) <= 40 else shown[:37] + "…"


def _bounded(value: Decimal, text: object, field: str) -> Decimal:
    if not value.is_finite():
        raise ValidationError(field, "“{value}” is not a number.", value=_clip(text))
    # copy_abs, not abs(): abs() rounds to the context and raises decimal.Overflow on 1E+1000000
    if value.copy_abs() >= MAX_INPUT:
        raise ValidationError(field, "“{value}” is too large.", value=_clip(text))
    return value


def decimals_of(value: Decimal) -> int:
    """How many decimals a typed number really has (trailing zeros do not count): read from its digits, not
    through normalize(), which rounds to the context's 28 digits and would hide a 29th decimal."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    places, i = -exponent, len(digits)
    while places and i and digits[i - 1] == 0:
        places, i = places - 1, i - 1
    return places


TOO_PRECISE = N_("“{value}” has too many decimals: at most {places}.")


def exact(value: Decimal, places: int, field: str, text: object = None) -> Decimal:
    """`value` unchanged when it has at most `places` decimals; refused (never rounded) otherwise."""
    if decimals_of(value) > places:
        raise ValidationError(field, TOO_PRECISE, value=_clip(value if text is None else text), places=places)
    return value


def parse_exact(text: str | int | Decimal, field: str, places: int) -> Decimal:
    """parse_decimal, then refused when it has more decimals than the application keeps for the field: the
    one parse function services, the command line and the forms' values go through."""
    return exact(parse_decimal(text, field), places, field, text)


def amount_to_minor(amount: Decimal | int | str, currency: str, field: str = "amount") -> int:
    """An amount the user typed to minor units: refused with more decimals than the currency has."""
    d = digits(currency)
    return int(parse_exact(amount, field, d).scaleb(d))


def price_to_micro(price: Decimal | int | str, field: str = "unit_price") -> int:
    """A unit price as typed (up to PRICE_PLACES decimals, kept exactly) to integer millionths (> 0)."""
    micro = int(parse_exact(price, field, PRICE_PLACES).scaleb(PRICE_PLACES))
    if micro <= 0:
        raise ValidationError(field, "The unit price must be greater than zero.")
    return micro


def micro_to_price(micro: int) -> Decimal:
    """Integer millionths back to the price as typed (trailing zeros removed, never an exponent)."""
    value = Decimal(micro).scaleb(-PRICE_PLACES)
    return value.quantize(Decimal(1).scaleb(-decimals_of(value)))


def qty_to_milli(amount: Decimal | int | str, field: str = "quantity") -> int:
    """A quantity in its unit (grams, carats, kg) to integer thousandths; must be positive, at most 3
    decimals (refused, not rounded: 0.0005 g is not 0.001 g)."""
    value = parse_exact(amount, field, QTY_PLACES)
    milli = int(value.scaleb(QTY_PLACES))
    if milli <= 0:
        raise ValidationError(field, "The quantity must be greater than zero.")
    return milli


# The size of one production lot, per unit: (unusual above, impossible above), in whole units. A lot is what
# a team brings to the cooperative's scale at once: grams to a few kilograms of gold, tens to thousands of
# carats, kilograms to a truckload (about 30 t) of ore. Above the hard bound (a tonne of gold, 200 kg of
# gemstones, a thousand tonnes of ore in one lot) the figure can only be a typing error and is refused;
# between the bounds it is asked for again, since a few zeros too many is the usual slip.
LOT_QTY_LIMITS: dict[str, tuple[int, int]] = {
    "g": (10_000, 1_000_000),
    "ct": (10_000, 1_000_000),
    "kg": (50_000, 1_000_000),
}


def lot_qty_to_milli(
    amount: Decimal | int | str, unit: str, field: str = "quantity", *, confirm_unusual: bool = False
) -> int:
    """A lot's quantity to thousandths, refused above its unit's hard bound and, unless confirmed, above
    the unusual one (UnusualValue)."""
    milli = qty_to_milli(amount, field)
    unusual, impossible = LOT_QTY_LIMITS.get(unit, LOT_QTY_LIMITS["kg"])
    if milli > impossible * QTY_SCALE:
        raise ValidationError(
            field,
            "One lot cannot hold more than {limit} {unit}: check the quantity.",
            limit=impossible,
            unit=unit,
        )
    if milli > unusual * QTY_SCALE and not confirm_unusual:
        raise UnusualValue(
            field,
            "{value} {unit} is unusually large for one lot (more than {limit} {unit}): check it, then confirm it.",
            value=_clip(amount),
            limit=unusual,
            unit=unit,
        )
    return milli


def milli_to_qty(milli: int) -> Decimal:
    """Integer thousandths back to an exact Decimal in the unit."""
    return Decimal(milli).scaleb(-3)


def rate_to_micro(rate: Decimal | int | str, field: str = "exchange_rate") -> int:
    """An exchange rate 'local units per one unit of the sale currency' to integer millionths (> 0)."""
    value = parse_exact(rate, field, PRICE_PLACES)
    micro = int(value.scaleb(PRICE_PLACES))
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


def lot_value(qty_milli: int, price_micro: int, currency: str) -> int:
    """Value in minor units of a fine quantity (thousandths) at a price as typed (millionths of a major unit
    per whole unit): price × quantity, rounded once to the currency's minor unit."""
    with localcontext(prec=WIDE):
        exact_value = Decimal(qty_milli).scaleb(-QTY_PLACES) * Decimal(price_micro).scaleb(-PRICE_PLACES)
        return to_minor(exact_value, currency)


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
