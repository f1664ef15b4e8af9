"""The scale-data generator stays valid (chain verifies, ledger balances) and the optimised reads agree."""

from __future__ import annotations

from datetime import date

import pytest

from bench import generate
from coop import chain
from coop.db import integrity_problems, open_database
from coop.models import JournalEntry, Member, Posting, ProductionLot, Sale, SaleLot, database
from coop.permissions import SYSTEM
from coop.services import ledger, taxes


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.db"
    counts = generate.generate(path, generate.Sizes(members=60, lots=600, sales=120))
    db = open_database(path)
    yield counts
    db.close()


def test_generated_file_verifies_and_balances(tiny):
    result = chain.verify()
    assert result.ok, result
    assert result.checked == tiny["entries"] == JournalEntry.select().count()
    assert ledger.unbalanced_entries() == []
    assert sum(ledger.trial_balance().values()) == 0
    assert integrity_problems(database.obj) == []
    assert Member.select().count() == 60
    assert ProductionLot.select().count() == tiny["lots"] == 600
    assert Sale.select().count() == tiny["sales"] > 100
    # members were paid at most what they earned
    assert all(v >= 0 for v in ledger.member_balances(SYSTEM).values())


def test_verify_still_names_a_changed_sale(tiny):
    database.execute_sql("DROP TRIGGER sale_final_update")
    database.execute_sql("UPDATE sale SET gross_local_minor = gross_local_minor + 1 WHERE id = 7")
    result = chain.verify()
    assert not result.ok
    assert result.reason == "contents changed"
    assert "sale 7" in result.broken_source


def test_verify_still_names_a_changed_posting_date(tiny):
    database.execute_sql("DROP TRIGGER journal_entry_no_update")
    database.execute_sql("UPDATE journal_entry SET date = '2025-02-30' WHERE seq = 3")
    result = chain.verify()
    assert not result.ok and result.broken_seq == 3


def test_tax_summary_by_mineral_matches_a_plain_fold(tiny):
    start, end = date(2025, 3, 1), date(2025, 9, 30)
    got = taxes.summary(SYSTEM, start, end).by_mineral
    acc: dict[str, list[int]] = {}
    posted = (Sale.state == "posted") & (Sale.date >= start) & (Sale.date <= end)
    for sale in Sale.select().where(posted):
        lots = list(ProductionLot.select().join(SaleLot).where(SaleLot.sale == sale.id))
        for mineral in {lot.mineral for lot in lots}:
            row = acc.setdefault(mineral.name, [0, 0, 0, 0])
            row[0] += 1
            row[1] += sum(lot.qty_milli for lot in lots if lot.mineral_id == mineral.id)
            row[2] += sale.priced_qty_milli
            row[3] += sale.gross_local_minor
    assert [(m.mineral, m.sales, m.qty_milli, m.priced_qty_milli, m.gross_local_minor) for m in got] == [
        (name, *v) for name, v in sorted(acc.items())
    ]
    assert sum(m.sales for m in got) > 0
    assert Posting.select().count() > 0


def test_lot_import_still_refuses_a_stored_reference(coop, tmp_path):
    from coop.errors import ErrorList
    from coop.services import imports

    taken = ProductionLot.get_by_id(coop.lot()).reference
    csv_path = tmp_path / "lots.csv"
    csv_path.write_text(
        "reference,date,site_code,mineral,quantity,grade,owners\n"
        f"{taken},2026-01-05,KAM,Gold,1,800,M001\n"
        "KAM-20260105-900,2026-01-05,KAM,Gold,1,800,M001\n"
        "KAM-20260105-900,2026-01-05,KAM,Gold,1,800,M002\n",
        encoding="utf-8",
    )
    with pytest.raises(ErrorList) as info:
        imports.import_lots(SYSTEM, csv_path)
    assert [(e.row, e.field) for e in info.value.errors] == [(2, "reference"), (4, "reference")]
    assert ProductionLot.select().count() == 1


def test_lot_import_checks_stored_references_before_each_batch_is_written(coop, tmp_path, monkeypatch):
    # references are looked up a batch at a time: a stored one must be reported at its row, never reach
    # the INSERT (the UNIQUE index would fail the whole import with a raw IntegrityError)
    from coop.errors import ErrorList
    from coop.services import imports

    monkeypatch.setattr(imports, "BATCH", 2)
    taken = ProductionLot.get_by_id(coop.lot()).reference
    rows = [f"KAM-20260105-{n},2026-01-05,KAM,Gold,1,800,M001" for n in (901, 902)]
    rows += [f"{taken},2026-01-05,KAM,Gold,1,800,M001", "KAM-20260105-903,2026-01-05,KAM,Gold,1,800,M001"]
    rows += ["KAM-20260105-904,2026-01-05,KAM,Nothing,1,800,M001"]
    csv_path = tmp_path / "lots.csv"
    csv_path.write_text("reference,date,site_code,mineral,quantity,grade,owners\n" + "\n".join(rows) + "\n")
    with pytest.raises(ErrorList) as info:
        imports.import_lots(SYSTEM, csv_path)
    assert [(e.row, e.field) for e in info.value.errors] == [(4, "reference"), (6, "mineral")]
    assert ProductionLot.select().count() == 1


def test_lot_import_reports_a_repeated_bad_cell_on_every_row(coop, tmp_path):
    # the per-cell parsers remember their results by text, never their errors
    from coop.errors import ErrorList
    from coop.services import imports

    rows = [
        "2026-01-05,KAM,Gold,1,800,M001:abc",
        "2026-01-05,KAM,Gold,1,800,M001:100",
        "2026-01-05,KAM,Gold,1,800,M001:abc",
        "2099-01-05,KAM,Gold,1,800,M001",
        "2099-01-05,KAM,Gold,1,800,M001",
    ]
    csv_path = tmp_path / "lots.csv"
    csv_path.write_text("date,site_code,mineral,quantity,grade,owners\n" + "\n".join(rows) + "\n")
    with pytest.raises(ErrorList) as info:
        imports.import_lots(SYSTEM, csv_path)
    assert [(e.row, e.field) for e in info.value.errors] == [
        (2, "owners"),
        (4, "owners"),
        (5, "date"),
        (6, "date"),
    ]
