"""Backups: the automatic start-of-day online backup with rotation (7 daily, 4 weekly, 12 monthly) and restore."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from peewee import SqliteDatabase

from coop import anchors, db, paths, verification
from coop.errors import StorageError

KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
# `<database's stem>-daily-YYYY-MM-DD.sqlite`: two databases in one folder each keep their own; the older
# unnamed `daily-YYYY-MM-DD.sqlite` files are still read and rotated (with the database they sit beside)
DAILY_NAME = re.compile(r"^(?:(?P<stem>.+)-)?daily-(?P<day>\d{4}-\d{2}-\d{2})\.sqlite$")


def backup_dir(db_path: str | os.PathLike) -> Path:
    """Backups live in a `backups` folder beside the database file."""
    return Path(db_path).parent / "backups"


def daily_path(directory: Path, day: date, stem: str) -> Path:
    """Where the day's backup of the database file named `stem` (its name without the suffix) goes."""
    return directory / f"{stem}-daily-{day.isoformat()}.sqlite"


def start_of_day(
    database: SqliteDatabase, today: date | None = None, directory: Path | None = None
) -> Path | None:
    """Take today's online backup if none exists yet, then rotate; returns the new file (None if nothing to do)."""
    if database.database == ":memory:":
        return None
    directory = directory or backup_dir(database.database)
    stem = Path(database.database).stem
    target = daily_path(directory, today or date.today(), stem)
    if target.exists():
        return None
    db.backup_to(database, target)
    rotate(directory, stem)
    anchor(database, "start")
    return target


def anchor(database: SqliteDatabase, event: str) -> None:
    """Add the chain's (length, head) now to the anchor log kept with the backups (coop.anchors); nothing is
    noted beside a file on read-only media."""
    if database.database == ":memory:" or getattr(database, "read_only", False):
        return
    with db.bound(database):
        anchors.note(database.database, event)


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


def _daily_files(directory: Path) -> list[tuple[str, date, Path]]:
    """(stem, or "" for an unnamed older backup; day; file) of each daily backup in `directory`."""
    found: list[tuple[str, date, Path]] = []
    if not directory.is_dir():
        return found
    for path in directory.iterdir():
        match = DAILY_NAME.match(path.name)
        if match:
            try:
                found.append((match.group("stem") or "", date.fromisoformat(match.group("day")), path))
            except ValueError:
                continue
    return found


def daily_backups(directory: Path, stem: str | None = None) -> dict[date, Path]:
    """The daily backups of the database named `stem` (with the older unnamed ones), by day; every
    database's when `stem` is None. Of two files of one day, the named one."""
    found: dict[date, Path] = {}
    for owner, day, path in sorted(_daily_files(directory), key=lambda item: item[0] != ""):
        if stem is None or owner in (stem, ""):
            found.setdefault(day, path)
    return found


def rotate(directory: Path, stem: str | None = None) -> list[Path]:
    """Delete the daily backups that `keep` does not keep (never any other file), per database: those of
    `stem` with the older unnamed ones, or (`stem` None) each database's and the unnamed ones apart;
    returns those deleted."""
    groups: dict[str, list[tuple[date, Path]]] = {}
    for owner, day, path in _daily_files(directory):
        if stem is None:
            groups.setdefault(owner, []).append((day, path))
        elif owner in (stem, ""):
            groups.setdefault(stem, []).append((day, path))
    removed = []
    for files in groups.values():
        kept = keep(day for day, _path in files)
        removed += [path for day, path in sorted(files) if day not in kept]
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


def _verified_copy(source: Path, work: Path, anchor_log: Path | None = None) -> tuple[Path, int, int, str]:
    """Copy the backup, check it, upgrade the copy and verify its chain, also against the anchor log (an
    older backup is shorter than the newest anchors, but must hold every anchor as long as itself); returns
    (copy, version, links, head)."""
    shutil.rmtree(work, ignore_errors=True)  # leftovers of a killed restore (a stale -wal would be replayed)
    work.mkdir(parents=True)
    candidate = work / "candidate.sqlite"
    shutil.copyfile(source, candidate)
    version = _raw_check(candidate, str(source))
    # a second file: the models stay on the open database (if any) outside the verification's own binding
    handle = db.open_database(candidate, backup_dir=work, bind=False)
    try:
        report = verification.run(handle, checks=verification.RESTORE_CHECKS, anchor_log=anchor_log)
        problems = [p for p in report.problems if p.msgid != anchors.ANCHOR_SHORTER]
        if problems:
            raise verification.BackupRejected(str(source), problems)
        return candidate, version, report.links, report.head
    finally:
        handle.close()


