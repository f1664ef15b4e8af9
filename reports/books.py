"""The books' printed reports: cash book (with its cash counts), general ledger, trial balance, income statement
and balance sheet — SYSCOHADA headings for a cooperative in an OHADA state, a plain layout otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus.flowables import Flowable, Spacer

from coop import i18n
from coop.i18n import N_, _
from coop.permissions import Actor
from coop.services.books import cashcount, reports, treasury, yearclose
from coop.services.books.reports import AccountLine, BalanceSheet, IncomeStatement
from reports.base import Ctx, Layout, key_values, para, render, styles, table

WIDTH = 180 * mm

# SYSCOHADA révisé headings (AUDCIF 2017: bilan, compte de résultat) by the first digits of the account number
SYS_ASSETS = (
    ("2", N_("Fixed assets (class 2)")),
    ("3", N_("Current assets: stocks (class 3)")),
    ("4", N_("Current assets: third parties (class 4)")),
    ("5", N_("Treasury – assets (class 5)")),
)
SYS_LIABILITIES = (
    ("10", N_("Capital (10)")),
    ("11", N_("Reserves (11)")),
    ("12", N_("Retained earnings (12)")),
    ("13", N_("Net result (13)")),
    ("14", N_("Investment grants (14)")),
    ("1", N_("Financial debts and similar resources (16–19)")),
    ("4", N_("Current liabilities: third parties (class 4)")),
    ("5", N_("Treasury – liabilities (class 5)")),
)
SYS_INCOME = (
    ("7", N_("Income of ordinary activities (class 7)")),
    ("8", N_("Income outside ordinary activities (class 8)")),
)
SYS_EXPENSES = (
    ("6", N_("Expenses of ordinary activities (class 6)")),
    ("8", N_("Expenses outside ordinary activities and taxes on the result (class 8)")),
)


def _period(ctx: Ctx, since: date | None, until: date | None) -> str:
    if since and until:
        return _("{start} to {end}").format(start=ctx.day(since), end=ctx.day(until))
    if until:
        return _("Up to {date}").format(date=ctx.day(until))
    if since:
        return _("From {date}").format(date=ctx.day(since))
    return _("All dates")


def _grouped(
    lines: Sequence[AccountLine], headings: Sequence[tuple[str, str]]
) -> list[tuple[str, list[AccountLine]]]:
    """Lines under the first heading whose prefix their number starts with (in the headings' order)."""
    out: list[tuple[str, list[AccountLine]]] = [(h, []) for _p, h in headings]
    rest: list[AccountLine] = []
    for line in lines:
        for i, (prefix, _h) in enumerate(headings):
            if line.number.startswith(prefix):
                out[i][1].append(line)
                break
        else:
            rest.append(line)
    if rest:
        out.append((N_("Other accounts"), rest))
    return [(h, ls) for h, ls in out if ls]


def _section(ctx: Ctx, st: dict, title: str, groups: list[tuple[str, list[AccountLine]]], total_label: str,
             total: int, extra: Sequence[tuple[str, int]] = ()) -> list[Flowable]:  # fmt: skip
    rows: list[list[object]] = []
    for heading, lines in groups:
        rows.append(["", para(_(heading), st["bold"]), ""])  # in the wide name column: never cut
        rows += [[x.number, _(x.name), ctx.amount(x.natural_minor)] for x in lines]
    rows += [["", label, ctx.amount(v)] for label, v in extra]
    rows.append(["", total_label, ctx.amount(total)])
    header = [
        _("Account"),
        _("Name"),
        _("Amount ({currency})").format(currency=i18n.currency_symbol(ctx.currency, ctx.locale)),
    ]
    return [
        para(title, st["h2"]),
        table(header, rows, [20 * mm, 120 * mm, 40 * mm], st, numeric=[2], total=True),
    ]


def _plain_groups(lines: Sequence[AccountLine], title: str) -> list[tuple[str, list[AccountLine]]]:
    return [(title, list(lines))] if lines else []


def income_statement_story(ctx: Ctx, s: IncomeStatement, st: dict) -> list[Flowable]:
    sys = s.chart == "syscohada"
    income = _grouped(s.income, SYS_INCOME) if sys else _plain_groups(s.income, N_("Income"))
    expenses = _grouped(s.expenses, SYS_EXPENSES) if sys else _plain_groups(s.expenses, N_("Expenses"))
    story = _section(ctx, st, _("Income"), income, _("Total income"), s.total_income_minor)
    story += _section(ctx, st, _("Expenses"), expenses, _("Total expenses"), s.total_expenses_minor)
    label = _("Net result: surplus") if s.result_minor >= 0 else _("Net result: loss")
    story += [Spacer(1, 3 * mm), key_values([(label, ctx.money(s.result_minor))], [80 * mm, 60 * mm], st)]
    return story


def render_income_statement(ctx: Ctx, s: IncomeStatement) -> bytes:
    st = styles(8.5)
    title = _("Income statement")
    story: list[Flowable] = [para(title, st["title"]), para(_period(ctx, s.since, s.until), st["body"])]
    story += income_statement_story(ctx, s, st)
    return render(ctx, Layout(title=title), story)


def balance_sheet_story(ctx: Ctx, b: BalanceSheet, st: dict) -> list[Flowable]:
    sys = b.chart == "syscohada"
    result = [(_("Result of the period not yet carried"), b.result_minor)] if b.result_minor else []
    if sys:
        assets = _grouped(b.assets, SYS_ASSETS)
        other = _grouped(list(b.equity) + list(b.liabilities), SYS_LIABILITIES)
        story = _section(ctx, st, _("Assets"), assets, _("Total assets"), b.total_assets_minor)
        story += _section(ctx, st, _("Equity and liabilities"), other, _("Total equity and liabilities"),
                          b.total_liabilities_minor + b.total_equity_minor, result)  # fmt: skip
    else:
        story = _section(ctx, st, _("Assets"), _plain_groups(b.assets, N_("Assets")), _("Total assets"),
                         b.total_assets_minor)  # fmt: skip
        story += _section(ctx, st, _("Liabilities"), _plain_groups(b.liabilities, N_("Liabilities")),
                          _("Total liabilities"), b.total_liabilities_minor)  # fmt: skip
        story += _section(ctx, st, _("Equity"), _plain_groups(b.equity, N_("Equity")), _("Total equity"),
                          b.total_equity_minor, result)  # fmt: skip
    check = _("The balance sheet balances.") if b.balanced else _("The balance sheet does NOT balance.")
    return [*story, Spacer(1, 3 * mm), para(check, st["bold"])]


def render_balance_sheet(ctx: Ctx, b: BalanceSheet) -> bytes:
    st = styles(8.5)
    title = _("Balance sheet")
    when = _("At {date}").format(date=ctx.day(b.as_of or ctx.printed))
    story: list[Flowable] = [para(title, st["title"]), para(when, st["body"])]
    return render(ctx, Layout(title=title), story + balance_sheet_story(ctx, b, st))


def render_trial_balance(ctx: Ctx, tb: reports.TrialBalance) -> bytes:
    st = styles(8)
    title = _("Trial balance")
    rows: list[list[object]] = [
        [
            x.number,
            _(x.name),
            ctx.amount(x.debit_minor),
            ctx.amount(x.credit_minor),
            ctx.amount(x.balance_minor),
        ]
        for x in tb.lines
    ]
    rows.append(["", _("Total"), ctx.amount(tb.total_debit_minor), ctx.amount(tb.total_credit_minor),
                 ctx.amount(tb.total_debit_minor - tb.total_credit_minor)])  # fmt: skip
    header = [_("Account"), _("Name"), _("Debit"), _("Credit"), _("Balance")]
    story: list[Flowable] = [
        para(title, st["title"]),
        para(
            _period(ctx, tb.since, tb.until)
            + " · "
            + _("Currency: {currency}").format(currency=i18n.currency_line(ctx.currency, ctx.locale)),
            st["body"],
        ),  # fmt: skip
        table(header, rows, [16 * mm, 62 * mm, 34 * mm, 34 * mm, 34 * mm], st, numeric=[2, 3, 4], total=True),
    ]
    return render(ctx, Layout(title=title), story)


def _ledger_story(ctx: Ctx, led: reports.AccountLedger, st: dict) -> list[Flowable]:
    rows: list[list[object]] = [["", "", _("Opening balance"), "", "", ctx.amount(led.opening_minor)]]
    for x in led.lines:
        rows.append([
            ctx.day(x.date, "short"), str(x.seq), x.memo or _(KIND_NAMES.get(x.kind, x.kind)),
            ctx.amount(x.amount_minor) if x.amount_minor > 0 else "",
            ctx.amount(-x.amount_minor) if x.amount_minor < 0 else "",
            ctx.amount(x.balance_minor),
        ])  # fmt: skip
    debit = sum(x.amount_minor for x in led.lines if x.amount_minor > 0)
    credit = -sum(x.amount_minor for x in led.lines if x.amount_minor < 0)
    rows.append(
        ["", "", _("Closing balance"), ctx.amount(debit), ctx.amount(credit), ctx.amount(led.closing_minor)]
    )
    header = [_("Date"), _("No."), _("Description"), _("Debit"), _("Credit"), _("Balance")]
    widths = [20 * mm, 14 * mm, 56 * mm, 30 * mm, 30 * mm, 30 * mm]
    return [table(header, rows, widths, st, numeric=[3, 4, 5], total=True)]


KIND_NAMES = {
    "sale": N_("Sale"),
    "payout": N_("Payout"),
    "tax_payment": N_("Tax payment"),
    "void": N_("Void"),
    "book_entry": N_("Entry of the books"),
}


def render_general_ledger(ctx: Ctx, led: reports.AccountLedger) -> bytes:
    st = styles(8)
    title = _("General ledger")
    story: list[Flowable] = [
        para(title, st["title"]),
        para(_("Account {number} – {name}").format(number=led.number, name=_(led.name)), st["bold"]),
        para(_period(ctx, led.since, led.until), st["body"]),
        *_ledger_story(ctx, led, st),
    ]
    return render(ctx, Layout(title=title), story)


def render_cash_book(ctx: Ctx, t: treasury.Treasury, led: reports.AccountLedger, counts: list) -> bytes:
    st = styles(8)
    title = _("Cash book")
    story: list[Flowable] = [
        para(title, st["title"]),
        # the shipped treasury accounts are named by msgids; a name the user typed comes back from gettext as is
        para(_("{name} (account {number})").format(name=_(t.name), number=t.number), st["bold"]),
        para(_period(ctx, led.since, led.until), st["body"]),
        *_ledger_story(ctx, led, st),
        para(_("Cash counts"), st["h2"]),
    ]
    shown = [
        c
        for c in counts
        if (led.since is None or c.date >= led.since) and (led.until is None or c.date <= led.until)
    ]
    if not shown:
        story.append(para(_("No cash count in the period."), st["body"]))
    else:
        rows = [[ctx.day(c.date, "short"), ctx.amount(c.book_minor), ctx.amount(c.counted_minor),
                 ctx.amount(c.difference_minor), c.reason] for c in shown]  # fmt: skip
        header = [_("Date"), _("In the books"), _("Counted"), _("Difference"), _("Reason")]
        story.append(
            table(header, rows, [22 * mm, 34 * mm, 34 * mm, 30 * mm, 60 * mm], st, numeric=[1, 2, 3])
        )
    return render(ctx, Layout(title=title), story)


def allocation_story(ctx: Ctx, y: yearclose.YearClose, st: dict) -> list[Flowable]:
    """The surplus allocation decided by the general assembly (annual report)."""
    pairs = [
        (_("Result of the year"), ctx.money(y.result_minor)),
        (_("Legal (general) reserve"), ctx.money(y.legal_reserve_minor)),
        (_("Education and training reserve"), ctx.money(y.education_reserve_minor)),
        (_("Other reserves"), ctx.money(y.other_reserve_minor)),
        (_("Patronage refund to members (ristourne)"), ctx.money(y.ristourne_minor)),
        (_("Retained earnings"), ctx.money(y.retained_minor)),
    ]
    if y.assembly_day:
        pairs.append((_("Decided by the general assembly on"), ctx.day(y.assembly_day)))
    if y.reference:
        pairs.append((_("Reference"), y.reference))
    story: list[Flowable] = [key_values(pairs, [80 * mm, 60 * mm], st)]
    if y.refunds:
        rows = [
            [r.member_no, r.name, ctx.amount(r.sales_minor), ctx.amount(r.refund_minor)] for r in y.refunds
        ]
        rows.append(
            ["", _("Total"), ctx.amount(sum(r.sales_minor for r in y.refunds)), ctx.amount(y.ristourne_minor)]
        )
        header = [_("Member"), _("Name"), _("Credited by sales"), _("Ristourne")]
        story += [
            Spacer(1, 2 * mm),
            table(header, rows, [24 * mm, 84 * mm, 36 * mm, 36 * mm], st, numeric=[2, 3], total=True),
        ]
    return story


# ---------------------------------------------------------------- builders (reports.build)


def trial_balance(ctx: Ctx, actor: Actor, *, start: date | None = None, end: date | None = None) -> bytes:
    return render_trial_balance(ctx, reports.trial_balance(actor, since=start, until=end))


def general_ledger(
    ctx: Ctx, actor: Actor, *, account: str, start: date | None = None, end: date | None = None
) -> bytes:
    return render_general_ledger(ctx, reports.general_ledger(actor, account, since=start, until=end))


def cash_book(
    ctx: Ctx, actor: Actor, *, treasury_id: int, start: date | None = None, end: date | None = None
) -> bytes:
    led = reports.cash_book(actor, treasury_id, since=start, until=end)
    return render_cash_book(ctx, treasury.get(treasury_id), led, cashcount.counts(actor, treasury_id))


def income_statement(ctx: Ctx, actor: Actor, *, start: date | None = None, end: date | None = None) -> bytes:
    return render_income_statement(ctx, reports.income_statement(actor, since=start, until=end))


def balance_sheet(ctx: Ctx, actor: Actor, *, end: date | None = None) -> bytes:
    return render_balance_sheet(ctx, reports.balance_sheet(actor, as_of=end))


BUILDERS = {
    "trial-balance": trial_balance,
    "general-ledger": general_ledger,
    "cash-book": cash_book,
    "income-statement": income_statement,
    "balance-sheet": balance_sheet,
}
