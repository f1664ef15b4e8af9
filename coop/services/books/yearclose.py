"""Closing a fiscal year: income and expenses carried to the result, the year's periods closed, and the
allocation of the result the general assembly decided (reserves, patronage refund to members, retained).

Two entries of the books record it, both naming the fiscal year in their `party` field:
- "year_close", dated the year's last day (or the assembly's day when that day is already in a closed
  period): each income and expense account's balance of the year reversed, the sum to "result" (130 / 3400);
- "allocation", dated the assembly's day (after the year end): "result" emptied into the legal (general)
  reserve, the education reserve, other reserves, each member's payable account (the ristourne, in
  proportion to what their sales credited them in the year, split exactly by largest remainder) and the
  rest to retained earnings; a loss goes to retained earnings (debit, 129 in SYSCOHADA).
Balance-sheet accounts simply continue into the next year: the ledger is one, its balances carry forward."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from peewee import fn

from coop import money
from coop.chain import PostingLine
from coop.changes import Changes, Saved
from coop.errors import ValidationError
from coop.i18n import N_
from coop.models import BookEntry, JournalEntry, Member, Payout, Posting, Sale, TaxPayment, database
from coop.permissions import Actor
from coop.services import journal, periods, settings
from coop.services.books import chart, entries, reports

CLOSE_KIND, ALLOCATION_KIND = "year_close", "allocation"
KIND_LABELS = {kind: journal.BOOK_ENTRY_KINDS[kind] for kind in (CLOSE_KIND, ALLOCATION_KIND)}
# AUSCOOP art. 114: the general reserve and the education reserve each take at least 20 % of the net
# surplus while they are below the capital; art. 115: optional reserves take at most 20 % of it.
OHADA_MIN_RESERVE_BP, OHADA_MAX_OPTIONAL_BP = 2000, 2000
PARTS = ("legal_reserve", "education_reserve", "other_reserve", "ristourne")
# the file's items: each part as a percentage of the surplus (…_pct) or an amount; date; reference
ITEMS = frozenset({*PARTS, *(f"{p}_pct" for p in PARTS), "date", "reference"})
# where the education reserve goes: SYSCOHADA 112 (statutory reserves); the plain chart has no such account
EDUCATION = {"syscohada": "112", "default": "3210"}
LOSS = {"syscohada": "129", "default": "3300"}  # retained earnings, debit side

ALREADY = N_("The fiscal year {year} is already closed.")


@dataclass(frozen=True, kw_only=True)
class AllocationInput:
    """What the general assembly decided, as typed: per part a percentage of the surplus or an amount."""

    day: date | None = None  # the assembly's day (today by default)
    reference: str = ""  # its minutes, resolution number
    percent: Mapping[str, str] | None = None  # part -> "20" / "12.5"
    amount: Mapping[str, str] | None = None  # part -> "150000"


@dataclass(frozen=True, kw_only=True)
class Refund:
    member_id: int
    member_no: str
    name: str
    sales_minor: int  # what the member's sales credited them in the year
    refund_minor: int


@dataclass(frozen=True, kw_only=True)
class YearClose:
    """A fiscal year's result and its allocation (planned, or read back from the posted entries)."""

    series: str
    start: date
    end: date
    income_minor: int
    expenses_minor: int
    legal_reserve_minor: int
    education_reserve_minor: int
    other_reserve_minor: int
    ristourne_minor: int
    retained_minor: int  # surplus left after the parts; a loss is negative here
    refunds: tuple[Refund, ...]
    assembly_day: date | None
    reference: str
    decision: str  # the percentages and amounts as decided, e.g. "legal_reserve_pct=20; ristourne_pct=30"
    close_entry_id: int | None = None
    allocation_entry_id: int | None = None

    @property
    def result_minor(self) -> int:
        """Surplus (positive) or loss (negative)."""
        return self.income_minor - self.expenses_minor

    @property
    def parts(self) -> dict[str, int]:
        return {
            "legal_reserve": self.legal_reserve_minor,
            "education_reserve": self.education_reserve_minor,
            "other_reserve": self.other_reserve_minor,
            "ristourne": self.ristourne_minor,
            "retained": self.retained_minor,
        }


