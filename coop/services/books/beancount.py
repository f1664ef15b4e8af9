"""The accountant's exports of the whole ledger: the journal as CSV with account numbers, and a Beancount file
(open directives, one transaction per journal entry, a member's sub-account where a posting names a member)
that bean-check accepts and whose balances per account equal the trial balance."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from coop import money
from coop.models import JournalEntry, Member, Posting, database
from coop.permissions import Actor
from coop.services import audit, csvio, settings
from coop.services.books import chart

ROOTS = {
    "asset": "Assets",
    "liability": "Liabilities",
    "equity": "Equity",
    "income": "Income",
    "expense": "Expenses",
}
JOURNAL_COLUMNS = ["seq", "date", "kind", "memo", "account", "account_name", "member", "debit", "credit"]
_BAD = re.compile(r"[^A-Za-z0-9-]+")


def _rows() -> Iterator[tuple[int, object, str, str, str, int | None, int]]:
    """(seq, date, kind, memo, posting key, member id, amount) of every posting, in chain order."""
    q = (
        Posting.select(
            JournalEntry.seq,
            JournalEntry.date,
            JournalEntry.kind,
            JournalEntry.memo,
            Posting.account,
            Posting.member,
            Posting.amount_minor,
        )
        .join(JournalEntry)
        .order_by(JournalEntry.seq, Posting.id)
        .tuples()
    )
    yield from q.iterator()


def _names() -> tuple[dict[str, str], dict[str, chart.Account]]:
    return chart.key_numbers(), {a.number: a for a in chart.accounts()}


def journal_rows() -> Iterator[list[object]]:
    """The journal, one row per posting: seq, date, kind, memo, account number and name, member, debit, credit."""
    from coop.i18n import _

    mapping, accounts = _names()
    ccy = settings.get().currency
    members = dict(Member.select(Member.id, Member.member_no).tuples())
    # a user's own sub-account has no translation: gettext gives it back as typed
    names = {number: _(acc.name) for number, acc in accounts.items()}
    for seq, day, kind, memo, key, member, amount in _rows():
        number = mapping.get(key, key)
        yield [
            seq,
            day,
            kind,
            memo,
            number,
            names.get(number, ""),
            members.get(member, "") if member is not None else "",
            money.from_minor(amount, ccy) if amount > 0 else "",
            money.from_minor(-amount, ccy) if amount < 0 else "",
        ]


def export_journal(actor: Actor, path: str | os.PathLike) -> int:
    """Write the journal CSV (atomically); returns the number of postings written."""
    actor.require("data.export")
    count = csvio.write_rows(path, JOURNAL_COLUMNS, journal_rows())
    _audit(actor, "journal", path, count)
    return count


def _audit(actor: Actor, what: str, path: str | os.PathLike, count: int) -> None:
    from coop import db

    if db.is_read_only():
        return
    with database.atomic():
        audit.record(actor, "export", what, None, None, {"file": os.path.basename(str(path)), "rows": count})


# ---------------------------------------------------------------- Beancount


def _component(text: str, fallback: str) -> str:
    """A Beancount account component: letters, digits and dashes, starting with a capital or a digit."""
    part = _BAD.sub("-", text.strip()).strip("-")
    if not part:
        return fallback
    return part[0].upper() + part[1:] if part[0].isalpha() else part


def _account_name(number: str, acc: chart.Account | None) -> str:
    return f"{ROOTS.get(acc.type if acc else 'asset', 'Assets')}:{_component(number, 'X')}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _member_components() -> dict[int, str]:
    """Each member's sub-account component: the member number, made unique by the id where two fold alike."""
    out: dict[int, str] = {}
    seen: set[str] = set()
    for mid, no in Member.select(Member.id, Member.member_no).order_by(Member.id).tuples():
        part = _component(no, f"M{mid}")
        if part in seen:
            part = f"{part}-{mid}"
        seen.add(part)
        out[mid] = part
    return out


def beancount_text() -> Iterator[str]:
    """The Beancount file, line by line."""
    mapping, accounts = _names()
    ccy = settings.get().currency
    members = _member_components()
    coop = settings.get()
    first = JournalEntry.select(JournalEntry.date).order_by(JournalEntry.date).limit(1).scalar()
    yield f"; CoopLedger export of {coop.name}, ledger currency {ccy}\n"
    yield f'option "title" {_quote(coop.name)}\n'
    yield f'option "operating_currency" "{ccy}"\n\n'
    used: dict[str, str] = {}  # beancount account -> account number
    for key, member in Posting.select(Posting.account, Posting.member).distinct().tuples():
        number = mapping.get(key, key)
        name = _account_name(number, accounts.get(number))
        used[name] = number
        if member is not None:
            used[f"{name}:{members[member]}"] = number
    opened = first if isinstance(first, date) else date.fromisoformat(str(first)) if first else date.today()
    for name in sorted(used):
        acc = accounts.get(used[name])
        yield f"{opened.isoformat()} open {name} {ccy}\n"
        if acc is not None:
            yield f"  number: {_quote(acc.number)}\n  name: {_quote(acc.name)}\n"
    yield "\n"
    current: int | None = None
    for seq, day, kind, memo, key, member, amount in _rows():
        if seq != current:
            current = seq
            yield f"\n{day} * {_quote(kind)} {_quote(memo or kind)}\n  seq: {seq}\n"
        number = mapping.get(key, key)
        name = _account_name(number, accounts.get(number))
        if member is not None:
            name = f"{name}:{members[member]}"
        yield f"  {name}  {money.from_minor(amount, ccy)} {ccy}\n"


def export_beancount(actor: Actor, path: str | os.PathLike) -> int:
    """Write the whole ledger as a Beancount file (atomically); returns the number of transactions."""
    actor.require("data.export")
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    count = 0
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            for chunk in beancount_text():
                if chunk.startswith("\n") and " * " in chunk:
                    count += 1
                handle.write(chunk)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    _audit(actor, "beancount", path, count)
    return count
