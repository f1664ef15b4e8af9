"""Database file: open with checked pragmas, storage-error translation, schema version and migrations,
finality triggers, online backup."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee
from peewee import SqliteDatabase

from coop import models
from coop.errors import StorageError
from coop.i18n import N_

BUSY_TIMEOUT_MS = 10000
PRAGMAS: dict[str, str | int] = {
    "journal_mode": "wal",
    "synchronous": 2,
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}
BUSY_ENV = "COOPLEDGER_BUSY_TIMEOUT_MS"  # e.g. a slow network share, or tests of a locked database
FINAL_TABLES = ("sale", "payout", "tax_payment")  # draft -> posted -> voided records
APPEND_ONLY_TABLES = ("journal_entry", "posting", "audit_log")

# SQLite primary result codes (extended code & 0xFF) that mean "the file cannot be used", not a bug.
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 3, 5, 6, 8, 10, 11, 13, 14, 26
_MESSAGES = {
    _FULL: N_("The disk is full: nothing was saved. Free some space on the disk and try again."),
    _READONLY: N_(
        "The database file {path} is read-only: nothing was saved. "
        "Check the file's permissions or copy it to a folder you can write to."
    ),
    _PERM: N_(
        "The database file {path} is read-only: nothing was saved. "
        "Check the file's permissions or copy it to a folder you can write to."
    ),
    _BUSY: N_(
        "The database is in use by another CoopLedger window or program: nothing was saved. "
        "Close the other program and try again."
    ),
    _LOCKED: N_(
        "The database is in use by another CoopLedger window or program: nothing was saved. "
        "Close the other program and try again."
    ),
    _IOERR: N_(
        "The disk could not be read or written ({detail}): nothing was saved. "
        "Check the disk or USB stick and try again."
    ),
    _CANTOPEN: N_("The database file {path} cannot be opened ({detail})."),
    _CORRUPT: N_("The file {path} is not a CoopLedger database or is damaged ({detail})."),
    _NOTADB: N_("The file {path} is not a CoopLedger database or is damaged ({detail})."),
}
FILE_GONE = N_(
    "The database file {path} was deleted or replaced while CoopLedger was running: nothing was saved. "
    "Put the file back or restore a backup, then start CoopLedger again."
)


def _sqlite_cause(exc: BaseException) -> BaseException:
    """peewee wraps sqlite3 errors (keeping the original as .orig): dig out the sqlite3 exception."""
    orig = getattr(exc, "orig", None)
    if isinstance(orig, BaseException):
        return orig
    if isinstance(exc, peewee.PeeweeException) and isinstance(exc.__context__, sqlite3.Error):
        return exc.__context__
    return exc


def storage_error(exc: BaseException, path: str) -> StorageError | None:
    """The StorageError an sqlite3/peewee error stands for, or None when it is a bug to show raw."""
    cause = _sqlite_cause(exc)
    code = getattr(cause, "sqlite_errorcode", None)
    if code is None:
        return None
    msgid = _MESSAGES.get(code & 0xFF)
    if msgid is None:
        return None
    return StorageError(msgid, path=path, detail=str(cause))


@contextlib.contextmanager
def translated(path: str) -> Iterator[None]:
    """The ONE place where SQLite's fault errors become StorageError (also used around raw cursors)."""
    try:
        yield
    except (sqlite3.Error, peewee.PeeweeException) as exc:
        error = storage_error(exc, path)
        if error is None:
            raise
        raise error from exc


class CoopDatabase(SqliteDatabase):
    """SqliteDatabase whose fault errors are StorageError and which refuses to write to a vanished file."""

    _identity: tuple[int, int] | None = None

    def _connect(self) -> Any:
        with translated(self.database):
            conn = super()._connect()
        self._identity = self._file_identity()
        return conn

    def _file_identity(self) -> tuple[int, int] | None:
        if self.database == ":memory:":
            return None
        try:
            st = os.stat(self.database)
        except OSError:
            return None
        return (st.st_dev, st.st_ino)

    def check_file(self) -> None:
        """Refuse to write when the file was deleted or replaced under us: the writes would be lost."""
        if self._identity is not None and self._file_identity() != self._identity:
            raise StorageError(FILE_GONE, path=self.database)

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        with translated(self.database):
            return super().execute_sql(sql, params)

    def begin(self, lock_type: str | None = None) -> None:
        self.check_file()
        with translated(self.database):
            super().begin(lock_type)

    def commit(self) -> None:
        with translated(self.database):
            super().commit()

    def rollback(self) -> None:
        # SQLite may already have rolled back (disk full, I/O error): a second ROLLBACK would mask the cause.
        if not self.is_closed() and not self.connection().in_transaction:
            return
        with translated(self.database):
            super().rollback()


