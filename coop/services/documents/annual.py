"""Annual report data for the general assembly: members, production, sales, distribution, taxes, incidents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from coop.models import database
from coop.permissions import Actor
from coop.services import settings
from coop.services.documents.operations import ProductionReport, SafetyReport, mercury, production, safety
from coop.services.taxes import summary as tax_summary

if TYPE_CHECKING:
    from coop.services.books.reports import BalanceSheet, IncomeStatement, TrialBalance
    from coop.services.books.yearclose import YearClose


@dataclass(kw_only=True)
class AnnualReport:
    year: int
    series: str
    period_from: date
    period_to: date
    members_active: int
    members_joined: int
    members_total: int
    production: ProductionReport
    sales_count: int
    gross_local_minor: int
    levy_minor: int
    net_to_members_minor: int
    paid_to_members_minor: int
    taxes_due_minor: int
    taxes_paid_minor: int
    owed_to_members_end_minor: int
    tax_payable_end_minor: int
    owed_to_members_start_minor: int = 0  # brought forward from the years before
    credited_by_books_minor: int = 0  # entries of the books on members' accounts: a closed year's ristourne
    tax_payable_start_minor: int = 0
    sales_by_month: dict[str, int] = field(default_factory=dict)  # YYYY-MM -> gross local
    sales_by_mineral: dict[str, int] = field(default_factory=dict)
    safety: SafetyReport | None = None
    mercury_used_milli: int = 0
    mercury_purchased_milli: int = 0
    gold_milli: int = 0
    # the books (coop.services.books): the year's accounts for the assembly to approve, and its allocation
    trial_balance: TrialBalance | None = None
    income_statement: IncomeStatement | None = None
    balance_sheet: BalanceSheet | None = None
    treasury: tuple[TreasuryYear, ...] = ()
    allocation: YearClose | None = None


@dataclass(frozen=True, kw_only=True)
class TreasuryYear:
    """One treasury account over the year: the cash book in four figures."""

    name: str
    number: str
    opening_minor: int
    received_minor: int
    paid_minor: int
    closing_minor: int
    counts: int


def _books(actor: Actor, year: int, start: date, end: date) -> dict:
    from coop.services.books import cashcount, treasury, yearclose
    from coop.services.books import reports as books

    cash = []
    for t in treasury.accounts(actor, until=end):
        led = books.cash_book(actor, t.id, since=start, until=end)
        received = sum(x.amount_minor for x in led.lines if x.amount_minor > 0)
        paid = -sum(x.amount_minor for x in led.lines if x.amount_minor < 0)
        counts = sum(1 for c in cashcount.counts(actor, t.id) if start <= c.date <= end)
        if led.lines or led.opening_minor:
            cash.append(TreasuryYear(name=t.name, number=t.number, opening_minor=led.opening_minor,
                                     received_minor=received, paid_minor=paid, closing_minor=led.closing_minor,
                                     counts=counts))  # fmt: skip
    return {
        "trial_balance": books.trial_balance(actor, since=start, until=end),
        "income_statement": books.income_statement(actor, since=start, until=end),
        "balance_sheet": books.balance_sheet(actor, as_of=end),
        "treasury": tuple(cash),
        "allocation": yearclose.closed_year(actor, year),
    }


# Sales and voids of sales by the month of their journal entry, voids negative.
_SALES_BY_MONTH_SQL = """
SELECT substr(j.date, 1, 7),
       SUM(CASE j.kind WHEN 'sale' THEN s.gross_local_minor ELSE -s.gross_local_minor END),
       SUM(CASE j.kind WHEN 'sale' THEN s.levy_minor ELSE -s.levy_minor END),
       SUM(CASE j.kind WHEN 'sale' THEN s.net_minor ELSE -s.net_minor END)
