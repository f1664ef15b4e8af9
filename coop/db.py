"""Database file: open with checked pragmas, storage-error translation, schema version and migrations,
finality triggers, online backup."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
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
NEWER = N_(
    "This database was written by a newer version of CoopLedger "
    "(schema {found}, this version knows {known}). Install the newer version."
)
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


TRANSACTION_LOST = N_(
    "The database could not finish saving and undid the whole change: nothing was saved. "
    "Check the disk and try again."
)
READ_ONLY_OLD = N_(
    "The database file {path} is read-only and was written by an older version of CoopLedger: it must be "
    "upgraded before this version can read it. Copy it to a folder you can write to and open the copy."
)
READ_ONLY_WAL = N_(
    "The database file {path} is read-only and holds changes that were not yet merged into it (a “-wal” "
    "file beside it): copy the file and its “-wal” file to a folder you can write to and open the copy."
)


class _Cursor:
    """An sqlite3 cursor whose fetches are translated too: reading rows can write (SQLite spills its page
    cache into the WAL mid-transaction), so a fetch can fail with a full disk."""

    def __init__(self, cursor: sqlite3.Cursor, db: CoopDatabase) -> None:
        self._cursor, self._db = cursor, db

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def __iter__(self) -> Iterator[Any]:
        return self

    # plain try/except, not a context manager: peewee fetches one row at a time
    def __next__(self) -> Any:
        try:
            return next(self._cursor)
        except sqlite3.Error as exc:
            raise self._db.fault(exc) from exc

    def fetchone(self) -> Any:
        try:
            return self._cursor.fetchone()
        except sqlite3.Error as exc:
            raise self._db.fault(exc) from exc

    def fetchmany(self, size: int = 1) -> list[Any]:
        try:
            return self._cursor.fetchmany(size)
        except sqlite3.Error as exc:
            raise self._db.fault(exc) from exc

    def fetchall(self) -> list[Any]:
        try:
            return self._cursor.fetchall()
        except sqlite3.Error as exc:
            raise self._db.fault(exc) from exc


class CoopDatabase(SqliteDatabase):
    """SqliteDatabase whose fault errors are StorageError, which refuses to write to a vanished file, and
    which never runs a statement in autocommit once SQLite rolled back a transaction peewee still holds.

    SQLite rolls the whole transaction back on some errors (disk full, I/O error): code that caught the
    error and carried on would then write row by row outside any transaction. Every statement (and the
    commit) after such a rollback raises the StorageError that caused it instead."""

    _identity: tuple[int, int] | None = None
    read_only = False  # opened with mode=ro: nothing may be written (sign-in counters included)
    # called after each commit (coop.anchors.SeenHead: the head this installation saw)
    after_commit: Callable[[], None] | None = None
    uri: str | None = None  # what a read-only handle connects to; `database` stays the file's path

    def _connect(self) -> Any:
        with translated(self.database):
            if self.uri is None:
                conn = super()._connect()
            else:
                conn = sqlite3.connect(
                    self.uri, timeout=self._timeout, isolation_level=None, uri=True, **self.connect_params
                )
                self._add_conn_hooks(conn)
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

    def sqlite_in_transaction(self) -> bool:
        """Whether SQLite itself (not peewee's bookkeeping) has a transaction open on this thread's connection."""
        conn = self._state.conn
        return conn is not None and conn.in_transaction

    def _transaction_lost(self) -> StorageError:
        lost = getattr(self._state, "coop_lost", None)
        if lost is None:
            return StorageError(TRANSACTION_LOST)
        return StorageError(lost.msgid, **lost.params)

    def _check_transaction(self) -> None:
        if self.transaction_depth() and not self.is_closed() and not self.sqlite_in_transaction():
            raise self._transaction_lost()

    def fault(self, exc: BaseException) -> BaseException:
        """The StorageError `exc` stands for (remembered when SQLite rolled the transaction back), else `exc`."""
        error = storage_error(exc, self.database)
        if error is None:
            return exc
        if self.transaction_depth() and not self.sqlite_in_transaction():
            self._state.coop_lost = error  # what the later statements of this transaction will report
        return error

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except (sqlite3.Error, peewee.PeeweeException) as exc:
            error = self.fault(exc)
            if error is exc:
                raise
            raise error from exc

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        if sql.startswith("ROLLBACK TO SAVEPOINT") and not self.sqlite_in_transaction():
            return None  # SQLite already rolled back: "no such savepoint" would hide the cause
        self._check_transaction()
        with self._translated():
            return _Cursor(super().execute_sql(sql, params), self)

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        """A raw executemany (bulk imports) with the same guard and translation as execute_sql."""
        self._check_transaction()
        with self._translated():
            self.cursor().executemany(sql, rows)

    def begin(self, lock_type: str | None = None) -> None:
        self.check_file()
        self._state.coop_lost = None
        with self._translated():
            super().begin(lock_type)

    def commit(self) -> None:
        if not self.is_closed() and not self.sqlite_in_transaction():
            raise self._transaction_lost()  # SQLite rolled back: "no transaction is active" would hide why
        with self._translated():
            super().commit()
        if self.after_commit is not None:
            self.after_commit()

    def rollback(self) -> None:
        # SQLite may already have rolled back (disk full, I/O error): a second ROLLBACK would mask the cause.
        if not self.is_closed() and not self.sqlite_in_transaction():
            return
        with translated(self.database):
            super().rollback()


def is_read_only() -> bool:
    """Whether the open database was opened read-only (a read-only file, folder or disk)."""
    return bool(getattr(models.database.obj, "read_only", False))


def _needs_wal_files(path: Path) -> bool:
    """A WAL file whose -shm cannot be created (read-only folder): SQLite's mode=ro cannot open it."""
    return not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists()


def cannot_write(path: str | os.PathLike) -> bool:
    """Whether writing `path` would fail: the file, or the folder its -wal and -shm files go in, is read-only
    (a chmod, an immutable attribute, a read-only disk)."""
    path = Path(path)
    if not path.is_file():
        return False
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)


