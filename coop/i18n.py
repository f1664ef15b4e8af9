"""Translations (one gettext domain `coop`, switchable at runtime) and babel formatters with explicit locale."""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from decimal import Decimal

# babel and coop.money (decimal) are imported where a number, date or locale is formatted, not here: the
# sign-in window translates its texts before they are needed (docs/PERFORMANCE.md, start-up).

DOMAIN = "coop"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português", "sw": "Kiswahili"}
PSEUDO = "xx"  # pseudo-localization: every string 40% longer and bracketed
RTL_PSEUDO = "xx_RTL"

_cache: dict[str, _gettext.NullTranslations] = {}


class _Active(NamedTuple):
    """A language in force: its code (or locale), its catalogue and the locale its numbers and dates use."""

    language: str
    translation: _gettext.NullTranslations
    locale: str


# The process-wide (UI) language, replaced whole by set_language so that a reader never sees half a switch.
_process = _Active("en", _gettext.NullTranslations(), "en")
# A per-context override (a document built in another language): it defaults to None in every new thread
# (threads start with an empty context), where the process-wide language then applies, not English.
_override: ContextVar[_Active | None] = ContextVar("coop_language", default=None)


class _Pseudo(_gettext.NullTranslations):
    """Lengthens every string by ~40% and brackets it, keeping {placeholders} intact."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)


def pseudo(text: str) -> str:
    """The pseudo-localized form of a string: accented, padded by 40%, wrapped in [ ]."""
    table = str.maketrans("aeiouAEIOUcnyC", "àéîöûÀÉÎÖÛçñýÇ")
    out, depth = [], 0
    for ch in text:
        depth += ch == "{"
        out.append(ch if depth else ch.translate(table))
        depth -= ch == "}"
    body = "".join(out)
    pad = "~" * max(1, round(len(text) * 0.4))
    return f"[{body}{pad}]"


def language_of(locale: str) -> str:
    """The shipped catalogue for a language or locale ('fr_CD' -> 'fr', 'pt-MZ' -> 'pt'); else 'en'."""
    if locale in (PSEUDO, RTL_PSEUDO):
        return locale
    base = locale.replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGES else "en"


def _load(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of a language; compiled in memory from the .po when the .mo is stale."""
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with open(mo, "rb") as fh:
            return _gettext.GNUTranslations(fh)
    if not po.exists():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    buffer = io.BytesIO()
    with open(po, "rb") as fh:
        write_mo(buffer, read_po(fh, locale=lang))
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def _catalogue(lang: str) -> _gettext.NullTranslations:
    if lang in (PSEUDO, RTL_PSEUDO):
        return _Pseudo()
    code = language_of(lang)
    if code not in _cache:
        _cache[code] = _gettext.NullTranslations() if code == "en" else _load(code)
    return _cache[code]


def set_language(lang: str) -> None:
    """Switch the process-wide (UI) language of every later `_()` call (runtime switch; no restart).

    Accepts a language ('fr') or a locale ('fr_CD'); languages without a catalogue show English. Code
    inside `with language(...)` keeps its own language until the block ends.
    """
    global _process
    _process = _Active(lang, _catalogue(lang), lang)


@contextmanager
def language(lang: str, locale: str | None = None) -> Iterator[None]:
    """Translate and format in `lang` (numbers and dates in `locale`, default `lang`) inside the block only.

    Affects only the current thread / context: other threads keep the process-wide language, and a
    `set_language` made meanwhile is kept when the block ends."""
    token = _override.set(_Active(lang, _catalogue(lang), locale or lang))
    try:
        yield
    finally:
        _override.reset(token)


def _active() -> _Active:
    return _override.get() or _process


def reset_cache() -> None:
    """Forget loaded catalogues (after `make compile` rebuilt them, e.g. in tests)."""
    _cache.clear()


def current_language() -> str:
    """The language in force here: the `language()` block's, else the one last given to `set_language`."""
    return _active().language


def current_locale() -> str:
    """The locale numbers and dates are formatted in by default here (see `current_language`)."""
    return _active().locale


def is_rtl(lang: str | None = None) -> bool:
    """Whether the language is written right to left (the pseudo-RTL mode counts)."""
    lang = lang or current_language()
    if lang == RTL_PSEUDO:
        return True
    if lang in LANGUAGES:  # the shipped catalogues, all left to right (tests/test_i18n.py asks babel)
        return False
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang).character_order == "right-to-left"
    except (ValueError, UnknownLocaleError):
        return False


