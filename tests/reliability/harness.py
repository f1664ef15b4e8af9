"""Shared machinery of the reliability tests and of `make reliability`: child processes, kills, checks."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from coop import chain, db
from coop.models import ReceiptCounter, Sale
from coop.services import ledger

ROOT = Path(__file__).resolve().parents[2]
MANAGER = "manager"  # the account new_coop creates and cli signs in as
PASSWORD = "reliability-pass-1"


def child(*args: str, stdout=subprocess.PIPE, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `python -m tests.reliability.worker ARGS` from the worktree root."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.worker", *args],
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def cli(
    *args: str, env: dict[str, str] | None = None, user: int | None = None, account: str | None = MANAGER
) -> subprocess.CompletedProcess:
    """Run `python main.py ARGS` signed in as `account` (None: without an account, as `verify` may run);
    `user` runs it under another uid (for read-only files when we are root)."""
    sign_in = ["--user", account] if account else []
    return subprocess.run(
        [sys.executable, "main.py", *sign_in, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**signed_in_env(), "LANGUAGE": "en", **(env or {})},
        user=user,
    )


def signed_in_env() -> dict[str, str]:
    """The environment of a command-line child: this worktree importable, the account's password given."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "COOPLEDGER_PASSWORD": PASSWORD}


def new_coop(path: Path) -> None:
    """A small cooperative (tests.conftest) with a manager account in a new database file, closed again."""
    from coop.services import users
    from tests.conftest import make_small_coop

    handle = db.open_database(path)
    make_small_coop()
    users.add_user(None, MANAGER, PASSWORD, "manager")
    handle.close()


@dataclass
class Findings:
    """What the checks found in one database (every list empty = sound)."""

    problems: list[str] = field(default_factory=list)
    receipts: dict[str, list[int]] = field(default_factory=dict)
    links: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(path: Path, reported: set[str] = frozenset()) -> Findings:  # type: ignore[assignment]
    """integrity_check, foreign keys, balanced ledger, chain, reported receipts present, numbers gap-free."""
    handle = db.open_database(path)
    out = Findings()
    try:
        out.problems += db.integrity_problems(handle)
        if ledger.unbalanced_entries() or sum(ledger.trial_balance().values()) != 0:
            out.problems.append("ledger does not balance")
        result = chain.verify()
        out.links = result.checked
        if not result.ok:
            out.problems.append(f"chain broken at {result.broken_source}: {result.reason}")
        if Sale.select().where(Sale.state == "draft").exists():
            out.problems.append("a draft sale survived")
        for series, no in Sale.select(Sale.series, Sale.receipt_no).where(Sale.state != "draft").tuples():
            out.receipts.setdefault(series, []).append(no)
        for series, numbers in out.receipts.items():
            if sorted(numbers) != list(range(1, len(numbers) + 1)):
                out.problems.append(f"receipt numbers of {series} have gaps or duplicates")
            counter = ReceiptCounter.get_or_none(ReceiptCounter.series == series)
            if counter is None or counter.last_no != len(numbers):
                out.problems.append(f"receipt counter of {series} is off")
        present = {f"{s}/{n}" for s, nos in out.receipts.items() for n in nos}
        lost = sorted(set(reported) - present)
        if lost:
            out.problems.append(f"reported receipts lost: {lost[:5]}")
    finally:
        handle.close()
    return out


def _kill_after(proc: subprocess.Popen, rng: random.Random, max_delay: float) -> list[str]:
    """SIGKILL the child at a random moment (sometimes before it is even ready); return its lines."""
    lines: list[str] = []
    if rng.random() < 0.1:
        time.sleep(rng.uniform(0, 0.4))  # during start-up, opening or recovery
    else:
        lines.append(proc.stdout.readline().strip())  # "ready"
        time.sleep(rng.uniform(0, max_delay))
    died = proc.poll()  # the child must still be working when it is killed, or the kill proves nothing
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    lines += proc.stdout.read().split()
    errors = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    if died is not None:
        raise ChildDied(f"the child exited by itself ({died}): {errors[-1000:]}")
    return [ln for ln in lines if ln and ln != "ready"]


class ChildDied(AssertionError):
    """A worker stopped before it was killed: the crash test would be hollow."""


@dataclass
class CrashStats:
    kills: int = 0
    committed: int = 0  # receipts the child reported after commit
    lost: int = 0
    failures: list[str] = field(default_factory=list)


