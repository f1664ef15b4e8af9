"""A really full disk: a small tmpfs mounted for the test (root only), CSV files that fill it, counts."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.reliability import harness

# what an import must leave exactly as it was when the disk fills up under it
COUNTS = {
    "lots": "SELECT count(*) FROM production_lot",
    "owners": "SELECT count(*) FROM lot_owner",
    "sales": "SELECT count(*) FROM sale",
    # signing in writes its own audit row before the import starts
    "audit": "SELECT count(*) FROM audit_log WHERE action NOT IN ('login', 'login_failed')",
    "entries": "SELECT count(*) FROM journal_entry",
    "postings": "SELECT count(*) FROM posting",
}
LOGINS = "SELECT count(*) FROM audit_log WHERE action = 'login'"


def cannot_mount() -> str | None:
    """Why a tmpfs cannot be mounted here (None: it can)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "mounting a small tmpfs needs root (CI runs as root)"
    if shutil.which("mount") is None or shutil.which("umount") is None:
        return "no mount/umount command"
    return None


@contextlib.contextmanager
def small_disk(size: str) -> Iterator[Path]:
    """A tmpfs of `size` (e.g. "4m") mounted on a new folder for the block; raises OSError when it cannot."""
    folder = Path(tempfile.mkdtemp(prefix="coop-full-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if done.returncode != 0:
        folder.rmdir()
        raise OSError(f"mount -t tmpfs failed: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        with contextlib.suppress(OSError):
            folder.rmdir()


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {name: conn.execute(sql).fetchone()[0] for name, sql in {**COUNTS, "logins": LOGINS}.items()}
    finally:
        conn.close()


def records(found: dict[str, int]) -> dict[str, int]:
    """The counts without the sign-ins (each command's sign-in saves one)."""
    return {name: n for name, n in found.items() if name != "logins"}


def lots_csv(path: Path, rows: int, notes: int = 40) -> Path:
    """`rows` lots of the small cooperative (tests.conftest), without references (numbered by the import)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("date,site_code,mineral,quantity,grade,owners,notes\n")
        for i in range(rows):
            out.write(f"2026-01-05,KAM,Gold,1.5,900,M001:60;M002:40,lot {i} {'n' * notes}\n")
    return path


def sold_lots_csv(path: Path, references: list[str]) -> Path:
    """One sale per lot reference."""
    with path.open("w", encoding="utf-8") as out:
        out.write("date,buyer,lot_references,currency,unit_price,exchange_rate\n")
        for ref in references:
            out.write(f"2026-01-06,Comptoir Muungano,{ref},USD,90,2850\n")
    return path


def in_stock_references(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT reference FROM production_lot WHERE status = 'in_stock'")]
    finally:
        conn.close()


@dataclass
class FullDiskRun:
    """One import onto a disk too small for it, through the command line."""

    kind: str
    rows: int
    disk: str
    db_bytes: int  # size of the database file before the import
    returncode: int
    stderr: str
    stdout: str
    before: dict[str, int]
    after: dict[str, int]
    problems: list[str]  # harness.check_database findings after the fault


def cli_import(db_path: Path, kind: str, csv: Path, disk: str, rows: int) -> FullDiskRun:
    """`main.py import KIND CSV` on `db_path`, then the counts and the checks of the file after it."""
    before = counts(db_path)
    size = db_path.stat().st_size
    out = harness.cli("--db", str(db_path), "import", kind, str(csv))
    after = counts(db_path)
    problems = harness.check_database(db_path).problems
    return FullDiskRun(
        kind, rows, disk, size, out.returncode, out.stderr, out.stdout, before, after, problems
    )


def _du_kib(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) // 1024


def full_disk_import(kind: str, rows: int, work: Path, room_kib: int, notes: int = 40) -> FullDiskRun:
    """Import `rows` rows of `kind` ("lots" or "sales") through the CLI into a cooperative on a tmpfs with
    `room_kib` KiB free beside the file and its day's backup; a second try must leave the same counts.

    For sales the file first gets `rows` lots (on the ordinary disk), so that every row names a lot."""
    build = work / "build"
    build.mkdir(parents=True, exist_ok=True)
    path = build / "coop.sqlite"
    harness.new_coop(path)
    if kind == "sales":
        done = harness.cli("--db", str(path), "import", "lots", str(lots_csv(work / "stock.csv", rows, 0)))
        assert done.returncode == 0, done.stderr
        csv = sold_lots_csv(work / "sales.csv", in_stock_references(path))
    else:
        csv = lots_csv(work / "lots.csv", rows, notes)
    assert harness.cli("--db", str(path), "summary").returncode == 0  # takes the day's backup here
    disk = f"{_du_kib(build) + room_kib}k"
    with small_disk(disk) as folder:
        shutil.copytree(build, folder, dirs_exist_ok=True)
        run = cli_import(folder / "coop.sqlite", kind, csv, disk, rows)
        again = cli_import(folder / "coop.sqlite", kind, csv, disk, rows)
    if records(again.after) != records(run.after) or again.returncode != 1:
        run.problems.append(f"a second try changed the file: {run.after} -> {again.after} ({again.stderr})")
    return run


def in_process_sale_import(rows: int, work: Path, room_kib: int, cache_pages: int = 64) -> FullDiskRun:
    """import_sales in this process onto a tmpfs with `room_kib` KiB free; SQLite's page cache is cut to
    `cache_pages` so that it spills into the WAL (and so fills the disk) after a few sales, not 2 MB later."""
    from coop import db
    from coop.errors import StorageError
    from coop.permissions import SYSTEM
    from coop.services import imports

    build = work / "build"
    build.mkdir(parents=True, exist_ok=True)
    path = build / "coop.sqlite"
    harness.new_coop(path)
    handle = db.open_database(path)
    imports.import_lots(SYSTEM, lots_csv(work / "stock.csv", rows, 0))
    handle.close()
    csv = sold_lots_csv(work / "sales.csv", in_stock_references(path))
    disk = f"{_du_kib(build) + room_kib}k"
    with small_disk(disk) as folder:
        shutil.copytree(build, folder, dirs_exist_ok=True)
        target = folder / "coop.sqlite"
        before, size = counts(target), target.stat().st_size
        handle = db.open_database(target)
        handle.execute_sql(f"PRAGMA cache_size = {cache_pages}")
        code, message = 0, ""
        try:
            imports.import_sales(SYSTEM, csv)
        except StorageError as exc:
            code, message = 1, f"Error: {exc.message()}"
        finally:
            handle.close()
        after = counts(target)
        problems = harness.check_database(target).problems
    return FullDiskRun("sales", rows, disk, size, code, message, "", before, after, problems)
