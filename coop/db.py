"""Database file: open with checked pragmas, schema version and migrations, finality triggers, online backup."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import peewee
from peewee import SqliteDatabase

from coop import models
from coop.errors import StorageError

PRAGMAS = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10000}
FINAL_TABLES = ("sale", "payout", "tax_payment")  # draft -> posted -> voided records
APPEND_ONLY_TABLES = ("journal_entry", "posting", "audit_log")


def open_database(path: str | os.PathLike, *, migrate: bool = True) -> SqliteDatabase:
    """Open (creating if needed) the database, check its pragmas, bind the models, bring the schema up."""
    path = str(path)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = SqliteDatabase(path, pragmas=list(PRAGMAS.items()), lock_type="IMMEDIATE", check_same_thread=False)
    try:
        db.connect(reuse_if_open=True)
        _check_pragmas(db, in_memory=path == ":memory:")
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        db.close()
        raise StorageError(
            "The file {path} is not a CoopLedger database or is damaged ({detail}).",
            path=path,
            detail=str(exc),
        ) from exc
    models.database.initialize(db)
    if migrate:
        upgrade(db)
    return db


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


MIGRATIONS: dict[int, Callable[[SqliteDatabase], None]] = {1: _migration_1}
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


def backup_to(db: SqliteDatabase, dest: str | os.PathLike) -> Path:
    """Copy the live database with SQLite's online backup API to a temp file, then rename into place."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    target = sqlite3.connect(tmp)
    try:
        db.connection().backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    os.replace(tmp, dest)
    return dest


def integrity_problems(db: SqliteDatabase) -> list[str]:
    """integrity_check and foreign_key_check findings; empty when the file is sound."""
    problems = [r[0] for r in db.execute_sql("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
    problems += [f"foreign key: {r}" for r in db.execute_sql("PRAGMA foreign_key_check").fetchall()]
    return problems
