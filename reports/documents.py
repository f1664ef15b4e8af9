"""One builder per document kind: check permission, fetch the report data, hand it to its renderer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from coop.permissions import Actor
from coop.services import statements
from coop.services.documents import annual as annual_data
from coop.services.documents import operations, registers
from coop.services.documents import receipt as receipt_data
from coop.services.documents import tax_filing as tax_data
from reports.base import Ctx


def receipt(ctx: Ctx, actor: Actor, *, sale_id: int, fmt: str = "a5", duplicate: bool = False) -> bytes:
    from reports.receipt import render_receipt

    return render_receipt(ctx, receipt_data.receipt_data(actor, sale_id), fmt, duplicate)


def voucher(ctx: Ctx, actor: Actor, *, payout_id: int) -> bytes:
    from coop.services.documents.voucher import voucher_data
    from reports.voucher import render_voucher

    return render_voucher(ctx, voucher_data(actor, payout_id))


def tax_slip(ctx: Ctx, actor: Actor, *, payment_id: int) -> bytes:
    from coop.services.documents.tax_slip import tax_slip_data
    from reports.tax_slip import render_tax_slip

    return render_tax_slip(ctx, tax_slip_data(actor, payment_id))


BUILDERS: dict[str, Callable[..., bytes]] = {
    "receipt": receipt,
    "voucher": voucher,
    "tax-slip": tax_slip,
}


def anchor_slip(ctx: Ctx, actor: Actor) -> bytes:
    from coop.services.documents.anchor_slip import anchor_slip as slip_data
    from reports.anchor_slip import render_anchor_slip

    return render_anchor_slip(ctx, slip_data(actor))


BUILDERS["anchor_slip"] = anchor_slip


def statement(
    ctx: Ctx, actor: Actor, *, start: date, end: date, member_id: int | None = None, all: bool = False
) -> bytes:
    from reports.statement import render_statements

    return render_statements(ctx, statements.statements_data(actor, start, end, member_id, all))


def tax_filing(ctx: Ctx, actor: Actor, *, start: date, end: date, authority: str | None = None) -> bytes:
    from reports.tax_filing import render_tax_filing

    return render_tax_filing(ctx, tax_data.tax_filing(actor, start, end, authority))


BUILDERS["statement"] = statement
BUILDERS["tax-filing"] = tax_filing


def production(ctx: Ctx, actor: Actor, *, start: date, end: date) -> bytes:
    from reports.operations import render_production

    return render_production(ctx, operations.production(actor, start, end))


def safety(ctx: Ctx, actor: Actor, *, start: date, end: date) -> bytes:
    from reports.operations import render_safety

    return render_safety(ctx, operations.safety(actor, start, end))


def mercury(ctx: Ctx, actor: Actor, *, start: date, end: date) -> bytes:
    from reports.operations import render_mercury

    return render_mercury(ctx, operations.mercury(actor, start, end))


def census(
    ctx: Ctx, actor: Actor, *, end: date | None = None, aggregate: bool = True, start: date | None = None
) -> bytes:
    """Members who had joined by `end` (today by default); `start` is accepted and ignored."""
    from reports.registers import render_census

    return render_census(ctx, registers.census(actor, end or ctx.printed, aggregate))


def custody(ctx: Ctx, actor: Actor, *, lot_ref: str | None = None, sale_id: int | None = None) -> bytes:
    from reports.registers import render_custody

    return render_custody(ctx, registers.custody(actor, lot_ref=lot_ref, sale_id=sale_id))


def annual(ctx: Ctx, actor: Actor, *, year: int) -> bytes:
    from reports.annual import render_annual

    return render_annual(ctx, annual_data.annual(actor, year))


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
