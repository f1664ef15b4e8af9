"""What every document prints besides its data: the cooperative's details, the chain anchor, period checks."""

from __future__ import annotations

from datetime import date

from coop import chain
from coop.errors import ValidationError
from coop.services import settings

# The cooperative's details printed on every document are exactly its settings.
CoopHeader = settings.CoopSettings


def header() -> CoopHeader:
    return settings.get()


def chain_prefix() -> str:
    """The first 16 hex characters of the ledger's chain head (the paper anchor: `verify --anchor`)."""
    return chain.head()[1][:16]


def check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError("to", "The end date is before the start date.")