def busy_timeout_ms() -> int:
    try:
        return max(0, int(os.environ.get(BUSY_ENV, BUSY_TIMEOUT_MS)))
    except ValueError:
        return BUSY_TIMEOUT_MS


def open_database(
    path: str | os.PathLike,
    *,
    migrate: bool = True,
    backup_dir: Path | None = None,
    bind: bool = True,
    read_only: bool = False,
) -> SqliteDatabase:
    """Open (creating if needed) the database, check its pragmas, bind the models, bring the schema up.

    `bind=False` opens a second file (a restore candidate) and leaves the models on the open database:
    use the handle's models through `bound(handle)`.

    `read_only` opens an existing file for reading only (`mode=ro`; a read-only media): the journal mode is
    left as it is, nothing is migrated (a file that needs an upgrade is refused) and nothing can be written."""
    if read_only:
        return _open_read_only(Path(path), bind=bind)
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
        _connect_checked(db, path, in_memory=path == ":memory:")
    except StorageError as exc:
        if path != ":memory:" and cannot_write(path):  # e.g. a read-only folder: no -wal file can be made
            raise StorageError(_MESSAGES[_READONLY], path=path) from exc
        raise
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


def _connect_checked(
    db: CoopDatabase, path: str, *, in_memory: bool = False, read_only: bool = False
) -> None:
    try:
        db.connect(reuse_if_open=True)
        _check_pragmas(db, in_memory=in_memory, read_only=read_only)
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


