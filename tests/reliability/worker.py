"""Child process for the reliability tests: posts sales, holds a lock, or migrates, printing progress lines."""

from __future__ import annotations

import sys
import time
from datetime import date
from decimal import Decimal

from coop import db
from coop.models import Buyer, Member, Mineral, Site
from coop.permissions import Actor
from coop.services import production, sales


def sell(path: str, count: int) -> None:
    """Post sales (each of a fresh lot) forever or `count` times; print "series/receipt" after each commit."""
    db.open_database(path)
    actor = Actor("worker", "manager")
    site = Site.select().order_by(Site.id).first().id
    gold = Mineral.get(Mineral.name == "Gold").id
    buyer = Buyer.select().order_by(Buyer.id).first().id
    owners = [m.id for m in Member.select().order_by(Member.id).limit(2)]
    print("ready", flush=True)
    done = 0
    while count == 0 or done < count:
        today = date.today()
        lot = production.create_lot(
            actor,
            production.LotInput(
                site, gold, today, Decimal("1.5"), [(owners[0], 7000), (owners[1], 3000)], Decimal(900)
            ),
        ).id
        sale_id = sales.post_sale(
            actor, sales.SaleInput(buyer, [lot], today, "USD", Decimal("92.5"), Decimal("2850"))
        ).id
        sale = sales.Sale.get_by_id(sale_id)
        print(f"{sale.series}/{sale.receipt_no}", flush=True)
        done += 1


def hold(path: str, seconds: float) -> None:
    """Hold the database's write lock (another program in the middle of a long write)."""
    handle = db.open_database(path)
    handle.execute_sql("BEGIN IMMEDIATE")
    print("locked", flush=True)
    time.sleep(seconds)
    handle.rollback()


def migrate_slowly(path: str) -> None:
    """Run the real upgrade, but stop inside its transaction so the parent can kill us there."""
    latest = db.MIGRATIONS[db.LATEST]

    def slow(handle):
        latest(handle)
        print("migrating", flush=True)
        time.sleep(60)

    db.MIGRATIONS[db.LATEST] = slow
    db.open_database(path)


def restore(path: str, backup: str) -> None:
    from coop import backups

    print("ready", flush=True)
    backups.restore(path, backup)
    print("restored", flush=True)


if __name__ == "__main__":
    mode, target, *rest = sys.argv[1:]
    if mode == "sell":
        sell(target, int(rest[0]))
    elif mode == "hold":
        hold(target, float(rest[0]))
    elif mode == "restore":
        restore(target, rest[0])
    elif mode == "migrate":
        migrate_slowly(target)
    else:
        raise SystemExit(f"unknown mode {mode}")
