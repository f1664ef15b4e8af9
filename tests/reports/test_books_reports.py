"""The books' PDFs in English, French and Swahili, read back with pypdf: the totals printed equal sums of the
postings computed here in plain SQL; the balance sheet balances; after the year close the next year's income
statement starts at zero and the balance sheet carries forward; the CSV of each report from the command line."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest

import reports
from coop.models import database
from coop.permissions import SYSTEM
from coop.services.books import cashcount, entries, treasury, yearclose
from tests.books.conftest import books  # noqa: F401 (the fixture)
from tests.reports.conftest import flat, nb, pdf_text

START, END = date(2025, 1, 1), date(2025, 12, 31)
LANGS = ("en", "fr", "sw")

# Sums of the postings by the type of the account their key lands on, written here without the services.
_BY_TYPE = """
SELECT COALESCE(SUM(p.amount_minor), 0),
       COALESCE(SUM(CASE WHEN p.amount_minor > 0 THEN p.amount_minor ELSE 0 END), 0)
FROM posting p JOIN journal_entry j ON j.id = p.entry_id
LEFT JOIN account_key k ON k.key = p.account
JOIN chart_account c ON c.number = COALESCE(k.number, p.account)
WHERE c.type IN ({types}) AND j.date >= ? AND j.date <= ?
  AND NOT (j.source_type = 'book_entry' AND j.source_id IN (SELECT id FROM book_entry WHERE kind IN ({left_out})))