def crash_campaign(path: Path, kills: int, seed: int = 6, max_delay: float = 0.25) -> CrashStats:
    """A child posts sales in a loop and is SIGKILLed `kills` times; the database is checked after each kill."""
    rng = random.Random(seed)
    stats, reported = CrashStats(), set()
    for _ in range(kills):
        lines = _kill_after(child("sell", str(path), "0"), rng, max_delay)
        reported.update(lines)
        stats.kills += 1
        stats.committed = len(reported)
        found = check_database(path, reported)
        if not found.ok:
            stats.failures += [f"after kill {stats.kills}: {p}" for p in found.problems]
            stats.lost = sum(1 for p in found.problems if p.startswith("reported receipts lost"))
            break
    return stats


def concurrent_sales(path: Path, per_process: int) -> tuple[list[list[str]], Findings]:
    """Two processes post `per_process` sales each into the same file at once; returns their receipts."""
    procs = [child("sell", str(path), str(per_process)) for _ in range(2)]
    outputs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        if p.returncode != 0:
            raise AssertionError(f"worker failed: {err[-2000:]}")
    receipts = [[ln for ln in out.split() if ln != "ready"] for out, _err in outputs]
    return receipts, check_database(path, {r for rs in receipts for r in rs})


@dataclass
class BackupStats:
    taken: int = 0
    sound: int = 0
    distinct_sizes: int = 0  # how many different chain lengths the backups caught
    failures: list[str] = field(default_factory=list)


def backups_during_writes(path: Path, folder: Path, count: int, pause: float = 0.02) -> BackupStats:
    """Take `count` online backups while a child posts sales; then open and verify every one."""
    writer = child("sell", str(path), "0")
    writer.stdout.readline()
    stats = BackupStats()
    try:
        live = db.open_database(path)
        for i in range(count):
            db.backup_to(live, folder / f"backup-{i:03d}.sqlite")
            stats.taken += 1
            time.sleep(pause)
        live.close()
    finally:
        alive = writer.poll() is None
        writer.kill()
        _out, errors = writer.communicate()
    if not alive:
        stats.failures.append(f"the writer stopped during the backups: {errors[-1000:]}")
    lengths = set()
    for i in range(count):
        found = check_database(folder / f"backup-{i:03d}.sqlite")
        lengths.add(found.links)
        if found.ok:
            stats.sound += 1
        else:
            stats.failures += [f"backup {i}: {p}" for p in found.problems]
    stats.distinct_sizes = len(lengths)
    return stats


@dataclass
class FaultStats:
    rounds: int = 0
    faults: int = 0  # rounds where the write really hit the full disk
    committed: int = 0
    failures: list[str] = field(default_factory=list)


def disk_full_campaign(path: Path, rounds: int, seed: int = 13) -> FaultStats:
    """Fill the disk at a random point of the posting work (`PRAGMA max_page_count`) again and again:
    every refusal must be a StorageError, and the file must stay sound with every committed sale."""
    from datetime import date
    from decimal import Decimal

    from coop.errors import StorageError
    from coop.models import Buyer, Member, Mineral, Site
    from coop.permissions import SYSTEM
    from coop.services import production, sales

    rng, stats, reported = random.Random(seed), FaultStats(), set()
    for _ in range(rounds):
        handle = db.open_database(path)
        site, gold = Site.select().first().id, Mineral.get(Mineral.name == "Gold").id
        buyer, member = Buyer.select().first().id, Member.select().first().id
        pages = handle.execute_sql("PRAGMA page_count").fetchone()[0]
        handle.execute_sql(f"PRAGMA max_page_count = {pages + rng.randint(0, 8)}")
        stats.rounds += 1
        try:
            for _ in range(200):
                lot = production.create_lot(
                    SYSTEM,
                    production.LotInput(
                        site,
                        gold,
                        date.today(),
                        Decimal("2"),
                        [(member, 10000)],
                        Decimal(900),
                        notes="n" * rng.randint(0, 3000),
                    ),
                ).id
                sale = sales.post_sale(
                    SYSTEM, sales.SaleInput(buyer, [lot], date.today(), "USD", Decimal(90), Decimal(2850))
                ).id
                row = sales.Sale.get_by_id(sale)
                reported.add(f"{row.series}/{row.receipt_no}")
        except StorageError:
            stats.faults += 1
        handle.close()
        found = check_database(path, reported)
        stats.committed = len(reported)
        if not found.ok:
            stats.failures += [f"after disk-full round {stats.rounds}: {p}" for p in found.problems]
            break
    return stats
