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
    """The statements of one member or (all=True) of every member with a balance or movement.

    Needs reports.read, except that a member account may print its own statement."""
    own = member_id is not None and actor.can("read.own") and actor.member_id == member_id
    if not own:
        actor.require("reports.read")
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


def production(ctx: Ctx, actor: Actor, *, start: date, end: date) -> bytes:
    from reports.operations import render_production

    return render_production(ctx, reporting.production(actor, start, end))


def safety(ctx: Ctx, actor: Actor, *, start: date, end: date) -> bytes:
    from reports.operations import render_safety

    return render_safety(ctx, reporting.safety(actor, start, end))


def mercury(ctx: Ctx, actor: Actor, *, start: date, end: date) -> bytes:
    from reports.operations import render_mercury

    return render_mercury(ctx, reporting.mercury(actor, start, end))


def census(
    ctx: Ctx, actor: Actor, *, end: date | None = None, aggregate: bool = True, start: date | None = None
) -> bytes:
    """Members who had joined by `end` (today by default); `start` is accepted and ignored."""
    from reports.registers import render_census

    return render_census(ctx, reporting.census(actor, end or ctx.printed, aggregate))


def custody(ctx: Ctx, actor: Actor, *, lot_ref: str | None = None, sale_id: int | None = None) -> bytes:
    from reports.registers import render_custody

    return render_custody(ctx, reporting.custody(actor, lot_ref=lot_ref, sale_id=sale_id))


def annual(ctx: Ctx, actor: Actor, *, year: int) -> bytes:
    from reports.annual import render_annual

    return render_annual(ctx, reporting.annual(actor, year))


BUILDERS.update(
    {
        "production": production,
        "safety": safety,
        "mercury": mercury,
        "census": census,
        "custody": custody,
        "annual": annual,
    }
)
