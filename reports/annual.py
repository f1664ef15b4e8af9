"""Annual report for the general assembly: members, production, sales, distribution, taxes, incidents, charts."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle
from reportlab.platypus.flowables import Flowable

from coop import i18n, money
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
    members = (
        _(
            "Members: owed at the start of the year {start} + earned in the year {earned} − paid out in the year "
            "{paid} = owed at year end {end}"
        )
        if not a.credited_by_books_minor
        else _(
            "Members: owed at the start of the year {start} + earned in the year {earned} + patronage refund "
            "and other entries of the books {books} − paid out in the year {paid} = owed at year end {end}"
        )
    ).format(
        start=ctx.money(a.owed_to_members_start_minor),
        earned=ctx.money(a.net_to_members_minor),
        books=ctx.money(a.credited_by_books_minor),
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
    header = [
        _("Month"),
        _("Gross value ({currency})").format(currency=i18n.currency_symbol(ctx.currency, ctx.locale)),
    ]
    sales_table = table(header, rows, [22 * mm, 36 * mm], st, numeric=[1], total=True)
    values = [float(money.from_minor(a.sales_by_month.get(m, 0), ctx.currency)) / 10**6 for m in months]
    bars = stacked_bars(
        _("Gross value of sales per month"),
        [month_label(ctx, m) for m in months],
        {i18n.currency_symbol(ctx.currency, ctx.locale): values},
        _("millions {currency}").format(currency=i18n.currency_symbol(ctx.currency, ctx.locale)),
        width_mm=116,
        fmt=_number_fmt(ctx),
    )
    return _side(sales_table, bars, 62 * mm)


def _accounts(ctx: Ctx, a: AnnualReport, st: dict) -> list[Flowable]:
    """The year's accounts for the assembly to approve (income statement, balance sheet, trial balance, the
    treasury accounts) and the allocation of the result it decided."""
    from reports import books

    story: list[Flowable] = []
    if a.income_statement is not None:
        story += [para(_("5. The accounts of the year"), st["h2"]), para(_("Income statement"), st["bold"])]
        story += books.income_statement_story(ctx, a.income_statement, st)
    if a.balance_sheet is not None:
        story += [para(_("Balance sheet"), st["bold"]), *books.balance_sheet_story(ctx, a.balance_sheet, st)]
    if a.treasury:
        rows = [[t.number + " " + _(t.name), ctx.amount(t.opening_minor), ctx.amount(t.received_minor),
                 ctx.amount(t.paid_minor), ctx.amount(t.closing_minor), ctx.num(t.counts)] for t in a.treasury]  # fmt: skip
        header = [_("Treasury account"), _("Opening"), _("Received"), _("Paid"), _("Closing"), _("Counts")]
        widths = [38 * mm, 32 * mm, 32 * mm, 32 * mm, 32 * mm, 14 * mm]
        story += [para(_("Cash books"), st["bold"]), table(header, rows, widths, st, numeric=[1, 2, 3, 4, 5])]
    if a.trial_balance is not None and a.trial_balance.lines:
        tb = a.trial_balance
        rows = [
            [x.number, _(x.name), ctx.amount(x.debit_minor), ctx.amount(x.credit_minor)] for x in tb.lines
        ]
        rows.append(["", _("Total"), ctx.amount(tb.total_debit_minor), ctx.amount(tb.total_credit_minor)])
        header = [_("Account"), _("Name"), _("Debit"), _("Credit")]
        story += [para(_("Trial balance"), st["bold"]),
                  table(header, rows, [16 * mm, 92 * mm, 36 * mm, 36 * mm], st, numeric=[2, 3], total=True)]  # fmt: skip
    story.append(para(_("6. Allocation of the result"), st["h2"]))
    if a.allocation is None:
        story.append(para(_("The year is not closed yet: the general assembly has not decided the allocation."),
                          st["body"]))  # fmt: skip
    else:
        story += books.allocation_story(ctx, a.allocation, st)
    return story


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
    story += _accounts(ctx, a, st)
    return render(ctx, Layout(title=_("Annual report {year}").format(year=a.series)), story)
