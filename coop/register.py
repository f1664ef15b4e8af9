"""Members, accounts and the cooperative settings under the chain: each write of one appends a link
(kind "register_event", no postings) holding the record's hashed columns as written, and the newest audit
row. `verify` then finds a record whose stored columns differ from its newest link (changed outside
CoopLedger), one with no link (added outside it), a link whose record is gone, a comparison key that is
not its identifier folded, and an audit log whose hashes do not follow."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from coop import chain, keys
from coop.i18n import N_
from coop.models import AuditLog, RegisterEvent
from coop.verification import Problem

KIND = "register_event"  # the journal entry kind (and source type) of a register link
# An event of many records at once (an import, an upgrade) has this entity_id and holds
# {"record id": that record's fields, ...}: one link instead of thousands (each costs a chain append).
BATCH_ID = 0
BATCH_MIN = 20
# The columns whose change changes money or rights, per record kind: identity of a member (balances and
# shares are theirs), an account's name, password hash, role, linked member and whether it may sign in,
# and every setting (levy, currency, fiscal year, ...). A login's failure counter, lock time and chosen
# language change at every sign-in and give no right: they are left out.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "member": (
        "member",
        (
            "member_no",
            "full_name",
            "sex",
            "birth_year",
            "id_number",
            "card_expiry",
            "phone",
            "community",
            "site_id",
            "role",
            "join_date",
            "status",
            "share_capital_minor",
        ),
    ),
    "user": ("user", ("username", "password_hash", "role", "member_id", "active")),
    "cooperative": (
        "cooperative",
        (
            "name",
            "registration_no",
            "tax_id",
            "address",
            "country",
            "currency",
            "locale",
            "fiscal_year_start",
            "levy_bp",
            "receipt_footer",
        ),
    ),
}
# (table, identifier column, key column): the comparison keys coop.models fills in (coop.keys.fold)
KEY_COLUMNS = (
    ("member", "member_no", "member_no_key"),
    ("user", "username", "username_key"),
    ("site", "code", "code_key"),
    ("mineral", "name", "name_key"),
)

CHANGED = N_("{record}: changed outside CoopLedger ({columns} differ from its newest link in the chain)")
UNCHAINED = N_("{record}: not in the chain (added outside CoopLedger)")
VANISHED = N_("{record}: deleted outside CoopLedger (the chain holds it)")
KEY_WRONG = N_("{record}: the stored comparison key of {column} does not match it")
AUDIT_BROKEN = N_(
    "{record}: the audit log was changed here (this row or one before it was edited or deleted)"
)
AUDIT_TAIL = N_("{record}: the audit log's newest rows were deleted or changed (the chain names this row)")


def _execute(sql: str, params: Sequence[Any] = ()) -> Any:
    # the models' own binding: verification of a second file (db.bound) re-binds them, not the proxy
    return RegisterEvent._meta.database.execute_sql(sql, list(params))


def _q(name: str) -> str:
    return f'"{name}"'


def _rows(entity: str, ids: Sequence[int] | None = None) -> dict[int, str]:
    """Canonical JSON of the hashed columns of each record of `entity` (all, or those of `ids`), read as
    stored, the way verify reads them."""
    table, columns = FIELDS[entity]
    sql = f"SELECT id, {', '.join(map(_q, columns))} FROM {_q(table)}"
    params: list[Any] = []
    if ids is not None:
        sql += f" WHERE id IN ({', '.join('?' * len(ids))})"
        params = list(ids)
    cursor = _execute(sql, params)
    return {row[0]: chain.canonical(dict(zip(columns, row[1:], strict=True))) for row in cursor.fetchall()}


def _newest(entity: str | None = None, ids: Sequence[int] = ()) -> dict[tuple[str, int], str]:
    """The fields of the newest posted event of each record (of `entity`, of `ids` when given)."""
    sql = "SELECT entity, entity_id, fields FROM register_event WHERE state = 'posted'"
    params: list[Any] = []
    if entity is not None:
        sql += " AND entity = ?"
        params.append(entity)
    if ids:
        sql += f" AND entity_id IN ({', '.join('?' * len(ids))})"
        params += list(ids)
    if ids:  # or a batch holding them
        sql = sql.replace(" AND entity_id IN", " AND (entity_id = 0 OR entity_id IN") + ")"
    out: dict[tuple[str, int], str] = {}
    for kind, rid, fields in _execute(sql + " ORDER BY id", params).fetchall():
        if rid == BATCH_ID:
            out.update(((kind, int(k)), v) for k, v in json.loads(fields).items())
        else:
            out[(kind, rid)] = fields
    return out


def seal(entity: str, ids: Iterable[int], username: str) -> list[int]:
    """Append a link for each record of `ids` whose hashed columns differ from its newest link (or that has
    none). Call inside the writing transaction, after the write and its audit row; returns the event ids."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    current = _rows(entity, wanted)
    newest = _newest(entity, wanted) if len(wanted) <= 500 else _newest(entity)
    changed = [
        (rid, current[rid]) for rid in wanted if rid in current and newest.get((entity, rid)) != current[rid]
    ]
    if len(changed) >= BATCH_MIN:  # an import's rows: one link holding them all
        batch = chain.canonical({str(rid): fields for rid, fields in changed})
        return [_append(entity, BATCH_ID, batch, username, memo=f"{entity} x{len(changed)}")]
    return [_append(entity, rid, fields, username) for rid, fields in changed]