def _record_restore(candidate: Path, source: Path, links: int, head: str, username: str) -> None:
    """The restore as the first audit row of the restored file (written into the copy before the swap)."""
    from coop.services import audit

    handle = db.open_database(candidate, migrate=False, bind=False)
    try:
        with db.bound(handle), handle.atomic():
            audit.append(  # hashed after the file's newest audit row, as every audit row is
                at=audit.now_text(),
                username=username,
                action="restore",
                entity="database",
                entity_id=None,
                old="",
                new=json.dumps({"file": str(source), "links": links, "head": head}, sort_keys=True),
            )
    finally:
        handle.close()


_DAMAGED = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB


def _aside_name(current: Path, stamp: str) -> Path:
    """`<name>.before-restore-<time>.sqlite`, with -2, -3, ... when a restore of the same second kept one."""
    aside = current.with_name(f"{current.stem}.before-restore-{stamp}{current.suffix}")
    n = 1
    while aside.exists():
        n += 1
        aside = current.with_name(f"{current.stem}.before-restore-{stamp}-{n}{current.suffix}")
    return aside


def _set_aside(current: Path, stamp: str) -> Path | None:
    """Copy the current database (with its WAL) beside itself; refuse while another program keeps it open.

    A damaged file (the usual reason to restore) cannot be read by the online backup: it is copied byte for
    byte instead, its -wal file beside the copy (and taken away, so it is never replayed into the backup)."""
    if not current.exists():
        return None
    aside = _aside_name(current, stamp)
    partial = aside.with_name(aside.name + ".part")
    try:
        conn = sqlite3.connect(current)
        try:
            target = sqlite3.connect(partial)
            try:
                conn.backup(target)
            finally:
                target.close()
        finally:
            conn.close()  # the last connection to close checkpoints and removes the -wal file
    except sqlite3.DatabaseError as exc:
        partial.unlink(missing_ok=True)
        if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in _DAMAGED:
            return _copy_damaged_aside(current, aside)
        raise db.storage_error(exc, str(current)) or exc from None  # e.g. locked: never copied by hand
    os.replace(partial, aside)
    if Path(f"{current}-wal").exists():
        aside.unlink(missing_ok=True)
        raise StorageError(
            "The database is in use by another CoopLedger window or program: nothing was saved. "
            "Close the other program and try again."
        )
    return aside


def _copy_damaged_aside(current: Path, aside: Path) -> Path:
    partial = aside.with_name(aside.name + ".part")
    shutil.copyfile(current, partial)
    os.replace(partial, aside)
    wal = Path(f"{current}-wal")
    if wal.exists():
        os.replace(wal, Path(f"{aside}-wal"))
    Path(f"{current}-shm").unlink(missing_ok=True)
    return aside


def restore(
    current: str | os.PathLike,
    backup: str | os.PathLike,
    now: datetime | None = None,
    *,
    username: str = "",
    seen: Path | None = None,
) -> RestoreResult:
    """Replace the database by a verified backup; the current file is kept aside. Close the database first.

    The backup must be a sound CoopLedger file of this or an older schema (older ones are upgraded) whose
    chain verifies and agrees with the anchor log; the swap is one atomic rename, so a crash leaves either
    the old or the new database. The restore is recorded in the restored file's audit log (by `username`)
    and as an anchor; `seen`: the installation's seen-heads file (default: beside the database).
    """
    current, backup = Path(current), Path(backup)
    if not backup.is_file():
        raise StorageError("The backup file {path} does not exist.", path=str(backup))
    work = current.parent / "restore-tmp"
    try:
        candidate, version, links, head = _verified_copy(backup, work, anchors.log_path(current))
        _record_restore(candidate, backup, links, head, username)
        aside = _set_aside(current, f"{(now or datetime.now()):%Y%m%d-%H%M%S}")
        os.replace(candidate, current)
    except OSError as exc:
        raise StorageError(
            "The backup could not be restored to {path} ({detail}).", path=str(current), detail=exc.strerror
        ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # the older file is now the books: what was anchored after it no longer applies (coop.anchors)
    try:
        anchors.append(anchors.log_path(current), "restore", links, head)
        anchors.write_seen(seen or current.parent / paths.SEEN_NAME, current, links, head, "restore")
    except StorageError:
        pass  # the restore is done and in the file's audit log; the next verify anchors it again
    return RestoreResult(current, aside, version, links)
