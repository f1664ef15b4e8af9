"""Anchor slip data: the chain's length and head now, and the latest anchors of the log, for the general
assembly or the supervisory committee to sign and keep on paper (coop.anchors)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coop import anchors, chain
from coop.permissions import Actor

SHOWN = 12  # the latest anchors of the log printed under the head


@dataclass(frozen=True, kw_only=True)
class AnchorSlipData:
    printed_at: datetime
    length: int  # chain links now
    head: str  # full hash of the newest link
    anchors: list[anchors.Anchor]  # the latest of the log, newest last
    log_path: str


def anchor_slip(actor: Actor) -> AnchorSlipData:
    """The slip for the open database (who may verify the books may print it)."""
    from coop.models import database

    actor.require("ledger.verify")
    length, head = chain.head()
    path = str(database.obj.database)
    logged: list[anchors.Anchor] = []
    log = ""
    if path != ":memory:":
        log = str(anchors.log_path(path))
        logged = anchors.read_log(anchors.log_path(path))[0][-SHOWN:]
    return AnchorSlipData(
        printed_at=datetime.now().replace(microsecond=0),
        length=length,
        head=head,
        anchors=logged,
        log_path=log,
    )