def busy_timeout_ms() -> int:
    try:
        return max(0, int(os.environ.get(BUSY_ENV, BUSY_TIMEOUT_MS)))
    except ValueError:
        return BUSY_TIMEOUT_MS


def open_database(
    path: str | os.PathLike, *, migrate: bool = True, backup_dir: Path | None = None, bind: bool = True
) -> SqliteDatabase:
    """Open (creating if needed) the database, check its pragmas, bind the models, bring the schema up.

    `bind=False` opens a second file (a restore candidate) and leaves the models on the open database:
    use the handle's models through `bound(handle)`."""
    path = str(path)
    if path != ":memory:":
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                "The database file {path} cannot be opened ({detail}).", path=path, detail=exc.strerror
            ) from None
    pragmas = {**PRAGMAS, "busy_timeout": busy_timeout_ms()}
    db = CoopDatabase(path, pragmas=list(pragmas.items()), lock_type="IMMEDIATE", check_same_thread=False)
    try:
        db.connect(reuse_if_open=True)
        _check_pragmas(db, in_memory=path == ":memory:")
    except StorageError:
        db.close()
        raise
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        db.close()
        raise StorageError(
            "The file {path} is not a CoopLedger database or is damaged ({detail}).",
            path=path,
            detail=str(_sqlite_cause(exc)),
        ) from exc
    if bind:
        models.database.initialize(db)
    if migrate:
        try:
            with bound(db):  # the migrations create tables through the models
                upgrade(db, backup_dir=backup_dir)
        except StorageError:
            db.close()
            raise
    return db


@contextlib.contextmanager
def bound(handle: SqliteDatabase) -> Iterator[SqliteDatabase]:
    """The models read and write `handle` inside the block, and whatever they were bound to before after
    it (also when the block raises): a second file never re-points the open database's models.

    The binding is the models' class attribute, so for the block it holds for every thread."""
    with handle.bind_ctx(models.ALL_MODELS):
        yield handle


def _check_pragmas(db: SqliteDatabase, *, in_memory: bool) -> None:
    got = {name: db.execute_sql(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS}
    want_journal = "memory" if in_memory else "wal"
    if (
        str(got["journal_mode"]).lower() != want_journal
        or got["foreign_keys"] != 1
        or got["synchronous"] != 2
    ):
        raise RuntimeError(f"SQLite pragmas not applied: {got}")


def schema_version(db: SqliteDatabase) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def _migration_1(db: SqliteDatabase) -> None:
    """Version 1: every table, index and the finality triggers."""
    db.create_tables(models.ALL_MODELS)
    for sql in finality_triggers():
        db.execute_sql(sql)


def _migration_2(db: SqliteDatabase) -> None:
    """Version 2: indexes the voids, tax summary and audit views look up by, and posted sales' lots final on
    UPDATE too (version 1 guarded only DELETE)."""
    for sql in V2_SQL:
        db.execute_sql(sql)


V2_SQL = (
    # posting.void finds a record's journal entry by (source_type, source_id, kind)
    "CREATE INDEX IF NOT EXISTS journal_entry_source ON journal_entry (source_type, source_id, kind)",
    # the tax summary's sales by mineral: posted sales of a period (the planner picks it over sale.date)
    "CREATE INDEX IF NOT EXISTS sale_state_date ON sale (state, date)",
    # the history of one record in the audit view
    "CREATE INDEX IF NOT EXISTS audit_log_entity ON audit_log (entity, entity_id)",
    "CREATE TRIGGER IF NOT EXISTS sale_lot_final_update BEFORE UPDATE ON sale_lot "
    "WHEN (SELECT state FROM sale WHERE id = OLD.sale_id) <> 'draft' "
    "OR (SELECT state FROM sale WHERE id = NEW.sale_id) <> 'draft' "
    "BEGIN SELECT RAISE(ABORT, 'lots of a posted sale are final'); END",
)

V3_SQL = (
    # post_sale's back-dating check: newest date WHERE series = ? AND state <> 'draft' (a covering index, so
    # posting a sale does not read every sale of the year)
    'CREATE INDEX IF NOT EXISTS "sale_series_date_state" ON "sale" ("series", "date", "state")',
)


def _migration_3(db: SqliteDatabase) -> None:
    """Version 3: the covering index of the back-dating check (files created before it lack it)."""
    for sql in V3_SQL:
        db.execute_sql(sql)


MIGRATIONS: dict[int, Callable[[SqliteDatabase], None]] = {1: _migration_1, 2: _migration_2, 3: _migration_3}
LATEST = max(MIGRATIONS)


def upgrade(db: SqliteDatabase, *, backup_dir: Path | None = None) -> int:
    """Run the missing migrations in one transaction after an online backup; refuse newer files."""
    current = schema_version(db)
    if current > LATEST:
        raise StorageError(
            "This database was written by a newer version of CoopLedger "
            "(schema {found}, this version knows {known}). Install the newer version.",
            found=current,
            known=LATEST,
        )
    if current == LATEST:
        return current
    if current > 0 and db.database != ":memory:":
        target = backup_dir or Path(db.database).parent / "backups"
        backup_to(db, target / f"before-upgrade-v{current}-{datetime.now():%Y%m%d-%H%M%S}.sqlite")
    with db.atomic():
        for version in range(current + 1, LATEST + 1):
            MIGRATIONS[version](db)
            db.execute_sql(f"PRAGMA user_version = {version}")
    return LATEST


def finality_triggers() -> list[str]:
    """SQL triggers that make posted records and the journal impossible to alter, even with raw SQL."""
    sql = []
    for table in APPEND_ONLY_TABLES:
        for op in ("UPDATE", "DELETE"):
            sql.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are final'); END"
            )
    by_table = {m._meta.table_name: m for m in models.ALL_MODELS}
    for table in FINAL_TABLES:
        columns = [
            f.column_name
            for f in by_table[table]._meta.sorted_fields
            if f.column_name not in ("state", "void_reason")
        ]
        same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in columns)
        sql.append(
            f"CREATE TRIGGER IF NOT EXISTS {table}_final_update BEFORE UPDATE ON {table} "
            f"WHEN OLD.state <> 'draft' AND NOT (OLD.state = 'posted' AND NEW.state = 'voided' AND {same}) "
            f"BEGIN SELECT RAISE(ABORT, 'posted {table} is final'); END"
        )
        sql.append(
            f"CREATE TRIGGER IF NOT EXISTS {table}_final_delete BEFORE DELETE ON {table} "
            f"WHEN OLD.state <> 'draft' BEGIN SELECT RAISE(ABORT, 'posted {table} is final'); END"
        )
    sql.append(
        "CREATE TRIGGER IF NOT EXISTS sale_lot_final BEFORE DELETE ON sale_lot "
        "WHEN (SELECT state FROM sale WHERE id = OLD.sale_id) <> 'draft' "
        "BEGIN SELECT RAISE(ABORT, 'lots of a posted sale are final'); END"
    )
    return sql


