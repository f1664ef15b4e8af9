"""`import sites|buyers|minerals|tax-rules|payouts|tax-payments` and `template` through the command line (cli.run),
as a cooperative scripting its move from paper: all or nothing, row and column named, permissions checked,
payouts and tax payments posted through their services (balances, ledger, chain, closed periods hold); and
a sales file in a foreign currency without its exchange rate is refused."""

from __future__ import annotations

import contextlib
import io
import sqlite3
from datetime import date
from pathlib import Path

import openpyxl
import pytest

PASSWORD = "Imports-check-2026!"


def cli(folder: Path, *args: str, user: str | None = "gerant") -> tuple[int, str, str]:
    import cli as command_line
    from coop.models import database

    argv = ["--db", str(folder / "coop.sqlite"), "--data-dir", str(folder), "--lang", "en"]
    argv += (["--user", user] if user else []) + list(args)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = command_line.run(argv)
    finally:
        if database.obj is not None and not database.obj.is_closed():
            database.obj.close()
    return code, out.getvalue(), err.getvalue()


def ok(folder: Path, *args: str, user: str | None = "gerant") -> str:
    code, out, err = cli(folder, *args, user=user)
    assert code == 0, (args, err)
    return out


def refused(folder: Path, *args: str, user: str = "gerant") -> str:
    """The command fails with one line naming what was wrong; returns that line."""
    code, out, err = cli(folder, *args, user=user)
    assert code == 1, (args, out)
    return err


