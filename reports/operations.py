"""Production, safety and mercury reports for a period, with charts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer
from reportlab.platypus.flowables import Flowable

from coop import money, vocab
from coop.i18n import _
from coop.services.documents.operations import MercuryReport, ProductionReport, SafetyReport
from coop.services.safety import CATEGORIES, SEVERITIES
from reports.base import Ctx, Layout, key_values, para, render, styles, table
from reports.charts import stacked_bars

WIDTH = 180 * mm


def month_label(ctx: Ctx, month: str) -> str:
    y, m = month.split("-")
    return ctx.day(date(int(y), int(m), 1), "MMM y")


def _period(ctx: Ctx, start: date, end: date) -> str:
    return _("{start} to {end}").format(start=ctx.day(start), end=ctx.day(end))


def _months(start: date, end: date) -> list[str]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _number_fmt(ctx: Ctx):
    return lambda v: ctx.num(Decimal(round(v)))


def production_story(ctx: Ctx, p: ProductionReport, st: dict, charts: bool = True) -> list[Flowable]:
    story: list[Flowable] = []
    totals = p.totals()
    rows: list[list[object]] = [
        [mineral, ctx.num(lots), ctx.qty(qty, unit), ctx.qty(fine, unit)]
        for (mineral, unit), (lots, qty, fine) in totals.items()
    ]
    story.append(para(_("Summary by mineral"), st["h2"]))
    story.append(
        table(
            [_("Mineral"), _("Lots"), _("Quantity"), _("Fine quantity")],
            rows,
            [50 * mm, 30 * mm, 50 * mm, 50 * mm],
            st,
            numeric=[1, 2, 3],
        )
    )
    months = _months(p.period_from, p.period_to)
    for mineral, unit in totals:
        mine = [r for r in p.rows if r.mineral == mineral]
        sites = sorted({r.site_code for r in mine})
        grid: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for r in mine:
            grid[r.month][r.site_code] += r.qty_milli
        story.append(
            para(_("{mineral} by site and month ({unit})").format(mineral=mineral, unit=unit), st["h2"])
        )
        lines = [(month_label(ctx, m), grid[m]) for m in months if m in grid]
        story += _grid(ctx, st, lines, sites, _("Month"), _("Site"))
        if charts:
            series = {s: [float(money.milli_to_qty(grid[m].get(s, 0))) for m in months] for s in sites}
            story.append(Spacer(1, 2 * mm))
            story.append(
                stacked_bars(
                    _("{mineral}: production per month").format(mineral=mineral),
                    [month_label(ctx, m) for m in months],
                    series,
                    unit,
                    fmt=_number_fmt(ctx),
                )
            )
    if p.sites:
        story.append(para(_("Sites"), st["h2"]))
        story.append(key_values(sorted(p.sites.items()), [25 * mm, WIDTH - 25 * mm], st))
    return story


GRID_COLUMNS = 5  # value columns per table (+ Total): ~27 mm each, room for a bold "5 227 670,039"


def _grid(
    ctx: Ctx,
    st: dict,
    lines: list[tuple[str, Mapping[str, int]]],
    columns: list[str],
    line_head: str,
    column_head: str,
) -> list[Flowable]:
    """Quantities (milli-units) of lines × columns with totals, e.g. months × sites. When there are more
    columns than lines they are swapped (sites down the page, months across), and columns beyond
    GRID_COLUMNS continue in further tables: a federation's 200 sites never squeeze a column to nothing."""
    cells = {(line, col): values.get(col, 0) for line, values in lines for col in columns}
    rows, cols = [line for line, _v in lines], list(columns)
    head = line_head
    if len(cols) > len(rows):
        rows, cols, head = cols, rows, column_head
        cells = {(c, r): v for (r, c), v in cells.items()}
    row_tot = {r: sum(cells[(r, c)] for c in cols) for r in rows}
    col_tot = {c: sum(cells[(r, c)] for r in rows) for c in cols}
    out: list[Flowable] = []
    parts = max(1, -(-len(cols) // GRID_COLUMNS))
    size = -(-len(cols) // parts) if cols else 1  # even parts: 12 months -> 3 x 4, not 5 + 5 + 2
    for start in range(0, max(len(cols), 1), size):
        part = cols[start : start + size]
        last = start + size >= len(cols)  # the row totals go with the last part
        body = [
            [r, *[ctx.num(money.milli_to_qty(cells[(r, c)]), 3) for c in part]]
            + ([ctx.num(money.milli_to_qty(row_tot[r]), 3)] if last else [])
            for r in rows
        ]
        body.append(
            [_("Total"), *[ctx.num(money.milli_to_qty(col_tot[c]), 3) for c in part]]
            + ([ctx.num(money.milli_to_qty(sum(col_tot.values())), 3)] if last else [])
        )
        n = len(part) + (1 if last else 0)
        first = 20 * mm  # site codes and "janv. 2025"
        header = [head, *part] + ([_("Total")] if last else [])
        out.append(
            table(
                header,
                body,
                [first] + [(WIDTH - first) / n] * n,
                st,
                numeric=list(range(1, n + 1)),
                total=True,
            )
        )
        out.append(Spacer(1, 2 * mm))
    return out


def render_production(ctx: Ctx, p: ProductionReport) -> bytes:
    st = styles(8.5)
    story: list[Flowable] = [
        para(_("Production report"), st["title"]),
        para(_("Period: {period}").format(period=_period(ctx, p.period_from, p.period_to)), st["body"]),
        para(
            _(
                "Lots registered in the period (voided lots excluded). Fine quantity: gross × fineness where fineness applies."
            ),
            st["small"],
        ),
    ]
    story += production_story(ctx, p, st)
    return render(ctx, Layout(title=_("Production report")), story)


def safety_story(
    ctx: Ctx, s: SafetyReport, st: dict, charts: bool = True, details: bool = True
) -> list[Flowable]:
    story: list[Flowable] = [
        key_values(
            [
                (_("Incidents"), ctx.num(len(s.incidents))),
                (_("People injured"), ctx.num(s.injured)),
                (_("Fatalities"), ctx.num(s.fatalities)),
                (_("Open or under investigation"), ctx.num(len(s.open))),
                (_("Reported to the authority"), ctx.num(sum(1 for i in s.incidents if i.reported_on))),
            ],
            [60 * mm, 40 * mm],
            st,
        )
    ]
    matrix = s.matrix()
    sev = list(SEVERITIES)
    rows: list[list[object]] = []
    for cat in CATEGORIES:
        if cat not in matrix:
            continue
        counts = [matrix[cat].get(v, 0) for v in sev]
        rows.append([_(CATEGORIES[cat]), *[ctx.num(c) if c else "·" for c in counts], ctx.num(sum(counts))])
    totals = [sum(matrix[c].get(v, 0) for c in matrix) for v in sev]
    rows.append([_("Total"), *[ctx.num(c) for c in totals], ctx.num(sum(totals))])
    story.append(para(_("Incidents by category and severity"), st["h2"]))
    each = (WIDTH - 50 * mm) / (len(sev) + 1)
    story.append(
        table(
            [_("Category"), *[_(SEVERITIES[v]) for v in sev], _("Total")],
            rows,
            [50 * mm] + [each] * (len(sev) + 1),
            st,
            numeric=list(range(1, len(sev) + 2)),
            total=True,
        )
    )
    if charts and matrix:
        cats = [c for c in CATEGORIES if c in matrix]
        series = {_(SEVERITIES[v]): [float(matrix[c].get(v, 0)) for c in cats] for v in sev}
        story += [
            Spacer(1, 2 * mm),
            stacked_bars(
                _("Incidents by category"),
                [_(CATEGORIES[c]) for c in cats],
                series,
                _("Incidents"),
                horizontal=True,
                fmt=_number_fmt(ctx),
            ),
        ]
    if details:
        story.append(para(_("Open actions"), st["h2"]))
        open_rows: list[list[object]] = [
            [
                ctx.day(i.occurred_at),
                i.site_code,
                _(CATEGORIES.get(i.category, i.category)),
                _(SEVERITIES.get(i.severity, i.severity)),
                vocab.label(vocab.RECORD_STATES, i.state),
                i.actions or _("No action recorded"),
            ]
            for i in s.open
        ]
        if open_rows:
            story.append(
                table(
                    [_("Date"), _("Site"), _("Category"), _("Severity"), _("State"), _("Actions")],
                    open_rows,
                    [22 * mm, 14 * mm, 34 * mm, 26 * mm, 24 * mm, 60 * mm],
                    st,
                )
            )
        else:
            story.append(para(_("No open incident."), st["body"]))
        fatal = [i for i in s.incidents if i.fatalities]
        story.append(para(_("Fatalities"), st["h2"]))
        if fatal:
            story.append(
                table(
                    [_("Date"), _("Site"), _("Deaths"), _("Description"), _("Reported to the authority")],
                    [
                        [
                            ctx.day(i.occurred_at),
                            i.site_code,
                            ctx.num(i.fatalities),
                            i.description,
                            ctx.day(i.reported_on) if i.reported_on else _("Not reported"),
                        ]
                        for i in fatal
                    ],
                    [22 * mm, 14 * mm, 16 * mm, 90 * mm, 38 * mm],
                    st,
                    numeric=[2],
                )
            )
        else:
            story.append(para(_("No fatality in the period."), st["body"]))
    return story


def render_safety(ctx: Ctx, s: SafetyReport) -> bytes:
    st = styles(8.5)
    story: list[Flowable] = [
        para(_("Safety report"), st["title"]),
        para(_("Period: {period}").format(period=_period(ctx, s.period_from, s.period_to)), st["body"]),
        Spacer(1, 2 * mm),
    ]
    story += safety_story(ctx, s, st)
    return render(ctx, Layout(title=_("Safety report")), story)


def _ratio(ctx: Ctx, used: int, gold: int) -> str:
    if not gold:
        return "—"
    return ctx.num(money.round_to(Decimal(used) / Decimal(gold), 2), 2)


def _share(ctx: Ctx, part: int, whole: int) -> str:
    if not whole:
        return "—"
    return f"{ctx.num(money.round_to(Decimal(part) * 100 / Decimal(whole), 0), 0)}\u00a0%"


def render_mercury(ctx: Ctx, m: MercuryReport) -> bytes:
    st = styles(8)
    rows: list[list[object]] = [
        [
            month_label(ctx, r.month),
            r.site_code,
            ctx.num(money.milli_to_qty(r.purchased_milli), 1),
            ctx.num(money.milli_to_qty(r.used_milli), 1),
            ctx.num(money.milli_to_qty(r.gold_milli), 2),
            _ratio(ctx, r.used_milli, r.gold_milli),
            _share(ctx, r.used_with_retort_milli, r.used_milli),
            _share(ctx, r.lots_with_retort, r.gold_lots),
        ]
        for r in m.rows
    ]
    t = m.total()
    rows.append(
        [
            _("Total"),
            "",
            ctx.num(money.milli_to_qty(t.purchased_milli), 1),
            ctx.num(money.milli_to_qty(t.used_milli), 1),
            ctx.num(money.milli_to_qty(t.gold_milli), 2),
            _ratio(ctx, t.used_milli, t.gold_milli),
            _share(ctx, t.used_with_retort_milli, t.used_milli),
            _share(ctx, t.lots_with_retort, t.gold_lots),
        ]
    )
    header = [
        _("Month"),
        _("Site"),
        _("Hg purchased (g)"),
        _("Hg used (g)"),
        _("Gold produced (g)"),
        _("Hg:Au"),
        _("Hg used with retort"),
        _("Gold lots with retort"),
    ]
    widths = [24 * mm, 14 * mm, 24 * mm, 22 * mm, 26 * mm, 16 * mm, 27 * mm, 27 * mm]
    story: list[Flowable] = [
        para(_("Mercury report"), st["title"]),
        para(_("Period: {period}").format(period=_period(ctx, m.period_from, m.period_to)), st["body"]),
        Spacer(1, 2 * mm),
        key_values(
            [
                (_("Mercury purchased"), ctx.qty(t.purchased_milli, "g", 1)),
                (_("Mercury used"), ctx.qty(t.used_milli, "g", 1)),
                (_("Gold produced"), ctx.qty(t.gold_milli, "g", 2)),
                (_("Hg:Au ratio"), _ratio(ctx, t.used_milli, t.gold_milli)),
                (_("Stock change (purchased − used)"), ctx.qty(t.purchased_milli - t.used_milli, "g", 1)),
            ],
            [60 * mm, 50 * mm],
            st,
        ),
        para(_("Per site and month"), st["h2"]),
        table(header, rows, widths, st, numeric=[2, 3, 4, 5, 6, 7], total=True),
        Spacer(1, 2 * mm),
        para(
            _(
                "Hg:Au = grams of mercury used (daily entries) per gram of gold produced (gross weight of the gold lots registered). Minamata Convention baseline indicator."
            ),
            st["small"],
        ),
    ]
    months = sorted({r.month for r in m.rows})
    sites = sorted({r.site_code for r in m.rows})
    used_at = {(r.month, r.site_code): r.used_milli for r in m.rows}  # one row per (month, site)
    used = {s: [float(money.milli_to_qty(used_at.get((mo, s), 0))) for mo in months] for s in sites}
    if months:
        story += [
            Spacer(1, 3 * mm),
            KeepTogether(
                stacked_bars(
                    _("Mercury used per month (g)"),
                    [month_label(ctx, x) for x in months],
                    used,
                    "g",
                    fmt=_number_fmt(ctx),
                )
            ),
        ]
    return render(ctx, Layout(title=_("Mercury report")), story)
