"""Data of the books' reports (trial balance, general ledger, cash book, income statement, balance sheet):
dataclasses computed from the postings, mapped onto the chart; rendering is reports/' business."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peewee import Case, fn

from coop.models import BookEntry, JournalEntry, Posting
from coop.permissions import Actor
from coop.services.books import chart, treasury

NATURAL_DEBIT = frozenset({"asset", "expense"})


@dataclass(frozen=True, kw_only=True)
class AccountLine:
    """One account's sums (minor units): debit and credit totals, and the balance, debit positive."""

    number: str
    name: str  # msgid for the shipped charts: translate when shown
    type: str
    debit_minor: int
    credit_minor: int

    @property
    def balance_minor(self) -> int:
        return self.debit_minor - self.credit_minor

    @property
    def natural_minor(self) -> int:
        """The balance on the account's usual side: debit for assets and expenses, credit for the others."""
        return self.balance_minor if self.type in NATURAL_DEBIT else -self.balance_minor


@dataclass(frozen=True, kw_only=True)
class TrialBalance:
    chart: str  # syscohada / default: which headings a report uses
    since: date | None
    until: date | None
    lines: tuple[AccountLine, ...]  # accounts with postings, by number

    @property
    def total_debit_minor(self) -> int:
        return sum(x.debit_minor for x in self.lines)

    @property
    def total_credit_minor(self) -> int:
        return sum(x.credit_minor for x in self.lines)

    @property
    def balanced(self) -> bool:
        return self.total_debit_minor == self.total_credit_minor


def _where(q, since: date | None, until: date | None):
    if since is not None or until is not None:
        q = q.join(JournalEntry)
    if since is not None:
        q = q.where(JournalEntry.date >= since)
    if until is not None:
        q = q.where(JournalEntry.date <= until)
    return q


def _debit_credit():
    """SUM of the debits and SUM of the credits (positive), in portable SQL."""
    debit = fn.SUM(Case(None, [(Posting.amount_minor > 0, Posting.amount_minor)], 0))
    credit = fn.SUM(Case(None, [(Posting.amount_minor < 0, 0 - Posting.amount_minor)], 0))
    return debit, credit


def account_sums(since: date | None = None, until: date | None = None) -> dict[str, tuple[int, int]]:
    """Account number -> (debits, credits) over the dates: one aggregate by posting key, mapped onto the chart."""
    debit, credit = _debit_credit()
    q = _where(Posting.select(Posting.account, debit, credit), since, until).group_by(Posting.account)
    mapping = chart.key_numbers()
    out: dict[str, tuple[int, int]] = {}
    for key, d, c in q.tuples():
        number = mapping.get(key, key)
        old_d, old_c = out.get(number, (0, 0))
        out[number] = (old_d + int(d or 0), old_c + int(c or 0))
    return out


def _lines(sums: dict[str, tuple[int, int]]) -> tuple[AccountLine, ...]:
    names = {a.number: a for a in chart.accounts()}
    out = []
    for number in sorted(sums):
        acc = names.get(number)
        d, c = sums[number]
        out.append(
            AccountLine(
                number=number,
                name=acc.name if acc else number,
                type=acc.type if acc else "asset",
                debit_minor=d,
                credit_minor=c,
            )
        )
    return tuple(out)


def trial_balance(actor: Actor, *, since: date | None = None, until: date | None = None) -> TrialBalance:
    """Every account with postings over the dates (all of them by default); debits equal credits."""
    actor.require("reports.read")
    return TrialBalance(
        chart=chart.installed(), since=since, until=until, lines=_lines(account_sums(since, until))
    )


@dataclass(frozen=True, kw_only=True)
class LedgerLine:
    date: date
    seq: int  # the journal entry's chain sequence number
    kind: str  # the link's kind: sale, payout, tax_payment, book_entry, void
    source_type: str  # what it posts or voids: sale, payout, tax_payment, book_entry
    source_id: int
    entry_kind: str  # for an entry of the books, its kind (expense, transfer, share_pay, ...); else ""
    memo: str
    member_id: int | None
    amount_minor: int  # debit positive
    balance_minor: int  # running balance after the line, debit positive


@dataclass(frozen=True, kw_only=True)
class AccountLedger:
    number: str
    name: str
    type: str
    since: date | None
    until: date | None
    opening_minor: int  # balance before `since`
    lines: tuple[LedgerLine, ...]

    @property
    def closing_minor(self) -> int:
        return self.lines[-1].balance_minor if self.lines else self.opening_minor


def _keys_of(number: str) -> list[str]:
    """Every posting key that lands on account `number` or one of its sub-accounts."""
    numbers = {a.number for a in chart.accounts() if a.number == number or a.number.startswith(number)}
    mapping = chart.key_numbers()
    used = {k for (k,) in Posting.select(Posting.account).distinct().tuples()}
    return sorted(k for k in used if mapping.get(k, k) in numbers)


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def general_ledger(
    actor: Actor, number: str, *, since: date | None = None, until: date | None = None
) -> AccountLedger:
    """The postings of one account (with its sub-accounts) in chain order, with the running balance."""
    actor.require("reports.read")
    acc = chart.account(number)
    return _ledger(acc, _keys_of(acc.number), since, until)


