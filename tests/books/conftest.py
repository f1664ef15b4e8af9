"""A small cooperative with money in its treasury accounts, for the books' tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from coop.permissions import SYSTEM, Actor
from coop.services.books import opening, treasury
from tests.conftest import SmallCoop

START = date(2025, 1, 1)  # the opening balances' day: the first fiscal year the tests keep
TREASURER = Actor(username="tess", role="treasurer")
CLERK = Actor(username="clara", role="clerk")
MEMBER = Actor(username="mo", role="member", member_id=1)
AUDITOR = Actor(username="aude", role="auditor")


@dataclass
class Books:
    coop: SmallCoop
    cash: int  # treasury account ids
    mobile: int
    bank: int


def ids() -> tuple[int, int, int]:
    by_kind = {t.kind: t.id for t in treasury.accounts(SYSTEM) if t.is_default}
    return by_kind["cash"], by_kind["mobile_money"], by_kind["bank"]


@pytest.fixture
def books(coop) -> Books:
    """Opening balances: cash 1 000 000, mobile money 200 000, bank 5 000 000 CDF, dated 2025-01-01."""
    opening.enter(
        SYSTEM,
        [
            opening.OpeningRow("5711", "1000000"),
            opening.OpeningRow("5521", "200000"),
            opening.OpeningRow("5211", "5000000"),
        ],
        START,
    )
    return Books(coop, *ids())
