"""The installed program's self-test: a fresh database, a small cooperative, one sale, a receipt, a verify."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from peewee import SqliteDatabase

from coop import db, i18n, verification
from coop.errors import CoopError
from coop.i18n import _
from coop.permissions import SYSTEM, Actor
from coop.services import ledger, production, registry, sales, settings, taxes

DB_NAME = "selftest.sqlite"
RECEIPT_NAME = "selftest-receipt.pdf"
LOG_NAME = "selftest.log"
# The locales whose formats the bundle must carry (babel data is pruned to these and their parents).
LOCALES = (
    "en",
    "en_GH",
    "fr",
    "fr_CD",
    "fr_CF",
    "fr_BF",
    "fr_ML",
    "es",
    "es_BO",
    "es_PE",
    "es_CO",
    "pt",
    "pt_BR",
    "pt_MZ",
    "sw",
    "sw_TZ",
    "sw_CD",
)

ReceiptRenderer = Callable[[Actor, int], bytes]


class SelfTestFailed(Exception):
    """One step of the self-test did not give the expected result."""


@dataclass
class Seeded:
    """Ids the self-test needs after seeding."""

    lot_ids: list[int]
    buyer: int
    members: list[int]


def _seed() -> Seeded:
    settings.save(SYSTEM, name="Self-test Coop", currency="CDF", locale="fr_CD", country="CD", levy_bp=500)
    gold = registry.save_mineral(
        SYSTEM, None, name="Gold", unit="g", grade_kind="fineness", hs_code="7108.12"
    ).id
    site = registry.save_site(SYSTEM, None, code="TST", name="Test site").id
    members = [
        registry.save_member(
            SYSTEM, None, member_no=f"T{i:03d}", full_name=name, join_date=date(2024, 1, 1), site=site
        ).id
        for i, name in enumerate(["Amani Bisimwa", "Neema Nabintu"], 1)
    ]
    buyer = registry.save_buyer(SYSTEM, None, name="Comptoir Test", kind="comptoir", licence_no="T-1").id
    taxes.save_rule(SYSTEM, None, name="Royalty", authority="DGRAD", rate_bp=350, valid_from=date(2020, 1, 1))
    lot = production.create_lot(
        SYSTEM,
        production.LotInput(
            site_id=site,
            mineral_id=gold,
            date=date(2026, 1, 5),
            quantity=Decimal("12.5"),
            grade=Decimal("850"),
            owners=[(members[0], 6000), (members[1], 4000)],
        ),
    ).id
    return Seeded([lot], buyer, members)


def _post_sale(seeded: Seeded) -> tuple[int, int]:
    inp = sales.SaleInput(
        buyer_id=seeded.buyer,
        lot_ids=seeded.lot_ids,
        date=date(2026, 1, 6),
        currency="USD",
        unit_price=Decimal("90"),
        exchange_rate=Decimal("2850"),
    )
    expected_net = sales.compute(inp).net_minor
    return sales.post_sale(SYSTEM, inp).id, expected_net


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailed(message)


def _check_books(handle: SqliteDatabase, seeded: Seeded, expected_net: int) -> str:
    report = verification.run(handle, full=True)
    _check(report.ok, "; ".join(p.message() for p in report.problems))
    owed = sum(ledger.member_balance(SYSTEM, m) for m in seeded.members)
    _check(
        owed == expected_net, _("members are owed {owed}, expected {net}").format(owed=owed, net=expected_net)
    )
    return report.head[:10]


def _check_formats() -> None:
    for loc in LOCALES:
        text = i18n.format_money(123456789, "CDF", loc)
        _check(bool(text) and any(ch.isdigit() for ch in text), f"format_money({loc}) gave {text!r}")


def _render(render_receipt: ReceiptRenderer | None, sale_id: int, folder: Path) -> Path:
    if render_receipt is None:
        raise SelfTestFailed(_("the PDF reports are not part of this build: cannot render a receipt"))
    pdf = render_receipt(SYSTEM, sale_id)
    _check(
        isinstance(pdf, bytes) and pdf.startswith(b"%PDF") and len(pdf) > 500, _("the receipt is not a PDF")
    )
    out = folder / RECEIPT_NAME
    out.write_bytes(pdf)
    return out


def _fresh_database(folder: Path) -> Path:
    path = folder / DB_NAME
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return path


def run(folder: Path, render_receipt: ReceiptRenderer | None, out: TextIO | None = None) -> int:
    """Run every step in `folder` (the data directory); print each step; 0 if all pass, 1 otherwise."""
    out = out if out is not None else sys.stdout
    step = _("start")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = _fresh_database(folder)
        step = _("create the database")
        handle = db.open_database(path)
        try:
            step = _("seed a small cooperative")
            seeded = _seed()
            step = _("post a sale")
            sale_id, expected_net = _post_sale(seeded)
            step = _("format amounts in every shipped locale")
            _check_formats()
            step = _("render the receipt")
            receipt = _render(render_receipt, sale_id, folder)
            step = _("verify the ledger")
            head = _check_books(handle, seeded, expected_net)
        finally:
            handle.close()
    except (SelfTestFailed, CoopError, OSError) as exc:
        detail = exc.message() if isinstance(exc, CoopError) else str(exc)
        _report(
            folder,
            [_("SELF-TEST FAILED at step “{step}”: {detail}").format(step=step, detail=detail)],
            sys.stderr,
        )
        return 1
    lines = [
        _("Database: {path}").format(path=path),
        _("Receipt: {path}").format(path=receipt),
        _("Self-test passed: sale {sale} posted, chain head {head}.").format(sale=sale_id, head=head),
    ]
    _report(folder, lines, out)
    return 0


def _report(folder: Path, lines: list[str], stream: TextIO | None) -> None:
    """Print the result and keep it in selftest.log (a windowed Windows program has no console)."""
    text = "\n".join(lines) + "\n"
    if stream is not None:
        stream.write(text)
    try:
        (folder / LOG_NAME).write_text(text, encoding="utf-8")
    except OSError:
        pass  # the folder itself could not be made: the message above says why
