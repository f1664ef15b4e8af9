"""`import entries`: expenses, other income and transfers from a CSV or .xlsx file, each row posted through the
books' services — exact amounts, chained, the funds check counting the file's earlier rows, all or nothing,
the row and column of every refusal named, clerks and closed periods refused, the template read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from coop import chain
from coop.errors import ErrorList, PermissionDenied, ValidationError
from coop.models import BookEntry, Posting
from coop.permissions import SYSTEM
from coop.services import imports, ledger, periods, templates
from coop.services.books import reports, treasury
from tests.books.conftest import CLERK, TREASURER


def balance(treasury_id: int) -> int:
    return treasury.get(treasury_id).balance_minor


def balances(books) -> tuple[int, int, int]:
    return balance(books.cash), balance(books.mobile), balance(books.bank)


def run(path: Path, actor=TREASURER):
    return imports.IMPORTERS["entries"](actor, path)


def written() -> tuple[int, int]:
    return BookEntry.select().count(), Posting.select().count()


def refusals(excinfo) -> list[ValidationError]:
    exc = excinfo.value
    return exc.errors if isinstance(exc, ErrorList) else [exc]


HEADER = "date,kind,treasury,amount,account,to_treasury,party,document_ref,note\n"


def test_expense_income_and_transfer_post_their_exact_amounts(books, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_text(
        HEADER + "2025-02-10,expense,cash,12500.50,6053,,Station,F-1,fuel\n"
        "2025-02-11,income,5211,300000,71,,NGO,,grant\n"
        "2025-02-12,transfer,bank,100000,,mobile_money,,DEP-1,\n",
        encoding="utf-8",
    )
    cash, mobile, bank = balances(books)
    result = run(path)
    assert result.rows == 3 and "books" in result.changes.areas
    assert balances(books) == (cash - 1_250_050, mobile + 10_000_000, bank + 30_000_000 - 10_000_000)
    kinds = [
        (e.kind, e.amount_minor, e.party, e.document_ref) for e in BookEntry.select().order_by(BookEntry.id)
    ]
    assert kinds[-3:] == [
        ("expense", 1_250_050, "Station", "F-1"),
        ("income", 30_000_000, "NGO", ""),
        ("transfer", 10_000_000, "", "DEP-1"),
    ]
    assert ledger.unbalanced_entries() == [] and reports.trial_balance(SYSTEM).balanced
    assert chain.verify().ok


def test_semicolon_windows_1252_file_with_decimal_commas_and_translated_words(books, tmp_path):
    path = tmp_path / "dépenses.csv"
    text = (
        "Date;Type;treasury;Montant;account;to_treasury;party;document_ref;Remarque\r\n"
        "2025-02-10;Dépense;Cash box;1250,75;6053;;Café Élodie;;réunion\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    cash = balance(books.cash)
    assert run(path).rows == 1
    assert balance(books.cash) == cash - 125_075
    assert BookEntry.select().order_by(BookEntry.id.desc()).first().party == "Café Élodie"


def test_xlsx_file(books, tmp_path):
    path = tmp_path / "entries.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["date", "kind", "treasury", "amount", "account", "to_treasury"])
    sheet.append([date(2025, 3, 1), "transfer", "cash", 2500, "", "bank"])
    book.save(path)
    cash, _mobile, bank = balances(books)
    assert run(path).rows == 1
    assert balance(books.cash) == cash - 250_000 and balance(books.bank) == bank + 250_000


def test_a_row_taking_cash_below_zero_refuses_the_whole_file(books, tmp_path):
    """Cash holds 1 000 000: the first row leaves 400 000, so the second (500 000) is refused because of the
    first one — and nothing of the file is written, not even the rows that were fine."""
    path = tmp_path / "entries.csv"
    path.write_text(
        HEADER + "2025-02-10,expense,cash,600000,6053,,,,\n"
        "2025-02-11,expense,cash,500000,6053,,,,\n"
        "2025-02-12,income,bank,1000,71,,,,\n",
        encoding="utf-8",
    )
    before, was = written(), balances(books)
    with pytest.raises((ValidationError, ErrorList)) as excinfo:
        run(path)
    [error] = refusals(excinfo)
    assert (error.row, error.field) == (3, "amount") and "Not enough money" in error.msgid
    assert written() == before and balances(books) == was
    assert chain.verify().ok


def test_every_problem_of_a_row_is_named_by_its_column(books, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_text(
        HEADER + "2025-02-10,gift,nowhere,10.001,,,,,\n2025-02-10,expense,cash,100,,,,,\n"
        "2025-02-10,transfer,cash,100,,,Bank,,\n",
        encoding="utf-8",
    )
    before = written()
    with pytest.raises(ErrorList) as excinfo:
        run(path)
    found = {(e.row, e.field) for e in refusals(excinfo)}
    assert found == {
        (2, "kind"),
        (2, "treasury"),
        (2, "amount"),
        (3, "account"),
        (4, "to_treasury"),
        (4, "party"),
    }
    assert written() == before


def test_a_clerk_is_refused(books, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_text(HEADER + "2025-02-10,expense,cash,100,6053,,,,\n", encoding="utf-8")
    before = written()
    with pytest.raises(PermissionDenied):
        run(path, CLERK)
    assert written() == before


def test_a_date_in_a_closed_period_is_refused(books, tmp_path):
    periods.close(SYSTEM, date(2025, 1, 31))
    path = tmp_path / "entries.csv"
    path.write_text(
        HEADER + "2025-02-10,expense,cash,100,6053,,,,\n2025-01-20,expense,cash,100,6053,,,,\n",
        encoding="utf-8",
    )
    before = written()
    with pytest.raises((ValidationError, ErrorList)) as excinfo:
        run(path)
    [error] = refusals(excinfo)
    assert (error.row, error.field) == (3, "date") and "closed" in error.msgid
    assert written() == before


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_the_template_reads_back(books, tmp_path, suffix):
    path = templates.save_template("entries", tmp_path / f"entries.{suffix}")
    cash = balance(books.cash)
    assert run(path).rows == 1
    assert balance(books.cash) == cash - 2_500_000


def test_import_entries_and_its_template_through_the_command_line(tmp_path, monkeypatch):
    """A treasurer's file on a fresh file: the income of row 2 is what lets row 3 spend cash; a row that would
    overdraw is refused with its row and column, and nothing of that file is kept."""
    from tests.test_imports_more import PASSWORD, count, ok, refused, write

    monkeypatch.setenv("COOPLEDGER_PASSWORD", PASSWORD)
    monkeypatch.setenv("COOPLEDGER_NEW_PASSWORD", PASSWORD)
    f = tmp_path
    ok(f, "init", "--name", "Coop", "--currency", "CDF", "--locale", "fr_CD", "--country", "CD", user=None)
    ok(f, "user", "add", "gerant", "--role", "manager", user=None)
    ok(f, "user", "add", "tresor", "--role", "treasurer")
    ok(f, "user", "add", "clerc", "--role", "clerk")
    good = write(
        f,
        "entries.csv",
        HEADER + "2026-01-05,income,cash,100000,71,,NGO,,\n2026-01-06,expense,cash,60000,6053,,,,\n",
    )
    assert "Error" in refused(f, "import", "entries", good, user="clerc")
    assert count(f, "book_entry") == 0
    assert "2 rows imported" in ok(f, "import", "entries", good, user="tresor")
    ok(f, "template", "entries", str(f / "entries.xlsx"))
    assert "1 row imported" in ok(f, "import", "entries", str(f / "entries.xlsx"), user="tresor")  # 25 000
    bad = write(
        f,
        "bad.csv",
        HEADER + "2026-01-13,transfer,cash,10000,,bank,,,\n2026-01-14,expense,cash,10000,6053,,,,\n",
    )
    line = refused(f, "import", "entries", bad, user="tresor")  # 15 000 left: the second row overdraws
    assert "Row 3, column “amount”" in line and "Not enough money" in line
    assert count(f, "book_entry") == 3
