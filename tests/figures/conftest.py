"""A cooperative with awkward values built through the command line once per module, with its raw inputs
kept beside it for tests/figures/recompute.py."""

from __future__ import annotations

import contextlib
import io
import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.figures.recompute import Books, Lot, Rule, Sale

PASSWORD = "Figures-check-2026!"
LEVY_BP = 333  # an odd levy: 3.33 %
LATER_LEVY_BP = 250  # set after the first quarter: old receipts keep 3.33 %

MEMBERS = [
    ("F001", "Awa Ouédraogo"),
    ("F002", "Boureima Sawadogo"),
    ("F003", "Cheick Traoré"),
    ("F004", "Djeneba Kaboré"),
]
THIRDS = (("F001", "33.33"), ("F002", "33.33"), ("F003", "33.34"))
LOTS = [
    Lot("KAM-A1", date(2025, 1, 10), "Gold-T", "12.345", "916.5", THIRDS),
    Lot("KAM-A2", date(2025, 2, 1), "Tin-T", "20", "60", (("F004", "100"),)),
    Lot("KAM-A3", date(2025, 3, 1), "Gold-T", "5.5", "850", (("F001", "50"), ("F002", "50"))),
    Lot("KAM-A4", date(2025, 3, 1), "Gold-T", "0.002", "999.9", (("F003", "100"),)),  # 0.002 g fine
    Lot("KAM-A5", date(2025, 3, 2), "Coltan-T", "150.5", "30", (("F003", "50"), ("F004", "50"))),
    Lot("KAM-A6", date(2025, 4, 1), "Tin-T", "5000", "70", THIRDS),
    Lot("KAM-A7", date(2025, 5, 10), "Gold-T", "3.001", "995", (("F002", "60"), ("F004", "40"))),
]
SALES = [
    # XOF has no minor unit: a price of 52,345.5 XOF/g is kept as typed, the lot value rounded once
    Sale(1, date(2025, 1, 15), "comptoir", ("KAM-A1",), "XOF", "52345.5"),
    # a tin-ore price of 1.49 XOF/kg: 29.8 XOF, the 0.01 % fee rounds to zero and is still listed and filed
    Sale(2, date(2025, 2, 10), "comptoir", ("KAM-A2",), "XOF", "1.49"),
    # six-decimal price and rate, two lots, one of 0.002 g
    Sale(3, date(2025, 3, 5), "exporter", ("KAM-A3", "KAM-A4"), "USD", "2175.123456", "601.234567"),
    # no rule applies to coltan sold to an exporter: in the period's base with nothing due
    Sale(4, date(2025, 3, 20), "exporter", ("KAM-A5",), "XOF", "12500"),
    # a huge price at a tiny rate
    Sale(5, date(2025, 4, 10), "exporter", ("KAM-A6",), "USD", "999999.999999", "0.000001"),
    # after the levy and the royalty changed
    Sale(6, date(2025, 5, 20), "comptoir", ("KAM-A7",), "XOF", "50000"),
]
RULES = [
    Rule("royalty", "Royalty-T", "DGMG", 350, "Gold-T", "", True, date(2020, 1, 1), date(2025, 4, 30)),
    Rule("royalty2", "Royalty-T", "DGMG", 400, "Gold-T", "", True, date(2025, 5, 1)),
    Rule("fee", "Inspection fee-T", "BUMIGEB", 1, None, "comptoir", True, date(2020, 1, 1)),
    Rule("tin", "Tin tax-T", "DGMG", 200, "Tin-T", "", False, date(2020, 1, 1)),  # paid by the cooperative
]
VOID_S1 = date(2025, 5, 2)  # a sale of the first quarter voided in the second, after the first was closed


@dataclass
class Built:
    path: Path
    folder: Path
    books: Books
    q1_before: dict  # the first quarter's tax summary (--json) when it was filed
    q1_filing_before: str  # the text of its printed filing
    rule_ids: dict[str, int]


