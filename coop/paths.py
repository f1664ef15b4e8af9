"""Where the data lives: per-user data directory (platformdirs), --data-dir override, portable mode."""

from __future__ import annotations

import sys
from pathlib import Path

APP = "CoopLedger"
DB_NAME = "coopledger.sqlite"


def app_dir() -> Path:
    """Folder of the executable (frozen bundle) or of the source checkout."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def data_dir(override: str | None = None, portable: bool = False) -> Path:
    if override:
        return Path(override).expanduser().resolve()
    if portable:
        return app_dir() / "data"
    from platformdirs import user_data_dir  # here: with --db or --data-dir the start-up does not need it

    return Path(user_data_dir(APP, APP, roaming=False))


def database_path(db: str | None, data_dir_override: str | None = None, portable: bool = False) -> Path:
    return Path(db).expanduser().resolve() if db else data_dir(data_dir_override, portable) / DB_NAME


SEEN_NAME = "seen-heads.json"


def seen_heads_path(db: str | None, data_dir_override: str | None = None, portable: bool = False) -> Path:
    """The file keeping the last chain head this installation saw in each database (coop.anchors): in the
    data directory; for a database named by --db alone, in the folder of that file."""
    if db and not data_dir_override and not portable:
        return Path(db).expanduser().resolve().parent / SEEN_NAME
    return data_dir(data_dir_override, portable) / SEEN_NAME
