"""Tax filing data: the period's tax summary (its voids of earlier sales, and the closing that made it final if
any) with each mineral's HS code, and the authorities to file with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coop.models import Mineral, TaxRule
from coop.permissions import Actor
from coop.services.taxes import TaxSummary
from coop.services.taxes import summary as tax_summary


@dataclass(frozen=True, kw_only=True)
class TaxFilingData:
    summary: TaxSummary
    hs_codes: dict[str, str]
    sales_count: int


def tax_filing(actor: Actor, start: date, end: date, authority: str | None = None) -> TaxFilingData:
    s = tax_summary(actor, start, end, authority)
    hs = {m.name: m.hs_code for m in Mineral.select()}
    return TaxFilingData(summary=s, hs_codes=hs, sales_count=sum(m.sales for m in s.by_mineral))


def authorities() -> list[str]:
    return sorted({r.authority for r in TaxRule.select(TaxRule.authority)})
