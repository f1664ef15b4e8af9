"""Cooperative settings: the single row of name, ids, currency, locale, fiscal year and levy."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from babel import Locale, UnknownLocaleError

from coop import money, register
from coop.changes import Changes
from coop.errors import NotFound, ValidationError
from coop.models import Cooperative, database
from coop.permissions import Actor
from coop.services import audit


@dataclass(frozen=True, kw_only=True)
class CoopSettings:
    name: str
    registration_no: str
    tax_id: str
    address: str
    country: str
    currency: str
    locale: str
    fiscal_year_start: int
    levy_bp: int
    receipt_footer: str


def get() -> CoopSettings:
    row = Cooperative.select().first()
    if row is None:
        raise NotFound("The cooperative has not been set up yet. Run “init” first.")
    return CoopSettings(**{f.name: getattr(row, f.name) for f in fields(CoopSettings)})


def current() -> CoopSettings | None:
    """The settings, or None before the cooperative is set up (the first run's sign-in)."""
    row = Cooperative.select().first()
    if row is None:
        return None
    return CoopSettings(**{f.name: getattr(row, f.name) for f in fields(CoopSettings)})


def validate(values: dict) -> None:
    if not str(values.get("name", "")).strip():
        raise ValidationError("name", "The cooperative needs a name.")
    money.digits(values.get("currency", ""))
    try:
        Locale.parse(values.get("locale", ""))
    except (ValueError, UnknownLocaleError):
        raise ValidationError("locale", "Unknown locale {locale}.", locale=values.get("locale")) from None
    if not 1 <= int(values.get("fiscal_year_start", 1)) <= 12:
        raise ValidationError("fiscal_year_start", "The fiscal year starts in a month from 1 to 12.")
    if not 0 <= int(values.get("levy_bp", 0)) <= 5000:
        raise ValidationError("levy_bp", "The levy must be between 0% and 50%.")


def save(actor: Actor, **values) -> Changes:
    """Create or update the cooperative's settings (manager only)."""
    actor.require("settings.write")
    row = Cooperative.select().first()
    merged = {**(get().__dict__ if row else {}), **values}
    merged["currency"] = str(merged.get("currency", "")).upper()
    validate(merged)
    with database.atomic():
        old = audit.row_dict(row) if row else None
        if row is None:
            row = Cooperative.create(**merged)
        else:
            Cooperative.update(**merged).where(Cooperative.id == row.id).execute()
        audit.record(actor, "update" if old else "create", "cooperative", row.id, old, merged)
        register.seal("cooperative", [row.id], actor.username)
        if old is None or old.get("country") != merged.get("country"):
            from coop.services.books import chart

            chart.install_chart(str(merged.get("country", "")))  # SYSCOHADA in the OHADA states
    return Changes.of(settings=[row.id])


def fiscal_series(day: date, start_month: int) -> str:
    """Receipt series of a date: the fiscal year, '2026' or '2025-26' when it starts mid-year."""
    if start_month == 1:
        return str(day.year)
    first = day.year if day.month >= start_month else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def fiscal_year_bounds(series: str, start_month: int) -> tuple[date, date]:
    first = int(series[:4])
    begin = date(first, start_month, 1)
    end = date(first + 1, start_month, 1) if start_month > 1 else date(first + 1, 1, 1)
    return begin, date.fromordinal(end.toordinal() - 1)