def cli(
    folder: Path, *args: str, user: str | None = "gerant", stdin: str | None = None
) -> tuple[int, str, str]:
    """One command through cli.run in this process: (exit code, stdout, stderr)."""
    import cli as command_line

    argv = ["--db", str(folder / "coop.sqlite"), "--data-dir", str(folder)]
    argv += (["--user", user] if user else []) + list(args)
    out, err = io.StringIO(), io.StringIO()
    old_stdin = os.sys.stdin
    try:
        if stdin is not None:
            os.sys.stdin = io.StringIO(stdin)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = command_line.run(argv)
    finally:
        os.sys.stdin = old_stdin
        _close()
    return code, out.getvalue(), err.getvalue()


def _close() -> None:
    from coop.models import database

    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()


def ok(folder: Path, *args: str) -> str:
    code, out, err = cli(folder, *args)
    assert code == 0, (args, err)
    return out


def as_json(folder: Path, *args: str) -> dict:
    return json.loads(ok(folder, *args, "--json"))


def copy_of(built: Built, tmp_path: Path) -> Path:
    """A folder holding a copy of the built cooperative's file, for a test that writes to it."""
    import sqlite3

    folder = tmp_path / "copy"
    folder.mkdir()
    src, dst = sqlite3.connect(built.path), sqlite3.connect(folder / "coop.sqlite")
    src.backup(dst)
    src.close()
    dst.close()
    return folder


def pdf_text(path: Path) -> str:
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def rule_values(r: Rule, minerals: dict[str, int], **more) -> dict:
    return dict(
        name=r.name,
        authority=r.authority,
        rate_bp=r.rate_bp,
        mineral=minerals[r.mineral] if r.mineral else None,
        buyer_kind=r.buyer_kind,
        withheld=r.withheld,
        valid_from=r.valid_from,
        **more,
    )


def _reference_data() -> tuple[dict[str, int], dict[str, int]]:
    """Site, minerals, buyers and tax rules (their command-line imports are another change's): through the
    services, as the desktop forms save them."""
    from coop.permissions import SYSTEM
    from coop.services import registry, taxes

    registry.save_site(SYSTEM, None, code="KAM", name="Kamsé")
    minerals = {
        "Gold-T": registry.save_mineral(SYSTEM, None, name="Gold-T", unit="g", grade_kind="fineness").id,
        "Tin-T": registry.save_mineral(SYSTEM, None, name="Tin-T", unit="kg", grade_kind="percent").id,
        "Coltan-T": registry.save_mineral(SYSTEM, None, name="Coltan-T", unit="kg", grade_kind="percent").id,
    }
    registry.save_buyer(SYSTEM, None, name="Comptoir Faso", kind="comptoir")
    registry.save_buyer(SYSTEM, None, name="Export Sahel", kind="exporter")
    ids = {}
    for r in RULES[:1] + RULES[2:]:  # the second royalty comes after the first quarter
        ids[r.key] = taxes.save_rule(SYSTEM, None, **rule_values(r, minerals)).id
    return ids, minerals


def _in_process(folder: Path):
    from coop import db

    return db.open_database(folder / "coop.sqlite")


BUYER = {"comptoir": "Comptoir Faso", "exporter": "Export Sahel"}


def _sales_csv(folder: Path, sales: list[Sale]) -> Path:
    rows = [
        [s.day.isoformat(), BUYER[s.buyer_kind], ";".join(s.lots), s.currency, s.price, s.rate, "cash"]
        for s in sales
    ]
    header = ["date", "buyer", "lot_references", "currency", "unit_price", "exchange_rate", "payment_method"]
    return _csv(folder / f"sales-{sales[0].number}.csv", header, rows)