def _(message: str) -> str:
    return _active().translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active().translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _active().translation.pgettext(context, message)


def N_(message: str) -> str:
    """Mark a module-level constant for extraction; translate it later with `_()`."""
    return message


def babel_locale(locale: str | None = None) -> str:
    """A locale babel knows (pseudo locales format like English); None: the locale in force here."""
    locale = locale or current_locale()
    return "en" if locale.startswith(PSEUDO) else locale


class MoneyPractice(NamedTuple):
    """How a country writes one currency where it differs from CLDR's pattern for the country's locale."""

    symbol: str
    before: bool  # the symbol precedes the amount (then a no-break space between them)
    whole_without_cents: bool = False  # ".00" is left out (cents that exist are always printed)


# (country, currency) -> practice. Bolivia writes "Bs 1.234,50" and "$us" for the dollar (Banco Central de
# Bolivia, SIN invoices); Tanzanian prices and receipts write shillings without cents ("TSh 1,234");
# Mozambique's metical is "MT" (Banco de Moçambique); elsewhere babel's CLDR pattern is the practice
# (fr_CD: "1 234,50 FC"). Digits, grouping and the decimal sign always come from babel for the locale.
MONEY_PRACTICE: dict[tuple[str, str], MoneyPractice] = {
    ("BO", "BOB"): MoneyPractice("Bs", before=True),
    ("BO", "USD"): MoneyPractice("$us", before=True),
    ("TZ", "TZS"): MoneyPractice("TSh", before=True, whole_without_cents=True),
    ("MZ", "MZN"): MoneyPractice("MT", before=False),
}


# The name of the tax identification number where a country's own name is what every reader knows: Bolivia's
# NIT, Peru's RUC, Brazil's CNPJ (companies; CPF is a person's), Mozambique's NUIT, Tanzania's TIN, the
# DRC's NIF. Elsewhere the catalogue's generic "Tax id" is printed.
TAX_ID_NAMES = {"BO": "NIT", "PE": "RUC", "BR": "CNPJ", "MZ": "NUIT", "TZ": "TIN", "CD": "NIF"}


def tax_id_line(country: str, value: str) -> str:
    """'NIT 1023456027' for a Bolivian cooperative, else the translated 'Tax id {value}'."""
    name = TAX_ID_NAMES.get(country.upper())
    return f"{name}\u00a0{value}" if name else _("Tax id {value}").format(value=value)


def country_of(locale: str) -> str:
    """The country of a locale ('fr_CD' -> 'CD', 'pt-MZ' -> 'MZ'; '' when the locale names none)."""
    parts = locale.replace("-", "_").split("_")
    return next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), "")


def _practice(currency: str, locale: str) -> MoneyPractice | None:
    return MONEY_PRACTICE.get((country_of(locale), currency.upper()))


def format_money(minor: int, currency: str, locale: str | None = None) -> str:
    """Amount in minor units (rounded once by money.py) as the locale's country writes that currency:
    babel's CLDR pattern with ISO digits, or the country's practice in MONEY_PRACTICE."""
    from copy import copy

    from babel import Locale

    from coop import money

    loc_name = babel_locale(locale)
    practice = _practice(currency, loc_name)
    if practice is not None:
        digits = format_amount(abs(minor), currency, loc_name)
        sign = "-" if minor < 0 else ""
        if practice.before:
            return f"{sign}{practice.symbol}\u00a0{digits}"
        return f"{sign}{digits}\u00a0{practice.symbol}"
    loc = Locale.parse(loc_name)
    pattern = copy(loc.currency_formats["standard"])
    d = money.digits(currency)
    pattern.frac_prec = (d, d)
    return pattern.apply(money.from_minor(minor, currency), loc, currency=currency, currency_digits=False)


def currency_symbol(currency: str, locale: str | None = None) -> str:
    """The symbol `format_money` writes for this currency in this locale ("FC" for CDF in fr_CD, "Bs" in
    Bolivia, "MT" in Mozambique): column headers and unit prices use it, so one document shows one form."""
    from babel.numbers import get_currency_symbol

    loc_name = babel_locale(locale)
    practice = _practice(currency, loc_name)
    return practice.symbol if practice is not None else get_currency_symbol(currency.upper(), loc_name)


