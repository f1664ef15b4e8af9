"""Shared fixtures: headless Qt, a fresh database per test, and a small cooperative to work on."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ui.none_guard import keep_none_alive  # noqa: E402

keep_none_alive()  # PySide6 6.12.0 drops a None reference per void call; a test run makes very many

from dataclasses import dataclass  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

import pytest  # noqa: E402

from coop import i18n  # noqa: E402
from coop.db import open_database  # noqa: E402
from coop.permissions import SYSTEM  # noqa: E402
from coop.services import production, registry, sales, settings, taxes  # noqa: E402

# A placeholder for "tomorrow", resolved when the test runs: a date computed while tests are collected goes
# stale when the run crosses midnight.
TOMORROW = object()


def resolve_dates(values: dict) -> dict:
    return {k: (date.today() + timedelta(days=1) if v is TOMORROW else v) for k, v in values.items()}


@pytest.fixture(autouse=True)
def _english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def db(tmp_path):
    """A fresh, migrated database file for one test."""
    handle = open_database(tmp_path / "coop.sqlite")
    yield handle
    handle.close()


@dataclass
class SmallCoop:
    """Ids of a small CDF cooperative: gold and cassiterite, two sites, four members, two buyers."""

    gold: int
    cassiterite: int
    site: int
    site2: int
    members: list[int]
    buyer: int
    refinery: int
    royalty: int

    def lot(
        self, *, qty="10", grade="800", owners=None, day=date(2026, 1, 5), mineral=None, site=None
    ) -> int:
        owners = owners or [(self.members[0], 6000), (self.members[1], 4000)]
        return production.create_lot(
            SYSTEM,
            production.LotInput(
                site_id=site or self.site,
                mineral_id=mineral or self.gold,
                date=day,
                quantity=Decimal(qty),
                grade=Decimal(grade),
                owners=owners,
            ),
        ).id

    def sell(
        self,
        lot_ids,
        *,
        price="90",
        currency="USD",
        rate="2850",
        day=date(2026, 1, 6),
        buyer=None,
        method="cash",
    ) -> int:
        return sales.post_sale(
            SYSTEM,
            sales.SaleInput(
                buyer_id=buyer or self.buyer,
                lot_ids=list(lot_ids),
                date=day,
                currency=currency,
                unit_price=Decimal(price),
                exchange_rate=Decimal(rate),
                payment_method=method,
            ),
        ).id


def make_small_coop() -> SmallCoop:
    settings.save(SYSTEM, name="Test Coop", currency="CDF", locale="fr_CD", country="CD", levy_bp=500)
    gold = registry.save_mineral(
        SYSTEM, None, name="Gold", unit="g", grade_kind="fineness", hs_code="7108.12"
    ).id
    cass = registry.save_mineral(
        SYSTEM, None, name="Cassiterite", unit="kg", grade_kind="percent", hs_code="2609"
    ).id
    site = registry.save_site(SYSTEM, None, code="KAM", name="Kamituga").id
    site2 = registry.save_site(SYSTEM, None, code="NYA", name="Nyabibwe").id
    members = [
        registry.save_member(
            SYSTEM,
            None,
            member_no=f"M{i:03d}",
            full_name=name,
            join_date=date(2024, 1, 1),
            site=site,
            sex="F" if i % 2 else "M",
        ).id
        for i, name in enumerate(["Amani Bisimwa", "Bahati Cirhuza", "Chance Mulume", "Neema Nabintu"], 1)
    ]
    buyer = registry.save_buyer(
        SYSTEM, None, name="Comptoir Muungano", kind="comptoir", licence_no="CMP-1"
    ).id
    refinery = registry.save_buyer(SYSTEM, None, name="Raffinerie", kind="refinery").id
    royalty = taxes.save_rule(
        SYSTEM, None, name="Royalty", authority="DGRAD", rate_bp=350, valid_from=date(2020, 1, 1)
    ).id
    return SmallCoop(gold, cass, site, site2, members, buyer, refinery, royalty)


@pytest.fixture
def coop(db) -> SmallCoop:
    return make_small_coop()


@pytest.fixture
def demo_db(tmp_path_factory):
    """The full demo cooperative, built once per test module is too slow to repeat: copy a session file."""
    from coop.services import demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    handle = open_database(path)
    demo.create(SYSTEM)
    yield handle
    handle.close()
