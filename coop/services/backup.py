"""Backing up the live database on request: who may, where to, and the online copy itself."""

from __future__ import annotations

import os
from pathlib import Path

from coop.errors import ValidationError
from coop.permissions import Actor


def back_up(actor: Actor, dest: str | os.PathLike) -> Path:
    """Copy the open database to `dest` with SQLite's online backup (safe while the app writes); returns
    the file written. The copy is never half-written: it is made beside `dest`, then renamed."""
    actor.require("backup")
    if not isinstance(dest, (str, os.PathLike)) or not str(dest).strip():
        raise ValidationError("dest", "Choose the file to write the backup to.")
    from coop import db
    from coop.models import database

    return db.backup_to(database.obj, dest)
