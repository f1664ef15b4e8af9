"""Reporting periods: a year, a quarter, a month or any from–to dates, and the name a document gives one."""

from __future__ import annotations

import calendar
from datetime import date

from coop import i18n
from coop.i18n import _

KINDS = ("year", "quarter", "month", "dates")


def year(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 12, 31)


def quarter(y: int, q: int) -> tuple[date, date]:
    """Quarter `q` (1–4) of calendar year `y`."""
    if not 1 <= q <= 4:
        raise ValueError(f"quarter {q} is not 1 to 4")
    first = 3 * (q - 1) + 1
    return date(y, first, 1), date(y, first + 2, calendar.monthrange(y, first + 2)[1])


def month(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _is_month(start: date, end: date) -> bool:
    return (start, end) == month(start.year, start.month)


def name(start: date, end: date, locale: str | None = None) -> str:
    """ "Year 2025", "Quarter 2 of 2025", "April 2025", or "" for any other span (then the dates say it)."""
    if (start, end) == year(start.year):
        return _("Year {year}").format(year=start.year)
    q = (start.month - 1) // 3 + 1
    if start.month % 3 == 1 and (start, end) == quarter(start.year, q):
        return _("Quarter {quarter} of {year}").format(quarter=q, year=start.year)
    if _is_month(start, end):
        return i18n.format_date(start, locale, "LLLL y")
    return ""