def _open_read_only(path: Path, *, bind: bool) -> CoopDatabase:
    """mode=ro; on a read-only folder or disk, where SQLite cannot create the WAL index (-shm) it needs,
    immutable=1 (nobody can change the file there), unless a -wal file holds changes not yet merged."""
    shown = str(path)
    if not path.is_file():
        raise StorageError(
            "The database file {path} cannot be opened ({detail}).",
            path=shown,
            detail=os.strerror(errno.ENOENT),
        )
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    if _needs_wal_files(path):
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StorageError(READ_ONLY_WAL, path=shown)
        uri += "&immutable=1"
    pragmas = {name: value for name, value in PRAGMAS.items() if name != "journal_mode"}
    pragmas |= {"busy_timeout": busy_timeout_ms(), "query_only": 1}
    db = CoopDatabase(shown, pragmas=list(pragmas.items()), check_same_thread=False)
    db.read_only, db.uri = True, uri
    _connect_checked(db, shown, read_only=True)
    try:
        with translated(shown):
            current = schema_version(db)
    except StorageError:
        db.close()
        raise
    if current > LATEST:
        db.close()
        raise StorageError(NEWER, found=current, known=LATEST)
    if current < LATEST:
        db.close()
        raise StorageError(READ_ONLY_OLD, path=shown)
    if bind:
        models.database.initialize(db)
    return db


@contextlib.contextmanager
def bound(handle: SqliteDatabase) -> Iterator[SqliteDatabase]:
    """The models read and write `handle` inside the block, and whatever they were bound to before after
    it (also when the block raises): a second file never re-points the open database's models.

    The binding is the models' class attribute, so for the block it holds for every thread."""
    with handle.bind_ctx(models.ALL_MODELS):
        yield handle


