"""`make reliability`: the long runs (300+ kills, 2 x 500 concurrent sales, 100 backups under writes, the
whole reliability suite with heavy fuzzing) and docs/RELIABILITY.md written from what they measured."""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tests.reliability import harness

DOC = harness.ROOT / "docs" / "RELIABILITY.md"


def _suite(examples: int, real_disk_rows: int) -> dict[str, tuple[int, int, int]]:
    """Run tests/reliability with heavy fuzzing and the long real-disk runs; (tests, failed, skipped) per file."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "tests/reliability",
                "-q",
                "-p",
                "no:cacheprovider",
                f"--junitxml={report}",
            ],
            cwd=harness.ROOT,
            env={
                **os.environ,
                "COOP_FUZZ_EXAMPLES": str(examples),
                "COOP_REAL_DISK_ROWS": str(real_disk_rows),
            },
            check=False,
        )
        out: dict[str, list[int]] = {}
        for case in ET.parse(report).getroot().iter("testcase"):
            name = case.get("classname", "").rsplit(".", 1)[-1]
            row = out.setdefault(name, [0, 0, 0])
            row[0] += 1
            row[1] += any(child.tag in ("failure", "error") for child in case)
            row[2] += any(child.tag == "skipped" for child in case)
    return {k: (v[0], v[1], v[2]) for k, v in sorted(out.items())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--per-process", type=int, default=500)
    parser.add_argument("--backups", type=int, default=100)
    parser.add_argument("--disk-full", type=int, default=300, help="rounds of a disk filling up mid-posting")
    parser.add_argument(
        "--real-disk", type=int, default=100_000, help="rows of the lot and sale imports onto a full tmpfs"
    )
    parser.add_argument("--fuzz", type=int, default=1000, help="Hypothesis examples per fuzzed property")
    parser.add_argument("--doc", type=Path, default=DOC)
    args = parser.parse_args()
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.monotonic()
        harness.new_coop(folder / "crash.sqlite")
        crash = harness.crash_campaign(folder / "crash.sqlite", args.kills, seed=int(time.time()))
        figures["crash_seconds"] = time.monotonic() - t0
        harness.new_coop(folder / "concurrent.sqlite")
        receipts, found = harness.concurrent_sales(folder / "concurrent.sqlite", args.per_process)
        overlap = len(set(receipts[0]) & set(receipts[1]))
        harness.new_coop(folder / "backup.sqlite")
        (folder / "bk").mkdir()
        backups = harness.backups_during_writes(folder / "backup.sqlite", folder / "bk", args.backups)
        harness.new_coop(folder / "full.sqlite")
        full = harness.disk_full_campaign(folder / "full.sqlite", args.disk_full, seed=int(time.time()))
        figures["real_disk"] = _real_disk(folder / "real", args.real_disk)
        figures["forgery_links"], figures["forgery"] = _forgery(folder / "forgery")
    figures["full"] = full
    suite = _suite(args.fuzz, args.real_disk)
    ok = (
        not crash.failures
        and crash.kills == args.kills
        and found.ok
        and overlap == 0
        and not backups.failures
        and backups.sound == args.backups
        and not full.failures
        and full.faults == args.disk_full
        and all(run.ok for run in figures["real_disk"])  # type: ignore[attr-defined]
        and _forgeries_as_expected(figures["forgery"])  # type: ignore[arg-type]
        and all(failed == 0 for _n, failed, _s in suite.values())
    )
    args.doc.write_text(
        _render(args, crash, receipts, found, overlap, backups, suite, figures, ok), encoding="utf-8"
    )
    print(f"{'OK' if ok else 'FAILED'}: wrote {args.doc}")
    return 0 if ok else 1


@dataclass
class RealDisk:
    """One import of many rows through the command line onto a tmpfs too small for it."""

    kind: str
    rows: int
    disk: str
    db_bytes: int
    line: str  # what the command printed
    before: dict[str, int]
    after: dict[str, int]
    problems: list[str]
    ok: bool


def _real_disk(folder: Path, rows: int) -> list[RealDisk]:
    """The lot and the sale import of `rows` rows onto a really full disk (root only: a small tmpfs)."""
    from tests.reliability import realdisk

    if realdisk.cannot_mount() is not None:
        return []
    out = []
    for kind, room in (("lots", 1024), ("sales", 96)):
        run = realdisk.full_disk_import(kind, rows, folder / kind, room, notes=300)
        line = run.stderr.strip()
        ok = (
            run.returncode == 1
            and line.startswith("Error: The disk is full")
            and "\n" not in line
            and realdisk.records(run.after) == realdisk.records(run.before)
            and run.after["logins"] == run.before["logins"] + 1
            and not run.problems
        )
        out.append(
            RealDisk(kind, rows, run.disk, run.db_bytes, line, run.before, run.after, run.problems, ok)
        )
    return out


# A payout back-dated inside the open period and appended looks like a late entry, and an account appended
# with its audit row and register link like a manager's real action: nothing outside the file contradicts
# them (the threat model says so); every other forgery must be caught.
UNDETECTABLE = {"backdate_open", "manager_appended"}


def _forgery(folder: Path) -> tuple[int, list]:
    """Every forgery of tests/reliability/forgery.py on its own copy of the demo books: (links, attacks)."""
    from tests.reliability import forgery

    folder.mkdir(parents=True, exist_ok=True)
    links = forgery.make_template(folder / "template.sqlite")
    return links, forgery.run_campaign(folder / "template.sqlite", folder / "runs")


def _forgeries_as_expected(attacks: list) -> bool:
    return bool(attacks) and {a.name for a in attacks if not a.caught} == UNDETECTABLE


def _forgery_rows(attacks: list) -> str:
    from tests.reliability import forgery

    rows = []
    for a in attacks:
        walk = "passes" if a.walk_ok else "fails"
        found = ", ".join(a.by) if a.caught else "**not caught**"
        rows.append(f"| {forgery.ATTACKS[a.name]} | {walk} | {found} |")
    return "\n".join(rows)


def _real_disk_rows(runs: list[RealDisk]) -> str:
    if not runs:
        return "| Imports onto a really full disk (a small tmpfs) | not run (needs root to mount a tmpfs) | | |\n"
    rows = []
    for run in runs:
        left = realdisk_left(run)
        rows.append(
            f"| Import of {run.rows:,} {run.kind} onto a really full disk (tmpfs of {run.disk}, file of "
            f"{run.db_bytes / 1024:.0f} KiB), through the command line, twice | 1 file | "
            f"{'one line, exit 1: ' + run.line if run.ok else 'FAILED: ' + run.line[:200]} | {left} |\n"
        )
    return "".join(rows)


def realdisk_left(run: RealDisk) -> str:
    """What the failed import left: the difference in records (none when it wrote nothing)."""
    from tests.reliability import realdisk

    before, after = realdisk.records(run.before), realdisk.records(run.after)
    changed = [f"{name} {before[name]} -> {after[name]}" for name in before if before[name] != after[name]]
    return (
        "0 (" + ", ".join(f"{k} {v}" for k, v in after.items()) + ")" if not changed else "; ".join(changed)
    )


def _render(args, crash, receipts, found, overlap, backups, suite, figures, ok) -> str:
    total = sum(n for n, _f, _s in suite.values())
    faults = suite.get("test_faults", (0, 0, 0))
    full = figures["full"]
    failed = sum(f for _n, f, _s in suite.values())
    concurrent = sum(len(r) for r in receipts)
    lost_receipts = sum(1 for p in found.problems if "lost" in p)
    rows = "\n".join(f"| `{name}` | {n} | {n - f - s} | {f} | {s} |" for name, (n, f, s) in suite.items())
    return f"""# Reliability: nothing lost, nothing forged

