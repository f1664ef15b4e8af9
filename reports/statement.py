"""Member earnings statement: opening balance, each sale share, payout and void, closing balance."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer
from reportlab.platypus.flowables import Flowable

from coop import i18n
from coop.i18n import N_, _
from coop.services.statements import MemberStatement
from reports.base import Ctx, Layout, key_values, para, render, signature_block, styles, table

LINE_KINDS = {
    "sale": N_("Share of sale"),
    "payout": N_("Payout"),
    "void": N_("Reversal (void)"),
    "allocation": N_("Patronage refund (ristourne)"),  # the closed year's allocation, on the member's account
    "opening": N_("Opening balances"),
}
WIDTH = 180 * mm


def statement_story(ctx: Ctx, s: MemberStatement) -> list[Flowable]:
    st = styles(8.5)
    period = _("{start} to {end}").format(start=ctx.day(s.period_from), end=ctx.day(s.period_to))
    story: list[Flowable] = [
        para(_("Member earnings statement"), st["title"]),
        Spacer(1, 2 * mm),
        key_values(
            [
                (_("Member"), f"{s.member_no} – {s.full_name}"),
                (_("Site"), s.site or "—"),
                (_("Period"), period),
                (_("Currency"), i18n.currency_line(s.currency, ctx.locale)),
            ],
            [35 * mm, WIDTH - 35 * mm],
            st,
        ),
        Spacer(1, 4 * mm),
    ]
    rows: list[list[object]] = [
        [ctx.day(s.period_from), _("Opening balance"), "", "", "", ctx.amount(s.opening_minor)]
    ]
    for ln in s.lines:
        credit = ctx.amount(ln.amount_minor) if ln.amount_minor > 0 else ""
        debit = ctx.amount(-ln.amount_minor) if ln.amount_minor < 0 else ""
        rows.append(
            [
                ctx.day(ln.date),
                _(LINE_KINDS.get(ln.kind, ln.kind)),
                ln.reference,
                credit,
                debit,
                ctx.amount(ln.balance_minor),
            ]
        )
    rows.append(
        [
            ctx.day(s.period_to),
            _("Closing balance"),
            "",
            # column totals, reversals included: opening + this − the next = closing
            ctx.amount(s.credits_minor),
            ctx.amount(s.debits_minor),
            ctx.amount(s.closing_minor),
        ]
    )
    header = [_("Date"), _("Movement"), _("Reference"), _("Earned"), _("Paid out"), _("Balance")]
    widths = [27 * mm, 38 * mm, 37 * mm, 26 * mm, 26 * mm, 26 * mm]  # a date ("Dec 31, 2026") on one line
    story.append(table(header, rows, widths, st, numeric=[3, 4, 5], total=True))
    story += [
        Spacer(1, 4 * mm),
        key_values(
            [
                (_("Opening balance"), ctx.money(s.opening_minor)),
                (_("Earned in the period"), ctx.money(s.earned_minor)),
                (_("Shares of voided sales taken back"), "−" + ctx.money(s.sales_reversed_minor)),
                (_("Paid out in the period"), "−" + ctx.money(s.paid_minor)),
                (_("Voided payouts owed again"), ctx.money(s.payouts_reversed_minor)),
                (_("Patronage refund and other entries of the books"), ctx.money(s.other_minor)),
                (_("Closing balance (owed to the member)"), ctx.money(s.closing_minor)),
            ],
            [70 * mm, 50 * mm],
            st,
        ),
        Spacer(1, 3 * mm),
        para(
            _(
                "Amounts are the member's shares of posted sales after the cooperative levy and withheld taxes."
            ),
            st["small"],
        ),
        Spacer(1, 6 * mm),
        signature_block([_("Treasurer"), _("Member")], WIDTH, st),
    ]
    return story


def render_statements(ctx: Ctx, statements: list[MemberStatement]) -> bytes:
    """One PDF with one statement per member, each starting on a new page."""
    story: list[Flowable] = []
    for i, s in enumerate(statements):
        if i:
            story.append(PageBreak())
        story += statement_story(ctx, s)
    if not story:
        story = [para(_("No member had a balance or a movement in this period."), styles()["body"])]
    title = _("Member earnings statement")
    if len(statements) == 1:
        title = _("Statement {member}").format(member=statements[0].member_no)
    return render(ctx, Layout(title=title), story)
