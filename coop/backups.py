"""Backups: the automatic start-of-day online backup with rotation (7 daily, 4 weekly, 12 monthly) and restore."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from peewee import SqliteDatabase

from coop import db, verification
from coop.errors import StorageError

KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
DAILY_NAME = re.compile(r"^daily-(\d{4}-\d{2}-\d{2})\.sqlite$")


def backup_dir(db_path: str | os.PathLike) -> Path:
    """Backups live in a `backups` folder beside the database file."""
    return Path(db_path).parent / "backups"


def daily_path(directory: Path, day: date) -> Path:
    return directory / f"daily-{day.isoformat()}.sqlite"


def start_of_day(
    database: SqliteDatabase, today: date | None = None, directory: Path | None = None
) -> Path | None:
    """Take today's online backup if none exists yet, then rotate; returns the new file (None if nothing to do)."""
    if database.database == ":memory:":
        return None
    directory = directory or backup_dir(database.database)
    target = daily_path(directory, today or date.today())
    if target.exists():
        return None
    db.backup_to(database, target)
    rotate(directory)
    return target


def keep(days: Iterable[date]) -> set[date]:
    """Days to keep: the newest 7, the newest of each of the last 4 weeks and of the last 12 months."""
    newest_first = sorted(set(days), reverse=True)
    weeks: dict[tuple[int, int], date] = {}
    months: dict[tuple[int, int], date] = {}
    for day in newest_first:
        weeks.setdefault(day.isocalendar()[:2], day)
        months.setdefault((day.year, day.month), day)
    kept = set(newest_first[:KEEP_DAILY])
    kept |= set(sorted(weeks.values(), reverse=True)[:KEEP_WEEKLY])
    kept |= set(sorted(months.values(), reverse=True)[:KEEP_MONTHLY])
    return kept


def daily_backups(directory: Path) -> dict[date, Path]:
    found: dict[date, Path] = {}
    if not directory.is_dir():
        return found
    for path in directory.iterdir():
        match = DAILY_NAME.match(path.name)
        if match:
            try:
                found[date.fromisoformat(match.group(1))] = path
            except ValueError:
                continue
    return found


def rotate(directory: Path) -> list[Path]:
    """Delete the daily backups that `keep` does not keep (never any other file); returns those deleted."""
    found = daily_backups(directory)
    kept = keep(found)
    removed = [path for day, path in sorted(found.items()) if day not in kept]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    aside: Path | None  # where the replaced database was kept
    version: int  # schema version of the backup file as found
    records: int  # chain links verified


def _raw_check(candidate: Path, shown: str) -> int:
    """A SQLite file that passes integrity_check and whose schema this version knows; returns its version."""
    try:
        conn = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
        try:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError(
            "The file {path} is not a CoopLedger database or is damaged ({detail}).",
            path=shown,
            detail=str(exc),
        ) from None
    if problems:
        raise StorageError(
            "The file {path} is not a CoopLedger database or is damaged ({detail}).",
            path=shown,
            detail="; ".join(problems[:3]),
        )
    if version > db.LATEST:
        raise StorageError(
            "This database was written by a newer version of CoopLedger "
            "(schema {found}, this version knows {known}). Install the newer version.",
            found=version,
            known=db.LATEST,
        )
    if version < 1 or not {"journal_entry", "cooperative"} <= tables:
        raise StorageError("The file {path} is not a CoopLedger backup.", path=shown)
    return version


def _verified_copy(source: Path, work: Path) -> tuple[Path, int, int]:
    """Copy the backup, check it, upgrade the copy and verify its chain; returns (copy, version, links)."""
    shutil.rmtree(work, ignore_errors=True)  # leftovers of a killed restore (a stale -wal would be replayed)
    work.mkdir(parents=True)
    candidate = work / "candidate.sqlite"
    shutil.copyfile(source, candidate)
    version = _raw_check(candidate, str(source))
    # a second file: the models stay on the open database (if any) outside the verification's own binding
    handle = db.open_database(candidate, backup_dir=work, bind=False)
    try:
        report = verification.run(handle, checks=verification.RESTORE_CHECKS)
    finally:
        handle.close()
    if not report.ok:
        raise verification.BackupRejected(str(source), report.problems)
    return candidate, version, report.links


def _set_aside(current: Path, stamp: str) -> Path | None:
    """Copy the current database (with its WAL) beside itself; refuse while another program keeps it open."""
    if not current.exists():
        return None
    aside = current.with_name(f"{current.stem}.before-restore-{stamp}{current.suffix}")
    partial = aside.with_name(aside.name + ".part")
    conn = sqlite3.connect(current)
    try:
        target = sqlite3.connect(partial)
        try:
            conn.backup(target)
        finally:
            target.close()
    finally:
        conn.close()  # the last connection to close checkpoints and removes the -wal file
    os.replace(partial, aside)
    if Path(f"{current}-wal").exists():
        aside.unlink(missing_ok=True)
        raise StorageError(
            "The database is in use by another CoopLedger window or program: nothing was saved. "
            "Close the other program and try again."
        )
    return aside


def restore(
    current: str | os.PathLike, backup: str | os.PathLike, now: datetime | None = None
) -> RestoreResult:
    """Replace the database by a verified backup; the current file is kept aside. Close the database first.

    The backup must be a sound CoopLedger file of this or an older schema (older ones are upgraded) whose
    chain verifies; the swap is one atomic rename, so a crash leaves either the old or the new database.
    """
    current, backup = Path(current), Path(backup)
    if not backup.is_file():
        raise StorageError("The backup file {path} does not exist.", path=str(backup))
    work = current.parent / "restore-tmp"
    try:
        candidate, version, links = _verified_copy(backup, work)
        aside = _set_aside(current, f"{(now or datetime.now()):%Y%m%d-%H%M%S}")
        os.replace(candidate, current)
    except OSError as exc:
        raise StorageError(
            "The backup could not be restored to {path} ({detail}).", path=str(current), detail=exc.strerror
        ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return RestoreResult(current, aside, version, links)
