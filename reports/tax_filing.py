"""Tax filing for a period and authority: sales by mineral, each tax's base, rate and due, payments, balance."""

from __future__ import annotations

import dataclasses
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table
from reportlab.platypus.flowables import Flowable

from coop import i18n
from coop import report_periods as periods
from coop.i18n import _
from coop.services.documents.tax_filing import TaxFilingData
from reports.base import Ctx, Layout, key_values, para, render, signature_block, styles, table
from reports.receipt import qr

WIDTH = 180 * mm


def _period_text(ctx: Ctx, start: date, end: date) -> str:
    """The dates, after the period's name when it is a year, a quarter or a month (what the authority asks)."""
    dates = _("{start} to {end}").format(start=ctx.day(start), end=ctx.day(end))
    named = periods.name(start, end, ctx.locale)
    return _("{period} ({dates})").format(period=named, dates=dates) if named else dates


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
            (_("Period"), _period_text(ctx, s.period_from, s.period_to)),
            (_("Currency"), i18n.currency_line(s.currency, ctx.locale)),
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
        _("Gross value ({currency})").format(currency=i18n.currency_symbol(s.currency, ctx.locale)),
    ]
    widths = [30 * mm, 22 * mm, 16 * mm, 36 * mm, 36 * mm, 40 * mm]
    return table(header, rows, widths, st, numeric=[2, 3, 4, 5], total=True)


def _adjustments(ctx: Ctx, d: TaxFilingData, st: dict) -> list[Flowable]:
    """Sales of earlier periods voided in this one: named by receipt, counted here (never in their period)."""
    s = d.summary
    if not s.adjustments:
        return []
    rows: list[list[object]] = [
        [
            f"{a.series}-{a.receipt_no}",
            ctx.day(a.sale_date),
            ctx.day(a.void_date),
            a.mineral or "—",
            ctx.amount(-a.gross_local_minor),
            ctx.amount(-a.tax_minor),
        ]
        for a in s.adjustments
    ]
    rows.append(
        [
            _("Total"),
            "",
            "",
            "",
            ctx.amount(-sum(a.gross_local_minor for a in s.adjustments)),
            ctx.amount(-sum(a.tax_minor for a in s.adjustments)),
        ]
    )
    header = [
        _("Receipt"),
        _("Sold on"),
        _("Voided on"),
        _("Mineral"),
        _("Gross value ({currency})").format(currency=i18n.currency_symbol(s.currency, ctx.locale)),
        _("Tax due"),
    ]
    widths = [28 * mm, 26 * mm, 26 * mm, 30 * mm, 40 * mm, 30 * mm]
    return [
        para(_("Adjustments: sales of earlier periods voided in this period"), st["h2"]),
        table(header, rows, widths, st, numeric=[4, 5], total=True),
    ]


def _taxes(ctx: Ctx, d: TaxFilingData, st: dict) -> Flowable:
    s = d.summary
    rows: list[list[object]] = [
        [
            t.name,
            t.authority,
            ctx.pct(t.rate_bp),
            ctx.amount(t.base_minor),
            ctx.amount(t.rate_times_base_minor),
            ctx.amount(t.due_minor),
        ]
        for t in s.taxes
    ]
    if s.untaxed_base_minor:  # sales of the period no tax applied to: in the base, with nothing due
        rows.append(
            [_("No tax applied"), "", "", ctx.amount(s.untaxed_base_minor), ctx.amount(0), ctx.amount(0)]
        )
    rows.append([_("Total due"), "", "", "", "", ctx.amount(s.due_minor)])
    header = [_("Tax"), _("Authority"), _("Rate"), _("Base (gross value)"), _("Rate × base"), _("Amount due")]
    widths = [38 * mm, 26 * mm, 16 * mm, 36 * mm, 32 * mm, 32 * mm]
    note = _(
        "The amount due is the sum of the amounts applied to each sale of the period, each rounded once to "
        "the minor unit (less those of the sales voided in it); rate × base, rounded once, may differ from it "
        "by a few minor units."
    )
    return KeepTogether(
        [table(header, rows, widths, st, numeric=[2, 3, 4, 5], total=True), para(note, st["small"])]
    )


def _payments(ctx: Ctx, d: TaxFilingData, st: dict) -> Flowable:
    s = d.summary
    rows: list[list[object]] = [
        [ctx.day(p.date), p.authority, p.reference or "—", ctx.amount(p.amount_minor)] for p in s.payments
    ]
    rows.append([_("Total paid"), "", "", ctx.amount(s.paid_minor)])
    header = [_("Date"), _("Authority"), _("Reference"), _("Amount paid")]
    widths = [30 * mm, 50 * mm, 58 * mm, 42 * mm]
    return table(header, rows, widths, st, numeric=[3], total=True)


def qr_payload(d: TaxFilingData) -> str:
    """What the QR code of a final filing holds (ASCII): the period, the totals and the whole chain head."""
    s = d.summary
    assert s.closing is not None
    return (
        f"COOPLEDGER-FILING {s.period_from.isoformat()}/{s.period_to.isoformat()} DUE {s.due_minor} "
        f"PAID {s.paid_minor} CLOSED {s.closing.to_date.isoformat()} HEAD {s.closing.head_hash}"
    )


def _certification(ctx: Ctx, d: TaxFilingData, st: dict) -> list[Flowable]:
    s = d.summary
    if s.closing is None:
        text = _(
            "We certify that this filing is complete and agrees with the cooperative's books. The books are "
            "kept as a tamper-evident chain; its head at printing is {hash}."
        ).format(hash=ctx.chain_prefix)
        return [para(text, st["body"])]
    c = s.closing
    text = _(
        "FINAL: the books were closed up to {closed} on {on} by {user}; nothing can be dated in this period "
        "any more. We certify that this filing is complete and agrees with the cooperative's books. The books "
        "are kept as a tamper-evident chain; its head at the closing is {hash} (in full in the QR code)."
    ).format(closed=ctx.day(c.to_date), on=ctx.day(c.closed_on), user=c.closed_by, hash=c.head_prefix)
    code = Table([[para(text, st["body"]), qr(qr_payload(d), 26 * mm)]], colWidths=[WIDTH - 30 * mm, 30 * mm])
    return [code]


def render_tax_filing(ctx: Ctx, d: TaxFilingData) -> bytes:
    st = styles(8.5)
    s = d.summary
    title = _("Tax filing (final)") if s.final else _("Tax filing")
    story: list[Flowable] = [
        para(title, st["title"]),
        Spacer(1, 2 * mm),
        _identification(ctx, d, st),
        para(_("1. Sales of the period by mineral"), st["h2"]),
        _sales(ctx, d, st),
        *_adjustments(ctx, d, st),
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
        *_certification(ctx, d, st),
        Spacer(1, 5 * mm),
        signature_block(
            [_("For the cooperative (manager)"), _("Treasurer"), _("Received by the authority")], WIDTH, st
        ),
    ]
    if s.closing is None:
        return render(ctx, Layout(title=title), story)
    # A final filing prints only what the closing fixed (its date and the head it holds, also in the footer),
    # so every reprint is the same file, byte for byte.
    final_ctx = dataclasses.replace(ctx, chain_prefix=s.closing.head_prefix)
    lay = Layout(title=title, fixed_date=s.closing.closed_on, date_label=_("Closed {date}"))
    return render(final_ctx, lay, story, invariant=True)
