"""The rates a sale used are stored on it and hashed with it: a changed levy or tax rule does not change an old
receipt, a rewritten stored rate is caught by `verify`, and files from before schema 6 still verify."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.figures.conftest import LEVY_BP, cli, copy_of


def test_the_sale_row_holds_its_levy_and_tax_rates(built):
    conn = sqlite3.connect(built.path)
    rows = dict(conn.execute("SELECT receipt_no, levy_bp FROM sale").fetchall())
    rates = dict(conn.execute("SELECT receipt_no, tax_rates FROM sale").fetchall())
    conn.close()
    assert rows[1] == LEVY_BP and rows[6] == 250
    assert json.loads(rates[2]) == [[built.rule_ids["fee"], 1, True], [built.rule_ids["tin"], 200, False]]
    assert json.loads(rates[4]) == []  # no rule applied to it
    assert [built.rule_ids["royalty2"], 400, True] in json.loads(rates[6])


@pytest.mark.parametrize(
    "column,value",
    [("levy_bp", "100"), ("tax_rates", "'[[1,300,true],[2,1,true]]'"), ("price_micro", "price_micro + 1")],
)
def test_rewriting_a_stored_rate_is_caught_by_verify(built, tmp_path, column, value):
    folder = copy_of(built, tmp_path)
    conn = sqlite3.connect(folder / "coop.sqlite")
    conn.execute("DROP TRIGGER sale_final_update")  # a forger with the file and the code
    conn.execute(f"UPDATE sale SET {column} = {value} WHERE receipt_no = 1")
    conn.commit()
    conn.close()
    code, out, _err = cli(folder, "verify", "--json", user=None)
    result = json.loads(out)
    assert code == 1 and result["ok"] is False
    assert any("sale" in p and ("1" in p) for p in result["problems"]), result["problems"]


def test_clearing_a_stored_rate_is_caught_too(built, tmp_path):
    """NULL is how a sale from before schema 6 leaves the rates out of its hash: setting it on a newer sale
    changes the hashed fields."""
    folder = copy_of(built, tmp_path)
    conn = sqlite3.connect(folder / "coop.sqlite")
    conn.execute("DROP TRIGGER sale_final_update")
    conn.execute("UPDATE sale SET levy_bp = NULL WHERE receipt_no = 3")
    conn.commit()
    conn.close()
    code, out, _err = cli(folder, "verify", "--json", user=None)
    assert code == 1 and json.loads(out)["ok"] is False


def test_the_trigger_refuses_the_rewrite_without_the_forger(built, tmp_path):
    folder = copy_of(built, tmp_path)
    conn = sqlite3.connect(folder / "coop.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="final"):
        conn.execute("UPDATE sale SET levy_bp = 100 WHERE receipt_no = 1")
    conn.close()


FIXTURES = Path(__file__).resolve().parent.parent / "reliability" / "fixtures"


def test_a_file_from_before_schema_6_upgrades_verifies_and_prints_its_receipts(tmp_path):
    """Sales posted before the rates were stored keep NULL (left out of their hash): the chain still holds,
    and their receipt prints the levy without a rate rather than one worked back from rounded amounts."""
    from coop import chain, db
    from coop.permissions import SYSTEM
    from coop.services.documents import receipt

    path = tmp_path / "coop.sqlite"
    shutil.copyfile(FIXTURES / "v5.sqlite", path)
    handle = db.open_database(path)
    try:
        assert db.schema_version(handle) >= 6
        assert chain.verify().ok
        figures = receipt.receipt_data(SYSTEM, 1).figures
        assert figures.levy_bp is None
        assert [t.rate_bp for t in figures.taxes] == [350]  # read from the rule, frozen once applied
        assert figures.price_micro == 80_000_000  # the old minor-unit price, exact in millionths
        import io

        import pypdf

        import reports

        pdf = reports.build("receipt", SYSTEM, sale_id=1, fmt="a5", lang="en")
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
        levy_line = next(ln for ln in text.splitlines() if "Cooperative levy" in ln)
        assert "%" not in levy_line  # no rate worked back from the amounts (it printed 5.02 % for 5 %)
        assert "(3.50" in text  # the royalty's rate
    finally:
        handle.close()