def _ledger(acc: chart.Account, keys: list[str], since: date | None, until: date | None) -> AccountLedger:
    opening = 0
    if since is not None:
        q = Posting.select(fn.SUM(Posting.amount_minor)).join(JournalEntry)
        opening = int(q.where(Posting.account.in_(keys) & (JournalEntry.date < since)).scalar() or 0)
    q = (
        Posting.select(
            JournalEntry.date,
            JournalEntry.seq,
            JournalEntry.kind,
            JournalEntry.source_type,
            JournalEntry.source_id,
            JournalEntry.memo,
            Posting.member,
            Posting.amount_minor,
        )
        .join(JournalEntry)
        .where(Posting.account.in_(keys))
    )
    if since is not None:
        q = q.where(JournalEntry.date >= since)
    if until is not None:
        q = q.where(JournalEntry.date <= until)
    rows = list(q.order_by(JournalEntry.date, JournalEntry.seq, Posting.id).tuples())
    book_ids = {r[4] for r in rows if r[3] == "book_entry"}
    kinds = dict(
        BookEntry.select(BookEntry.id, BookEntry.kind).where(BookEntry.id.in_(list(book_ids))).tuples()
    )
    running, lines = opening, []
    for day, seq, kind, stype, sid, memo, member, amount in rows:
        running += amount
        lines.append(
            LedgerLine(
                date=_day(day),
                seq=seq,
                kind=kind,
                source_type=stype,
                source_id=sid,
                entry_kind=kinds.get(sid, "") if stype == "book_entry" else "",
                memo=memo,
                member_id=member,
                amount_minor=amount,
                balance_minor=running,
            )
        )
    return AccountLedger(
        number=acc.number,
        name=acc.name,
        type=acc.type,
        since=since,
        until=until,
        opening_minor=opening,
        lines=tuple(lines),
    )


def cash_book(
    actor: Actor, treasury_id: int, *, since: date | None = None, until: date | None = None
) -> AccountLedger:
    """One treasury account's movements with the running balance (its counts: cashcount.counts)."""
    actor.require("reports.read")
    t = treasury.get(treasury_id)
    acc = chart.account(t.number)
    return _ledger(acc, [t.key], since, until)


@dataclass(frozen=True, kw_only=True)
class IncomeStatement:
    chart: str
    since: date | None
    until: date | None
    income: tuple[AccountLine, ...]
    expenses: tuple[AccountLine, ...]

    @property
    def total_income_minor(self) -> int:
        return sum(x.natural_minor for x in self.income)

    @property
    def total_expenses_minor(self) -> int:
        return sum(x.natural_minor for x in self.expenses)

    @property
    def result_minor(self) -> int:
        """Surplus (positive) or loss (negative) of the period."""
        return self.total_income_minor - self.total_expenses_minor


def income_statement(
    actor: Actor, *, since: date | None = None, until: date | None = None
) -> IncomeStatement:
    """Income and expense accounts over the dates and the result. Entries that carry the year's result to
    equity (entries of the books of kind "year_close") are left out: they are not the year's income or
    expenses."""
    actor.require("reports.read")
    lines = _lines(account_sums_excluding(since, until, kinds=("year_close",)))
    return IncomeStatement(
        chart=chart.installed(),
        since=since,
        until=until,
        income=tuple(x for x in lines if x.type == "income"),
        expenses=tuple(x for x in lines if x.type == "expense"),
    )


def account_sums_excluding(
    since: date | None, until: date | None, kinds: tuple[str, ...]
) -> dict[str, tuple[int, int]]:
    """account_sums without the entries of the books of `kinds` (BookEntry.kind), nor their voids."""
    debit, credit = _debit_credit()
    left_out = BookEntry.select(BookEntry.id).where(BookEntry.kind.in_(list(kinds)))
    q = Posting.select(Posting.account, debit, credit).join(JournalEntry)
    q = q.where(~((JournalEntry.source_type == "book_entry") & JournalEntry.source_id.in_(left_out)))
    if since is not None:
        q = q.where(JournalEntry.date >= since)
    if until is not None:
        q = q.where(JournalEntry.date <= until)
    mapping = chart.key_numbers()
    out: dict[str, tuple[int, int]] = {}
    for key, d, c in q.group_by(Posting.account).tuples():
        number = mapping.get(key, key)
        old_d, old_c = out.get(number, (0, 0))
        out[number] = (old_d + int(d or 0), old_c + int(c or 0))
    return out


@dataclass(frozen=True, kw_only=True)
class BalanceSheet:
    chart: str
    as_of: date | None
    assets: tuple[AccountLine, ...]
    liabilities: tuple[AccountLine, ...]
    equity: tuple[AccountLine, ...]
    result_minor: int  # income less expenses not yet carried to equity (shown under equity)

    @property
    def total_assets_minor(self) -> int:
        return sum(x.natural_minor for x in self.assets)

    @property
    def total_liabilities_minor(self) -> int:
        return sum(x.natural_minor for x in self.liabilities)

    @property
    def total_equity_minor(self) -> int:
        return sum(x.natural_minor for x in self.equity) + self.result_minor

    @property
    def balanced(self) -> bool:
        return self.total_assets_minor == self.total_liabilities_minor + self.total_equity_minor


def balance_sheet(actor: Actor, *, as_of: date | None = None) -> BalanceSheet:
    """Assets, liabilities and equity at the end of `as_of` (today's position by default)."""
    actor.require("reports.read")
    lines = [x for x in _lines(account_sums(None, as_of)) if x.balance_minor]
    result = sum(-x.balance_minor for x in lines if x.type in ("income", "expense"))
    return BalanceSheet(
        chart=chart.installed(),
        as_of=as_of,
        assets=tuple(x for x in lines if x.type == "asset"),
        liabilities=tuple(x for x in lines if x.type == "liability"),
        equity=tuple(x for x in lines if x.type == "equity"),
        result_minor=result,
    )
