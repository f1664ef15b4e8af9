"""Annual report data for the general assembly: members, production, sales, distribution, taxes, incidents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from peewee import fn

from coop.models import Payout, TaxPayment, database
from coop.permissions import Actor
from coop.services import settings
from coop.services.documents.operations import ProductionReport, SafetyReport, mercury, production, safety
from coop.services.taxes import summary as tax_summary


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
    sales_by_month: dict[str, int] = field(default_factory=dict)  # YYYY-MM -> gross local
    sales_by_mineral: dict[str, int] = field(default_factory=dict)
    safety: SafetyReport | None = None
    mercury_used_milli: int = 0
    mercury_purchased_milli: int = 0
    gold_milli: int = 0


def annual(actor: Actor, year: int) -> AnnualReport:
    """The general assembly's report for a fiscal year: production, sales, distribution, taxes, incidents."""
    actor.require("reports.read")
    from coop.services import ledger

    coop = settings.get()
    series = settings.fiscal_series(date(year, coop.fiscal_year_start, 1), coop.fiscal_year_start)
    start, end = settings.fiscal_year_bounds(series, coop.fiscal_year_start)
    # sums in SQL: building 200,000 Sale and 50,000 Member objects was 9 s of the report at federation scale
    by_month: dict[str, int] = {}
    sales_count = gross = levy = net = 0
    cursor = database.execute_sql(
        "SELECT substr(date, 1, 7), COUNT(*), SUM(gross_local_minor), SUM(levy_minor), SUM(net_minor)"
        " FROM sale WHERE state = 'posted' AND date BETWEEN ? AND ? GROUP BY 1",
        [start.isoformat(), end.isoformat()],
    )
    for month, count, month_gross, month_levy, month_net in cursor:
        by_month[month] = month_gross
        sales_count, gross, levy, net = (
            sales_count + count,
            gross + month_gross,
            levy + month_levy,
            net + month_net,
        )
    members_total, members_active, members_joined = database.execute_sql(
        "SELECT COUNT(*), COALESCE(SUM(status = 'active'), 0), COALESCE(SUM(join_date >= ?), 0) FROM member"
        " WHERE join_date <= ?",
        [start.isoformat(), end.isoformat()],
    ).fetchone()
    taxes = tax_summary(actor, start, end)
    paid_out = int(
        Payout.select(fn.SUM(Payout.amount_minor))
        .where((Payout.state == "posted") & (Payout.date >= start) & (Payout.date <= end))
        .scalar()
        or 0
    )
    tax_paid = int(
        TaxPayment.select(fn.SUM(TaxPayment.amount_minor))
        .where((TaxPayment.state == "posted") & (TaxPayment.date >= start) & (TaxPayment.date <= end))
        .scalar()
        or 0
    )
    pos = ledger.position(actor, until=end)
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
        sales_by_month=dict(sorted(by_month.items())),
        sales_by_mineral={m.mineral: m.gross_local_minor for m in taxes.by_mineral},
        safety=safety(actor, start, end),
        mercury_used_milli=hg.used_milli,
        mercury_purchased_milli=hg.purchased_milli,
        gold_milli=hg.gold_milli,
    )
