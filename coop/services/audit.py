"""Audit trail: one row per write, recorded inside the caller's transaction, each row hashed with the one
before it (deleting or editing a row breaks the hashes of the rows after it; coop.register ties the newest
row to the chain)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from hashlib import sha256
from typing import Any

from coop.models import AuditLog
from coop.permissions import Actor

GENESIS = "0" * 64
# the stored columns a row's hash covers, in this order (read back as stored text by verify)
HASHED = ("at", "username", "action", "entity", "entity_id", "old", "new")


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


# one encoder reused: json.dumps with these options would build a new one per row (verify hashes every row)
_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), default=str)


def row_hash(prev: str, values: Iterable[Any]) -> str:
    """SHA-256 of the previous row's hash and this row's stored values (ASCII JSON, so any text hashes alike)."""
    return sha256((prev + _ENCODER.encode(list(values))).encode("ascii")).hexdigest()


def head() -> tuple[int, str]:
    """(id, hash) of the newest audit row, or (0, GENESIS) when there is none."""
    row = AuditLog.select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).first()
    return (row.id, row.hash) if row else (0, GENESIS)


def append(**values: Any) -> int:
    """Insert one audit row (HASHED columns given as stored: `at` as 'YYYY-MM-DD HH:MM:SS' text) with its hash."""
    stored = [values.get(name) for name in HASHED]
    row = AuditLog.create(**values, hash=row_hash(head()[1], stored))
    return int(row.id)


def now_text() -> str:
    """The time of an audit row as it is stored (to the second)."""
    return datetime.now().replace(microsecond=0).isoformat(sep=" ")


def record(
    actor: Actor, action: str, entity: str, entity_id: int | None, old: Any = None, new: Any = None
) -> None:
    """Write one audit row; call it inside the same `db.atomic()` as the change it describes."""
    append(
        at=now_text(),
        username=actor.username,
        action=action,
        entity=entity,
        entity_id=entity_id,
        old=_json(old),
        new=_json(new),
    )
    if action == "import" and entity == "members":  # imported members: one link each, with this row
        from coop.register import seal_new

        seal_new("member", actor.username)


def row_dict(instance: Any) -> dict[str, Any]:
    """A model row as a plain dict of stored values (foreign keys as ids) for old/new audit values."""
    return dict(instance.__data__)
