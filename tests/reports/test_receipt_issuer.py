"""A receipt names who issued it as a reader knows them, never a technical account ("cli:…", "system")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import reports
from coop.permissions import SYSTEM, Actor
from coop.services import sales, users
from tests.reports.conftest import flat, pdf_text


def _sell_as(coop, actor: Actor) -> int:
    lot = coop.lot()
    return sales.post_sale(
        actor,
        sales.SaleInput(
            buyer_id=coop.buyer,
            lot_ids=[lot],
            date=date(2026, 1, 6),
            currency="USD",
            unit_price=Decimal("90"),
            exchange_rate=Decimal("2850"),
        ),
    ).id


def _issued_line(sale_id: int) -> str:
    text = flat(pdf_text(reports.build("receipt", SYSTEM, sale_id=sale_id, fmt="a5", lang="en")))
    return text.split("Issued by ", 1)[1].split(". Chain hash", 1)[0]


def test_treasurer_linked_to_a_member_is_named(coop):
    saved = users.add_user(SYSTEM, "tresoriere", "Kamituga-or-2026!", "treasurer", member_id=coop.members[2])
    actor = Actor(username="cli:tresoriere", role="treasurer", user_id=saved.id)  # signed in on the CLI
    assert _issued_line(_sell_as(coop, actor)) == "Chance Mulume"


def test_account_without_a_member_keeps_its_name_without_the_cli_mark(coop):
    users.add_user(SYSTEM, "caissier", "Kamituga-or-2026!", "treasurer")
    assert _issued_line(_sell_as(coop, Actor(username="cli:caissier", role="treasurer"))) == "caissier"


def test_the_applications_own_account_issues_in_the_cooperatives_name(coop):
    assert _issued_line(_sell_as(coop, SYSTEM)) == "Test Coop"
