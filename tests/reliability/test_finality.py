"""Posted is final: SQLite triggers abort every UPDATE/DELETE of posted records and the journal, services refuse."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from peewee import IntegrityError

from coop import db as coopdb
from coop.errors import StateError, ValidationError
from coop.models import AuditLog, JournalEntry, Payout, Posting, Sale, SaleLot, TaxPayment
from coop.permissions import SYSTEM
from coop.services import payouts, production, sales, taxes

MODELS = {"sale": Sale, "payout": Payout, "tax_payment": TaxPayment}
APPEND_ONLY = {"journal_entry": JournalEntry, "posting": Posting, "audit_log": AuditLog}


@pytest.fixture
def books(coop):
    """One posted and one voided record of each financial kind, plus a draft sale."""
    sale = coop.sell([coop.lot()])
    voided_sale = coop.sell([coop.lot()])
    sales.void_sale(SYSTEM, voided_sale, "wrong buyer")
    day = date(2026, 1, 7)
    pay = payouts.pay_member(SYSTEM, coop.members[0], Decimal(1000), day).id
    voided_pay = payouts.pay_member(SYSTEM, coop.members[0], Decimal(1000), day).id
    payouts.void_payout(SYSTEM, voided_pay, "typo")
    period = {
        "authority": "DGRAD",
        "day": day,
        "period_from": date(2026, 1, 1),
        "period_to": date(2026, 1, 31),
    }
    # paid from the cash box the sales came into (the bank holds nothing: the funds check refuses it)
    tax = taxes.pay(SYSTEM, amount=Decimal(500), method="cash", **period).id
    voided_tax = taxes.pay(SYSTEM, amount=Decimal(500), method="cash", **period).id
    taxes.void_payment(SYSTEM, voided_tax, "double entry")
    draft = Sale.create(
        series="2026",
        date=day,
        buyer=coop.buyer,
        currency="USD",
        unit_price_minor=1,
        rate_micro=1,
        state="draft",
    )
    return {
        "posted": {"sale": sale, "payout": pay, "tax_payment": tax},
        "voided": {"sale": voided_sale, "payout": voided_pay, "tax_payment": voided_tax},
        "draft": draft.id,
    }


def _columns(model) -> list[str]:
    return [f.column_name for f in model._meta.sorted_fields]


def _changed(db, table: str, column: str) -> str:
    ctype = next(r[2] for r in db.execute_sql(f"PRAGMA table_info({table})").fetchall() if r[1] == column)
    if column == "id":
        return "id + 100000"
    if ctype.upper().startswith(("VARCHAR", "TEXT")):
        return f"{column} || 'x'"
    if ctype.upper() == "DATE":
        return "'2001-01-01'"
    return f"COALESCE({column}, 0) + 1"


CELLS = [(t, c) for t, m in MODELS.items() for c in _columns(m)]


@pytest.mark.parametrize(("table", "column"), CELLS, ids=[f"{t}.{c}" for t, c in CELLS])
@pytest.mark.parametrize("state", ["posted", "voided"])
def test_update_of_any_column_of_a_final_record_aborts(db, books, table, column, state):
    row_id = books[state][table]
    with pytest.raises(IntegrityError, match="final"):
        db.execute_sql(f"UPDATE {table} SET {column} = {_changed(db, table, column)} WHERE id = ?", (row_id,))


@pytest.mark.parametrize("table", list(MODELS))
@pytest.mark.parametrize("state", ["posted", "voided"])
def test_delete_of_a_final_record_aborts(db, books, table, state):
    with pytest.raises(IntegrityError, match="final"):
        db.execute_sql(f"DELETE FROM {table} WHERE id = ?", (books[state][table],))


@pytest.mark.parametrize("table", list(MODELS))
def test_voided_cannot_go_back_to_posted(db, books, table):
    with pytest.raises(IntegrityError, match="final"):
        db.execute_sql(f"UPDATE {table} SET state = 'posted' WHERE id = ?", (books["voided"][table],))


def test_void_changes_only_state_and_reason(db, books):
    row = books["posted"]["payout"]
    with pytest.raises(IntegrityError, match="final"):
        db.execute_sql("UPDATE payout SET state = 'voided', amount_minor = 1 WHERE id = ?", (row,))
    db.execute_sql("UPDATE payout SET state = 'voided', void_reason = 'x' WHERE id = ?", (row,))


def test_drafts_stay_editable(db, books):
    db.execute_sql("UPDATE sale SET unit_price_minor = 2 WHERE id = ?", (books["draft"],))
    db.execute_sql("DELETE FROM sale WHERE id = ?", (books["draft"],))
    assert Sale.get_or_none(Sale.id == books["draft"]) is None


APPEND_CELLS = [(t, c) for t, m in APPEND_ONLY.items() for c in _columns(m)]


@pytest.mark.parametrize(("table", "column"), APPEND_CELLS, ids=[f"{t}.{c}" for t, c in APPEND_CELLS])
def test_journal_postings_and_audit_cannot_be_updated(db, books, table, column):
    with pytest.raises(IntegrityError, match="final"):
        db.execute_sql(f"UPDATE {table} SET {column} = {_changed(db, table, column)}")


@pytest.mark.parametrize("table", list(APPEND_ONLY))
def test_journal_postings_and_audit_cannot_be_deleted(db, books, table):
    with pytest.raises(IntegrityError, match="final"):
        db.execute_sql(f"DELETE FROM {table}")


@pytest.mark.parametrize("column", _columns(SaleLot))
def test_lots_of_a_posted_sale_cannot_be_changed_or_removed(db, books, column):
    row = SaleLot.get(SaleLot.sale == books["posted"]["sale"]).id
    with pytest.raises(IntegrityError, match="final"):
        db.execute_sql(
            f"UPDATE sale_lot SET {column} = {_changed(db, 'sale_lot', column)} WHERE id = ?", (row,)
        )
    with pytest.raises(IntegrityError, match="final"):
        db.execute_sql("DELETE FROM sale_lot WHERE id = ?", (row,))


def test_every_finality_trigger_is_installed(db):
    assert coopdb.integrity_problems(db) == []
    db.execute_sql("DROP TRIGGER posting_no_update")
    assert coopdb.integrity_problems(db) == ["finality trigger missing: posting_no_update"]


def test_services_refuse_to_change_final_records(coop, books):
    with pytest.raises(StateError):
        sales.void_sale(SYSTEM, books["voided"]["sale"], "again")
    with pytest.raises(StateError):
        payouts.void_payout(SYSTEM, books["voided"]["payout"], "again")
    with pytest.raises(StateError):
        taxes.void_payment(SYSTEM, books["voided"]["tax_payment"], "again")
    sold = SaleLot.get(SaleLot.sale == books["posted"]["sale"]).lot_id
    lot_input = production.LotInput(
        coop.site, coop.gold, date(2026, 1, 5), Decimal(1), [(coop.members[0], 10000)]
    )
    with pytest.raises(ValidationError):
        production.update_lot(SYSTEM, sold, lot_input)
    for module in (sales, payouts, taxes):  # the services offer no way to edit or delete a posted record
        assert not [n for n in dir(module) if n.startswith(("update_", "delete_", "edit_"))]


def test_no_backdating_within_a_series(coop):
    coop.sell([coop.lot()], day=date(2026, 1, 6))
    coop.sell([coop.lot()], day=date(2026, 1, 6))  # the same day is fine
    with pytest.raises(ValidationError) as err:
        coop.sell([coop.lot()], day=date(2026, 1, 5))
    assert err.value.field == "date"
    coop.sell([coop.lot(day=date(2025, 12, 1))], day=date(2025, 12, 30))  # another series has its own order
    with pytest.raises(ValidationError, match="future"):
        coop.sell([coop.lot()], day=date.today() + timedelta(days=1))
    assert Sale.select().where(Sale.date == date(2026, 1, 5)).count() == 0