def _check_pragmas(db: SqliteDatabase, *, in_memory: bool, read_only: bool = False) -> None:
    got = {name: db.execute_sql(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS}
    want_journal = "memory" if in_memory else "wal"
    if (
        (not read_only and str(got["journal_mode"]).lower() != want_journal)
        or got["foreign_keys"] != 1
        or got["synchronous"] != 2
    ):
        raise RuntimeError(f"SQLite pragmas not applied: {got}")


def schema_version(db: SqliteDatabase) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


# Tables a later migration creates: version 1 makes every other table.
LATER_MODELS = (models.PeriodClose,)


def _migration_1(db: SqliteDatabase) -> None:
    """Version 1: every table, index and the finality triggers."""
    db.create_tables([m for m in models.ALL_MODELS if m not in LATER_MODELS and m not in models.BOOK_MODELS])
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


def period_triggers() -> list[str]:
    """Closed periods are final even for raw SQL: no journal entry (sale, payout, tax payment, void) and no
    production lot dated on or before the newest closing, no lot moved into or out of a closed period, and a
    closing row is never deleted, nor changed once posted."""
    closed = "(SELECT MAX(to_date) FROM period_close)"
    lot_columns = [
        f.column_name
        for f in models.ProductionLot._meta.sorted_fields
        if f.column_name not in ("id", "status")
    ]
    lot_same = unchanged(lot_columns)
    close_columns = [
        f.column_name
        for f in models.PeriodClose._meta.sorted_fields
        if f.column_name not in ("state", "chain_hash")
    ]
    close_same = unchanged(close_columns)
    return [
        # a register event (coop.register) is dated the day a member or account changes, books closed or not
        "CREATE TRIGGER IF NOT EXISTS journal_entry_closed_period BEFORE INSERT ON journal_entry "
        f"WHEN NEW.kind NOT IN ('period_close', 'register_event') AND NEW.date <= {closed} "
        "BEGIN SELECT RAISE(ABORT, 'the period is closed'); END",
        "CREATE TRIGGER IF NOT EXISTS production_lot_closed_period BEFORE INSERT ON production_lot "
        f"WHEN NEW.date <= {closed} BEGIN SELECT RAISE(ABORT, 'the period is closed'); END",
        "CREATE TRIGGER IF NOT EXISTS production_lot_closed_update BEFORE UPDATE ON production_lot "
        f"WHEN (OLD.date <= {closed} OR NEW.date <= {closed}) AND NOT ({lot_same}) "
        "BEGIN SELECT RAISE(ABORT, 'the period is closed'); END",
        "CREATE TRIGGER IF NOT EXISTS period_close_final_update BEFORE UPDATE ON period_close "
        f"WHEN OLD.state <> 'draft' OR NOT ({close_same}) "
        "BEGIN SELECT RAISE(ABORT, 'a closed period is final'); END",
        "CREATE TRIGGER IF NOT EXISTS period_close_no_delete BEFORE DELETE ON period_close "
        "BEGIN SELECT RAISE(ABORT, 'a closed period is final'); END",
    ]


def _migration_4(db: SqliteDatabase) -> None:
    """Version 4: closings of periods (a chained record) and the triggers that keep closed periods final."""
    db.create_tables(list(LATER_MODELS))
    for sql in period_triggers():
        db.execute_sql(sql)


def sold_triggers() -> list[str]:
    """What a posted sale sold stays as it was, even for raw SQL: its lots (only their status follows a
    void) and their owners and shares, and a tax rule once applied (only an end date or a note)."""
    sold = (
        "EXISTS (SELECT 1 FROM sale_lot sl JOIN sale s ON s.id = sl.sale_id "
        "WHERE sl.lot_id = {lot} AND s.state <> 'draft')"
    )
    lot_columns = [
        f.column_name for f in models.ProductionLot._meta.sorted_fields if f.column_name != "status"
    ]
    lot_same = unchanged(lot_columns)
    applied = ("name", "authority", "rate_bp", "base", "mineral_id", "buyer_kind", "valid_from", "withheld")
    rule_same = unchanged(("id", *applied))
    abort = "BEGIN SELECT RAISE(ABORT, '{what} is final'); END"
    return [
        "CREATE TRIGGER IF NOT EXISTS production_lot_sold_update BEFORE UPDATE ON production_lot "
        f"WHEN {sold.format(lot='OLD.id')} AND NOT ({lot_same}) {abort.format(what='a sold lot')}",
        "CREATE TRIGGER IF NOT EXISTS production_lot_sold_delete BEFORE DELETE ON production_lot "
        f"WHEN {sold.format(lot='OLD.id')} {abort.format(what='a sold lot')}",
        "CREATE TRIGGER IF NOT EXISTS lot_owner_sold_update BEFORE UPDATE ON lot_owner "
        f"WHEN {sold.format(lot='OLD.lot_id')} OR {sold.format(lot='NEW.lot_id')} "
        f"{abort.format(what='the owners of a sold lot')}",
        "CREATE TRIGGER IF NOT EXISTS lot_owner_sold_delete BEFORE DELETE ON lot_owner "
        f"WHEN {sold.format(lot='OLD.lot_id')} {abort.format(what='the owners of a sold lot')}",
        "CREATE TRIGGER IF NOT EXISTS lot_owner_sold_insert BEFORE INSERT ON lot_owner "
        f"WHEN {sold.format(lot='NEW.lot_id')} {abort.format(what='the owners of a sold lot')}",
        "CREATE TRIGGER IF NOT EXISTS tax_rule_applied_update BEFORE UPDATE ON tax_rule "
        "WHEN EXISTS (SELECT 1 FROM posting WHERE tax_rule_id = OLD.id) "
        f"AND NOT ({rule_same}) {abort.format(what='an applied tax rule')}",
    ]


def _migration_5(db: SqliteDatabase) -> None:
    """Version 5: the lots, owners and tax rules a posted sale used are final (coop.db.sold_triggers)."""
    for sql in sold_triggers():
        db.execute_sql(sql)


SALE_TERMS = ("price_micro", "levy_bp", "tax_rates")  # schema 6: what a sale was computed with


def _migration_6(db: SqliteDatabase) -> None:
    """Version 6: a sale stores its price as typed and the levy and tax rates it used (NULL on older sales,
    which coop.chain then leaves out of the hashed fields), and the posted-sale trigger covers them."""
    have = {c.name for c in db.get_columns("sale")}
    kinds = {"price_micro": "INTEGER", "levy_bp": "INTEGER", "tax_rates": "TEXT"}
    for name in SALE_TERMS:
        if name not in have:  # a file created at this version already has them (version 1 makes the tables)
            db.execute_sql(f"ALTER TABLE sale ADD COLUMN {name} {kinds[name]}")
    db.execute_sql("DROP TRIGGER IF EXISTS sale_final_update")
    for sql in finality_triggers():
        if " sale_final_update " in sql:
            db.execute_sql(sql)


def register_triggers() -> list[str]:
    """A posted register event (coop.register) is never changed or deleted."""
    abort = "BEGIN SELECT RAISE(ABORT, 'a register event is final'); END"
    return [
        "CREATE TRIGGER IF NOT EXISTS register_event_final_update BEFORE UPDATE ON register_event "
        f"WHEN OLD.state <> 'draft' {abort}",
        "CREATE TRIGGER IF NOT EXISTS register_event_final_delete BEFORE DELETE ON register_event "
        f"WHEN OLD.state <> 'draft' {abort}",
    ]


def _fill_keys(db: SqliteDatabase, table: str, column: str, key: str) -> None:
    """The comparison key of every row (coop.keys.fold); two rows stored before keys existed that fold alike
    ("Élise" and "élise") keep working: the later one's key gets "#id" (verify accepts that form)."""
    from coop.keys import fold

    if key not in {c.name for c in db.get_columns(table)}:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{key}" VARCHAR(255) NOT NULL DEFAULT \'\'')
    taken: set[str] = set()
    rows = db.execute_sql(f'SELECT id, "{column}" FROM "{table}" ORDER BY id').fetchall()
    for rid, value in rows:
        folded = fold(value)
        if folded in taken:
            folded = f"{folded}#{rid}"
        taken.add(folded)
        db.execute_sql(f'UPDATE "{table}" SET "{key}" = ? WHERE id = ?', (folded, rid))
    db.execute_sql(f'CREATE UNIQUE INDEX IF NOT EXISTS "{table}_{key}" ON "{table}" ("{key}")')


def _hash_audit_rows(db: SqliteDatabase) -> None:
    """Hash the audit rows written before schema 7 in sequence (the append-only trigger is lifted for it)."""
    from coop.services import audit

    if "hash" not in {c.name for c in db.get_columns("audit_log")}:
        db.execute_sql("ALTER TABLE audit_log ADD COLUMN hash VARCHAR(255) NOT NULL DEFAULT ''")
    db.execute_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
    columns = ", ".join(f'"{c}"' for c in audit.HASHED)
    prev = audit.GENESIS
    for row in db.execute_sql(f"SELECT id, {columns} FROM audit_log ORDER BY id").fetchall():
        prev = audit.row_hash(prev, row[1:])
        db.execute_sql("UPDATE audit_log SET hash = ? WHERE id = ?", (prev, row[0]))
    for sql in finality_triggers():
        if " audit_log_no_update " in sql:
            db.execute_sql(sql)


def _migration_7(db: SqliteDatabase) -> None:
    """Version 7: comparison keys of identifiers (unique), the audit log hashed in sequence, and members,
    accounts and settings under the chain: one register link for each existing record (coop.register)."""
    from coop import register

    for table, column, key in register.KEY_COLUMNS:
        _fill_keys(db, table, column, key)
    db.create_tables([models.RegisterEvent])
    _hash_audit_rows(db)
    db.execute_sql("DROP TRIGGER IF EXISTS journal_entry_closed_period")
    for sql in [*period_triggers(), *register_triggers()]:
        db.execute_sql(sql)
    register.seal_all("upgrade")


def book_triggers() -> list[str]:
    """Version 8: posted entries of the books are final like payouts (only a void changes their state and
    reason), and cash counts are never changed or deleted."""
    return [*_final_record("book_entry", models.BookEntry), *_append_only("cash_count")]


def _migration_8(db: SqliteDatabase) -> None:
    """Version 8: the books. The chart of accounts of the cooperative's country, the keys the sales ledger's
    postings use mapped onto it (postings are hashed in the chain: their keys stay and are mapped instead of
    rewritten, so every balance and `verify` are unchanged), the treasury accounts (the first three on the
    keys cash, mobile_money, bank), entries of the books, cash counts, and their finality triggers."""
    from coop.services.books import chart

    db.create_tables(models.BOOK_MODELS)
    row = db.execute_sql("SELECT country FROM cooperative ORDER BY id LIMIT 1").fetchone()
    chart.install_chart(row[0] if row else "")
    for sql in book_triggers():
        db.execute_sql(sql)


MIGRATIONS: dict[int, Callable[[SqliteDatabase], None]] = {
    1: _migration_1,
    2: _migration_2,
    3: _migration_3,
    4: _migration_4,
    5: _migration_5,
    6: _migration_6,
    7: _migration_7,
    8: _migration_8,
}
LATEST = max(MIGRATIONS)


def upgrade(db: SqliteDatabase, *, backup_dir: Path | None = None) -> int:
    """Run the missing migrations in one transaction after an online backup; refuse newer files."""
    current = schema_version(db)
    if current > LATEST:
        raise StorageError(NEWER, found=current, known=LATEST)
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


def unchanged(columns: Iterable[str]) -> str:
    """A trigger's condition that these columns keep their values."""
    return " AND ".join(f"NEW.{c} IS OLD.{c}" for c in columns)


def _append_only(table: str) -> list[str]:
    """Rows of `table` are never changed or deleted."""
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are final'); END"
        for op in ("UPDATE", "DELETE")
    ]


