"""Issue 14: every sale, share, balance, statement and quarterly tax figure of the demo cooperative and of the
awkward one (tests/figures/conftest.py) recomputed from the CSV exports alone (tests/figures/from_csv.py) and
compared to the minor unit with the command line's --json output and the text of the printed PDFs."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.figures import conftest as figures
from tests.figures.from_csv import DIGITS, TABLES, Recomputed, member_numbers, read, recompute

DEMO_PASSWORD = "demo-pass-2025"
QUARTERS = [(date(2025, m, 1), date(2025, m + 2, 30 if m in (4, 7) else 31)) for m in (1, 4, 7, 10)]


@dataclass
class Coop:
    name: str
    folder: Path
    user: str
    password: str
    local: str
    figures: Recomputed
    exports: Path

    def cli(self, *args: str) -> str:
        saved = os.environ.get("COOPLEDGER_PASSWORD")
        os.environ["COOPLEDGER_PASSWORD"] = self.password
        try:
            code, out, err = figures.cli(self.folder, *args, user=self.user)
        finally:
            if saved is None:
                del os.environ["COOPLEDGER_PASSWORD"]
            else:
                os.environ["COOPLEDGER_PASSWORD"] = saved
        assert code == 0, (args, err)
        return out

    def json(self, *args: str) -> dict:
        import json

        return json.loads(self.cli(*args, "--json"))


def _exported(name: str, folder: Path, user: str, password: str, local: str) -> Coop:
    coop = Coop(name, folder, user, password, local, Recomputed(local), folder / "exports")
    coop.exports.mkdir()
    for table in TABLES:
        coop.cli("export", table, str(coop.exports / f"{table}.csv"))
    coop.figures = recompute(coop.exports, local)
    return coop


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Coop:
    folder = tmp_path_factory.mktemp("demo")
    saved = os.environ.get("COOPLEDGER_PASSWORD")
    os.environ["COOPLEDGER_PASSWORD"] = DEMO_PASSWORD
    try:
        code, _out, err = figures.cli(folder, "demo", user=None)
    finally:
        if saved is None:
            del os.environ["COOPLEDGER_PASSWORD"]
        else:
            os.environ["COOPLEDGER_PASSWORD"] = saved
    assert code == 0, err
    return _exported("demo", folder, "manager", DEMO_PASSWORD, "CDF")


@pytest.fixture(scope="module")
def awkward(built) -> Coop:
    return _exported("awkward", built.folder, "gerant", figures.PASSWORD, "XOF")


@pytest.fixture(params=["demo", "awkward"])
def coop(request) -> Coop:
    return request.getfixturevalue(request.param)


# --- sales -----------------------------------------------------------------------------------------------


def test_every_sale_recomputed_from_exports_matches_its_stored_figures(coop):
    rows = {int(s["id"]): s for s in read(coop.exports / "sales.csv") if s["state"] != "draft"}
    lot_values = {}
    for sl in read(coop.exports / "sale_lot.csv"):
        lot_values.setdefault(int(sl["sale_id"]), []).append(int(sl["value_minor"]))
    assert set(rows) == set(coop.figures.sales) and rows
    for sid, f in coop.figures.sales.items():
        s = rows[sid]
        got = [
            int(s[k]) for k in ("gross_minor", "gross_local_minor", "levy_minor", "tax_minor", "net_minor")
        ]
        assert got == [f.gross, f.gross_local, f.levy, f.withheld, f.net], (coop.name, sid)
        assert lot_values[sid] == f.lot_values, (coop.name, sid)
        assert sum(f.shares.values()) == f.net


def test_each_sales_journal_entry_posts_the_recomputed_levy_taxes_and_shares(coop):
    """The postings export: each sale's entry credits the levy, each tax rule and each owner's share."""
    entries = {
        int(e["id"]): int(e["source_id"])
        for e in read(coop.exports / "journal_entries.csv")
        if e["kind"] == "sale" and e["source_type"] == "sale"
    }
    tables = {name: read(coop.exports / f"{name}.csv") for name in ("postings", "journal", "journal_entries")}
    member_no = member_numbers(tables, DIGITS[coop.local])
    posted: dict[int, dict] = {}
    for p in read(coop.exports / "postings.csv"):
        sid = entries.get(int(p["entry_id"]))
        if sid is None:
            continue
        got = posted.setdefault(sid, {"shares": {}, "taxes": {}, "levy": 0, "debits": 0, "sum": 0})
        amount = int(p["amount_minor"])
        got["sum"] += amount
        if p["account"] != "tax_expense":  # a tax the cooperative bears is its expense, not the buyer's money
            got["debits"] += max(amount, 0)  # what the buyer paid, in whichever treasury account
        if p["account"] == "member_payable":
            no = member_no[int(p["member_id"])]
            got["shares"][no] = got["shares"].get(no, 0) - amount
        elif p["account"] == "tax_payable":
            rid = int(p["tax_rule_id"])
            got["taxes"][rid] = got["taxes"].get(rid, 0) - amount
        elif p["account"] == "levy_income":
            got["levy"] -= amount
    assert set(posted) == set(coop.figures.sales)
    for sid, f in coop.figures.sales.items():
        got = posted[sid]
        assert got["shares"] == {no: a for no, a in f.shares.items() if a}, (coop.name, sid)
        assert (got["levy"], got["debits"], got["sum"]) == (f.levy, f.gross_local, 0), (coop.name, sid)
        withheld = {rid: a for rid, a in f.taxes.items() if bool(int(coop.figures.rules[rid]["withheld"]))}
        # a tax the cooperative bears (not withheld) is also owed: it is payable either way
        assert {r: a for r, a in got["taxes"].items() if a} == {r: a for r, a in f.taxes.items() if a}, (
            coop.name,
            sid,
            withheld,
        )


# --- members ---------------------------------------------------------------------------------------------


def test_every_members_balance_agrees_with_the_exports(coop):
    assert coop.figures.members
    for no in coop.figures.members:
        want = coop.figures.balance(no)
        assert coop.figures.payable_by_postings.get(no, 0) == want, (coop.name, no)
        got = coop.json("balance", "--member", no)
        assert got["balance_minor"] == want, (coop.name, no, got)


@pytest.mark.parametrize(
    "period", [(date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 4, 1), date(2026, 12, 31))]
)
def test_every_members_statement_totals_agree_with_the_exports(coop, period):
    start, end = period
    for no in coop.figures.members:
        got = coop.json("statement", no, "--from", start.isoformat(), "--to", end.isoformat())
        want = coop.figures.statement(no, start, end)
        want.pop("book_entries_minor")  # the statement's JSON has no total for them (see below)
        assert {k: got[k] for k in want} == want, (coop.name, no, period)
        lines = sorted((ln["date"], ln["amount_minor"]) for ln in got["lines"])
        moves = sorted((d.isoformat(), a) for d, _k, a in coop.figures.movements(no) if start <= d <= end)
        assert lines == moves, (coop.name, no, period)


def test_demo_statement_totals_add_up_with_the_year_end_allocation(demo, tmp_path):
    """The closed 2025's ristourne (an entry of the books on each member's account, dated the assembly's
    day) is its own total: opening + earned − reversed − paid + payouts reversed + other = closing."""
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    no = next(who for who, day, _a in demo.figures.book_moves if start <= day <= end)
    got = demo.json("statement", no, "--from", start.isoformat(), "--to", end.isoformat())
    book = sum(a for who, day, a in demo.figures.book_moves if who == no and start <= day <= end)
    assert book and got["other_minor"] == book  # recomputed from the postings export
    parts = got["opening_minor"] + got["earned_minor"] - got["sales_reversed_minor"] - got["paid_minor"]
    assert parts + got["payouts_reversed_minor"] + got["other_minor"] == got["closing_minor"]
    assert got["closing_minor"] == demo.figures.balance(no)
    pdf = tmp_path / "st.pdf"
    demo.cli("report", "statement", "--member", no, "--from", start.isoformat(), "--to", end.isoformat(),
             "--out", str(pdf))  # fmt: skip
    text = _plain(figures.pdf_text(pdf))  # in the cooperative's French
    assert "Ristourne" in text and "book_entry" not in text
    assert _shows(text, book, demo.local), text


def test_printed_statements_show_the_recomputed_totals(coop, tmp_path):
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    members = [no for no in coop.figures.members if coop.figures.movements(no)]
    members = members[:4] + [no for no in members if _has_void(coop, no)][:2]
    for no in members:
        pdf = tmp_path / f"st-{no}.pdf"
        coop.cli("report", "statement", "--member", no, "--from", start.isoformat(), "--to", end.isoformat(),
                 "--out", str(pdf))  # fmt: skip
        text = _plain(figures.pdf_text(pdf))
        want = coop.figures.statement(no, start, end)
        for key in ("earned_minor", "paid_minor", "closing_minor", "sales_reversed_minor"):
            assert _shows(text, want[key], coop.local), (coop.name, no, key, want[key], text)


def _has_void(coop: Coop, no: str) -> bool:
    return any(k.endswith("void") for _d, k, _a in coop.figures.movements(no))


# --- taxes -----------------------------------------------------------------------------------------------


def _quarters(coop: Coop) -> list[tuple[date, date]]:
    days = [f.day for f in coop.figures.sales.values()] + list(coop.figures.sale_voids.values())
    return [(a, b) for a, b in QUARTERS if any(a <= d <= b for d in days)]


def test_tax_due_per_rule_per_quarter_agrees_with_the_exports(coop):
    quarters = _quarters(coop)
    assert quarters
    for start, end in quarters:
        want = coop.figures.tax_period(start, end)
        got = coop.json("tax-summary", "--from", start.isoformat(), "--to", end.isoformat())
        rows = {t["rule_id"]: (t["base_minor"], t["due_minor"]) for t in got["taxes"]}
        assert {r: v for r, v in rows.items() if v != (0, 0)} == {
            r: v for r, v in want["rows"].items() if v != (0, 0)
        }, (coop.name, start)
        assert got["due_minor"] == want["due"], (coop.name, start)
        assert got["untaxed_base_minor"] == want["untaxed"], (coop.name, start)
        assert got["paid_minor"] == want["paid"], (coop.name, start)


def test_printed_filings_show_the_recomputed_dues(coop, tmp_path):
    for start, end in _quarters(coop):
        pdf = tmp_path / f"filing-{start}.pdf"
        coop.cli(
            "report", "tax-filing", "--from", start.isoformat(), "--to", end.isoformat(), "--out", str(pdf)
        )
        text = _plain(figures.pdf_text(pdf))
        want = coop.figures.tax_period(start, end)
        section = text.split("2. ", 1)[1].split("3. ", 1)[0]
        for rid, (base, due) in want["rows"].items():
            if (base, due) == (0, 0):
                continue
            assert coop.figures.rules[rid]["name"] in section, (coop.name, start, rid)
            assert _shows(section, base, coop.local) and _shows(section, due, coop.local), (
                coop.name,
                start,
                rid,
            )
        total = text.split("Total dû", 1)[1][:80]
        assert _shows(total, want["due"], coop.local), (coop.name, start, total)
        paid = text.split("Total payé", 1)[1][:80]
        assert _shows(paid, want["paid"], coop.local), (coop.name, start, paid)


# --- helpers: amounts as the French documents print them ------------------------------------------------


def _plain(text: str) -> str:
    for space in ("\u202f", "\u00a0"):
        text = text.replace(space, " ")
    return text.replace("−", "-")


def _amount(minor: int, currency: str) -> str:
    """fr_CD / fr_BF: groups of three joined by a space, decimal comma; a negative sign in front."""
    d = DIGITS[currency]
    whole, frac = divmod(abs(minor), 10**d)
    text = f"{whole:,}".replace(",", " ") + (f",{frac:0{d}d}" if d else "")
    return ("-" if minor < 0 else "") + text


def _shows(text: str, minor: int, currency: str) -> bool:
    """`text` prints this amount as a whole number (not as part of a longer one)."""
    return (
        re.search(r"(?<![\d,])(?<!\d )" + re.escape(_amount(minor, currency)) + r"(?![\d,]| \d)", text)
        is not None
    )