"""


def sums(
    types: tuple[str, ...], since: date, until: date, left_out: tuple[str, ...] = ("-",)
) -> tuple[int, int]:
    """(balance, debits) of the postings on accounts of `types` dated in the period."""
    sql = _BY_TYPE.format(types=",".join("?" * len(types)), left_out=",".join("?" * len(left_out)))
    row = database.execute_sql(sql, [*types, since.isoformat(), until.isoformat(), *left_out]).fetchone()
    return int(row[0]), int(row[1])


def text(kind: str, lang: str, **params) -> str:
    return flat(nb(pdf_text(reports.build(kind, SYSTEM, lang=lang, **params))))


def shows(kind_text: str, lang: str, minor: int) -> bool:
    return nb(reports.make_ctx(lang).amount(minor)) in kind_text


@pytest.fixture
def year(books):  # noqa: F811
    c = books.coop
    c.sell([c.lot(day=date(2025, 3, 1), qty="12")], day=date(2025, 3, 2))
    c.sell([c.lot(day=date(2025, 4, 1), qty="5", owners=[(c.members[2], 10_000)])], day=date(2025, 4, 2))
    entries.record_expense(
        SYSTEM, day=date(2025, 5, 1), treasury_id=books.cash, account="6053", amount="2500.25"
    )
    entries.record_expense(
        SYSTEM, day=date(2025, 5, 2), treasury_id=books.bank, account="622", amount="40000"
    )
    entries.record_income(SYSTEM, day=date(2025, 6, 1), treasury_id=books.bank, account="71", amount="15000")
    counted = Decimal(treasury.get(books.cash).balance_minor - 500) / 100  # 5 CDF short
    cashcount.count_cash(SYSTEM, books.cash, str(counted), date(2025, 6, 30), reason="coins short")
    return books


@pytest.mark.parametrize("lang", LANGS)
def test_printed_totals_equal_the_postings(year, lang):
    every = ("asset", "liability", "equity", "income", "expense")
    _zero, debits = sums(every, START, END)
    tb = text("trial-balance", lang, start=START, end=END)
    assert debits > 0 and shows(tb, lang, debits)  # total debits = total credits, printed in both columns
    assert tb.count(nb(reports.make_ctx(lang).amount(debits))) >= 2

    income = -sums(("income",), START, END)[0]
    expenses = sums(("expense",), START, END)[0]
    inc = text("income-statement", lang, start=START, end=END)
    assert shows(inc, lang, income) and shows(inc, lang, expenses)
    assert nb(reports.make_ctx(lang).money(income - expenses)) in inc

    assets = sums(("asset",), date(2000, 1, 1), END)[0]
    bs = text("balance-sheet", lang, end=END)
    assert shows(bs, lang, assets)
    if lang == "en":  # a DRC cooperative: SYSCOHADA headings (translated in the other languages)
        assert (
            "Treasury – assets (class 5)" in bs and "Reserves (11)" not in bs
        )  # no reserve before the close

    cash = database.execute_sql(
        "SELECT SUM(p.amount_minor) FROM posting p JOIN journal_entry j ON j.id = p.entry_id"
        " WHERE p.account = 'cash' AND j.date <= ?",
        [END.isoformat()],
    ).fetchone()[0]
    cb = text("cash-book", lang, treasury_id=year.cash, start=START, end=END)
    assert shows(cb, lang, cash) and "coins short" in cb
    gl = text("general-ledger", lang, account="5711", start=START, end=END)
    assert shows(gl, lang, cash)


def test_balance_sheet_balances_and_the_next_year_starts_at_zero(year):
    decision = yearclose.parse_allocation(
        {
            "date": "2026-03-28",
            "legal_reserve_pct": "20",
            "education_reserve_pct": "20",
            "ristourne_pct": "30",
        }
    )
    before = reports.make_ctx("en")
    yearclose.close_year(SYSTEM, 2025, decision)
    closed = yearclose.closed_year(SYSTEM, 2025)
    assert closed is not None and closed.result_minor > 0
    for lang in LANGS:
        ctx = reports.make_ctx(lang)
        nxt = text("income-statement", lang, start=date(2026, 1, 1))
        assert nb(ctx.money(0)) in nxt  # the net result of the new year: nothing yet
        assert not shows(nxt, lang, closed.income_minor)
        bs = text("balance-sheet", lang)
        assets = sums(("asset",), date(2000, 1, 1), date.today())[0]
        liabilities_equity = -sums(
            ("liability", "equity", "income", "expense"), date(2000, 1, 1), date.today()
        )[0]
        assert assets == liabilities_equity  # the ledger balances: the sheet's two totals are this one figure
        assert bs.count(nb(ctx.amount(assets))) >= 2
        # the reserves the assembly decided are on the sheet; the year's result is no longer awaiting
        assert shows(bs, lang, closed.legal_reserve_minor)
    annual = flat(nb(pdf_text(reports.build("annual", SYSTEM, lang="en", year=2025))))
    assert nb(before.money(closed.ristourne_minor)) in annual and "Balance sheet" in annual


def test_each_report_as_csv_from_the_command_line(year, tmp_path, monkeypatch, capsys):
    import cli
    from coop.db import open_database
    from coop.services import users

    users.add_user(SYSTEM, "aude", "books-report-pass-2025", "auditor")
    path = str(database.database)
    monkeypatch.setenv("COOPLEDGER_PASSWORD", "books-report-pass-2025")
    monkeypatch.setenv("LANGUAGE", "en")
    database.close()
    try:
        for kind, extra in (
            ("trial-balance", ["--to", "2025-12-31"]),
            ("income-statement", ["--from", "2025-01-01", "--to", "2025-12-31"]),
            ("balance-sheet", ["--date", "2025-12-31"]),
            ("general-ledger", ["--account", "5711"]),
            ("cash-book", ["--treasury", "5711"]),
        ):
            out = tmp_path / f"{kind}.csv"
            code = cli.run(["--db", path, "--user", "aude", "report", kind, *extra, "--out", str(out)])
            assert code == 0, capsys.readouterr().err
            rows = list(csv.reader(out.open(encoding="utf-8")))
            assert len(rows) > 2, kind
            if kind == "trial-balance":
                assert sum(Decimal(r[3]) for r in rows[1:]) == sum(Decimal(r[4]) for r in rows[1:])
            if kind == "income-statement":
                assert rows[-1][0] == "result"
                result = sum(Decimal(r[3]) for r in rows[1:-1] if r[0] == "income")
                result -= sum(Decimal(r[3]) for r in rows[1:-1] if r[0] == "expenses")
                assert Decimal(rows[-1][3]) == result
            if kind == "cash-book":
                assert any(r[2] == "count" and r[3] == "coins short" for r in rows)
    finally:
        open_database(path)


def test_plain_layout_outside_ohada(db):
    """A Bolivian cooperative: the plain chart and layout (no SYSCOHADA classes), totals from the postings."""
    from coop.services import settings
    from coop.services.books import opening

    settings.save(SYSTEM, name="Coop", currency="BOB", locale="es_BO", country="BO")
    opening.enter(SYSTEM, [opening.OpeningRow("1301", "1000"), opening.OpeningRow("1101", "250.50")], START)
    bank = next(t.id for t in treasury.accounts(SYSTEM) if t.key == "bank")
    entries.record_expense(SYSTEM, day=date(2025, 2, 1), treasury_id=bank, account="5200", amount="100")
    for lang in ("en", "es"):
        bs = text("balance-sheet", lang, end=END)
        assert "(class" not in bs and "(clase" not in bs
        assert shows(bs, lang, sums(("asset",), START, END)[0])
        inc = text("income-statement", lang, start=START, end=END)
        assert shows(inc, lang, 10_000)
    plain = text("balance-sheet", "en", end=END)
    assert "Total equity" in plain and "Total assets" in plain and "Equity and liabilities" not in plain


def test_the_annual_report_after_a_closed_year_reconciles_with_the_ristourne(demo_db):
    """2026 starts with the 2025 allocation on members' accounts: start + earned + ristourne − paid = end."""
    from coop.services import ledger as ledger_service
    from coop.services.documents import annual as annual_data

    a = annual_data.annual(SYSTEM, 2026)
    assert a.credited_by_books_minor > 0  # the demo's 2025 ristourne, dated the 2026 assembly
    end = -ledger_service.account_balance("member_payable", until=a.period_to)
    assert a.owed_to_members_end_minor == end
    total = a.owed_to_members_start_minor + a.net_to_members_minor + a.credited_by_books_minor
    assert total - a.paid_to_members_minor == end
    text = flat(pdf_text(reports.build("annual", SYSTEM, year=2026, lang="en")))
    assert "patronage refund and other entries of the books" in text