def _final_record(table: str, model: type[models.Base]) -> list[str]:
    """A draft -> posted -> voided record: once posted, only a void (its state and reason) changes it."""
    same = unchanged(
        f.column_name for f in model._meta.sorted_fields if f.column_name not in ("state", "void_reason")
    )
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_final_update BEFORE UPDATE ON {table} "
        f"WHEN OLD.state <> 'draft' AND NOT (OLD.state = 'posted' AND NEW.state = 'voided' AND {same}) "
        f"BEGIN SELECT RAISE(ABORT, 'posted {table} is final'); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_final_delete BEFORE DELETE ON {table} "
        f"WHEN OLD.state <> 'draft' BEGIN SELECT RAISE(ABORT, 'posted {table} is final'); END",
    ]


def finality_triggers() -> list[str]:
    """SQL triggers that make posted records and the journal impossible to alter, even with raw SQL."""
    sql = [trigger for table in APPEND_ONLY_TABLES for trigger in _append_only(table)]
    by_table = {m._meta.table_name: m for m in models.ALL_MODELS}
    for table in FINAL_TABLES:
        sql += _final_record(table, by_table[table])
    sql.append(
        "CREATE TRIGGER IF NOT EXISTS sale_lot_final BEFORE DELETE ON sale_lot "
        "WHEN (SELECT state FROM sale WHERE id = OLD.sale_id) <> 'draft' "
        "BEGIN SELECT RAISE(ABORT, 'lots of a posted sale are final'); END"
    )
    return sql


