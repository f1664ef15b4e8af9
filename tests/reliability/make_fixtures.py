"""Build tests/reliability/fixtures/v<N>.sqlite: a small cooperative stored at every earlier schema version,
with the totals it must keep through upgrades in v<N>.json.  Run: python -m tests.reliability.make_fixtures"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from coop import chain, db
from coop.permissions import SYSTEM
from coop.services import ledger, payouts, sales, taxes, users

FIXTURES = Path(__file__).parent / "fixtures"


def create_at_version(path: Path, version: int):
    """A new database brought up to `version` only (the migrations as they were then)."""
    handle = db.open_database(path, migrate=False)
    with handle.atomic():
        for step in range(1, version + 1):
            db.MIGRATIONS[step](handle)
            handle.execute_sql(f"PRAGMA user_version = {step}")
    return handle


def fill() -> None:
    """Sales, a void, payouts, a tax payment and an account: every kind of chain link."""
    from tests.conftest import make_small_coop

    coop = make_small_coop()
    ids = []
    for i in range(12):
        owners = [(coop.members[i % 4], 6000), (coop.members[(i + 1) % 4], 4000)]
        lot = coop.lot(owners=owners, day=date(2025, 3, 1 + i), qty=str(5 + i))
        ids.append(coop.sell([lot], day=date(2025, 3, 1 + i), price=str(80 + i)))
    sales.void_sale(SYSTEM, ids[3], "wrong price")
    payouts.pay_member(SYSTEM, coop.members[0], Decimal(5000), date(2025, 3, 20), reference="PAY-1")
    voided = payouts.pay_member(SYSTEM, coop.members[1], Decimal(1000), date(2025, 3, 20)).id
    payouts.void_payout(SYSTEM, voided, "paid twice")
    taxes.pay(
        SYSTEM,
        authority="DGRAD",
        amount=Decimal(20000),
        day=date(2025, 3, 31),
        period_from=date(2025, 3, 1),
        period_to=date(2025, 3, 31),
        reference="DGRAD-03",
        rule_id=coop.royalty,
    )
    users.add_user(SYSTEM, "manager", "fixture-pass", "manager")


def totals() -> dict:
    """What an upgrade must not change."""
    result = chain.verify()
    # to the end of time: the fixture's voids are dated the day it was built, and a void counts on its date
    summary = taxes.summary(SYSTEM, date(2025, 1, 1), date.max)
    return {
        "chain_links": result.checked,
        "chain_head": result.head,
        "trial_balance": ledger.trial_balance(),
        "member_balances": {str(k): v for k, v in sorted(ledger.member_balances(SYSTEM).items())},
        "tax_due": summary.due_minor,
        "tax_paid": summary.paid_minor,
    }


def build(version: int, folder: Path = FIXTURES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"v{version}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    handle = create_at_version(path, version)
    fill()
    expected = totals()
    handle.close()
    conn = sqlite3.connect(path)  # one self-contained file for git
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("VACUUM")
    conn.close()
    (folder / f"v{version}.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")
    return path


if __name__ == "__main__":
    for v in range(1, db.LATEST):
        print(build(v), file=sys.stderr)
