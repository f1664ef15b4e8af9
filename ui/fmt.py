"""Display helpers: the cooperative's locale and currency, label dicts, cell formatting via coop.i18n."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError

from coop import i18n, money, vocab
from coop.i18n import _
from coop.permissions import ROLE_LABELS
from coop.services import journal, registry, safety, settings

LABELS: dict[str, dict[str, str]] = {
    "sexes": registry.SEXES,
    "member_roles": registry.MEMBER_ROLES,
    "member_statuses": registry.MEMBER_STATUSES,
    "site_statuses": registry.SITE_STATUSES,
    "grade_kinds": registry.GRADE_KINDS,
    "units": registry.UNITS,
    "buyer_kinds": registry.BUYER_KINDS,
    "categories": safety.CATEGORIES,
    "severities": safety.SEVERITIES,
    "mercury_kinds": safety.MERCURY_KINDS,
    "states": vocab.RECORD_STATES,
    "roles": ROLE_LABELS,
    "lot_statuses": vocab.LOT_STATES,
    "methods": vocab.PAYMENT_METHODS,
    "accounts": journal.ACCOUNT_LABELS,
    "entry_kinds": journal.ENTRY_KINDS,
}


class Context:
    """The cooperative's locale and ledger currency, read once and refreshed after settings change."""

    locale = "en"  # formats in use: the cooperative's, adapted to the UI language
    coop_locale = "en"
    country = ""
    currency = "USD"

    @classmethod
    def refresh(cls) -> None:
        s = settings.current()
        if s is not None:
            cls.coop_locale, cls.currency, cls.country = s.locale or "en", s.currency, s.country
        cls.use_language(i18n.current_language())

    @classmethod
    def use_language(cls, lang: str) -> None:
        """fr + a fr_CD cooperative -> fr_CD; en + CD -> en (babel has no en_CD); sw + CD -> sw_CD."""
        base = lang.split("_")[0]
        if lang.startswith(i18n.PSEUDO) or cls.coop_locale.split("_")[0] == base:
            cls.locale = cls.coop_locale
            return
        candidate = f"{base}_{cls.country.upper()}" if cls.country else base
        try:
            Locale.parse(candidate)
            cls.locale = candidate
        except (ValueError, UnknownLocaleError):
            cls.locale = base


def label(kind: str, value: Any) -> str:
    text = LABELS.get(kind, {}).get(str(value))
    return _(text) if text else ("" if value is None else str(value))


def money_text(minor: int, currency: str | None = None) -> str:
    return i18n.format_money(int(minor), currency or Context.currency, Context.locale)


def amount_text(minor: int, currency: str | None = None) -> str:
    return i18n.format_amount(int(minor), currency or Context.currency, Context.locale)


def qty_text(milli: int, unit: str) -> str:
    return i18n.format_qty(int(milli), unit, Context.locale)


def milli_text(milli: int, places: int = 3) -> str:
    return i18n.format_decimal(money.milli_to_qty(int(milli)), Context.locale, places)


def date_text(value: date | str | None) -> str:
    return i18n.format_date(value, Context.locale, "short") if value else ""


def exact_text(value: Decimal) -> str:
    """A decimal in the locale with all its digits (a stored exchange rate pre-filled for editing)."""
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return i18n.format_decimal(value, Context.locale, places)


def number(text: str, field: str) -> Decimal:
    """A number typed in the locale ("50 000,00" in French, "50.000,00" in Spanish); spaces used as digit
    grouping ("2 850") are accepted in any locale; grouping in the wrong places is refused (coop.i18n)."""
    return i18n.parse_number(text, Context.locale, field)


GRADE_UNITS = {"fineness": "‰", "percent": "%", "karat": "ct"}  # by mineral grade kind (none: no unit)


def owners_text(stored: str) -> str:
    """'M0001=6000, M0002=4000' (shares in basis points) as 'M0001 60 %, M0002 40 %'."""
    parts = []
    for owner in stored.split(", "):
        number, _sep, share_bp = owner.rpartition("=")
        share = i18n.format_decimal(Decimal(int(share_bp)) / 100, Context.locale)
        parts.append(f"{number} {share}\u00a0%")
    return ", ".join(parts)


def cell(kind: str, value: Any, row: dict[str, Any], labels: str = "") -> str:
    """The text of one table cell from its raw SQL value."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return amount_text(value)
    if kind == "money_ccy":
        return money_text(value, row.get("currency"))
    if kind == "qty":
        return qty_text(value, row.get("unit", ""))
    if kind == "milli":
        return milli_text(value)
    if kind == "grade":  # thousandths of the mineral's grade unit
        unit = GRADE_UNITS.get(row.get("grade_kind") or "", "")
        return f"{milli_text(value)}\u00a0{unit}" if unit else milli_text(value)
    if kind == "owners":
        return owners_text(str(value))
    if kind == "bp":
        return i18n.format_decimal(Decimal(int(value)) / 100, Context.locale, 2) + " %"
    if kind == "int":
        return i18n.format_decimal(int(value), Context.locale)
    if kind == "bool":
        return _("Yes") if value else _("No")
    if kind == "date":
        return date_text(value)
    if kind == "datetime":
        return i18n.format_datetime(str(value), Context.locale, "short")
    if kind == "label":
        return label(labels, value)
    return str(value)
