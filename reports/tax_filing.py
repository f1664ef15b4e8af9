"""Tax filing for a period and authority: sales by mineral, each tax's base, rate and due, payments, balance."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from coop.i18n import _
from coop.services.documents.tax_filing import TaxFilingData
from reports.base import Ctx, Layout, key_values, para, render, signature_block, styles, table

WIDTH = 180 * mm


def _identification(ctx: Ctx, d: TaxFilingData, st: dict) -> Flowable:
    s = d.summary
    c = ctx.coop
    return key_values(
        [
            (_("Filer"), c.name),
            (_("Registration no."), c.registration_no or "—"),
            (_("Tax id"), c.tax_id or "—"),
            (_("Address"), c.address or "—"),
            (_("Authority"), s.authority or _("All authorities")),
            (
                _("Period"),
                _("{start} to {end}").format(start=ctx.day(s.period_from), end=ctx.day(s.period_to)),
            ),
            (_("Currency"), s.currency),
        ],
        [40 * mm, WIDTH - 40 * mm],
        st,
    )


def _sales(ctx: Ctx, d: TaxFilingData, st: dict) -> Flowable:
    s = d.summary
    rows: list[list[object]] = [
        [
            m.mineral,
            d.hs_codes.get(m.mineral, "") or "—",
            ctx.num(m.sales),
            ctx.qty(m.qty_milli, m.unit),
            ctx.qty(m.priced_qty_milli, m.unit),
            ctx.amount(m.gross_local_minor),
        ]
        for m in s.by_mineral
    ]
    rows.append(
        [
            _("Total"),
            "",
            ctx.num(d.sales_count),
            "",
            "",
            ctx.amount(sum(m.gross_local_minor for m in s.by_mineral)),
        ]
    )
    header = [
        _("Mineral"),
        _("HS code"),
        _("Sales"),
        _("Quantity"),
        _("Fine quantity"),
        _("Gross value ({currency})").format(currency=s.currency),
    ]
    widths = [30 * mm, 22 * mm, 16 * mm, 36 * mm, 36 * mm, 40 * mm]
    return table(header, rows, widths, st, numeric=[2, 3, 4, 5], total=True)


def _taxes(ctx: Ctx, d: TaxFilingData, st: dict) -> Flowable:
    s = d.summary
    rows: list[list[object]] = [
        [t.name, t.authority, ctx.pct(t.rate_bp), ctx.amount(t.base_minor), ctx.amount(t.due_minor)]
        for t in s.taxes
    ]
    rows.append([_("Total due"), "", "", "", ctx.amount(s.due_minor)])
    header = [_("Tax"), _("Authority"), _("Rate"), _("Base (gross value)"), _("Amount due")]
    widths = [46 * mm, 30 * mm, 20 * mm, 42 * mm, 42 * mm]
    return table(header, rows, widths, st, numeric=[2, 3, 4], total=True)


def _payments(ctx: Ctx, d: TaxFilingData, st: dict) -> Flowable:
    s = d.summary
    rows: list[list[object]] = [
        [ctx.day(p.date), p.authority, p.reference or "—", ctx.amount(p.amount_minor)] for p in s.payments
    ]
    rows.append([_("Total paid"), "", "", ctx.amount(s.paid_minor)])
    header = [_("Date"), _("Authority"), _("Reference"), _("Amount paid")]
    widths = [30 * mm, 50 * mm, 58 * mm, 42 * mm]
    return table(header, rows, widths, st, numeric=[3], total=True)


def render_tax_filing(ctx: Ctx, d: TaxFilingData) -> bytes:
    st = styles(8.5)
    s = d.summary
    story: list[Flowable] = [
        para(_("Tax filing"), st["title"]),
        Spacer(1, 2 * mm),
        _identification(ctx, d, st),
        para(_("1. Sales of the period by mineral"), st["h2"]),
        _sales(ctx, d, st),
        para(_("2. Taxes due"), st["h2"]),
        _taxes(ctx, d, st),
        para(_("3. Payments made"), st["h2"]),
        _payments(ctx, d, st),
        para(_("4. Balance"), st["h2"]),
        key_values(
            [
                (_("Total due"), ctx.money(s.due_minor)),
                (_("Total paid"), ctx.money(s.paid_minor)),
                (
                    _("Balance to pay") if s.balance_minor >= 0 else _("Overpaid"),
                    ctx.money(abs(s.balance_minor)),
                ),
            ],
            [50 * mm, 60 * mm],
            st,
        ),
        Spacer(1, 4 * mm),
        para(
            _(
                "We certify that this filing is complete and agrees with the cooperative's books. The books are "
                "kept as a tamper-evident chain; its head at printing is {hash}."
            ).format(hash=ctx.chain_prefix),
            st["body"],
        ),
        Spacer(1, 5 * mm),
        signature_block(
            [_("For the cooperative (manager)"), _("Treasurer"), _("Received by the authority")], WIDTH, st
        ),
    ]
    return render(ctx, Layout(title=_("Tax filing")), story)
