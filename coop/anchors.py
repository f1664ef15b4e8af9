"""Evidence of the chain kept outside the database file: paper anchors and the anchor log.

A chain without a secret can be rewritten by anyone who has the code, so its links are compared with
copies the file does not hold: the link hash printed on each receipt or filing (a paper anchor, typed back
as `NUMBER:HASH`), an anchor log beside the backups (time, chain length, head at each period close,
backup, verify and first start of a day) and the last head this installation saw (in the data
directory, written after every commit that grew the chain). A chain shorter than an anchor, or whose
link at the anchor's length has another hash, was cut or rewritten after that anchor was taken.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from coop.errors import StorageError, ValidationError
from coop.i18n import N_

LOG_NAME = "anchors.log"  # in the backups folder (coop.backups.backup_dir)
PRINTED = 16  # hex characters of a link printed on paper
MIN_PREFIX = 16  # shortest hash prefix accepted from the user

ANCHOR_SHORTER = N_(
    "The chain has {n} links, fewer than the {length} recorded on {time} ({event}): "
    "records were removed or lost after that."
)
ANCHOR_DIVERGES = N_(
    "Link {length} is not the one recorded on {time} ({event}): the chain was rewritten after that."
)
ANCHOR_LOG_DAMAGED = N_("The anchor log {path} cannot be read at line {line}.")
PAPER_MISMATCH = N_("{record}: the printed hash {printed} does not match the chain ({stored}).")
PAPER_MISSING = N_("{record}: the chain holds no such record.")
BAD_ANCHOR = N_("“{value}” is not an anchor: write NUMBER:HASH with at least {n} hex characters.")
ANCHOR_FILE_UNREADABLE = N_("The anchor file {path} cannot be read ({detail}).")
ANCHOR_NOT_WRITTEN = N_("The anchor log {path} could not be written ({detail}).")

_HEX = re.compile(r"^[0-9a-f]+$")


@dataclass(frozen=True)
class Anchor:
    """The chain as it was at one moment: `length` links, the last one's hash `head`."""

    time: str  # ISO date and time, local
    length: int
    head: str
    event: str  # period_close, backup, verify, start, restore


@dataclass(frozen=True)
class PaperAnchor:
    """A record's link hash as printed: `ref` is a receipt number (2025/12), "payout/N", "tax/N" or a
    filing's period (2025-03, 2025-Q1, 2025): any text without a slash-number names a filing."""

    ref: str
    prefix: str


def parse(text: str) -> PaperAnchor:
    """`NUMBER:HASH` (hash: at least MIN_PREFIX hex characters; case and spaces ignored)."""
    ref, sep, digest = text.strip().rpartition(":")
    digest = digest.strip().lower().replace(" ", "")
    if not sep or not ref.strip() or len(digest) < MIN_PREFIX or len(digest) > 64 or not _HEX.match(digest):
        raise ValidationError("anchor", BAD_ANCHOR, value=text.strip(), n=MIN_PREFIX)
    return PaperAnchor(ref.strip(), digest)


