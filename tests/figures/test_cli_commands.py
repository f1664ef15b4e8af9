"""The command line's void, pay and statement commands and their refusals, on a copy of the built cooperative."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.figures.conftest import as_json, cli, copy_of, ok


@pytest.fixture
def copy(built, tmp_path) -> Path:
    return copy_of(built, tmp_path)


def _error(folder: Path, *args: str) -> str:
    code, _out, err = cli(folder, *args)
    assert code == 1 and "Traceback" not in err
    return err


def test_a_void_in_a_closed_period_is_refused(copy):
    err = _error(copy, "void", "sale", "2025/3", "--reason", "late", "--date", "2025-03-25")
    assert "2025-03-31" in err
    err = _error(copy, "void", "sale", "2025/5", "--reason", "early", "--date", "2025-04-09")
    assert "2025-04-10" in err  # never before the record it voids


def test_a_payout_with_more_decimals_than_the_currency_is_refused(copy):
    assert "at most 0" in _error(copy, "pay", "F001", "10.5")
    before = as_json(copy, "balance", "--member", "F001")["balance_minor"]
    assert "F001" in ok(copy, "balance", "--member", "F001")
    _error(copy, "pay", "F001", str(before + 1))  # more than is owed
    ok(copy, "pay", "F001", str(before), "--method", "cash", "--date", "2025-06-01")
    assert as_json(copy, "balance", "--member", "F001")["balance_minor"] == 0


def test_voiding_a_tax_payment_of_a_filed_quarter_leaves_its_filing(copy, built):
    q1 = as_json(copy, "tax-summary", "--from", "2025-01-01", "--to", "2025-03-31")
    owed = as_json(copy, "balance")["tax_payable_minor"]
    paid = q1["payments"][0]
    ok(copy, "void", "tax-payment", str(paid["id"]), "--reason", "bank returned it")
    assert as_json(copy, "tax-summary", "--from", "2025-01-01", "--to", "2025-03-31") == q1  # as filed
    assert as_json(copy, "balance")["tax_payable_minor"] == owed + paid["amount_minor"]


def test_text_outputs_translate_their_labels(copy):
    out = ok(copy, "--lang", "fr", "tax-summary", "--from", "2025-04-01", "--to", "2025-06-30")
    assert "\nSolde\t" in out  # "Due" and "Paid" are translated once their new msgids are merged
    out = ok(copy, "--lang", "fr", "statement", "F004")
    assert "Solde d’ouverture" in out and "Solde de clôture" in out


def test_json_amounts_are_exact_strings_in_major_units(copy):
    s = as_json(copy, "statement", "F003", "--from", "2025-01-01")
    for line in s["lines"]:
        assert (
            isinstance(line["amount"], str) and int(line["amount"]) == line["amount_minor"]
        )  # XOF: 0 digits
