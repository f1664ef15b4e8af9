"""Audit trail: one row per write, recorded inside the caller's transaction."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from coop.models import AuditLog
from coop.permissions import Actor


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def record(
    actor: Actor, action: str, entity: str, entity_id: int | None, old: Any = None, new: Any = None
) -> None:
    """Write one audit row; call it inside the same `db.atomic()` as the change it describes."""
    AuditLog.create(
        at=datetime.now().replace(microsecond=0),
        username=actor.username,
        action=action,
        entity=entity,
        entity_id=entity_id,
        old=_json(old),
        new=_json(new),
    )


def row_dict(instance: Any) -> dict[str, Any]:
    """A model row as a plain dict of stored values (foreign keys as ids) for old/new audit values."""
    return dict(instance.__data__)
