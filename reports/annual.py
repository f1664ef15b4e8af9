"""Annual report for the general assembly: members, production, sales, distribution, taxes, incidents, charts."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer
from reportlab.platypus.flowables import Flowable

from coop import money
from coop.i18n import _
from coop.services.reporting import AnnualReport
from reports.base import Ctx, Layout, key_values, para, render, styles, table
from reports.charts import pie, stacked_bars
from reports.operations import _months, _number_fmt, month_label, production_story, safety_story

WIDTH = 180 * mm


def render_annual(ctx: Ctx, a: AnnualReport) -> bytes:
    st = styles(8.5)
    period = _("{start} to {end}").format(start=ctx.day(a.period_from), end=ctx.day(a.period_to))
    taxes_other = a.gross_local_minor - a.levy_minor - a.net_to_members_minor
    story: list[Flowable] = [
        para(_("Annual report {year}").format(year=a.series), st["title"]),
        para(_("Fiscal year: {period}. For the general assembly.").format(period=period), st["body"]),
        para(_("1. Key figures"), st["h2"]),
        key_values(
            [
                (
                    _("Members (active / registered)"),
                    f"{ctx.num(a.members_active)} / {ctx.num(a.members_total)}",
                ),
                (_("New members in the year"), ctx.num(a.members_joined)),
                (_("Sales"), ctx.num(a.sales_count)),
                (_("Gross value of sales"), ctx.money(a.gross_local_minor)),
                (_("Cooperative levy"), ctx.money(a.levy_minor)),
                (_("Taxes withheld at sale"), ctx.money(taxes_other)),
                (_("Earned by members (net of levy and taxes)"), ctx.money(a.net_to_members_minor)),
                (_("Paid out to members"), ctx.money(a.paid_to_members_minor)),
                (_("Owed to members at year end"), ctx.money(a.owed_to_members_end_minor)),
                (_("Taxes due for the year"), ctx.money(a.taxes_due_minor)),
                (_("Taxes paid in the year"), ctx.money(a.taxes_paid_minor)),
                (_("Tax payable at year end"), ctx.money(a.tax_payable_end_minor)),
                (
                    _("Incidents / fatalities"),
                    f"{ctx.num(len(a.safety.incidents)) if a.safety else 0} / {ctx.num(a.safety.fatalities) if a.safety else 0}",
                ),
                (
                    _("Mercury used / gold produced"),
                    f"{ctx.qty(a.mercury_used_milli, 'g', 0)} / {ctx.qty(a.gold_milli, 'g', 0)}",
                ),
            ],
            [80 * mm, 70 * mm],
            st,
        ),
        Spacer(1, 3 * mm),
    ]
    if a.gross_local_minor > 0:
        story.append(
            KeepTogether(
                [
                    pie(
                        _("Where the sales value went"),
                        {
                            _("Members"): float(money.from_minor(a.net_to_members_minor, ctx.currency)),
                            _("Levy"): float(money.from_minor(a.levy_minor, ctx.currency)),
                            _("Taxes"): float(money.from_minor(taxes_other, ctx.currency)),
                        },
                        width_mm=100,
                    ),
                ]
            )
        )
    months = _months(a.period_from, a.period_to)
    story.append(para(_("2. Sales"), st["h2"]))
    rows: list[list[object]] = [[month_label(ctx, m), ctx.amount(a.sales_by_month.get(m, 0))] for m in months]
    rows.append([_("Total"), ctx.amount(a.gross_local_minor)])
    story.append(
        table(
            [_("Month"), _("Gross value ({currency})").format(currency=ctx.currency)],
            rows,
            [50 * mm, 50 * mm],
            st,
            numeric=[1],
            total=True,
        )
    )
    scale = 10**6
    story.append(Spacer(1, 2 * mm))
    story.append(
        stacked_bars(
            _("Gross value of sales per month (millions {currency})").format(currency=ctx.currency),
            [month_label(ctx, m) for m in months],
            {
                ctx.currency: [
                    float(money.from_minor(a.sales_by_month.get(m, 0), ctx.currency)) / scale for m in months
                ]
            },
            ctx.currency,
            fmt=_number_fmt(ctx),
        )
    )
    story.append(PageBreak())
    story.append(para(_("3. Production"), st["h2"]))
    story += production_story(ctx, a.production, st)
    if a.safety is not None:
        story.append(para(_("4. Safety"), st["h2"]))
        story += safety_story(ctx, a.safety, st, details=False)
    return render(ctx, Layout(title=_("Annual report {year}").format(year=a.series)), story)
