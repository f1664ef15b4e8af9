"""Migration 8 on a file of the previous schema (tests/reliability/fixtures/v7.sqlite): the chart of the
cooperative's country, the old posting keys mapped onto it, three treasury accounts on the old keys; every
balance and the chain unchanged; the upgraded file takes entries of the books."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date

import pytest

from coop import chain, db
from coop.errors import ValidationError
from coop.models import Posting
from coop.permissions import SYSTEM
from coop.services import ledger
from coop.services.books import chart, entries, reports, treasury
from tests.reliability.make_fixtures import FIXTURES, totals

PREVIOUS = 7  # the schema before the books


@pytest.fixture
def upgraded(tmp_path):
    path = tmp_path / "coop.sqlite"
    shutil.copyfile(FIXTURES / f"v{PREVIOUS}.sqlite", path)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    old_postings = conn.execute(
        "SELECT id, entry_id, account, amount_minor FROM posting ORDER BY id"
    ).fetchall()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == PREVIOUS and "chart_account" not in tables
    conn.close()
    handle = db.open_database(path)
    yield handle, old_postings
    handle.close()


def test_upgrade_keeps_every_balance_and_the_chain(upgraded):
    handle, old_postings = upgraded
    assert db.schema_version(handle) >= 8
    assert db.integrity_problems(handle) == []
    expected = json.loads((FIXTURES / f"v{PREVIOUS}.json").read_text())
    assert totals() == expected  # trial balance by key, member balances, tax due and paid, chain head
    assert [
        tuple(r)
        for r in Posting.select(Posting.id, Posting.entry, Posting.account, Posting.amount_minor).tuples()
    ] == [tuple(r) for r in old_postings]  # no posting rewritten: the keys are mapped instead
    mapped = {}
    for key, amount in expected["trial_balance"].items():
        number = chart.number_of(key)
        mapped[number] = mapped.get(number, 0) + amount
    assert {x.number: x.balance_minor for x in reports.trial_balance(SYSTEM).lines} == mapped
    assert chain.verify().ok


def test_upgrade_installs_the_countrys_chart_and_the_first_treasury_accounts(upgraded):
    assert chart.installed() == "syscohada"  # the fixture's cooperative is in the DRC
    assert {k: chart.number_of(k) for k in ledger.ACCOUNTS} == {
        "cash": "5711",
        "mobile_money": "5521",
        "bank": "5211",
        "member_payable": "462",
        "levy_income": "706",
        "tax_payable": "442",
        "tax_expense": "648",
    }
    wallets = treasury.accounts(SYSTEM)
    assert [(t.key, t.is_default) for t in wallets] == [
        ("cash", True),
        ("mobile_money", True),
        ("bank", True),
    ]
    assert wallets[0].balance_minor == ledger.account_balance("cash")


def test_the_upgraded_file_takes_entries_and_refuses_overdrawing(upgraded):
    cash, bank = treasury.find("cash"), treasury.find("bank")
    assert bank.balance_minor < 0  # the old ledger paid a tax from an empty bank account
    with pytest.raises(ValidationError, match="Not enough money in Bank account"):
        entries.record_expense(SYSTEM, day=date(2025, 4, 2), treasury_id=bank.id, account="631", amount="1")
    entries.transfer(SYSTEM, day=date(2025, 4, 2), from_id=cash.id, to_id=bank.id, amount="30000")
    entries.record_expense(SYSTEM, day=date(2025, 4, 3), treasury_id=bank.id, account="631", amount="1000")
    assert reports.trial_balance(SYSTEM).balanced and reports.balance_sheet(SYSTEM).balanced
    assert chain.verify().ok
