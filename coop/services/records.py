"""Create-or-update of plain register rows (not financial records), audited, in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from peewee import IntegrityError, Model

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
) -> int:
    """Check permission, validate, then insert or update one row and its audit record together."""
    actor.require(action)
    validate(values)
    entity = model._meta.table_name
    with database.atomic():
        if unique_field and values.get(unique_field) is not None:
            clash = model.select().where(getattr(model, unique_field) == values[unique_field])
            if record_id is not None:
                clash = clash.where(model.id != record_id)
            if clash.exists():
                raise ValidationError(unique_field, "“{value}” is already used.", value=values[unique_field])
        try:
            if record_id is None:
                row = model.create(**values)
                audit.record(actor, "create", entity, row.id, None, values)
                return row.id
            old = model.get_or_none(model.id == record_id)
            if old is None:
                raise NotFound("Record {id} does not exist.", id=record_id)
            model.update(**values).where(model.id == record_id).execute()
            audit.record(actor, "update", entity, record_id, audit.row_dict(old), values)
            return record_id
        except IntegrityError as exc:  # a foreign key to a row that vanished meanwhile
            raise ValidationError(
                entity, "The record refers to something that does not exist ({detail}).", detail=str(exc)
            ) from exc


def require_text(values: dict[str, Any], name: str, label_msgid: str) -> None:
    if not str(values.get(name) or "").strip():
        raise ValidationError(name, label_msgid)


def require_choice(values: dict[str, Any], name: str, choices: tuple[str, ...] | dict) -> None:
    if values.get(name) not in choices:
        raise ValidationError(name, "“{value}” is not one of the allowed values.", value=values.get(name))


def require_past(values: dict[str, Any], name: str) -> None:
    if values.get(name) is not None:
        check_not_future(values[name], name)


def check_not_future(day: date, name: str = "date") -> None:
    """Books record what happened: a date (or date and time) after today is refused."""
    if (day.date() if isinstance(day, datetime) else day) > date.today():
        raise ValidationError(name, "The date {date} is in the future.", date=str(day))


def require_exists(model: type[Model], record_id: Any, name: str) -> None:
    if record_id is None or model.get_or_none(model.id == record_id) is None:
        raise ValidationError(name, "Unknown {field}: {value}.", field=name, value=record_id)
