"""The log file beside the database (coopledger.log, rotated): Python's logging and faulthandler's crash
traces, since a windowed program on Windows has no stderr. Set up after the sign-in window is painted."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
from pathlib import Path
from typing import IO

LOG_NAME = "coopledger.log"
FAULT_NAME = "coopledger-crash.log"  # faulthandler writes raw to a file it keeps open
MAX_BYTES = 1_000_000
BACKUPS = 3

_state: dict[str, object] = {}


def log_path() -> Path | None:
    """The log file in use (None before `setup`)."""
    path = _state.get("path")
    return path if isinstance(path, Path) else None


def setup(folder: str | Path) -> Path:
    """Log to `folder`/coopledger.log (rotated at 1 MB, 3 kept) and send fatal crashes' tracebacks to
    `folder`/coopledger-crash.log; again with another folder moves both there. Returns the log's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    if log_path() == path:
        return path
    root = logging.getLogger()
    old = _state.get("handler")
    if isinstance(old, logging.Handler):
        root.removeHandler(old)
        old.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    fault: IO[str] = open(folder / FAULT_NAME, "a", encoding="utf-8")  # noqa: SIM115 (kept open by design)
    faulthandler.enable(fault)
    previous = _state.get("fault")
    if previous is not None:
        previous.close()  # type: ignore[attr-defined]
    _state.update(path=path, handler=handler, fault=fault)
    logging.getLogger("coopledger").info("log opened: %s", path)
    return path