def seal_new(entity: str, username: str) -> list[int]:
    """Links for the records of `entity` that have none yet (an import's new rows). A record that has one is
    left alone: sealing it again would pass a change made outside the program off as the program's."""
    table = FIELDS[entity][0]
    sealed = {rid for _kind, rid in _newest(entity)}
    ids = [r[0] for r in _execute(f"SELECT id FROM {_q(table)} ORDER BY id").fetchall() if r[0] not in sealed]
    return seal(entity, ids, username)


def _append(entity: str, rid: int, fields: str, username: str, memo: str = "") -> int:
    audit = AuditLog.select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).first()
    event = RegisterEvent.create(
        entity=entity,
        entity_id=rid,
        fields=fields,
        audit_id=audit.id if audit else 0,
        audit_hash=audit.hash if audit else "",
        state="draft",
    )
    entry = chain.append(
        entry_date=date.today(),
        kind=KIND,
        source_type=KIND,
        source_id=event.id,
        memo=memo or f"{entity} {rid}",
        created_by=username,
        postings=[],
        source=chain.source_snapshot(KIND, event.id),
    )
    RegisterEvent.update(state="posted", chain_hash=entry.hash).where(RegisterEvent.id == event.id).execute()
    return int(event.id)


def seal_all(username: str) -> int:
    """A link for every record that has none (an upgrade from a file made before schema 7, a generated
    benchmark file); returns how many links were appended."""
    return sum(len(seal_new(entity, username)) for entity in FIELDS)


def _differing(stored: str, chained: str) -> str:
    now, then = json.loads(stored), json.loads(chained)
    return ", ".join(sorted(k for k in set(now) | set(then) if now.get(k) != then.get(k)))


def findings() -> list[Problem]:
    """Every record against its newest link, every key against its identifier, the audit log's hashes."""
    out: list[Problem] = []
    newest = _newest()
    for entity in FIELDS:
        current = _rows(entity)
        for rid, fields in current.items():
            chained = newest.get((entity, rid))
            if chained is None:
                out.append(Problem(f"{entity} {rid}", UNCHAINED, {}))
            elif chained != fields:
                out.append(Problem(f"{entity} {rid}", CHANGED, {"columns": _differing(fields, chained)}))
        for kind, rid in newest:
            if kind == entity and rid not in current:
                out.append(Problem(f"{entity} {rid}", VANISHED, {}))
    for table, column, key in KEY_COLUMNS:
        sql = f"SELECT id, {_q(column)}, {_q(key)} FROM {_q(table)}"
        for rid, value, stored in _execute(sql).fetchall():
            if stored != keys.fold(value) and not str(stored).startswith(keys.fold(value) + "#"):
                out.append(Problem(f"{table} {rid}", KEY_WRONG, {"column": column}))
    return out + audit_findings()


def audit_findings() -> list[Problem]:
    """The audit log's rows hashed in sequence, and the newest row each register link names still there."""
    from coop.services import audit

    columns = ", ".join(map(_q, audit.HASHED))
    prev = audit.GENESIS
    sql = "SELECT audit_id, audit_hash FROM register_event WHERE state = 'posted' AND audit_id > 0"
    named = _execute(sql + " ORDER BY audit_id DESC").fetchall()  # the audit rows register links name
    wanted = {audit_id for audit_id, _hash in named}
    stored_at: dict[int, str] = {}
    out: list[Problem] = []
    row_hash = audit.row_hash
    cursor = _execute(f"SELECT id, hash, {columns} FROM audit_log ORDER BY id")
    while rows := cursor.fetchmany(5000):  # fetched in blocks: a row at a time costs as much as hashing it
        for row in rows:
            rid, stored = row[0], row[1]
            if not out and row_hash(prev, row[2:]) != stored:
                out.append(Problem(f"audit row {rid}", AUDIT_BROKEN, {}))
            if rid in wanted:
                stored_at[rid] = stored
            prev = stored
    for audit_id, audit_hash in named:
        if stored_at.get(audit_id) != audit_hash:  # the newest named row that is gone or rewritten
            out.append(Problem(f"audit row {audit_id}", AUDIT_TAIL, {}))
            break
    return out
