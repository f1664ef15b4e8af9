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


def format_money(minor: int, currency: str, locale: str | None = None) -> str:
    """Amount in minor units (rounded once by money.py) in the locale's currency format, ISO digits."""
    from copy import copy

    from babel import Locale

    from coop import money

    loc = Locale.parse(babel_locale(locale))
    pattern = copy(loc.currency_formats["standard"])
    d = money.digits(currency)
    pattern.frac_prec = (d, d)
    return pattern.apply(money.from_minor(minor, currency), loc, currency=currency, currency_digits=False)


def format_amount(minor: int, currency: str, locale: str | None = None) -> str:
    """Amount without the currency symbol, with exactly the currency's digits."""
    from babel.numbers import format_decimal as _babel_decimal

    from coop import money

    d = money.digits(currency)
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

    return babel_date(value, format=fmt, locale=babel_locale(locale))


def format_datetime(value: datetime | str, locale: str | None = None, fmt: str = "medium") -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    from babel.dates import format_datetime as babel_datetime

    return babel_datetime(value, format=fmt, locale=babel_locale(locale))


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