Generated by `make reliability` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC
(Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.machine()}).
Result: **{"all checks passed" if ok else "FAILURES - see below"}**. `make test` runs the same tests in
shorter versions (15 kills, 2 x 100 concurrent sales, 20 backups, 10 disk-full rounds, 120 fuzz examples
per property).

## Figures

| What was tried | How many | Survived / passed | Records lost |
|---|---|---|---|
| SIGKILL of a process posting sales, at random moments (start-up, mid-transaction, between commits) | {crash.kills} kills | {crash.kills - len(crash.failures)} | {crash.lost} (of {crash.committed} receipts reported after commit) |
| Two processes posting into the same file at once | {concurrent} sales ({args.per_process} each) | receipts 1..{concurrent} gap-free, {overlap} duplicates | {lost_receipts} |
| Online backups taken while a process writes | {backups.taken} backups | {backups.sound} open, pass integrity_check, ledger balances and chain verifies ({backups.distinct_sizes} different chain lengths caught) | 0 |
| Disk filling up at a random point of posting (`max_page_count` a few pages above the file) | {full.rounds} rounds | {full.faults} refused with StorageError, file sound after each | 0 (of {full.committed} sales committed between faults) |
{_real_disk_rows(figures["real_disk"])}| Storage faults (disk full, read-only, locked, deleted, replaced, damaged, truncated, newer version; in-process and CLI) | {faults[0]} fault tests | {faults[0] - faults[1] - faults[2]} refused cleanly, nothing partial stored | 0 |
| Reliability test suite (tampering, finality triggers, storage faults, upgrades, restore, access, CSV fuzzing with {args.fuzz} examples per property) | {total} tests | {total - failed} | {failed} failed |