FROM journal_entry j JOIN sale s ON s.id = j.source_id
WHERE j.source_type = 'sale' AND j.kind IN ('sale', 'void') AND j.date BETWEEN ? AND ?
GROUP BY 1
"""
# Sales of the year that still stand at its end (not voided on or before it).
_STANDING_SALES_SQL = """
SELECT COUNT(*) FROM sale s
WHERE s.state <> 'draft' AND s.date BETWEEN ? AND ? AND NOT EXISTS (
  SELECT 1 FROM journal_entry v WHERE v.source_type = 'sale' AND v.source_id = s.id AND v.kind = 'void'
  AND v.date >= ? AND v.date <= ?)
"""


def _moved(start: date, end: date, account: str, source_type: str) -> int:
    """Debits to `account` by the entries of `source_type` (payments and their voids) dated in the period."""
    row = database.execute_sql(
        "SELECT COALESCE(SUM(p.amount_minor), 0) FROM posting p JOIN journal_entry j ON j.id = p.entry_id"
        " WHERE p.account = ? AND j.source_type = ? AND j.date BETWEEN ? AND ?",
        [account, source_type, start.isoformat(), end.isoformat()],
    ).fetchone()
    return int(row[0])


def annual(actor: Actor, year: int) -> AnnualReport:
    """The general assembly's report for a fiscal year: production, sales, distribution, taxes, incidents."""
    actor.require("reports.read")
    from coop.services import ledger

    coop = settings.get()
    series = settings.fiscal_series(date(year, coop.fiscal_year_start, 1), coop.fiscal_year_start)
    start, end = settings.fiscal_year_bounds(series, coop.fiscal_year_start)
    # sums in SQL: building a Sale and a Member object per row would dominate the report at federation scale.
    # Every figure by the date of its journal entry: a void counts (negative) in the month it was made.
    by_month: dict[str, int] = {}
    gross = levy = net = 0
    cursor = database.execute_sql(_SALES_BY_MONTH_SQL, [start.isoformat(), end.isoformat()])
    for month, month_gross, month_levy, month_net in cursor:
        by_month[month] = month_gross
        gross, levy, net = gross + month_gross, levy + month_levy, net + month_net
    sales_count = database.execute_sql(
        _STANDING_SALES_SQL, [start.isoformat(), end.isoformat()] * 2
    ).fetchone()[0]
    members_total, members_active, members_joined = database.execute_sql(
        "SELECT COUNT(*), COALESCE(SUM(status = 'active'), 0), COALESCE(SUM(join_date >= ?), 0) FROM member"
        " WHERE join_date <= ?",
        [start.isoformat(), end.isoformat()],
    ).fetchone()
    taxes = tax_summary(actor, start, end)
    paid_out = _moved(start, end, "member_payable", "payout")
    credited_by_books = -_moved(start, end, "member_payable", "book_entry")
    tax_paid = _moved(start, end, "tax_payable", "tax_payment")
    pos = ledger.position(actor, until=end)
    before = ledger.position(actor, until=start - timedelta(days=1))
    hg = mercury(actor, start, end).total()
    return AnnualReport(
        year=year,
        series=series,
        period_from=start,
        period_to=end,
        members_active=members_active,
        members_joined=members_joined,
        members_total=members_total,
        production=production(actor, start, end),
        sales_count=sales_count,
        gross_local_minor=gross,
        levy_minor=levy,
        net_to_members_minor=net,
        paid_to_members_minor=paid_out,
        taxes_due_minor=taxes.due_minor,
        taxes_paid_minor=tax_paid,
        owed_to_members_end_minor=pos.members_payable,
        tax_payable_end_minor=pos.tax_payable,
        owed_to_members_start_minor=before.members_payable,
        credited_by_books_minor=credited_by_books,
        tax_payable_start_minor=before.tax_payable,
        sales_by_month=dict(sorted(by_month.items())),
        sales_by_mineral={m.mineral: m.gross_local_minor for m in taxes.by_mineral},
        safety=safety(actor, start, end),
        mercury_used_milli=hg.used_milli,
        mercury_purchased_milli=hg.purchased_milli,
        gold_milli=hg.gold_milli,
        **_books(actor, year, start, end),
    )
