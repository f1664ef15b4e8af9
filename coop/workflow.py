"""Workflows declared as data (allowed state transitions) and guarded in one place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peewee import Model

from coop import vocab
from coop.errors import NotFound, StateError
from coop.i18n import N_

_FINANCIAL = {"draft": frozenset({"posted"}), "posted": frozenset({"voided"}), "voided": frozenset()}

TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    "sale": _FINANCIAL,
    "payout": _FINANCIAL,
    "tax_payment": _FINANCIAL,
    "book_entry": _FINANCIAL,  # entries of the books (coop.services.books)
    "period_close": {"draft": frozenset({"posted"}), "posted": frozenset()},  # a closing is never reopened
    "incident": {
        "open": frozenset({"investigating", "closed"}),
        "investigating": frozenset({"closed"}),
        "closed": frozenset({"investigating"}),  # reopened when new facts come in
    },
    "production_lot": {
        "in_stock": frozenset({"sold", "voided"}),
        "sold": frozenset({"in_stock"}),  # back in stock when its sale is voided
        "voided": frozenset(),
    },
}

STATE_LABELS = {**vocab.RECORD_STATES, **vocab.LOT_STATES}
# The column holding the state, where it is not `state`.
STATE_COLUMN = {"production_lot": "status"}


def check(kind: str, current: str, target: str) -> None:
    """Raise StateError unless `kind` may move from `current` to `target`."""
    if target not in TRANSITIONS[kind].get(current, frozenset()):
        from coop.i18n import _

        raise StateError(
            "A record in state “{current}” cannot become “{target}”.",
            current=_(STATE_LABELS.get(current, current)),
            target=_(STATE_LABELS.get(target, target)),
        )


def allowed_targets(kind: str, current: str) -> frozenset[str]:
    return TRANSITIONS[kind].get(current, frozenset())


def transition(
    model: type[Model],
    row_id: int,
    target: str,
    *,
    missing: str = N_("Record {id} does not exist."),
    **values: Any,
) -> str:
    """Move one row to `target`, reading its current state from the database (never from an object the
    caller holds), and write `values` with it; returns the state it left.

    Call inside the caller's write transaction: the read and the write are then one step."""
    return transition_many(model, [row_id], target, missing=missing, **values)[0]


def transition_many(
    model: type[Model],
    row_ids: Sequence[int],
    target: str,
    *,
    missing: str = N_("Record {id} does not exist."),
    **values: Any,
) -> list[str]:
    """`transition` for several rows of one kind at once (a sale's lots); every row is checked before any
    is written. Returns the state each left, in the order of `row_ids`."""
    kind = model._meta.table_name
    if not model._meta.database.in_transaction():
        raise AssertionError(f"{kind} transition outside a transaction")  # a bug: read and write would race
    column = getattr(model, STATE_COLUMN.get(kind, "state"))
    ids = list(row_ids)
    found = dict(model.select(model.id, column).where(model.id.in_(ids)).tuples())
    for row_id in ids:
        if row_id not in found:
            raise NotFound(missing, id=row_id)
        check(kind, found[row_id], target)
    model.update({column: target}, **values).where(model.id.in_(ids)).execute()
    return [found[row_id] for row_id in ids]
