"""verify on a file of an older schema, before it is upgraded: the sources added later (register events,
entries of the books) have no table there and are skipped; the records that are there are still checked."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from coop import chain, db
from coop.models import BookEntry, RegisterEvent
from tests.reliability.make_fixtures import FIXTURES

# from schema 6 on, every column the chain reads is in the file; these lack the later sources' tables
VERSIONS = [v for v in range(6, db.LATEST) if (FIXTURES / f"v{v}.sqlite").exists()]


def _copy(version: int, folder: Path) -> Path:
    target = folder / "coop.sqlite"
    shutil.copyfile(FIXTURES / f"v{version}.sqlite", target)
    return target


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def test_there_are_old_fixtures_without_the_books():
    assert VERSIONS and all(
        BookEntry._meta.table_name not in _tables(FIXTURES / f"v{v}.sqlite") for v in VERSIONS
    )
    assert "book_entry" in chain.SOURCES and chain.SOURCES["book_entry"] is BookEntry


@pytest.mark.parametrize("version", VERSIONS)
def test_an_old_file_verifies_before_its_upgrade(version, tmp_path):
    path = _copy(version, tmp_path)
    expected = json.loads((FIXTURES / f"v{version}.json").read_text())
    handle = db.open_database(path, migrate=False)
    try:
        assert db.schema_version(handle) == version  # not upgraded: the tables are still missing
        assert not BookEntry.table_exists()
        assert RegisterEvent.table_exists() == (version >= 7)
        result = chain.verify()
        assert result.ok, result.reason
        assert (result.checked, result.head) == (expected["chain_links"], expected["chain_head"])
    finally:
        handle.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_record_changed_in_an_old_file_is_still_named(version, tmp_path):
    """Skipping the missing tables does not skip the present ones: a forger who drops the finality triggers
    and marks a posted sale voided behind the journal's back is caught."""
    path = _copy(version, tmp_path)
    conn = sqlite3.connect(path)
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'sale'"
    ):
        conn.execute(f'DROP TRIGGER "{name}"')
    sale_id = conn.execute("SELECT MIN(id) FROM sale WHERE state = 'posted'").fetchone()[0]
    conn.execute("UPDATE sale SET state = 'voided', void_reason = 'forged' WHERE id = ?", (sale_id,))
    conn.commit()
    conn.close()
    handle = db.open_database(path, migrate=False)
    try:
        result = chain.verify()
        assert not result.ok
        assert f"sale {sale_id}" in result.broken_source
    finally:
        handle.close()