def expected_triggers() -> set[str]:
    """Names of the triggers that make posted records final (version 1 and version 2)."""
    names = {sql.split()[5] for sql in [*finality_triggers(), *V2_SQL] if sql.startswith("CREATE TRIGGER")}
    return names


def backup_to(db: SqliteDatabase, dest: str | os.PathLike) -> Path:
    """Copy the live database with SQLite's online backup API to a temp file, then rename into place."""
    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with translated(str(dest)):
            target = sqlite3.connect(tmp)
            try:
                db.connection().backup(target)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        os.replace(tmp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):  # e.g. the folder is a file: there is no temp file to remove
            tmp.unlink(missing_ok=True)
        raise StorageError(
            "The backup could not be written to {path} ({detail}).", path=str(dest), detail=exc.strerror
        ) from None
    except StorageError:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def integrity_problems(db: SqliteDatabase, *, full: bool = True) -> list[str]:
    """integrity_check (quick_check unless `full`) and foreign_key_check findings, missing finality
    triggers; empty when the file is sound. quick_check reads every page and record but does not match
    indexes to their tables, which makes it several times faster on a large file."""
    problems = sqlite_check(db, full=full)
    problems += [f"foreign key: {r}" for r in foreign_key_violations(db)]
    problems += [f"finality trigger missing: {name}" for name in missing_triggers(db)]
    return problems


def sqlite_check(db: SqliteDatabase, *, full: bool = True) -> list[str]:
    """SQLite's integrity_check (quick_check unless `full`) findings, empty when the file is sound."""
    check = "integrity_check" if full else "quick_check"
    return [r[0] for r in db.execute_sql(f"PRAGMA {check}").fetchall() if r[0] != "ok"]


def foreign_key_violations(db: SqliteDatabase) -> list[tuple[Any, ...]]:
    """foreign_key_check rows: (table, rowid, parent table, foreign key index)."""
    return [tuple(r) for r in db.execute_sql("PRAGMA foreign_key_check").fetchall()]


def missing_triggers(db: SqliteDatabase) -> list[str]:
    """Names of the finality triggers the file lacks, sorted."""
    present = {r[0] for r in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return sorted(expected_triggers() - present)
