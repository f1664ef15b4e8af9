"""Behaviour kept by the benchmark-driven query rewrites (back-dating check, lot import, tax summary)."""

from __future__ import annotations

from datetime import date

import pytest

from coop.errors import ValidationError
from coop.models import Sale
from coop.permissions import SYSTEM
from coop.services import taxes


def test_backdating_check_uses_the_newest_posted_sale(coop):
    coop.sell([coop.lot()], day=date(2026, 1, 6))
    coop.sell([coop.lot()], day=date(2026, 1, 20))
    # a draft dated later does not count
    Sale.create(series="2026", date=date(2026, 3, 1), buyer=coop.buyer, currency="USD", unit_price_minor=1,
                rate_micro=1, state="draft")  # fmt: skip
    with pytest.raises(ValidationError) as info:
        coop.sell([coop.lot()], day=date(2026, 1, 19))
    assert info.value.params["date"] == "2026-01-20"
    assert coop.sell([coop.lot()], day=date(2026, 1, 20))
    # another series is not affected
    assert coop.sell([coop.lot(day=date(2025, 12, 1))], day=date(2025, 12, 2))


def test_tax_summary_by_mineral_counts_each_sale_once_per_mineral(coop):
    coop.sell([coop.lot(qty="10"), coop.lot(qty="5")], day=date(2026, 1, 6))
    tin = coop.lot(qty="100", grade="60", mineral=coop.cassiterite)
    coop.sell([tin], price="12", day=date(2026, 1, 7))
    coop.sell([coop.lot(qty="1")], day=date(2026, 2, 7))  # outside the period
    out = taxes.summary(SYSTEM, date(2026, 1, 1), date(2026, 1, 31))
    sales = {s.id: s for s in Sale.select().where(Sale.date <= date(2026, 1, 31))}
    gold, cass = sorted(sales.values(), key=lambda s: s.date)
    assert [(m.mineral, m.unit, m.sales, m.qty_milli, m.priced_qty_milli, m.gross_local_minor)
            for m in out.by_mineral] == [
        ("Cassiterite", "kg", 1, 100_000, cass.priced_qty_milli, cass.gross_local_minor),
        ("Gold", "g", 1, 15_000, gold.priced_qty_milli, gold.gross_local_minor),
    ]  # fmt: skip
    assert out.taxes[0].base_minor == gold.gross_local_minor + cass.gross_local_minor


def test_verify_reads_far_sources_and_small_batches(coop, monkeypatch):
    from decimal import Decimal

    from coop import chain
    from coop.services import payouts, sales

    first = coop.sell([coop.lot()], day=date(2026, 1, 6))
    for _ in range(3):
        coop.sell([coop.lot()], day=date(2026, 1, 7))
    payouts.pay_member(SYSTEM, coop.members[0], Decimal("10"), date(2026, 1, 8))
    sales.void_sale(SYSTEM, first, "wrong buyer")  # a void far from its sale in the chain
    monkeypatch.setattr(chain, "BATCH", 2)
    result = chain.verify()
    from coop.models import JournalEntry

    registered = JournalEntry.select().where(JournalEntry.kind == "register_event").count()
    assert registered >= 1 + len(coop.members)  # the settings and each member have a link of their own
    assert result.ok and result.checked == 6 + registered
    from coop.models import database

    database.execute_sql("DROP TRIGGER sale_final_update")
    database.execute_sql("UPDATE sale SET net_minor = net_minor - 1 WHERE id = ?", (first,))
    broken = chain.verify()
    sold = JournalEntry.get((JournalEntry.source_type == "sale") & (JournalEntry.source_id == first)).seq
    assert not broken.ok and broken.broken_seq == sold and broken.reason == "contents changed"


def test_lot_import_reports_a_repeated_bad_cell_on_every_row(coop, tmp_path):
    from coop.errors import ErrorList
    from coop.models import ProductionLot
    from coop.services import imports

    csv_path = tmp_path / "lots.csv"
    csv_path.write_text(
        "date,site_code,mineral,quantity,grade,owners,mercury_g\n"
        "2026-01-05,KAM,Gold,1,1200,M001:60;M002:40,0\n"
        "2026-01-05,KAM,Gold,1,1200,M001:60;M002:40,0\n"
        "2026-01-05,KAM,Gold,1,800,M001:60.5;M002:39.5,-1\n"
        "2026-01-05,KAM,Gold,1,800,M001:60.5;M002:39.5,0\n"
        "2999-01-05,KAM,Gold,1,800,M001,0\n"
        "2999-01-05,KAM,Gold,1,800,M001,0\n",
        encoding="utf-8",
    )
    with pytest.raises(ErrorList) as info:
        imports.import_lots(SYSTEM, csv_path)
    assert [(e.row, e.field) for e in info.value.errors] == [
        (2, "grade"), (3, "grade"), (4, "mercury"), (6, "date"), (7, "date"),
    ]  # fmt: skip
    assert ProductionLot.select().count() == 0
    # the same cells, corrected, import with the parsed values
    csv_path.write_text(
        "date,site_code,mineral,quantity,grade,owners,mercury_g\n"
        "2026-01-05,KAM,Gold,1,800,M001:60.5;M002:39.5,1.5\n"
        "2026-01-05,KAM,Gold,2,800,M001:60.5;M002:39.5,1.5\n",
        encoding="utf-8",
    )
    assert imports.import_lots(SYSTEM, csv_path).rows == 2
    lots = list(ProductionLot.select().order_by(ProductionLot.id))
    assert [(lot.grade_milli, lot.mercury_milli, lot.qty_milli) for lot in lots] == [
        (800_000, 1_500, 1_000), (800_000, 1_500, 2_000),
    ]  # fmt: skip
    assert sorted(o.share_bp for o in lots[0].owners) == [3950, 6050]


def test_canonical_is_the_documented_json_form():
    import json
    from datetime import date as day

    from coop import chain
    from coop.chain import PostingLine

    value = {"b": [1, "é", None], "a": {"z": day(2025, 1, 2), "y": 1.5}}
    assert chain.canonical(value) == json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str
    )
    lines = [PostingLine("cash", None, None, 5), PostingLine("bank", 3, 2, -5)]
    entry = {"seq": 1, "date": "2025-01-02", "kind": "sale", "source_type": "sale", "source_id": 1,
             "memo": "", "created_by": "x", "extra": "ignored"}  # fmt: skip
    assert chain.payload(entry, lines, {"id": 1})["postings"] == [["bank", 3, 2, -5], ["cash", 0, 0, 5]]
