"""Dashboard figures: mercury typed on a lot counts in the Hg:Au ratio beside the mercury entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from coop.permissions import SYSTEM
from coop.services import dashboard, production, safety


def test_mercury_typed_on_the_lot_form_counts_in_the_ratio(coop):
    production.create_lot(
        SYSTEM,
        production.LotInput(
            site_id=coop.site,
            mineral_id=coop.gold,
            date=date(2026, 1, 5),
            quantity=Decimal(10),
            grade=Decimal(1000),
            owners=[(coop.members[0], 10000)],
            mercury_g=Decimal(15),
        ),
    )
    d = dashboard.build(SYSTEM, 2026)
    assert d.mercury_per_gold["2026-01"] == pytest.approx(1.5)  # 15 g Hg over 10 g fine gold
    safety.record_mercury(SYSTEM, site_id=coop.site, day=date(2026, 1, 9), kind="used", grams=Decimal(5))
    safety.record_mercury(
        SYSTEM, site_id=coop.site, day=date(2026, 1, 9), kind="purchased", grams=Decimal(50)
    )
    assert dashboard.build(SYSTEM, 2026).mercury_per_gold["2026-01"] == pytest.approx(2.0)