# ---------------------------------------------------------------- the fiscal year


def fiscal_year(year: str | int) -> tuple[str, date, date]:
    """(series, first day, last day) of a fiscal year named "2025" or "2025-26"."""
    start_month = settings.get().fiscal_year_start
    text = str(year).strip()
    if len(text) < 4 or not text[:4].isdigit():
        raise ValidationError("year", N_("A fiscal year is written 2025 (or 2025-26)."))
    series = settings.fiscal_series(date(int(text[:4]), start_month, 1), start_month)
    start, end = settings.fiscal_year_bounds(series, start_month)
    return series, start, end


def _next_year_end(end: date) -> date:
    start_month = settings.get().fiscal_year_start
    nxt = end + timedelta(days=1)
    return settings.fiscal_year_bounds(settings.fiscal_series(nxt, start_month), start_month)[1]


def _posted(kind: str, series: str) -> BookEntry | None:
    return (
        BookEntry.select()
        .where((BookEntry.kind == kind) & (BookEntry.party == series) & (BookEntry.state == "posted"))
        .first()
    )


def is_closed(year: str | int) -> bool:
    return _posted(CLOSE_KIND, fiscal_year(year)[0]) is not None


# ---------------------------------------------------------------- the allocation file


def _percent_bp(text: str, part: str) -> int:
    try:
        value = Decimal(str(text).strip().rstrip("%").strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(
            part, N_("{item}: {value} is not a percentage."), item=part, value=text
        ) from None
    bp = value * 100
    if bp != bp.to_integral_value() or not 0 <= bp <= 10_000:
        raise ValidationError(
            part, N_("{item}: a percentage from 0 to 100 with at most two decimals."), item=part
        )
    return int(bp)


def parse_allocation(items: Mapping[str, object]) -> AllocationInput:
    """The assembly's decision from name -> value items (the file's rows or keys)."""
    unknown = sorted(set(items) - ITEMS)
    if unknown:
        raise ValidationError(
            "allocation",
            N_("Unknown item {item} in the allocation. Known items: {items}."),
            item=unknown[0],
            items=", ".join(sorted(ITEMS)),
        )
    percent, amount = {}, {}
    for part in PARTS:
        pct, value = items.get(f"{part}_pct"), items.get(part)
        if pct not in (None, "") and value not in (None, ""):
            raise ValidationError(part, N_("{item}: give a percentage or an amount, not both."), item=part)
        if pct not in (None, ""):
            percent[part] = str(pct)
        elif value not in (None, ""):
            amount[part] = str(value)
    day = None
    if items.get("date"):
        try:
            day = date.fromisoformat(str(items["date"]).strip())
        except ValueError:
            raise ValidationError(
                "date", N_("The date {value} is not a date (YYYY-MM-DD)."), value=items["date"]
            ) from None
    return AllocationInput(
        day=day, reference=str(items.get("reference") or "").strip(), percent=percent, amount=amount
    )


def read_allocation(path: str | os.PathLike) -> AllocationInput:
    """The assembly's decision from a JSON object or a two-column CSV (`item,value`); see the README."""
    from coop.services import csvio

    p = Path(path)
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidationError(
                "allocation", N_("Cannot read {file}: {error}"), file=p.name, error=str(exc)
            ) from None
        if not isinstance(data, dict):
            raise ValidationError("allocation", N_("{file} must hold one JSON object."), file=p.name)
        return parse_allocation({str(k): v for k, v in data.items()})
    items: dict[str, object] = {}
    for _row, cells in csvio.open_rows(p, ("item", "value")):
        if cells["item"].strip():
            items[cells["item"].strip()] = cells["value"].strip()
    return parse_allocation(items)


# ---------------------------------------------------------------- checks


def _check_closable(series: str, start: date, end: date) -> None:
    if _posted(CLOSE_KIND, series) is not None:
        raise ValidationError("year", ALREADY, year=series)
    prev_series, prev_start, prev_end = fiscal_year(int(series[:4]) - 1)
    if _posted(CLOSE_KIND, prev_series) is None and _has_result_postings(prev_start, prev_end):
        raise ValidationError("year", N_("Close the fiscal year {year} first."), year=prev_series)
    if end >= date.today():
        raise ValidationError(
            "year",
            N_("The fiscal year {year} ends on {date}: it can be closed after that day."),
            year=series,
            date=end.isoformat(),
        )
    drafts = sum(
        m.select().where((m.state == "draft") & (m.date >= start) & (m.date <= end)).count()
        for m in (Sale, Payout, TaxPayment, BookEntry)
    )
    if drafts:
        raise ValidationError(
            "year",
            N_("Drafts are dated in {year} ({n}): post or delete them before closing the year."),
            n=drafts,
            year=series,
        )
    if _unbalanced(start, end):
        raise ValidationError(
            "year", N_("The books are not balanced: run verify and fix the ledger before closing the year.")
        )


def _unbalanced(start: date, end: date) -> bool:
    """Whether an entry dated in the year has postings that do not sum to zero (then neither does the year)."""
    q = (
        JournalEntry.select(JournalEntry.id)
        .join(Posting)
        .where((JournalEntry.date >= start) & (JournalEntry.date <= end))
        .group_by(JournalEntry.id)
        .having(fn.SUM(Posting.amount_minor) != 0)
    )
    return q.exists()


def _has_result_postings(start: date, end: date) -> bool:
    types = _types()
    sums = reports.account_sums_excluding(start, end, kinds=(CLOSE_KIND,))
    return any(types.get(n) in ("income", "expense") and d - c for n, (d, c) in sums.items())


def _types() -> dict[str, str]:
    return {a.number: a.type for a in chart.accounts()}


# ---------------------------------------------------------------- planning


def _carry(start: date, end: date) -> tuple[list[PostingLine], int, int]:
    """The carrying entry's lines and the year's income and expenses (natural sides)."""
    types = _types()
    sums = reports.account_sums_excluding(start, end, kinds=(CLOSE_KIND,))
    lines, income, expenses = [], 0, 0
    for number in sorted(sums):
        kind = types.get(number)
        d, c = sums[number]
        if kind not in ("income", "expense") or d == c:
            continue
        lines.append(PostingLine(chart.key_for(number), None, None, c - d))
        if kind == "income":
            income += c - d
        else:
            expenses += d - c
    if income != expenses:
        lines.append(PostingLine("result", None, None, expenses - income))
    return lines, income, expenses


def sales_by_member(start: date, end: date) -> dict[int, int]:
    """What each member's sales credited them in the dates (voids of sales deducted): the ristourne's weights."""
    q = (
        Posting.select(Posting.member, fn.SUM(Posting.amount_minor))
        .join(JournalEntry)
        .where(
            (Posting.account == "member_payable")
            & (JournalEntry.source_type == "sale")
            & (JournalEntry.date >= start)
            & (JournalEntry.date <= end)
        )
        .group_by(Posting.member)
        .tuples()
    )
    return {m: -int(s) for m, s in q if m is not None and -int(s) > 0}


def _part_minor(part: str, inp: AllocationInput, surplus: int, currency: str) -> int:
    if inp.percent and part in inp.percent:
        return money.apply_bp(surplus, _percent_bp(inp.percent[part], f"{part}_pct"))
    if inp.amount and part in inp.amount:
        value = money.amount_to_minor(inp.amount[part], currency, part)
        if value < 0:
            raise ValidationError(part, N_("{item}: the amount cannot be negative."), item=part)
        return value
    return 0


def _decision(inp: AllocationInput) -> str:
    items = [f"{p}_pct={v}" for p, v in (inp.percent or {}).items()]
    items += [f"{p}={v}" for p, v in (inp.amount or {}).items()]
    return "; ".join(items)


def _money(minor: int) -> str:
    from coop import i18n

    coop = settings.get()
    return i18n.format_money(minor, coop.currency, coop.locale)


def _capital() -> int:
    keys = ("share_called", "share_paid")
    total = Posting.select(fn.SUM(Posting.amount_minor)).where(Posting.account.in_(keys)).scalar()
    return -int(total or 0)


def _reserve_balance(key_or_number: str) -> int:
    total = Posting.select(fn.SUM(Posting.amount_minor)).where(Posting.account == key_or_number).scalar()
    return -int(total or 0)


def _check_ohada(parts: dict[str, int], surplus: int, inp: AllocationInput) -> None:
    """AUSCOOP art. 114-115, for cooperatives in the OHADA states (SYSCOHADA chart)."""
    capital = _capital()
    floor = money.apply_bp(surplus, OHADA_MIN_RESERVE_BP)
    for part, where, label in (
        ("legal_reserve", "legal_reserve", N_("general (legal) reserve")),
        ("education_reserve", EDUCATION["syscohada"], N_("education and training reserve")),
    ):
        if parts[part] < floor and _reserve_balance(where) < capital:
            raise ValidationError(
                f"{part}_pct",
                N_(
                    "The {reserve} must take at least 20 percent of the surplus ({minimum}) while it is below the "
                    "capital (OHADA Uniform Act on cooperatives, art. 114)."
                ),
                reserve=label,
                minimum=_money(floor),
            )
    if parts["other_reserve"] > money.apply_bp(surplus, OHADA_MAX_OPTIONAL_BP):
        raise ValidationError(
            "other_reserve_pct",
            N_(
                "Optional reserves may take at most 20 percent of the surplus (OHADA Uniform Act on cooperatives, art. 115)."
            ),
        )


def _assembly_day(inp: AllocationInput, end: date) -> date:
    day = inp.day or date.today()
    last = _next_year_end(end)
    if not end < day <= last:
        raise ValidationError(
            "date",
            N_("The general assembly's date must fall after {end} and no later than {last}."),
            end=end.isoformat(),
            last=last.isoformat(),
        )
    return day


def plan(actor: Actor, year: str | int, inp: AllocationInput) -> YearClose:
    """The year's result and the allocation the decision gives, without writing anything."""
    return _plan(actor, year, inp)[0]


def _plan(actor: Actor, year: str | int, inp: AllocationInput) -> tuple[YearClose, list[PostingLine]]:
    actor.require("periods.close")
    series, start, end = fiscal_year(year)
    day = _assembly_day(inp, end)
    lines, income, expenses = _carry(start, end)
    surplus = income - expenses
    currency = settings.get().currency
    parts = {p: _part_minor(p, inp, max(surplus, 0), currency) for p in PARTS}
    # what was asked for, whatever the surplus: a loss leaves nothing to give, so any part asked is refused
    decided = [p for p in PARTS if _part_minor(p, inp, 10_000, currency)]
    if surplus <= 0 and decided:
        raise ValidationError(
            "allocation", N_("The year {year} has no surplus: there is nothing to allocate."), year=series
        )
    if sum(parts.values()) > max(surplus, 0):
        raise ValidationError(
            "allocation",
            N_("The allocation ({total}) exceeds the surplus of the year ({surplus})."),
            total=_money(sum(parts.values())),
            surplus=_money(surplus),
        )
    if surplus > 0 and chart.installed() == "syscohada":
        _check_ohada(parts, surplus, inp)
    elif parts["education_reserve"]:  # the plain chart has one account for reserves other than the legal one
        parts["other_reserve"] += parts.pop("education_reserve")
        parts["education_reserve"] = 0
    refunds: tuple[Refund, ...] = ()
    if parts["ristourne"]:
        refunds = _refunds(parts["ristourne"], sales_by_member(start, end), series)
    figures = YearClose(
        series=series,
        start=start,
        end=end,
        income_minor=income,
        expenses_minor=expenses,
        legal_reserve_minor=parts["legal_reserve"],
        education_reserve_minor=parts["education_reserve"],
        other_reserve_minor=parts["other_reserve"],
        ristourne_minor=parts["ristourne"],
        retained_minor=surplus - sum(parts.values()),
        refunds=refunds,
        assembly_day=day,
        reference=inp.reference or f"GA {series}",
        decision=_decision(inp),
    )
    return figures, lines


def _member_names(ids: set[int]) -> dict[int, tuple[str, str]]:
    """Number and name of these members (read whole: an IN list of every member would pass SQLite's limit)."""
    rows = Member.select(Member.id, Member.member_no, Member.full_name).tuples()
    return {i: (no, name) for i, no, name in rows if i in ids}


def _refunds(total: int, weights: dict[int, int], series: str) -> tuple[Refund, ...]:
    if not weights:
        raise ValidationError(
            "ristourne",
            N_("No member sold through the cooperative in {year}: there is no one to refund."),
            year=series,
        )
    ids = sorted(weights)
    shares = money.split(total, [weights[m] for m in ids])
    names = _member_names(set(ids))
    return tuple(
        Refund(member_id=m, member_no=names[m][0], name=names[m][1], sales_minor=weights[m], refund_minor=s)
        for m, s in zip(ids, shares, strict=True)
        if s
    )


# ---------------------------------------------------------------- closing


# Members' refunds per allocation entry: an entry's postings are written in one INSERT, and SQLite takes at most
# 32,766 parameters in a statement (5 per posting); a larger cooperative's ristourne spans several entries.
REFUNDS_PER_ENTRY = 5_000


def _allocation_entries(p: YearClose) -> list[list[PostingLine]]:
    """The allocation's balanced entries: the reserves and retained earnings (or the loss), then the members'
    refunds in groups, each group debiting 130 by its sum."""
    installed = chart.installed() or "default"
    surplus = p.result_minor
    if surplus < 0:
        return [[
            PostingLine("result", None, None, surplus),
            PostingLine(chart.key_for(LOSS[installed]), None, None, -surplus),
        ]]  # fmt: skip
    lines = []
    for key, amount in (
        ("legal_reserve", p.legal_reserve_minor),
        (chart.key_for(EDUCATION[installed]), p.education_reserve_minor),
        ("other_reserve", p.other_reserve_minor),
        ("retained", p.retained_minor),
    ):
        if amount:
            lines.append(PostingLine(key, None, None, -amount))
    out = [[PostingLine("result", None, None, surplus - p.ristourne_minor), *lines]] if lines else []
    refunds = list(p.refunds)
    for i in range(0, len(refunds), REFUNDS_PER_ENTRY):
        group = refunds[i : i + REFUNDS_PER_ENTRY]
        out.append([
            PostingLine("result", None, None, sum(r.refund_minor for r in group)),
            *(PostingLine("member_payable", r.member_id, None, -r.refund_minor) for r in group),
        ])  # fmt: skip
    return out


def close_year(actor: Actor, year: str | int, inp: AllocationInput) -> Saved:
    """Close the fiscal year: carry its result, close its periods, post the assembly's allocation — all in
    one transaction (all or nothing). Returns the allocation entry's id (the closing entry's when the year
    has no result to allocate)."""
    actor.require("periods.close")
    series, start, end = fiscal_year(year)
    with database.atomic():
        _check_closable(series, start, end)
        p, lines = _plan(actor, series, inp)
        assert p.assembly_day is not None
        closed = periods.closed_to()
        carry_day = end if closed is None or closed < end else p.assembly_day
        note = N_("Result of the fiscal year {year} carried to the result awaiting allocation")
        saved = entries.post_entry(
            actor, CLOSE_KIND, carry_day, lines, amount_minor=abs(p.result_minor), party=series,
            document_ref=p.reference, note=note.format(year=series),
        )  # fmt: skip
        changes = saved.changes
        if closed is None or closed < end:
            changes |= periods.close(actor, end).changes
        result_id = saved.id
        for i, lines in enumerate(_allocation_entries(p) if p.result_minor else []):
            alloc = entries.post_entry(
                actor, ALLOCATION_KIND, p.assembly_day, lines, amount_minor=abs(p.result_minor) if i == 0 else
                sum(x.amount_minor for x in lines if x.amount_minor > 0), party=series, document_ref=p.reference,
                note=p.decision,
            )  # fmt: skip
            changes |= alloc.changes
            result_id = alloc.id if i == 0 else result_id
        if p.refunds:
            changes |= Changes.of(members=[r.member_id for r in p.refunds])
    return Saved(result_id, changes)


# ---------------------------------------------------------------- reading back


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def closed_year(actor: Actor, year: str | int) -> YearClose | None:
    """A closed year's result and allocation as posted (None when the year is not closed)."""
    actor.require("reports.read")
    series, start, end = fiscal_year(year)
    close = _posted(CLOSE_KIND, series)
    if close is None:
        return None
    carry = JournalEntry.get((JournalEntry.source_type == "book_entry") & (JournalEntry.source_id == close.id)
                             & (JournalEntry.kind == "book_entry"))  # fmt: skip
    types, mapping = _types(), chart.key_numbers()
    income = expenses = 0
    for p in carry.postings:
        kind = types.get(mapping.get(p.account, p.account))
        if kind == "income":  # the carry reverses the year: income debited, expenses credited
            income += p.amount_minor
        elif kind == "expense":
            expenses -= p.amount_minor
    allocs = list(
        BookEntry.select()
        .where(
            (BookEntry.kind == ALLOCATION_KIND) & (BookEntry.party == series) & (BookEntry.state == "posted")
        )
        .order_by(BookEntry.id)
    )
    alloc = allocs[0] if allocs else None
    parts = dict.fromkeys(("legal_reserve", "education_reserve", "other_reserve", "retained"), 0)
    refunds: list[Refund] = []
    if allocs:
        parts, refunds = _read_allocation(allocs, start, end)
    return YearClose(
        series=series,
        start=start,
        end=end,
        income_minor=income,
        expenses_minor=expenses,
        legal_reserve_minor=parts["legal_reserve"],
        education_reserve_minor=parts["education_reserve"],
        other_reserve_minor=parts["other_reserve"],
        ristourne_minor=sum(r.refund_minor for r in refunds),
        retained_minor=parts["retained"],
        refunds=tuple(refunds),
        assembly_day=_day(alloc.date) if alloc is not None else None,
        reference=close.document_ref,
        decision=alloc.note if alloc is not None else "",
        close_entry_id=close.id,
        allocation_entry_id=alloc.id if alloc is not None else None,
    )


def _read_allocation(allocs: list[BookEntry], start: date, end: date) -> tuple[dict[str, int], list[Refund]]:
    installed = chart.installed() or "default"
    links = JournalEntry.select().where(
        (JournalEntry.source_type == "book_entry")
        & JournalEntry.source_id.in_([a.id for a in allocs])
        & (JournalEntry.kind == "book_entry")
    )
    postings = Posting.select().where(Posting.entry.in_([x.id for x in links]))
    education_key, loss_key = chart.key_for(EDUCATION[installed]), chart.key_for(LOSS[installed])
    parts = dict.fromkeys(("legal_reserve", "education_reserve", "other_reserve", "retained"), 0)
    by_member: dict[int, int] = {}
    for p in postings:
        if p.account == "member_payable" and p.member_id is not None:
            by_member[p.member_id] = by_member.get(p.member_id, 0) - p.amount_minor
        elif p.account == "legal_reserve":
            parts["legal_reserve"] -= p.amount_minor
        elif p.account == education_key and education_key != "other_reserve":
            parts["education_reserve"] -= p.amount_minor
        elif p.account == "other_reserve":
            parts["other_reserve"] -= p.amount_minor
        elif p.account in ("retained", loss_key):
            parts["retained"] -= p.amount_minor
    weights = sales_by_member(start, end)
    names = _member_names(set(by_member))
    refunds = [
        Refund(
            member_id=m,
            member_no=names[m][0],
            name=names[m][1],
            sales_minor=weights.get(m, 0),
            refund_minor=a,
        )  # fmt: skip
        for m, a in sorted(by_member.items())
    ]
    return parts, refunds