def expected_triggers() -> set[str]:
    """Names of the triggers that make posted records, closed periods and what sales used final (versions
    1, 2, 4 and 5)."""
    every = [
        *finality_triggers(),
        *V2_SQL,
        *period_triggers(),
        *sold_triggers(),
        *register_triggers(),
        *book_triggers(),
    ]
    names = {sql.split()[5] for sql in every if sql.startswith("CREATE TRIGGER")}
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


DAMAGED = N_(
    "The database file {path} is damaged ({detail}): no figures are shown, since they could be wrong. "
    "Restore the latest backup (“restore”), or ask for help before writing to this file."
)
FIGURE_TABLES = ("journal_entry", "posting")  # what balances, summaries and filings add up


def check_figures(db: SqliteDatabase, tables: tuple[str, ...] = FIGURE_TABLES) -> None:
    """Refuse to show figures from a damaged file: SQLite's quick_check of the tables they come from. A sum
    can be answered from a covering index alone, so a garbage page of the table itself goes unseen."""
    for table in tables:
        try:
            problems = [
                r[0] for r in db.execute_sql(f"PRAGMA quick_check({table})").fetchall() if r[0] != "ok"
            ]
        except StorageError as exc:
            code = getattr(exc.__cause__, "sqlite_errorcode", 0) & 0xFF
            if code not in (_CORRUPT, _NOTADB):
                raise
            problems = [str(exc.params.get("detail", ""))]
        if problems:
            raise StorageError(DAMAGED, path=db.database, detail="; ".join(problems[:3]))


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
