"""The accountant's exports through the command line: `export-beancount` gives a file that bean-check accepts
and whose balances by bean-query equal the app's trial balance (per account, with members' sub-accounts
summed); `export journal` lists every posting with its account number, debits equal to credits."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import cli
from coop.db import open_database
from coop.permissions import SYSTEM
from coop.services import payouts, users
from coop.services.books import entries, opening, reports, shares, treasury, yearclose
from tests.conftest import make_small_coop

PASSWORD = "books-export-pass-2025"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: install the test extra (pip install -e '.[test]')")
    return str(found)


@pytest.fixture
def path(tmp_path, monkeypatch):
    file = tmp_path / "coop.sqlite"
    handle = open_database(file)
    c = make_small_coop()
    opening.enter(SYSTEM, [opening.OpeningRow("5711", "1000000"), opening.OpeningRow("5211", "500000")],
                  date(2025, 1, 1))  # fmt: skip
    cash = next(t.id for t in treasury.accounts(SYSTEM) if t.key == "cash")
    c.sell([c.lot(day=date(2025, 3, 1))], day=date(2025, 3, 2))
    c.sell([c.lot(day=date(2025, 4, 1), owners=[(c.members[2], 10_000)], qty="4")], day=date(2025, 4, 2))
    payouts.pay_member(SYSTEM, c.members[0], Decimal("1000"), date(2025, 4, 5), "cash")
    entries.record_expense(SYSTEM, day=date(2025, 5, 1), treasury_id=cash, account="6053", amount="1234.56",
                           payee='Station "Total"')  # fmt: skip
    shares.subscribe(SYSTEM, c.members[1], "5000", date(2025, 5, 2))
    shares.pay(SYSTEM, c.members[1], "2000", date(2025, 5, 3))
    yearclose.close_year(
        SYSTEM, 2025, yearclose.parse_allocation({"date": "2026-03-28", "legal_reserve_pct": "20",
                                                  "education_reserve_pct": "20", "ristourne_pct": "25"})
    )  # fmt: skip
    users.add_user(SYSTEM, "aude", PASSWORD, "auditor")
    handle.close()
    monkeypatch.setenv("COOPLEDGER_PASSWORD", PASSWORD)
    monkeypatch.setenv("LANGUAGE", "en")
    return file


def _trial_balance(path: Path) -> dict[str, Decimal]:
    handle = open_database(path)
    try:
        tb = reports.trial_balance(SYSTEM)
        assert tb.balanced
        return {x.number: Decimal(x.balance_minor) / 100 for x in tb.lines if x.balance_minor}
    finally:
        handle.close()


def test_beancount_export_checks_and_agrees_with_the_trial_balance(path, tmp_path, capsys):
    out = tmp_path / "books.beancount"
    assert cli.run(["--db", str(path), "--user", "aude", "export-beancount", str(out)]) == 0
    assert "written" in capsys.readouterr().out
    check = subprocess.run([_tool("bean-check"), str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    query = subprocess.run(
        [_tool("bean-query"), "-f", "csv", str(out), "SELECT account, sum(number) AS total GROUP BY account"],
        capture_output=True,
        text=True,
    )
    assert query.returncode == 0, query.stderr
    got: dict[str, Decimal] = defaultdict(Decimal)
    members = 0
    for row in csv.DictReader(io.StringIO(query.stdout)):
        parts = row["account"].strip().split(":")
        members += len(parts) > 2
        got[parts[1]] += Decimal(row["total"].strip() or "0")
    want = _trial_balance(path)
    assert {k: v for k, v in got.items() if v} == want
    assert members >= 3  # members' payable and share accounts are sub-accounts per member
    text = out.read_text(encoding="utf-8")
    assert text.count("\n2025-03-02 * ") == 1  # one transaction per journal entry (the first sale's day)


def test_journal_export_lists_every_posting_with_its_account_number(path, tmp_path, capsys):
    out = tmp_path / "journal.csv"
    assert cli.run(["--db", str(path), "--user", "aude", "export", "journal", str(out)]) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == [
        "seq",
        "date",
        "kind",
        "memo",
        "account",
        "account_name",
        "member",
        "debit",
        "credit",
    ]
    debit = sum(Decimal(r["debit"] or "0") for r in rows)
    credit = sum(Decimal(r["credit"] or "0") for r in rows)
    assert debit == credit > 0
    by_number: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        assert r["account"].isdigit(), r  # numbers of the chart, never the ledger's keys
        by_number[r["account"]] += Decimal(r["debit"] or "0") - Decimal(r["credit"] or "0")
    assert {k: v for k, v in by_number.items() if v} == _trial_balance(path)
    assert {r["member"] for r in rows if r["account"] == "462"} >= {"M001", "M003"}
    names = {r["account"]: r["account_name"] for r in rows}
    assert names["5711"] == "Cash in national currency" and names["111"] == "Legal reserve"
