"""One builder per document kind: check permission, fetch the report data, hand it to its renderer."""

from __future__ import annotations

from collections.abc import Callable

from coop.permissions import Actor
from coop.services import reporting
from reports.base import Ctx


def receipt(ctx: Ctx, actor: Actor, *, sale_id: int, fmt: str = "a5", duplicate: bool = False) -> bytes:
    from reports.receipt import render_receipt

    return render_receipt(ctx, reporting.receipt_data(actor, sale_id), fmt, duplicate)


BUILDERS: dict[str, Callable[..., bytes]] = {
    "receipt": receipt,
}
