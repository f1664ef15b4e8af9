"""The desktop's handle on the database file: open it, read what the sign-in window shows, close a
thread's connection. Imports the storage layer only when called (the sign-in window paints before it)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import SqliteDatabase

    from coop import peek


def open_file(path: str | os.PathLike) -> SqliteDatabase:
    """Open (create or upgrade) the database file and bind the models to it; returns its handle."""
    from coop import db

    return db.open_database(path)


def look() -> peek.Look:
    """What the sign-in window shows, read from the open database."""
    from coop import models, peek

    return peek.look(models.database.execute_sql)


def close_thread_connection() -> None:
    """Close the calling thread's connection (a worker thread's own, when its work is done)."""
    from coop.models import database

    database.close()
