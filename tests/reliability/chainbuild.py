"""A database with a 1,000-link chain mixing sales, payouts, tax payments and voids of each."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from coop import db
from coop.models import JournalEntry, database
from coop.permissions import SYSTEM
from coop.services import payouts, sales, taxes


def build_chain(path: Path, links: int = 1000, seed: int = 1000) -> None:
    """Post sales, payouts, tax payments and voids (one transaction, for speed) until `links` entries exist."""
    from tests.conftest import make_small_coop

    handle = db.open_database(path)
    coop = make_small_coop()
    rng = random.Random(seed)
    day = date(2026, 1, 10)
    posted: dict[str, list[int]] = {"sale": [], "payout": [], "tax": []}
    with database.atomic():
        while JournalEntry.select().count() < links:
            roll = rng.random()
            if roll < 0.6 or not posted["sale"]:
                owners = rng.sample(coop.members, 2)
                lot = coop.lot(
                    day=day, owners=[(owners[0], 5500), (owners[1], 4500)], qty=str(rng.randint(1, 40))
                )
                posted["sale"].append(coop.sell([lot], day=day, price=str(rng.randint(60, 120))))
            elif roll < 0.8:
                member = rng.choice(coop.members[:2])
                posted["payout"].append(
                    payouts.pay_member(SYSTEM, member, Decimal(1000), day, reference=f"P{roll:.4f}").id
                )
            elif roll < 0.9:
                posted["tax"].append(
                    taxes.pay(
                        SYSTEM,
                        authority="DGRAD",
                        amount=Decimal(500),
                        day=day,
                        period_from=date(2026, 1, 1),
                        period_to=date(2026, 1, 31),
                        reference=f"T{roll:.4f}",
                        rule_id=coop.royalty,
                        method="cash",  # paid from the sales' cash (the bank account holds nothing)
                    ).id
                )
            else:
                kind = rng.choice([k for k, ids in posted.items() if ids])
                target = posted[kind].pop(rng.randrange(len(posted[kind])))
                void = {"sale": sales.void_sale, "payout": payouts.void_payout, "tax": taxes.void_payment}[
                    kind
                ]
                void(SYSTEM, target, f"mistake {target}")
    handle.close()
