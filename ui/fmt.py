"""Display helpers: the cooperative's locale and currency, label dicts, cell formatting via coop.i18n."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError

from coop import i18n, money, vocab
from coop.i18n import _
from coop.permissions import ROLE_LABELS
from coop.services import registry, safety, settings

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


def number(text: str, field: str) -> Decimal:
    """A number typed in the locale; spaces used as digit grouping ("2 850") are accepted in any locale."""
    cleaned = "".join(ch for ch in text if ch not in " \u00a0\u202f")
    return i18n.parse_number(cleaned, Context.locale, field)


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