def _lots_csv(folder: Path, lots: list[Lot], name: str) -> Path:
    rows = [
        [
            lot.ref,
            lot.day.isoformat(),
            "KAM",
            lot.mineral,
            lot.qty,
            lot.grade,
            ";".join(f"{no}:{pct}" for no, pct in lot.owners),
        ]
        for lot in lots
    ]
    return _csv(
        folder / name, ["reference", "date", "site_code", "mineral", "quantity", "grade", "owners"], rows
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    from coop.permissions import SYSTEM
    from coop.services import settings, taxes

    folder = tmp_path_factory.mktemp("figures")
    saved_env = dict(os.environ)
    os.environ["COOPLEDGER_PASSWORD"] = PASSWORD
    os.environ["COOPLEDGER_NEW_PASSWORD"] = PASSWORD
    try:
        code, _out, err = cli(
            folder, "init", "--name", "Coopérative des chiffres", "--currency", "XOF", "--locale", "fr_BF",
            "--levy", str(LEVY_BP), user=None,
        )  # fmt: skip
        assert code == 0, err
        code, _out, err = cli(folder, "user", "add", "gerant", "--role", "manager", user=None)
        assert code == 0, err
        handle = _in_process(folder)
        rule_ids, minerals = _reference_data()
        handle.close()

        books = Books(local="XOF", fineness={"Gold-T"})
        books.rules = list(RULES)
        members = _csv(
            folder / "members.csv",
            ["member_no", "full_name", "join_date", "site_code"],
            [[no, name, "2024-06-01", "KAM"] for no, name in MEMBERS],
        )
        ok(folder, "import", "members", str(members))
        for lot in LOTS:
            books.add_lot(lot)
        ok(folder, "import", "lots", str(_lots_csv(folder, LOTS[:6], "lots-1.csv")))
        ok(folder, "import", "sales", str(_sales_csv(folder, SALES[:4])))
        for s in SALES[:4]:
            books.sell(s, LEVY_BP)

        # the first quarter's taxes paid in cash, then the quarter closed: its filing is final
        handle = _in_process(folder)
        q1 = books.tax_period(date(2025, 1, 1), date(2025, 3, 31))
        for authority in ("DGMG", "BUMIGEB"):
            owed = sum(due for key, (_b, due) in q1["rows"].items() if _authority(key) == authority)
            taxes.pay(
                SYSTEM, authority=authority, amount=owed, day=date(2025, 3, 31), period_from=date(2025, 1, 1),
                period_to=date(2025, 3, 31), method="cash", reference=f"{authority}-Q1",
            )  # fmt: skip
            books.tax_payments.append((date(2025, 3, 31), date(2025, 1, 1), date(2025, 3, 31), owed))
        handle.close()
        ok(folder, "period", "close", "--to", "2025-03-31")
        q1_before = as_json(folder, "tax-summary", "--from", "2025-01-01", "--to", "2025-03-31")
        ok(
            folder,
            "report",
            "tax-filing",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--out",
            str(folder / "q1-a.pdf"),
        )
        q1_text = pdf_text(folder / "q1-a.pdf")

        # the second quarter: a huge price at a tiny rate, the first sale voided, payouts (one voided)
        ok(folder, "import", "sales", str(_sales_csv(folder, [SALES[4]])))
        books.sell(SALES[4], LEVY_BP)
        ok(folder, "void", "sale", "2025/1", "--reason", "wrong buyer", "--date", VOID_S1.isoformat())
        books.voids[1] = VOID_S1
        for pid, (no, amount, day) in enumerate(
            [
                ("F001", "100000", date(2025, 5, 3)),
                ("F002", "5000", date(2025, 5, 4)),
                ("F004", "17", date(2025, 5, 5)),
            ],
            1,
        ):
            ok(folder, "pay", no, amount, "--date", day.isoformat())
            books.payouts.append((pid, no, int(amount), day))
        ok(folder, "void", "payout", "2", "--reason", "paid twice", "--date", "2025-05-06")
        books.payout_voids[2] = date(2025, 5, 6)

        # the levy and the royalty change; a later sale uses the new ones, earlier receipts keep theirs
        handle = _in_process(folder)
        settings.save(SYSTEM, levy_bp=LATER_LEVY_BP)
        taxes.save_rule(
            SYSTEM, rule_ids["royalty"], **rule_values(RULES[0], minerals, valid_to=RULES[0].valid_to)
        )
        rule_ids["royalty2"] = taxes.save_rule(SYSTEM, None, **rule_values(RULES[1], minerals)).id
        handle.close()
        ok(folder, "import", "lots", str(_lots_csv(folder, LOTS[6:], "lots-2.csv")))
        ok(folder, "import", "sales", str(_sales_csv(folder, [SALES[5]])))
        books.sell(SALES[5], LATER_LEVY_BP)
        yield Built(folder / "coop.sqlite", folder, books, q1_before, q1_text, rule_ids)
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        _close()


def _authority(key: str) -> str:
    return next(r.authority for r in RULES if r.key == key)
