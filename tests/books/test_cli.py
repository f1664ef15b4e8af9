"""The books from the command line (cli.run in this process, as a signed-in user): entries, refusals with
the account's balance in one translated line and exit code 1, opening balances from a file, reports as JSON."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import cli
from coop.db import open_database
from coop.permissions import SYSTEM
from coop.services import users
from tests.conftest import make_small_coop

PASSWORD = "books-cli-pass-2025"


@pytest.fixture
def path(tmp_path, monkeypatch):
    file = tmp_path / "coop.sqlite"
    handle = open_database(file)
    make_small_coop()
    for name, role in (("tess", "treasurer"), ("clara", "clerk"), ("mgr", "manager")):
        users.add_user(SYSTEM, name, PASSWORD, role)
    handle.close()
    monkeypatch.setenv("COOPLEDGER_PASSWORD", PASSWORD)
    monkeypatch.setenv("LANGUAGE", "en")
    return file


def run(capsys, path, user, *args):
    code = cli.run(["--db", str(path), "--user", user, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_entries_reports_and_refusals(capsys, path, tmp_path):
    csv = tmp_path / "opening.csv"
    csv.write_text("account;debit;credit;member\n5711;500000;;\n5211;1000000;;\n1013;;20000;M001\n")
    assert run(capsys, path, "mgr", "opening-balances", str(csv), "--date", "2025-01-01")[0] == 0
    code, out, err = run(capsys, path, "mgr", "opening-balances", str(csv), "--date", "2025-01-01")
    assert code == 1 and "already entered" in err and len(err.strip().splitlines()) == 1
    ok = [
        ("expense", "--from", "5711", "--account", "6053", "--amount", "1250.50", "--date", "2025-02-01"),
        ("expense", "--from", "bank", "--split", "661=1000", "--split", "664=100", "--date", "2025-02-02"),
        ("income", "--to", "5211", "--account", "71", "--amount", "300", "--date", "2025-02-03"),
        ("transfer", "5211", "5521", "200000", "--date", "2025-02-04"),
        ("shares", "subscribe", "M002", "5000", "--date", "2025-02-05"),
        ("shares", "pay", "M002", "5000", "--date", "2025-02-05", "--treasury", "5521"),
        ("cash-count", "5711", "498749.50", "--date", "2025-02-06"),
        ("cash-count", "5711", "498700", "--date", "2025-02-07", "--reason", "coins missing"),
        ("treasury", "add", "Caisse Mwenga", "--kind", "cash"),
        ("transfer", "5711", "Caisse Mwenga", "1000", "--date", "2025-02-08"),
    ]
    for args in ok:
        code, out, err = run(capsys, path, "tess", *args)
        assert code == 0, (args, err)
    code, out, err = run(
        capsys, path, "tess", "transfer", "5521", "5711", "205000.01", "--date", "2025-02-09"
    )
    assert code == 1 and err.strip() == (
        "Error: Not enough money in Mobile-money wallet: its balance is 205\u202f000,00\xa0FC."
    )
    code, out, err = run(
        capsys, path, "tess", "expense", "--from", "5711", "--account", "6053", "--amount", "1.001"
    )
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, path, "tess", "trial-balance", "--json")
    tb = json.loads(out)
    assert tb["total_debit"] == tb["total_credit"] and tb["chart"] == "syscohada"
    by_number = {a["number"]: a for a in tb["accounts"]}
    assert Decimal(by_number["6053"]["debit"]) == Decimal("1250.50")
    assert Decimal(by_number["658"]["balance"]) == Decimal("49.50")  # the short count
    code, out, _err = run(capsys, path, "tess", "balance-sheet", "--json")
    assert json.loads(out)["balanced"] is True
    code, out, _err = run(capsys, path, "tess", "income-statement", "--json")
    st = json.loads(out)
    assert Decimal(st["result"]) == Decimal(st["total_income"]) - Decimal(st["total_expenses"])
    code, out, _err = run(capsys, path, "tess", "ledger", "5521", "--json")
    led = json.loads(out)
    assert Decimal(led["closing"]) == Decimal("205000") and len(led["lines"]) == 2
    code, out, _err = run(capsys, path, "tess", "treasury", "list", "--json")
    assert [t["number"] for t in json.loads(out)] == ["5711", "5712", "5521", "5211"]


def test_a_clerk_is_refused_in_one_line(capsys, path):
    for args in (("trial-balance",), ("expense", "--from", "5711", "--account", "6053", "--amount", "1")):
        code, _out, err = run(capsys, path, "clara", *args)
        assert code == 1 and "may not do this" in err and len(err.strip().splitlines()) == 1