def parse_lines(lines: Iterable[str]) -> list[PaperAnchor]:
    """One anchor per line; blank lines and lines starting with # are skipped."""
    return [parse(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def read_file(path: str | os.PathLike) -> list[PaperAnchor]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise StorageError(ANCHOR_FILE_UNREADABLE, path=str(path), detail=detail) from None
    return parse_lines(text.splitlines())


# --- the anchor log --------------------------------------------------------------------------------------


def log_path(db_path: str | os.PathLike) -> Path:
    """The anchor log of one database file, with the backups (the `backups` folder beside it), named after the
    file: the real books and the demo (demo.coopledger) share a folder and must not share their anchors."""
    folder = Path(db_path).parent / "backups"
    mine = folder / f"{Path(db_path).name}.{LOG_NAME}"
    legacy = folder / LOG_NAME  # before the demo had its own file, a folder held one database and one log
    if legacy.is_file() and not mine.exists():
        try:
            os.replace(legacy, mine)  # the first database opened after the upgrade: the one the log was for
        except OSError:
            return legacy
    return mine


def append(path: Path, event: str, length: int, head: str, when: datetime | None = None) -> Anchor:
    """Append one anchor line (flushed to the disk: it is evidence)."""
    anchor = Anchor((when or datetime.now()).replace(microsecond=0).isoformat(sep=" "), length, head, event)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="ascii") as out:
            out.write(f"{anchor.time}\t{anchor.length}\t{anchor.head}\t{anchor.event}\n")
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise StorageError(ANCHOR_NOT_WRITTEN, path=str(path), detail=exc.strerror) from None
    return anchor


def read_log(path: Path) -> tuple[list[Anchor], list[int]]:
    """The anchors in the log and the numbers of lines that are not anchors (a missing log: none)."""
    anchors: list[Anchor] = []
    bad: list[int] = []
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return anchors, bad
    except OSError:
        return anchors, [0]
    for number, line in enumerate(text.splitlines(), 1):
        parts = line.split("\t")
        if len(parts) != 4 or not parts[1].isdigit() or len(parts[2]) != 64 or not _HEX.match(parts[2]):
            bad.append(number)
            continue
        anchors.append(Anchor(parts[0], int(parts[1]), parts[2], parts[3]))
    return anchors, bad


def since_restore(anchors: Sequence[Anchor]) -> list[Anchor]:
    """The anchors a chain must still agree with: a restore puts an older file back on purpose, so what was
    anchored before the last restore no longer applies (the restore is itself an anchor and an audit row)."""
    last = max((i for i, a in enumerate(anchors) if a.event == "restore"), default=-1)
    return list(anchors[last:]) if last >= 0 else list(anchors)


# --- the head this installation saw ----------------------------------------------------------------------


def _seen_all(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_seen(path: Path, db_path: str | os.PathLike) -> Anchor | None:
    """The newest head this installation saw in the database file `db_path`, or None."""
    entry = _seen_all(path).get(str(Path(db_path).resolve()))
    try:
        return Anchor(str(entry["time"]), int(entry["length"]), str(entry["head"]), "seen")  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return None


def write_seen(path: Path, db_path: str | os.PathLike, length: int, head: str, event: str = "seen") -> None:
    """Remember (length, head) for `db_path`; written to a temp file then renamed, so never half-written."""
    data = _seen_all(path)
    data[str(Path(db_path).resolve())] = {
        "time": datetime.now().replace(microsecond=0).isoformat(sep=" "),
        "length": length,
        "head": head,
        "event": event,
    }
    tmp = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise StorageError(ANCHOR_NOT_WRITTEN, path=str(path), detail=exc.strerror) from None


class SeenHead:
    """After every commit: when the chain grew, remember its new head (installed by `watch`). The head is
    read after the commit, so it is never one a rollback took back, and read on the handle itself."""

    def __init__(self, handle: Any, path: Path) -> None:
        self.handle, self.path = handle, path
        seen = read_seen(path, handle.database)
        self.length = seen.length if seen else -1

    def __call__(self) -> None:
        execute = self.handle.execute_sql
        row = execute("SELECT seq, hash FROM journal_entry ORDER BY seq DESC LIMIT 1").fetchone()
        length, head = (row[0], row[1]) if row else (0, "0" * 64)
        if length <= self.length:
            return
        sql = "SELECT seq, hash FROM journal_entry WHERE seq > ? AND kind = 'period_close' ORDER BY seq"
        closings = execute(sql, (max(self.length, 0),)).fetchall() if self.length >= 0 else []
        self.length = length
        try:
            for seq, digest in closings:  # a closing is an anchor of its own
                append(log_path(self.handle.database), "period_close", seq, digest)
            write_seen(self.path, self.handle.database, length, head)
        except StorageError:
            pass  # the commit stands; a missing anchor only makes verify compare with less


def note(db_path: str | os.PathLike, event: str, seen: Path | None = None) -> Anchor:
    """Append the open database's (length, head) to its anchor log (and to the seen head when given)."""
    from coop import chain

    length, head = chain.head()
    anchor = append(log_path(db_path), event, length, head)
    if seen is not None:
        write_seen(seen, db_path, length, head, event)
    return anchor


# --- finding the link a paper anchor names ---------------------------------------------------------------

_NUMBERED = re.compile(r"^(?:(payout|tax|receipt|link)\s*)?(?:(.+?)\s*/\s*)?(\d+)$", re.IGNORECASE)


def _posting_link(stype: str, source_id: int | None) -> Any:
    from coop.models import JournalEntry

    if source_id is None:
        return None
    return (
        JournalEntry.select()
        .where(
            (JournalEntry.source_type == stype)
            & (JournalEntry.source_id == source_id)
            & (JournalEntry.kind == stype)
        )
        .first()
    )


def candidates(anchor: PaperAnchor) -> list[tuple[str, Any]]:
    """The records an anchor may name, each as (how it is named, its posting link or None when the chain
    holds none): "2025/12" is receipt 12 of series 2025 or payout voucher 2025/12 (its year and id);
    "payout/N", "tax/N" (a tax payment slip), "receipt 2025/12" say which; "link/N" is link N (an anchor
    slip). Any other text names a filing by
    its period: a filing prints the chain head of the day it was printed, so the link with that hash."""
    from coop.models import JournalEntry, Payout, Sale

    numbered = _NUMBERED.match(anchor.ref)
    if numbered is None:
        link = JournalEntry.select().where(JournalEntry.hash.startswith(anchor.prefix)).first()
        return [(f"filing {anchor.ref}", link)]
    kind, series, number = (numbered.group(1) or "").lower(), numbered.group(2), int(numbered.group(3))
    if series and series.lower() in ("payout", "tax", "receipt", "link"):
        kind, series = series.lower(), None
    found: list[tuple[str, Any]] = []
    if kind == "link":  # an anchor slip: the link that was the head when it was printed
        return [(f"link {number}", JournalEntry.select().where(JournalEntry.seq == number).first())]
    if kind == "tax":
        return [(f"tax payment {number}", _posting_link("tax_payment", number))]
    if kind in ("", "receipt") and series:
        sale = Sale.select(Sale.id).where((Sale.series == series) & (Sale.receipt_no == number)).first()
        found.append((f"receipt {series}/{number}", _posting_link("sale", sale.id if sale else None)))
    if kind in ("", "payout"):
        payout = Payout.get_or_none(Payout.id == number)
        year_ok = payout is not None and (not series or str(payout.date)[:4] == series)
        label = f"payout {series}/{number}" if series else f"payout {number}"
        if kind == "payout" or year_ok:
            found.append((label, _posting_link("payout", number if year_ok or not series else None)))
    return found or [(f"receipt {anchor.ref}", None)]


def link_hash_at(seq: int) -> str | None:
    from coop.models import JournalEntry

    row = JournalEntry.select(JournalEntry.hash).where(JournalEntry.seq == seq).first()
    return row.hash if row else None


def watch(handle: Any, seen: Path) -> None:
    """Keep the seen head of the file open on `handle` current after each of its commits."""
    if handle.database != ":memory:":
        handle.after_commit = SeenHead(handle, seen)