After every kill the database is opened again and checked: `PRAGMA integrity_check` is ok,
`PRAGMA foreign_key_check` is empty, every journal entry balances and the trial balance sums to zero,
the hash chain verifies, every receipt number the child printed after its commit is present, the
numbers of each series run 1..N without gaps or duplicates, the receipt counter equals N, and no draft
sale survives. Crash campaign time: {figures["crash_seconds"]:.0f} s.

Failures: {"none" if ok else "; ".join(crash.failures + found.problems + backups.failures + full.failures) or "see the suite table"}

### Suite by file

| File | Tests | Passed | Failed | Skipped |
|---|---|---|---|---|
{rows}

## Forgery campaign

A forger with the laptop and the code (tests/reliability/forgery.py) attacks copies of the demo books
({figures["forgery_links"]:,} links, a period closed) with the project's own hashing code, tidying up after
(triggers put back). Before each attack the books were verified (an anchor in the log and the seen head)
and the hash printed on every receipt and voucher was kept, as members keep them. Caught:
**{sum(a.caught for a in figures["forgery"])} of {len(figures["forgery"])}** (expected: all but a
payout back-dated inside the open period and an account appended with its audit row and register link).

| Forgery | The chain walk alone | Caught by |
|---|---|---|
{_forgery_rows(figures["forgery"])}

{THREAT_MODEL}

## What is guaranteed, and how

- **Durability.** SQLite in WAL mode with `synchronous=FULL`; every posting (sale + receipt number +
  journal entry + chain link + audit row) is one `BEGIN IMMEDIATE` transaction, so a kill or power loss
  leaves all of it or none of it.
- **Gap-free, unique receipts across processes.** The number is taken inside the posting transaction;
  `BEGIN IMMEDIATE` serialises writers and `busy_timeout` (10 s, `COOPLEDGER_BUSY_TIMEOUT_MS`) makes the
  second writer wait instead of failing.
- **Posted is final.** SQLite triggers abort every UPDATE and DELETE of posted/voided sales, payouts, tax
  payments, their lots, journal entries, postings and the audit log (only `posted -> voided` with a reason
  is allowed); the services offer no edit or delete. `verify` reports a missing trigger.
- **Tamper evidence.** `main.py verify` walks the chain and names the first record that does not match:
  any hashed column of an entry, its postings, or its source record (sale, its lots, payout, tax payment);
  a deleted, inserted or swapped link; a source whose stored hash, state or void reason disagrees with the
  journal; a posted record outside the chain; a member, account or setting that differs from its newest
  register link, and an audit row whose hash does not follow. Tested on a 1,000-link chain for every column.
- **Storage faults** (disk full, read-only file, locked by another program, file deleted or replaced
  while open, damaged file, file from a newer version) become one `coop.errors.StorageError` with a
  translated message, translated in one place (`coop.db.CoopDatabase`). The transaction is rolled back,
  nothing partial is stored, and the process keeps running; the CLI prints one line and exits 1.
