"""One builder per document kind: check permission, fetch the report data, hand it to its renderer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from coop.errors import ValidationError
from coop.permissions import Actor
from coop.services import reporting, statements
from reports.base import Ctx


def receipt(ctx: Ctx, actor: Actor, *, sale_id: int, fmt: str = "a5", duplicate: bool = False) -> bytes:
    from reports.receipt import render_receipt

    return render_receipt(ctx, reporting.receipt_data(actor, sale_id), fmt, duplicate)


BUILDERS: dict[str, Callable[..., bytes]] = {
    "receipt": receipt,
}


def statement(
    ctx: Ctx, actor: Actor, *, start: date, end: date, member_id: int | None = None, all: bool = False
) -> bytes:
    from reports.statement import render_statements

    return render_statements(ctx, statements_data(actor, start, end, member_id, all))


def statements_data(
    actor: Actor, start: date, end: date, member_id: int | None = None, all: bool = False
) -> list[statements.MemberStatement]:
    """The statements of one member or (all=True) of every member with a balance or movement."""
    if all:
        ids = statements.members_with_activity(actor, start, end)
    elif member_id is None:
        raise ValidationError("member", "Choose a member or all members.")
    else:
        ids = [member_id]
    return [statements.statement(actor, i, start, end) for i in ids]


def tax_filing(ctx: Ctx, actor: Actor, *, start: date, end: date, authority: str | None = None) -> bytes:
    from reports.tax_filing import render_tax_filing

    return render_tax_filing(ctx, reporting.tax_filing(actor, start, end, authority))


BUILDERS["statement"] = statement
BUILDERS["tax-filing"] = tax_filing
