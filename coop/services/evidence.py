"""Hashes typed from members' receipts, vouchers and filings checked against the chain (the auditor's
"Check receipts" dialog; `verify --anchor` on the command line)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from coop import anchors, verification
from coop.errors import ValidationError
from coop.i18n import N_
from coop.permissions import Actor

MATCHES = N_("matches the chain")


@dataclass(frozen=True, kw_only=True)
class AnchorCheck:
    """One line typed: the record it names, the hash typed, whether the chain holds that record with that
    hash, and why not (translated)."""

    line: str
    ref: str
    prefix: str
    matches: bool
    message: str


@dataclass(frozen=True, kw_only=True)
class AnchorReport:
    checks: list[AnchorCheck]
    chain_problems: list[str]  # translated: the walk and the anchor log (every later link must follow)

    @property
    def all_match(self) -> bool:
        return not self.chain_problems and all(c.matches for c in self.checks)


def _check_line(line: str) -> AnchorCheck:
    try:
        paper = anchors.parse(line)
    except ValidationError as exc:
        return AnchorCheck(line=line.strip(), ref="", prefix="", matches=False, message=exc.message())
    problem = verification.paper_problem(paper)
    from coop.i18n import _

    message = _(MATCHES) if problem is None else problem.message()
    return AnchorCheck(
        line=line.strip(), ref=paper.ref, prefix=paper.prefix, matches=problem is None, message=message
    )


def check_anchors(actor: Actor, text: str) -> AnchorReport:
    """Each `NUMBER:HASH` line of `text` (blank lines and # comments skipped) against the open database, and
    the chain walked with the anchor log, so that a match also says every later link follows from it."""
    from coop.services import session

    actor.require("ledger.verify")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    checks = [_check_line(line) for line in lines]
    from coop.models import database

    found = verification.run(
        database.obj, checks=(verification.hash_chain, verification.anchored), **session.evidence()
    )
    return AnchorReport(checks=checks, chain_problems=[p.message() for p in found.problems])


def read_anchor_file(actor: Actor, path: str | os.PathLike) -> str:
    """The text of a file of anchors (UTF-8), for the dialog to show and check."""
    from pathlib import Path

    from coop.errors import StorageError

    actor.require("ledger.verify")
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise StorageError(anchors.ANCHOR_FILE_UNREADABLE, path=str(path), detail=detail) from None
