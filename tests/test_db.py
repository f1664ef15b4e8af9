"""Database file: pragmas on every connection, schema version, refusing newer files, finality triggers."""

import sqlite3

import pytest
from peewee import IntegrityError

from coop import db as dbmod
from coop.errors import StorageError


def test_pragmas_are_set_and_checked(db):
    got = {name: db.execute_sql(f"PRAGMA {name}").fetchone()[0] for name in dbmod.PRAGMAS}
    assert got == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10000}
    assert dbmod.schema_version(db) == dbmod.LATEST


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {dbmod.LATEST + 1}")
    con.close()
    with pytest.raises(StorageError, match="newer version"):
        dbmod.open_database(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError):
        dbmod.open_database(path)


def test_posted_records_and_journal_are_final_even_with_raw_sql(coop):
    sale_id = coop.sell([coop.lot()])
    for sql in [
        "UPDATE sale SET gross_minor = 1",
        "DELETE FROM sale",
        "UPDATE posting SET amount_minor = 0",
        "DELETE FROM journal_entry",
        "DELETE FROM sale_lot",
        "UPDATE audit_log SET username = 'x'",
    ]:
        with pytest.raises(IntegrityError):
            dbmod.models.database.execute_sql(sql)
    # the one allowed change is posted -> voided with nothing else touched
    dbmod.models.database.execute_sql(
        "UPDATE sale SET state = 'voided', void_reason = 'r' WHERE id = ?", (sale_id,)
    )
    with pytest.raises(IntegrityError):
        dbmod.models.database.execute_sql("UPDATE sale SET state = 'posted' WHERE id = ?", (sale_id,))


def test_backup_is_a_consistent_copy(coop, tmp_path):
    coop.sell([coop.lot()])
    dest = dbmod.backup_to(dbmod.models.database.obj, tmp_path / "b" / "copy.sqlite")
    con = sqlite3.connect(dest)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM sale").fetchone()[0] == 1
    con.close()
