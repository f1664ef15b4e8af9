"""Annual report for the general assembly: members, production, sales, distribution, taxes, incidents, charts."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle
from reportlab.platypus.flowables import Flowable

from coop import money
from coop.i18n import _
from coop.services.documents.annual import AnnualReport
from reports.base import Ctx, Layout, key_values, para, render, styles, table
from reports.charts import pie, stacked_bars
from reports.operations import _months, _number_fmt, month_label, production_story, safety_story

WIDTH = 180 * mm


def _side(left: Flowable, right: Flowable, left_width: float) -> Table:
    t = Table([[left, right]], colWidths=[left_width, WIDTH - left_width], hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def _key_figures(ctx: Ctx, a: AnnualReport, st: dict) -> Flowable:
    taxes_withheld = a.gross_local_minor - a.levy_minor - a.net_to_members_minor
    incidents = len(a.safety.incidents) if a.safety else 0
    deaths = a.safety.fatalities if a.safety else 0
    pairs = [
        (_("Members (active / registered)"), f"{ctx.num(a.members_active)} / {ctx.num(a.members_total)}"),
        (_("New members in the year"), ctx.num(a.members_joined)),
        (_("Sales"), ctx.num(a.sales_count)),
        (_("Gross value of sales"), ctx.money(a.gross_local_minor)),
        (_("Cooperative levy"), ctx.money(a.levy_minor)),
        (_("Taxes withheld at sale"), ctx.money(taxes_withheld)),
        (_("Earned by members (net of levy and taxes)"), ctx.money(a.net_to_members_minor)),
        (_("Paid out to members"), ctx.money(a.paid_to_members_minor)),
        (_("Owed to members at year end"), ctx.money(a.owed_to_members_end_minor)),
        (_("Taxes due for the year"), ctx.money(a.taxes_due_minor)),
        (_("Taxes paid in the year"), ctx.money(a.taxes_paid_minor)),
        (_("Tax payable at year end"), ctx.money(a.tax_payable_end_minor)),
        (_("Incidents / fatalities"), f"{ctx.num(incidents)} / {ctx.num(deaths)}"),
        (
            _("Mercury used / gold produced"),
            f"{ctx.qty(a.mercury_used_milli, 'g', 0)} / {ctx.qty(a.gold_milli, 'g', 0)}",
        ),
    ]
    figures = key_values(pairs, [62 * mm, 46 * mm], st)
    if a.gross_local_minor <= 0:
        return figures
    parts = {
        _("Members"): float(money.from_minor(a.net_to_members_minor, ctx.currency)),
        _("Levy"): float(money.from_minor(a.levy_minor, ctx.currency)),
        _("Taxes"): float(money.from_minor(taxes_withheld, ctx.currency)),
    }
    return _side(figures, pie(_("Where the sales value went"), parts, width_mm=68), 110 * mm)


def _reconciliation(ctx: Ctx, a: AnnualReport, st: dict) -> list[Flowable]:
    """The year's movements take each balance from the start of the year to its end, as the ledger holds it."""
    tax = _(
        "Taxes: payable at the start of the year {start} + due for the year {due} − paid in the year {paid} "
        "= payable at year end {end}"
    ).format(
        start=ctx.money(a.tax_payable_start_minor),
        due=ctx.money(a.taxes_due_minor),
        paid=ctx.money(a.taxes_paid_minor),
        end=ctx.money(a.tax_payable_end_minor),
    )
    members = _(
        "Members: owed at the start of the year {start} + earned in the year {earned} − paid out in the year "
        "{paid} = owed at year end {end}"
    ).format(
        start=ctx.money(a.owed_to_members_start_minor),
        earned=ctx.money(a.net_to_members_minor),
        paid=ctx.money(a.paid_to_members_minor),
        end=ctx.money(a.owed_to_members_end_minor),
    )
    return [
        para(_("Reconciliation with the ledger"), st["bold"]),
        para(tax, st["body"]),
        para(members, st["body"]),
    ]


def _sales(ctx: Ctx, a: AnnualReport, st: dict) -> Flowable:
    months = _months(a.period_from, a.period_to)
    rows: list[list[object]] = [[month_label(ctx, m), ctx.amount(a.sales_by_month.get(m, 0))] for m in months]
    rows.append([_("Total"), ctx.amount(a.gross_local_minor)])
    header = [_("Month"), _("Gross value ({currency})").format(currency=ctx.currency)]
    sales_table = table(header, rows, [22 * mm, 36 * mm], st, numeric=[1], total=True)
    values = [float(money.from_minor(a.sales_by_month.get(m, 0), ctx.currency)) / 10**6 for m in months]
    bars = stacked_bars(
        _("Gross value of sales per month"),
        [month_label(ctx, m) for m in months],
        {ctx.currency: values},
        _("millions {currency}").format(currency=ctx.currency),
        width_mm=116,
        fmt=_number_fmt(ctx),
    )
    return _side(sales_table, bars, 62 * mm)


def render_annual(ctx: Ctx, a: AnnualReport) -> bytes:
    st = styles(8.5)
    period = _("{start} to {end}").format(start=ctx.day(a.period_from), end=ctx.day(a.period_to))
    story: list[Flowable] = [
        para(_("Annual report {year}").format(year=a.series), st["title"]),
        para(_("Fiscal year: {period}. For the general assembly.").format(period=period), st["body"]),
        para(_("1. Key figures"), st["h2"]),
        _key_figures(ctx, a, st),
        *_reconciliation(ctx, a, st),
        para(_("2. Sales"), st["h2"]),
        _sales(ctx, a, st),
        para(_("3. Production"), st["h2"]),
    ]
    story += production_story(ctx, a.production, st)
    if a.safety is not None:
        story.append(para(_("4. Safety"), st["h2"]))
        story += safety_story(ctx, a.safety, st, details=False)
    return render(ctx, Layout(title=_("Annual report {year}").format(year=a.series)), story)