def currency_name(currency: str, locale: str | None = None) -> str:
    """The currency's name in the locale's language ("franc congolais"), for a document's "Currency" line."""
    from babel.numbers import get_currency_name

    return get_currency_name(currency.upper(), locale=babel_locale(locale))


def currency_line(currency: str, locale: str | None = None) -> str:
    """'franc congolais (FC)': a document's "Currency" line, with the symbol its amounts are written with."""
    return f"{currency_name(currency, locale)} ({currency_symbol(currency, locale)})"


def format_amount(minor: int, currency: str, locale: str | None = None) -> str:
    """Amount without the currency symbol, with exactly the currency's digits (none for a whole amount
    where the country writes no cents, see MONEY_PRACTICE)."""
    from babel.numbers import format_decimal as _babel_decimal

    from coop import money

    d = money.digits(currency)
    practice = _practice(currency, babel_locale(locale))
    if practice is not None and practice.whole_without_cents and d and minor % 10**d == 0:
        d = 0
    pattern = "#,##0" + ("." + "0" * d if d else "")
    return _babel_decimal(
        money.from_minor(minor, currency),
        format=pattern,
        locale=babel_locale(locale),
        decimal_quantization=True,
    )


def format_decimal(value: Decimal | int, locale: str | None = None, places: int | None = None) -> str:
    """A plain number in the locale (grouping, decimal sign); fixed places when given."""
    from babel.numbers import format_decimal as _babel_decimal

    if places is None:
        return _babel_decimal(value, locale=babel_locale(locale))
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return _babel_decimal(value, format=pattern, locale=babel_locale(locale), decimal_quantization=True)


def format_qty(milli: int, unit: str, locale: str | None = None, places: int = 3) -> str:
    """A quantity stored in thousandths, with its unit, e.g. '12,500 g'."""
    from coop import money

    return f"{format_decimal(money.milli_to_qty(milli), locale, places)}\u00a0{unit}"


def format_date(value: date | datetime | str, locale: str | None = None, fmt: str = "medium") -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    from babel.dates import format_date as babel_date  # (with zoneinfo) not needed to start

    loc = babel_locale(locale)
    text = babel_date(value, format=fmt, locale=loc)
    return _french_first(text, value.day, loc)


def _french_first(text: str, day: int, locale: str) -> str:
    """French writes the first of the month as an ordinal: "1er janvier 2025" (CLDR prints "1 janvier")."""
    if day == 1 and locale.split("_")[0] == "fr":
        import re

        return re.sub(r"(?<!\d)1(?=[ \u00a0][^\W\d])", "1er", text, count=1)
    return text


def format_datetime(value: datetime | str, locale: str | None = None, fmt: str = "medium") -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    from babel.dates import format_datetime as babel_datetime

    loc = babel_locale(locale)
    return _french_first(babel_datetime(value, format=fmt, locale=loc), value.day, loc)


def parse_number(text: str, locale: str, field: str) -> Decimal:
    """Parse a number typed in the user's locale (e.g. '2 850,5' in fr) or raise a field error."""
    from babel.numbers import NumberFormatError
    from babel.numbers import parse_decimal as _babel_parse_decimal

    from coop.errors import ValidationError

    # babel hands the text to Decimal, which takes exponents (1E3), underscores (1_000), NaN and other
    # scripts' digits: refused here as in money.parse_decimal, where the CSV and command-line numbers go.
    if any(ch == "_" or (ch.isalnum() and ch not in "0123456789") for ch in text):
        raise ValidationError(field, "“{value}” is not a number.", value=text)
    from babel.numbers import get_group_symbol

    loc = babel_locale(locale)
    # A space typed as digit grouping is the locale's (narrow) no-break space where it groups with one
    # ("50 000,00" in French); elsewhere ("50.000,00" in Spanish) spaces are dropped.
    group = get_group_symbol(loc)
    spaced = "".join((group if group in SPACES else "") if ch in SPACES else ch for ch in text.strip())
    try:
        # strict: grouping in the wrong places ("50000,00" in English) is refused, never read as 5000000
        return _babel_parse_decimal(spaced, locale=loc, strict=True)
    except (NumberFormatError, ValueError):
        raise ValidationError(field, "“{value}” is not a number.", value=text) from None


SPACES = " \u00a0\u202f"  # the spaces people and babel use to group digits
