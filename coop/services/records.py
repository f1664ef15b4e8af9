"""Create-or-update of plain register rows (not financial records), audited, in one transaction."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from peewee import IntegrityError, Model

from coop import keys, register
from coop.changes import Changes, Saved
from coop.errors import NotFound, ValidationError
from coop.models import database
from coop.permissions import Actor
from coop.services import audit


def save(
    actor: Actor,
    action: str,
    model: type[Model],
    record_id: int | None,
    values: dict[str, Any],
    validate: Callable[[dict[str, Any]], None],
    unique_field: str | None = None,
    *,
    area: str,
) -> Saved:
    """Check permission, validate, then insert or update one row and its audit record together; the
    result names the row under the change `area`."""
    actor.require(action)
    validate(values)
    entity = model._meta.table_name
    with database.atomic():
        if unique_field and values.get(unique_field) is not None:
            clash = model.select().where(_same(model, unique_field, values[unique_field]))
            if record_id is not None:
                clash = clash.where(model.id != record_id)
            if clash.exists():
                raise ValidationError(unique_field, "“{value}” is already used.", value=values[unique_field])
        try:
            if record_id is None:
                row = model.create(**values)
                audit.record(actor, "create", entity, row.id, None, values)
                if entity in register.FIELDS:  # a member: its values become a link of the chain
                    register.seal(entity, [row.id], actor.username)
                return Saved(row.id, Changes.of(**{area: [row.id]}))
            old = model.get_or_none(model.id == record_id)
            if old is None:
                raise NotFound("Record {id} does not exist.", id=record_id)
            model.update(**values).where(model.id == record_id).execute()
            audit.record(actor, "update", entity, record_id, audit.row_dict(old), values)
            if entity in register.FIELDS:
                register.seal(entity, [record_id], actor.username)
            return Saved(record_id, Changes.of(**{area: [record_id]}))
        except IntegrityError as exc:  # a foreign key to a row that vanished meanwhile
            raise ValidationError(
                entity, "The record refers to something that does not exist ({detail}).", detail=str(exc)
            ) from exc


def _same(model: type[Model], name: str, value: Any) -> Any:
    """SQL true for a row whose `name` is `value` compared as identifiers are: by its stored comparison key
    (coop.keys.fold: "ÉLISE" is "élise"; SQLite's lower() folds ASCII only), else exactly."""
    keyed = dict(getattr(model, "KEYED", ()))
    if name in keyed:
        return getattr(model, keyed[name]) == keys.fold(value)
    return getattr(model, name) == value


def require_text(values: dict[str, Any], name: str, label_msgid: str) -> None:
    if not str(values.get(name) or "").strip():
        raise ValidationError(name, label_msgid)


def require_choice(values: dict[str, Any], name: str, choices: tuple[str, ...] | dict) -> None:
    if values.get(name) not in choices:
        raise ValidationError(name, "“{value}” is not one of the allowed values.", value=values.get(name))


# No book date (lot, sale, payment, incident, mercury) before this: the cooperatives CoopLedger serves keep
# books from their registration under the mining codes of the 2000s, and a year typed short (0001-06-01,
# 2-01-05) would otherwise open a receipt series "1". Register dates (joining, a card's expiry) go back to
# 1900, the earliest birth year: a Bolivian cooperative may have members since the 1970s.
EARLIEST_DATE = date(2000, 1, 1)
EARLIEST_REGISTER_DATE = date(1900, 1, 1)


def require_past(values: dict[str, Any], name: str, earliest: date = EARLIEST_DATE) -> None:
    if values.get(name) is not None:
        check_date(values[name], name, earliest=earliest)


def check_not_future(day: date, name: str = "date") -> None:
    """Books record what happened: a date (or date and time) after today, or before EARLIEST_DATE, is refused,
    and so is a date in a closed period (coop.services.periods)."""
    from coop.services import periods

    check_date(day, name)
    periods.check_open(day.date() if isinstance(day, datetime) else day, name)


def check_date(
    day: date, name: str = "date", *, earliest: date = EARLIEST_DATE, allow_future: bool = False
) -> None:
    """The one range check of every date typed in a form, a CSV cell or a command-line argument."""
    plain = day.date() if isinstance(day, datetime) else day
    if plain < earliest:
        raise ValidationError(
            name,
            "The date {date} is too early: dates before {earliest} are refused.",
            date=str(day),
            earliest=earliest.isoformat(),
        )
    if plain > date.today() and not allow_future:
        raise ValidationError(name, "The date {date} is in the future.", date=str(day))


# Characters that show nothing or reorder what is shown: "M0001" followed by a zero-width space, or a bidi
# override, would look like another record's number or name on screen and paper.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_HIDDEN_CATEGORIES = ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp")


def identifier(text: object, name: str) -> str:
    """A member number, lot reference or user name as stored: NFKC-normalised (full-width Ｍ００１ is M001),
    trimmed, with no control, zero-width, bidi or other invisible character. Compare with identifier_key."""
    value = unicodedata.normalize("NFKC", str(text or "")).strip()
    if any(unicodedata.category(ch) in _HIDDEN_CATEGORIES for ch in value):
        raise ValidationError(name, "“{value}” contains invisible or control characters.", value=value)
    return value


def identifier_key(text: str) -> str:
    """What two identifiers are compared by: the same letters whatever their case (the stored key columns)."""
    return keys.fold(text)


def check_name(values: dict[str, Any], name: str) -> None:
    """A person's or company's name may use any script, but no control character or bidi override."""
    text = str(values.get(name) or "")
    if any(ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cc" for ch in text):
        raise ValidationError(name, "“{value}” contains invisible or control characters.", value=text)


def require_exists(model: type[Model], record_id: Any, name: str) -> None:
    if record_id is None or model.get_or_none(model.id == record_id) is None:
        raise ValidationError(name, "Unknown {field}: {value}.", field=name, value=record_id)
