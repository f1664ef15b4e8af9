"""The desktop's handle on the database file: open it, read what the sign-in window shows, close a
thread's connection. Imports the storage layer only when called (the sign-in window paints before it)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import SqliteDatabase

    from coop import peek
    from coop.permissions import Actor


def open_file(path: str | os.PathLike) -> SqliteDatabase:
    """Open (create or upgrade) the database file and bind the models to it; returns its handle."""
    from pathlib import Path

    from coop import anchors, db, paths

    handle = db.open_database(path)
    anchors.watch(handle, Path(path).resolve().parent / paths.SEEN_NAME)  # as the command line does
    return handle


def look() -> peek.Look:
    """What the sign-in window shows, read from the open database."""
    from coop import models, peek

    return peek.look(models.database.execute_sql)


def close_thread_connection() -> None:
    """Close the calling thread's connection (a worker thread's own, when its work is done)."""
    from coop.models import database

    database.close()


def database_path() -> str:
    """The path of the open database file ("" when none is open)."""
    from coop.models import database

    return str(database.obj.database) if database.obj is not None else ""


def close_database() -> None:
    """Close the open database (before it is replaced by a restore, or another file is opened)."""
    from coop.models import database

    if database.obj is not None:
        database.obj.close()


def verify(actor: Actor):  # -> verification.Report (imported when called)
    """The verification of the open database (`verify` of the command line) for an actor who may verify."""
    from coop import verification
    from coop.models import database

    actor.require("ledger.verify")
    report = verification.run(database.obj, **evidence())
    path = database_path()
    if report.ok and path and path != ":memory:":
        from pathlib import Path

        from coop import anchors, paths
        from coop.errors import StorageError

        try:  # a sound file is an anchor of its own, as `verify` on the command line adds
            anchors.note(path, "verify", Path(path).resolve().parent / paths.SEEN_NAME)
        except StorageError:
            pass  # the verification stands; the next one anchors again
    return report


def evidence(paper=()) -> dict:
    """The evidence outside the open file that verify compares it with (coop.anchors): its anchor log, the
    head this installation last saw in it, and `paper` anchors typed from receipts."""
    from pathlib import Path

    from coop import anchors, paths

    path = database_path()
    if not path or path == ":memory:":
        return {"paper": paper}
    seen = anchors.read_seen(Path(path).resolve().parent / paths.SEEN_NAME, path)
    return {"anchor_log": anchors.log_path(path), "seen": seen, "paper": paper}


def restore(actor: Actor, backup: str | os.PathLike):  # -> backups.RestoreResult
    """Replace the open database by a verified backup (coop.backups.restore: the current file is kept
    aside); the database is closed first and opened again afterwards, whatever happened. Managers only."""
    from coop import backups

    actor.require("users.manage")  # restoring replaces every account: the manager's decision
    current = database_path()
    close_database()
    try:
        return backups.restore(current, backup, username=actor.username)
    finally:
        open_file(current)
