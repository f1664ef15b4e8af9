"""Workflows declared as data (allowed state transitions) and guarded in one place."""

from __future__ import annotations

from coop.errors import StateError
from coop.i18n import N_

_FINANCIAL = {"draft": frozenset({"posted"}), "posted": frozenset({"voided"}), "voided": frozenset()}

TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    "sale": _FINANCIAL,
    "payout": _FINANCIAL,
    "tax_payment": _FINANCIAL,
    "incident": {
        "open": frozenset({"investigating", "closed"}),
        "investigating": frozenset({"closed"}),
        "closed": frozenset({"investigating"}),  # reopened when new facts come in
    },
}

STATE_LABELS = {
    "draft": N_("Draft"),
    "posted": N_("Posted"),
    "voided": N_("Voided"),
    "open": N_("Open"),
    "investigating": N_("Investigating"),
    "closed": N_("Closed"),
}


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