def count(folder: Path, table: str) -> int:
    conn = sqlite3.connect(folder / "coop.sqlite")
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def rows(folder: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(folder / "coop.sqlite")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return str(path)


@pytest.fixture
def books(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPLEDGER_PASSWORD", PASSWORD)
    monkeypatch.setenv("COOPLEDGER_NEW_PASSWORD", PASSWORD)
    folder = tmp_path
    ok(folder, "init", "--name", "Coopérative d’essai", "--currency", "CDF", "--locale", "fr_CD", user=None)
    ok(folder, "user", "add", "gerant", "--role", "manager", user=None)
    ok(folder, "user", "add", "clerc", "--role", "clerk")
    return folder


def test_registers_then_payments_imported_through_the_command_line(books):
    f = books
    minerals = write(
        f, "minerals.csv", "name,unit,grade_kind,hs_code\nGold-X,g,fineness,7108.12\nTin-X,KG,percent,2609\n"
    )
    assert "2 rows imported" in ok(f, "import", "minerals", minerals)
    assert rows(f, "SELECT unit, grade_kind FROM mineral WHERE name = 'Tin-X'") == [("kg", "percent")]

    # sites from an .xlsx with number cells for the coordinates, on a sheet chosen by name
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["This workbook lists our sites."])
    sheet = book.create_sheet("Sites")
    sheet.append(["Code", "Name", "Latitude", "Longitude", "Licence_No", "Minerals", "Status"])
    sheet.append(["kmt", "Kamituga", -3.0612, 28.1797, "ZEA 123", "Gold-X", "active"])
    sheet.append(["nya", "Nyabibwe", -1.96, 28.93, "", "Tin-X", None])
    book.save(f / "sites.xlsx")
    assert "Error" in refused(
        f, "import", "sites", str(f / "sites.xlsx")
    )  # the first sheet has no code column
    assert "2 rows imported" in ok(f, "import", "sites", str(f / "sites.xlsx"), "--sheet", "Sites")
    assert rows(f, "SELECT code, latitude, longitude, status FROM site ORDER BY code") == [
        ("KMT", "-3.0612", "28.1797", "active"),
        ("NYA", "-1.96", "28.93", "active"),
    ]
    assert "“KMT” is already used" in refused(f, "import", "sites", str(f / "sites.xlsx"), "--sheet", "Sites")

    # buyers from a semicolon, Windows-1252 CSV as a French Excel saves it
    buyers = write(
        f,
        "acheteurs.csv",
        "name;licence_no;kind;tax_id\r\nComptoir Étoile du Kivu;C-1;comptoir;A123\r\nRaffinerie São João;R-2;refinery;\r\n",
        "cp1252",
    )
    assert "2 rows imported" in ok(f, "import", "buyers", buyers)
    assert rows(f, "SELECT name, kind FROM buyer ORDER BY name") == [
        ("Comptoir Étoile du Kivu", "comptoir"),
        ("Raffinerie São João", "refinery"),
    ]
    again = write(f, "again.csv", "name,kind\ncomptoir étoile du kivu,comptoir\n")
    assert "Row 2" in refused(f, "import", "buyers", again)  # a sale names its buyer: no two of one name

    rules = write(
        f,
        "rules.csv",
        "name,authority,rate,mineral,buyer_kind,valid_from,valid_to,withheld,note\n"
        "Royalty,DGRAD,3.5,,,2020-01-01,,yes,Mining Code 2018\n"
        "Royalty,DGRAD,10,Tin-X,,2020-01-01,,oui,\n"
        "Export tax,DGDA,1.25,Gold-X,refinery,2020-01-01,2030-12-31,no,\n",
    )
    bad_rules = write(
        f,
        "bad-rules.csv",
        "name,authority,rate,valid_from\nFee,DGRAD,0.125,2020-01-01\nFee,DGRAD,60,2020-01-01\n",
    )
    line = refused(f, "import", "tax-rules", bad_rules)
    assert "Row 2, column “rate”" in line and "Row 3, column “rate”" in line
    assert count(f, "tax_rule") == 0
    assert "3 rows imported" in ok(f, "import", "tax-rules", rules)
    assert rows(f, "SELECT rate_bp, buyer_kind, withheld FROM tax_rule ORDER BY id") == [
        (350, "", 1),
        (1000, "", 1),
        (125, "refinery", 0),
    ]

    # members, a lot and a sale, so that members are owed something
    members = write(
        f,
        "members.csv",
        "member_no,full_name,join_date,site_code\nM1,Amani Bisimwa,2024-01-01,KMT\nM2,Neema Riziki,2024-01-01,KMT\n",
    )
    ok(f, "import", "members", members)
    lots = write(
        f,
        "lots.csv",
        "reference,date,site_code,mineral,quantity,grade,owners\nKMT-1,2026-01-05,KMT,Gold-X,10,900,M1:50;M2:50\n",
    )
    ok(f, "import", "lots", lots)
    sales = "date,buyer,lot_references,currency,unit_price,exchange_rate,payment_method\n"
    entries = count(f, "journal_entry")
    no_rate = write(f, "no-rate.csv", sales + "2026-01-06,Comptoir Étoile du Kivu,KMT-1,USD,90,,cash\n")
    line = refused(f, "import", "sales", no_rate)
    assert "Row 2, column “exchange_rate”" in line and "needs its exchange rate" in line
    assert count(f, "sale") == 0 and count(f, "journal_entry") == entries
    no_column = write(
        f,
        "no-column.csv",
        "date,buyer,lot_references,currency,unit_price\n2026-01-06,Comptoir Étoile du Kivu,KMT-1,usd,90\n",
    )
    assert "Row 2, column “exchange_rate”" in refused(f, "import", "sales", no_column)
    local = write(
        f,
        "local.csv",
        "date,buyer,lot_references,currency,unit_price\n2026-01-06,Comptoir Étoile du Kivu,KMT-1,CDF,250000\n",
    )
    ok(f, "import", "sales", local)  # in the local currency no rate is needed
    owed = dict(
        rows(
            f,
            "SELECT m.member_no, -SUM(p.amount_minor) FROM posting p JOIN member m ON m.id = p.member_id WHERE p.account = 'member_payable' GROUP BY m.member_no",
        )
    )
    assert owed["M1"] > 100_000 and owed["M1"] == owed["M2"]

    # payouts: through payouts.pay_member, so a payout above what the member is owed is refused
    payouts = "date,member_no,amount,method,reference\n"
    too_much = write(
        f,
        "too-much.csv",
        payouts
        + f"2026-01-10,M1,1000,cash,P-1\n2026-01-10,m2,{owed['M2'] / 100 + 1:.2f},cash,P-2\n2026-01-10,M9,5,cash,\n2026-01-10,M1,1.005,cash,\n",
    )
    line = refused(f, "import", "payouts", too_much)
    assert (
        "Row 3, column “amount”" in line
        and "Row 4, column “member_no”" in line
        and "Row 5, column “amount”" in line
    )
    assert count(f, "payout") == 0
    good = str(f / "payouts.xlsx")
    book = openpyxl.Workbook()
    book.active.append(["Date", "Member_No", "Amount", "Method", "Reference"])
    book.active.append([date(2026, 1, 10), "M1", 1000.5, "cash", "P-1"])
    book.active.append([date(2026, 1, 11), "m2", 250, "Cash", "P-2"])
    book.save(good)
    assert "2 rows imported" in ok(f, "import", "payouts", good)
    assert rows(f, "SELECT amount_minor, method, state FROM payout ORDER BY id") == [
        (100050, "cash", "posted"),
        (25000, "cash", "posted"),
    ]

    # tax payments: through taxes.pay; two rules share the name Royalty, so the rate says which
    payments = "date,authority,amount,period_from,period_to,tax,tax_rate,method,reference\n"
    ambiguous = write(
        f, "ambiguous.csv", payments + "2026-02-15,DGRAD,100,2026-01-01,2026-01-31,Royalty,,bank,\n"
    )
    assert "Several tax rules are named Royalty" in refused(f, "import", "tax-payments", ambiguous)
    good = write(
        f,
        "tax.csv",
        payments
        + "2026-02-15,DGRAD,100,2026-01-01,2026-01-31,royalty,3.5,cash,Q-1\n2026-02-15,DGDA,50,2026-01-01,2026-01-31,,,cash,\n",
    )
    assert "2 rows imported" in ok(f, "import", "tax-payments", good)
    assert rows(f, "SELECT amount_minor, tax_rule_id IS NOT NULL, state FROM tax_payment ORDER BY id") == [
        (10000, 1, "posted"),
        (5000, 0, "posted"),
    ]
    posted = rows(f, "SELECT kind FROM journal_entry ORDER BY seq")[entries:]
    assert [k for (k,) in posted] == ["sale", "payout", "payout", "tax_payment", "tax_payment"]
    assert "OK" in ok(f, "verify", user=None)

    # a closed period: nothing may be dated in it, imports included
    ok(f, "period", "close", "--to", "2026-01-31")
    late = write(f, "late.csv", payouts + "2026-01-20,M1,10,cash,\n")
    assert "Row 2" in refused(f, "import", "payouts", late)
    assert count(f, "payout") == 2


def test_imports_check_permissions(books):
    f = books
    payouts = write(f, "p.csv", "date,member_no,amount\n2026-01-10,M1,10\n")
    for kind, path in (
        ("payouts", payouts),
        ("tax-rules", payouts),
        ("buyers", payouts),
        ("minerals", payouts),
    ):
        line = refused(f, "import", kind, path, user="clerc")
        assert "Error" in line and "Row" not in line, kind  # refused before the file is read
    sites = write(f, "s.csv", "code,name\nABC,Site ABC\n")
    assert "1 row imported" in ok(f, "import", "sites", sites, user="clerc")  # a clerk keeps the register


@pytest.mark.parametrize(
    "kind",
    ["members", "lots", "sales", "sites", "buyers", "minerals", "tax-rules", "payouts", "tax-payments"],
)
def test_template_command_writes_both_formats(books, kind):
    f = books
    assert "Template written" in ok(f, "template", kind, str(f / f"{kind}.xlsx"))
    assert "Template written" in ok(f, "template", kind, str(f / f"{kind}.csv"))
    book = openpyxl.load_workbook(f / f"{kind}.xlsx", read_only=True)
    header = next(book.active.iter_rows(values_only=True))
    from coop.services import templates

    assert list(header) == templates.COLUMNS[kind]  # --lang en: the English column names
    assert (
        (f / f"{kind}.csv")
        .read_bytes()
        .startswith(b"\xef\xbb\xbf" + ",".join(templates.COLUMNS[kind]).encode())
    )
    assert "Error" in refused(f, "template", kind, str(f / f"{kind}.ods"))


# --- fuzzed files of the new kinds (in process, on the small cooperative of tests/conftest.py) ------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

GOOD = {
    "code": "FZ",
    "name": "Fuzz",
    "latitude": "-3.06",
    "longitude": "28.17",
    "unit": "g",
    "grade_kind": "none",
    "kind": "comptoir",
    "authority": "DGRAD",
    "rate": "3.5",
    "valid_from": "2020-01-01",
    "withheld": "yes",
    "date": "2026-01-10",
    "member_no": "M001",
    "amount": "0.01",
    "method": "cash",
    "period_from": "2026-01-01",
    "period_to": "2026-01-31",
}
NASTY = [
    "",
    " ",
    "0",
    "-5",
    "1e3",
    "9" * 30,
    "NaN",
    "12,5",
    "2.850",
    "0.001",
    "=1+1",
    "x" * 300,
    "2026-13-01",
    "ZZZ",
]


@pytest.mark.parametrize("kind", ["sites", "buyers", "minerals", "tax-rules", "payouts", "tax-payments"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_files_of_the_new_kinds_are_all_or_nothing(coop, tmp_path, kind, data):
    import csv as csvmodule

    from coop.errors import ErrorList, ValidationError
    from coop.models import AuditLog, Buyer, JournalEntry, Mineral, Payout, Site, TaxPayment, TaxRule
    from coop.permissions import SYSTEM
    from coop.services import imports, imports_more

    if kind == "payouts":  # the members are owed something
        coop.sell([coop.lot()])
    columns = imports_more.COLUMNS[kind]
    delimiter = data.draw(st.sampled_from([",", ";"]))
    body = []
    for n in range(data.draw(st.integers(0, 3))):
        row = {c: GOOD.get(c, "") for c in columns}
        row["code"] = row["name"] = f"FZ{n}"
        for column in data.draw(st.lists(st.sampled_from(columns), max_size=2)):
            row[column] = data.draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)))
        body.append([row[c] for c in columns])
    path = tmp_path / f"{kind}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csvmodule.writer(handle, delimiter=delimiter).writerows([columns, *body])
    tables = (Site, Buyer, Mineral, TaxRule, Payout, TaxPayment, JournalEntry, AuditLog)
    before = [t.select().count() for t in tables]
    try:
        imports.IMPORTERS[kind](SYSTEM, path)
    except (ErrorList, ValidationError) as exc:
        problems = exc.errors if isinstance(exc, ErrorList) else [exc]
        assert problems and all(p.row is not None and p.row >= 1 and p.field for p in problems), problems
        assert [t.select().count() for t in tables] == before
        return
    assert [t.select().count() for t in tables] != before