- **Backups.** At the first start of each day an online backup (SQLite backup API) goes to
  `backups/<name>-daily-YYYY-MM-DD.sqlite` beside the database (`<name>`: the database file's); rotation keeps 7 daily, 4 weekly and 12 monthly
  copies. An online backup is also taken before every schema upgrade. `main.py backup DEST` and
  `main.py restore FILE`: restore refuses a damaged file, a file of a newer version, or one whose chain
  does not verify; it upgrades an older one, keeps the current file aside
  (`<name>.before-restore-<time>.sqlite`, `-2`, `-3`... for a second restore within the same
  second; a damaged file is copied byte for byte) and swaps with one atomic rename.
- **Upgrades.** Each schema version is a migration run in one transaction after a backup; fixture
  databases of every earlier version (`tests/reliability/fixtures`) upgrade with the chain verifying and
  totals unchanged, and a kill during the upgrade leaves the old version intact.

## Limits (known, by design)

- A hash chain without a secret only proves that *this* file was not changed after the fact when its
  links are compared with something outside the file: an attacker who rewrites every later link
  produces a consistent chain (see the threat model above and the forgery campaign). Receipts, vouchers
  and filings print 16 hex characters of their link, the anchor log and the seen head keep the chain's
  length and head, and `verify --anchor` / Tools > Check receipts compare them.
- The last active manager account is never locked (so the cooperative cannot be locked out of its own
  books); its failed logins are still counted and audited.
- A database file deleted while the app runs: writes are refused (they would go to a file nobody can
  see), reads keep working; the user must put the file back or restore a backup.
- The disk-full rounds above use `PRAGMA max_page_count`; the imports onto a really full disk use a small
  tmpfs (root only), where SQLite rolls the whole transaction back: every later statement of that
  transaction is refused with the same error (`coop.db.CoopDatabase`), so nothing is written in autocommit.
  Read-only files are made with `chattr +i` and a read-only tmpfs remount; `PRAGMA query_only` simulates
  the rest.
"""


THREAT_MODEL = """## Threat model, in plain words

**Who we guard against.** Someone who has the office laptop, the database file and this program's source
code, and wants the books to say something else: a smaller sale (less levy and tax), a payout that never
happened, records that disappear, a date moved out of a tax period.

**What such a person can do to the file alone.** Everything. The chain has no secret key: anyone with the
code can change a record and recompute every later link (`tests/reliability/forgery.py` does it in a few
lines), put back the triggers, and `verify` on that file alone says OK. A chain only shows a change when
it is compared with a copy kept *outside* the file.

**What they cannot hide, because copies are kept outside the file.**
- *Receipts, payout vouchers and filings* print 16 hex characters of a chain link (a receipt's QR code
  carries all 64; a filing prints the chain head of the day it was printed). A rewritten record changes its own link and every later one, so the printed hash
  of that record, or of any record printed after it, no longer matches: `main.py verify --anchor
  2025/12:HASH` (or `--anchors FILE`, or Tools > Check receipts) names the receipt and exits 1.
- *The anchor log* (`backups/anchors.log`) gets the chain's length and head at each period close, each
  backup, each verify and each day's first start; the *seen head* (`seen-heads.json` in the data folder)
  after every commit that grew the chain. A chain shorter than an anchor (records deleted, or committed
  sales lost with a deleted `-wal` file) or different at an anchor's length (rewritten) is reported with
  the anchor's time. Both files sit on the same laptop, so a careful forger deletes them too: then only
  paper catches the forgery (the campaign's last-but-one row).
- *The anchor slip* (report `anchor_slip`): the full head on paper, signed by the general assembly or
  the supervisory committee. Checked like a receipt (`link/N:HASH`).
- *A closed period* is a chained record: anything dated in it and appended later is reported.
- Receipt numbers must run 1..N per series with the counter at N, dates in receipt order, and every stored
  value in the form the program writes (a date stored as `2025-03-25 00:00:00` is refused).
- Restore refuses a backup whose chain, triggers or anchor log do not verify, and records itself in the
  restored file's audit log and in the anchor log.

**What they can still hide.**
- A record added *after* the last anchor and dated inside the open period (a late payout) looks like
  honest late work. Close periods promptly and print an anchor slip at each general assembly.
- A change to anything printed on no paper and anchored nowhere since: if the laptop's anchor files are
  deleted and no receipt printed after the change is ever checked, nothing contradicts the file.
- A record *appended* with the project's code the way the program writes it: an account added with its
  audit row and register link looks like a manager's real action (the campaign's "appended" row). The
  journal and audit views name who made each change: a manager should read the accounts list and the
  register changes at each general assembly.
- Audit rows written after the newest register link (sign-ins, postings) are tied to nothing outside
  the log: the newest of them can be deleted, or rewritten with the log re-hashed, unseen. The postings
  themselves are in the chain.
- Lots and owners of sold lots are guarded by triggers (schema version 5); the sale's own figures and
  the rates it used (levy, taxes, net, schema 6) are in its hash.

**Members, accounts, settings and the audit log (schema 7).** Every change the program makes to a
member (number, name, id number, site, status, share capital, ...), an account (name, password hash,
role, linked member, active) or the settings (levy, currency, fiscal year, ...) appends a chain link of
kind `register_event` holding the new values and the newest audit row's hash; `verify` compares each
record with its newest link. A row edited by SQL, an account added by SQL, a swapped password hash or an
edited levy no longer matches ("changed outside CoopLedger", "not in the chain"); rewriting the link to
match means re-hashing the chain, which the anchors catch. The audit log's rows are hashed in sequence:
deleting or editing one breaks the hashes after it, and re-hashing the rest is caught by the register
link that names a later row. Identifiers (user names, member numbers, site codes, mineral names) are
compared by a stored key (NFKC, case-folded, accents kept), so "ÉLISE" and "élise" are one user name.

**What the cooperative must keep on paper.** Members keep their receipts and vouchers; the treasurer
keeps tax-payment slips and filings; the secretary keeps each signed anchor slip with the minutes of the
general assembly and hands a copy to the supervisory committee. An auditor types a sample of those
hashes into Tools > Check receipts (or `verify --anchors FILE`): one match proves that record and every
link before it unchanged. Links after it only follow from it, so check the newest receipts and the latest
anchor slip too.
"""


if __name__ == "__main__":
    sys.exit(main())
