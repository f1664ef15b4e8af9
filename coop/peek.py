"""What the sign-in window shows (the cooperative, whether accounts exist), read with plain sqlite3 so the
window paints before peewee, the models and the services are imported (docs/PERFORMANCE.md, start-up)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

SCHEMA = 8  # = coop.db.LATEST (tests/test_peek.py holds them equal): other versions are opened in full first


class Look(NamedTuple):
    coop_name: str | None  # None: no cooperative yet (the first run asks for one)
    locale: str  # the cooperative's formats, e.g. fr_CD ("en" before there is a cooperative)
    has_users: bool


def look(execute: Callable[[str], Any]) -> Look:
    """The sign-in facts through `execute(sql)`: a raw sqlite3 connection's or the open database's."""
    row = execute("SELECT name, locale FROM cooperative ORDER BY id LIMIT 1").fetchone()
    has_users = bool(execute('SELECT EXISTS (SELECT 1 FROM "user")').fetchone()[0])
    if row is None:
        return Look(None, "en", has_users)
    return Look(row[0], row[1] or "en", has_users)


def peek(path: str | Path) -> Look | None:
    """The sign-in facts of an existing file at the current schema, read-only; None when the file is
    missing, of another schema version or unreadable: the caller then opens it in full before any window
    (creating it, upgrading it after a backup, or reporting the error as the full open words it)."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
            return None
        return look(conn.execute)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
