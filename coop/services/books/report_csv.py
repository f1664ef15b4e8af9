"""The books' reports as CSV (the same data as their PDFs): amounts as exact decimals in the ledger currency,
account names in the current language."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from coop import money
from coop.i18n import _
from coop.permissions import Actor
from coop.services import csvio, settings
from coop.services.books import cashcount, reports

KINDS = ("trial-balance", "general-ledger", "cash-book", "income-statement", "balance-sheet")


def _amount(minor: int) -> str:
    return str(money.from_minor(minor, settings.get().currency))


def _lines(section: str, lines: Iterable[reports.AccountLine]) -> list[list[Any]]:
    return [[section, x.number, _(x.name), _amount(x.natural_minor)] for x in lines]


def trial_balance(actor: Actor, start: date | None = None, end: date | None = None) -> tuple[list[str], list]:
    tb = reports.trial_balance(actor, since=start, until=end)
    rows = [[x.number, _(x.name), x.type, _amount(x.debit_minor), _amount(x.credit_minor), _amount(x.balance_minor)]
            for x in tb.lines]  # fmt: skip
    return ["account", "name", "type", "debit", "credit", "balance"], rows


def _ledger_rows(led: reports.AccountLedger) -> list[list[Any]]:
    rows: list[list[Any]] = [["", "", "opening", "", "", _amount(led.opening_minor)]]
    rows += [
        [x.date, x.seq, x.kind, x.memo, _amount(x.amount_minor), _amount(x.balance_minor)] for x in led.lines
    ]
    return rows


LEDGER_COLUMNS = ["date", "seq", "kind", "memo", "amount", "balance"]


def general_ledger(
    actor: Actor, account: str, start: date | None = None, end: date | None = None
) -> tuple[list[str], list]:
    return LEDGER_COLUMNS, _ledger_rows(reports.general_ledger(actor, account, since=start, until=end))


def cash_book(
    actor: Actor, treasury_id: int, start: date | None = None, end: date | None = None
) -> tuple[list[str], list]:
    """The treasury account's movements, then its cash counts (kind "count": counted, difference, reason)."""
    rows = _ledger_rows(reports.cash_book(actor, treasury_id, since=start, until=end))
    for c in cashcount.counts(actor, treasury_id):
        if (start is None or c.date >= start) and (end is None or c.date <= end):
            rows.append(
                [c.date, "", "count", c.reason, _amount(c.difference_minor), _amount(c.counted_minor)]
            )
    return LEDGER_COLUMNS, rows


def income_statement(
    actor: Actor, start: date | None = None, end: date | None = None
) -> tuple[list[str], list]:
    s = reports.income_statement(actor, since=start, until=end)
    rows = _lines("income", s.income) + _lines("expenses", s.expenses)
    rows.append(["result", "", "", _amount(s.result_minor)])
    return ["section", "account", "name", "amount"], rows


def balance_sheet(actor: Actor, end: date | None = None) -> tuple[list[str], list]:
    b = reports.balance_sheet(actor, as_of=end)
    rows = _lines("assets", b.assets) + _lines("liabilities", b.liabilities) + _lines("equity", b.equity)
    if b.result_minor:
        rows.append(["equity", "", "result not yet carried", _amount(b.result_minor)])
    return ["section", "account", "name", "amount"], rows


def write(actor: Actor, kind: str, path: str | os.PathLike, **params: Any) -> int:
    """Write one report as CSV (atomically); returns the number of rows."""
    makers: dict[str, Callable[..., tuple[list[str], list]]] = {
        "trial-balance": trial_balance,
        "general-ledger": general_ledger,
        "cash-book": cash_book,
        "income-statement": income_statement,
        "balance-sheet": balance_sheet,
    }
    header: Sequence[str]
    header, rows = makers[kind](actor, **params)
    return csvio.write_rows(path, list(header), rows)
