"""Verification of a database file as one list of checks, each returning the problems it finds.

Used alike by the `verify` command, the self-test and restore (which refuses a backup with any problem).
A check is a function `(Scope) -> list[Problem]`, in the manner of Beancount's `ops/validation.py`;
a Problem carries an untranslated message id and its parameters and is translated where it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase

from coop import anchors, chain, db
from coop.errors import StorageError
from coop.i18n import N_

DATABASE_PROBLEM = N_("Database problem: {detail}")
FOREIGN_KEY_BROKEN = N_("Database problem: foreign key: {detail}")
TRIGGER_MISSING = N_("Database problem: finality trigger missing: {detail}")
UNBALANCED = N_("Unbalanced journal entries: {seqs}")
CHAIN_BROKEN = N_("Chain broken at {record}: {reason}")
RECEIPT_GAP = N_("Receipt series {series}: numbers missing: {numbers}")
RECEIPT_DUPLICATE = N_("Receipt series {series}: numbers used twice: {numbers}")
RECEIPT_COUNTER = N_("Receipt series {series}: the counter is at {counter} but the last receipt is {last}")
IN_CLOSED_PERIOD = N_("{record}: dated {date}, in a period closed up to {closed} before it was posted")
RECEIPT_ORDER = N_("Receipt series {series}: receipt {number} is dated before the receipt before it")
RECEIPT_UNNUMBERED = N_("{record}: posted without a receipt number")
NOT_CANONICAL = N_("{record}: the stored {column} {value} is not in the form this application writes")
BACKUP_REJECTED = N_("The backup {path} fails verification ({problems}). It was not restored.")


class MessageId(str):
    """A parameter of a Problem that is itself a message id (the chain's reason): translated when shown."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong: the record at fault ("" for the file as a whole), an untranslated message id and
    the parameters of its {placeholders} ({record} is filled from `record`)."""

    record: str
    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        """The problem in the current language."""
        from coop.i18n import _

        values = {k: _(v) if isinstance(v, MessageId) else v for k, v in self.params.items()}
        return _(self.msgid).format(record=self.record, **values)

    def __str__(self) -> str:
        return self.msgid.format(record=self.record, **self.params)


@dataclass
class Scope:
    """What the checks look at: the database handle and the options of the run; the chain check leaves
    its walk (links counted, head) here for the report."""

    handle: SqliteDatabase
    full: bool = False  # SQLite integrity_check (every index against its table) instead of quick_check
    jobs: int | None = None  # processes walking the chain at once (None: chain.verify decides)
    walk: chain.VerifyResult | None = None
    anchor_log: Path | None = None  # the anchor log to compare the chain with (None: none)
    seen: anchors.Anchor | None = None  # the last head this installation saw in the file
    paper: Sequence[anchors.PaperAnchor] = ()  # hashes typed from receipts and filings


Check = Callable[[Scope], list[Problem]]


def sqlite_integrity(scope: Scope) -> list[Problem]:
    """Pages and records readable (quick_check; integrity_check with `full`)."""
    return [
        Problem("", DATABASE_PROBLEM, {"detail": d}) for d in db.sqlite_check(scope.handle, full=scope.full)
    ]


def foreign_keys(scope: Scope) -> list[Problem]:
    """Every reference points at an existing row."""
    return [
        Problem(f"{row[0]} {row[1]}", FOREIGN_KEY_BROKEN, {"detail": str(row)})
        for row in db.foreign_key_violations(scope.handle)
    ]


def finality_triggers(scope: Scope) -> list[Problem]:
    """The triggers that make posted records and the journal final are all present."""
    return [Problem("", TRIGGER_MISSING, {"detail": name}) for name in db.missing_triggers(scope.handle)]


def balanced_entries(scope: Scope) -> list[Problem]:
    """Every journal entry's postings sum to zero (one problem naming all that do not)."""
    from coop.services import ledger

    seqs = ledger.unbalanced_entries()
    return [Problem("", UNBALANCED, {"seqs": ", ".join(map(str, seqs))})] if seqs else []


def hash_chain(scope: Scope) -> list[Problem]:
    """The tamper-evidence chain: each link, then each record's state against the journal."""
    scope.walk = chain.verify(scope.jobs)
    if scope.walk.ok:
        return []
    return [Problem(scope.walk.broken_source, CHAIN_BROKEN, {"reason": MessageId(scope.walk.reason)})]


EVENTS = {
    "period_close": N_("period close"),
    "backup": N_("backup"),
    "verify": N_("verification"),
    "start": N_("first start of the day"),
    "restore": N_("restore"),
    "seen": N_("last head this computer saw"),
}


def _event(name: str) -> str:
    return MessageId(EVENTS[name]) if name in EVENTS else name


def anchored(scope: Scope) -> list[Problem]:
    """The chain against the evidence outside the file: the anchor log (since the last restore), the last
    head this installation saw, and the hashes printed on paper. Each must name a link the chain still
    holds with that very hash; the walk (hash_chain) shows every later link follows from it."""
    problems: list[Problem] = []
    found: list[anchors.Anchor] = []
    if scope.anchor_log is not None:
        logged, bad = anchors.read_log(scope.anchor_log)
        if bad:
            path = str(scope.anchor_log)
            problems.append(Problem("", anchors.ANCHOR_LOG_DAMAGED, {"path": path, "line": bad[0]}))
        found = anchors.since_restore(logged)
    if scope.seen is not None:
        found.append(scope.seen)
    length = chain.head()[0]
    shorter: anchors.Anchor | None = None
    diverging: anchors.Anchor | None = None
    for anchor in found:  # the oldest anchor the chain contradicts says since when it is wrong
        if length < anchor.length:
            shorter = shorter or anchor
        elif anchor.length and anchors.link_hash_at(anchor.length) != anchor.head:
            diverging = diverging or anchor
    for found_at, msgid in ((shorter, anchors.ANCHOR_SHORTER), (diverging, anchors.ANCHOR_DIVERGES)):
        if found_at is not None:
            params = {
                "n": length,
                "length": found_at.length,
                "time": found_at.time,
                "event": _event(found_at.event),
            }
            problems.append(Problem(f"link {found_at.length}", msgid, params))
    return problems + [p for paper in scope.paper if (p := paper_problem(paper)) is not None]


def paper_problem(paper: anchors.PaperAnchor) -> Problem | None:
    """Why a hash typed from paper does not match the chain (None when a record it may name matches)."""
    found = anchors.candidates(paper)
    if any(link is not None and link.hash.startswith(paper.prefix) for _, link in found):
        return None
    label, link = next(((lb, lk) for lb, lk in found if lk is not None), found[0])
    if link is None:
        return Problem(label, anchors.PAPER_MISSING)
    shown = {"printed": paper.prefix, "stored": link.hash[: len(paper.prefix)]}
    return Problem(f"{label} (link {link.seq})", anchors.PAPER_MISMATCH, shown)


def closed_periods(scope: Scope) -> list[Problem]:
    """No link after a closing is dated on or before the day it closed (a back-dated record appended to the
    chain, rehashed or not, lands in a period whose figures were already filed)."""
    problems: list[Problem] = []
    execute = scope.handle.execute_sql
    sql = (
        "SELECT j.seq, p.to_date FROM journal_entry j JOIN period_close p ON p.id = j.source_id "
        "WHERE j.kind = 'period_close' AND j.source_type = 'period_close' ORDER BY j.seq"
    )
    for seq, to_date in execute(sql).fetchall():
        later = execute(
            "SELECT seq, kind, source_type, source_id, date FROM journal_entry "
            "WHERE seq > ? AND date <= ? AND kind NOT IN ('period_close', 'register_event') "
            "ORDER BY seq LIMIT 1",
            (seq, to_date),
        ).fetchone()
        if later is not None:
            record = f"{later[1]} #{later[0]} ({later[2]} {later[3]})"
            problems.append(Problem(record, IN_CLOSED_PERIOD, {"date": later[4], "closed": to_date}))
    return problems


def _numbers(values: Sequence[int]) -> str:
    shown = ", ".join(map(str, values[:20]))
    return shown + (" …" if len(values) > 20 else "")


def receipt_series(scope: Scope) -> list[Problem]:
    """Every series of receipt numbers runs 1..N without gaps or duplicates and its counter equals N."""
    problems: list[Problem] = []
    handle = scope.handle
    numbers: dict[str, list[int]] = {}
    sql = "SELECT id, series, receipt_no, date FROM sale WHERE state <> 'draft' ORDER BY series, receipt_no"
    newest: dict[str, Any] = {}  # a sale is never dated before the newest of its series (sales.post_sale)
    for sale_id, series, number, day in handle.execute_sql(sql):
        if number is None:
            problems.append(Problem(f"sale {sale_id}", RECEIPT_UNNUMBERED))
            continue
        numbers.setdefault(series, []).append(number)
        day = str(day)[:10]  # a day stored in another form is canonical_values' finding
        if series in newest and day < newest[series] and newest[series] != "!":
            problems.append(Problem("", RECEIPT_ORDER, {"series": series, "number": number}))
            newest[series] = "!"  # one problem per series says it
        elif newest.get(series) != "!":
            newest[series] = day
    counters = dict(handle.execute_sql("SELECT series, last_no FROM receipt_counter").fetchall())
    for series in sorted(set(numbers) | set(counters)):
        used = numbers.get(series, [])
        last = max(used, default=0)
        distinct = set(used)
        dupes = sorted(n for n in distinct if used.count(n) > 1) if len(distinct) != len(used) else []
        gaps = [n for n in range(1, last + 1) if n not in distinct] if len(distinct) != last else []
        if gaps:
            problems.append(Problem("", RECEIPT_GAP, {"series": series, "numbers": _numbers(gaps)}))
        if dupes:
            problems.append(Problem("", RECEIPT_DUPLICATE, {"series": series, "numbers": _numbers(dupes)}))
        if counters.get(series, 0) != last:
            counter = counters.get(series, 0)
            problems.append(
                Problem("", RECEIPT_COUNTER, {"series": series, "counter": counter, "last": last})
            )
    return problems


def _bad_value(column: str, field_type: str) -> str | None:
    """SQL true for a stored value this application never writes in a column of this type."""
    c = f'"{column}"'
    if field_type in ("INT", "BIGINT", "BOOL"):
        return f"typeof({c}) NOT IN ('integer', 'null')"
    if field_type == "DATE":
        return (
            f"({c} IS NOT NULL AND (typeof({c}) <> 'text' OR length({c}) <> 10 "
            f"OR {c} NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' OR date({c}) IS NOT {c}))"
        )
    if field_type in ("VARCHAR", "TEXT"):
        return f"typeof({c}) NOT IN ('text', 'null')"
    return None


def canonical_values(scope: Scope) -> list[Problem]:
    """Every stored value has the type and form the application writes: a date stored as
    `2025-03-25 00:00:00` reads (and hashes) as 2025-03-25 but falls out of a period's `date <= ?`."""
    from coop import models

    problems: list[Problem] = []
    for model in models.ALL_MODELS:
        checks = [
            (f.column_name, sql)
            for f in model._meta.sorted_fields
            if (sql := _bad_value(f.column_name, f.field_type)) is not None
        ]
        if not checks:
            continue
        key = model._meta.primary_key.column_name
        flags = ", ".join(f'({sql}), "{column}"' for column, sql in checks)
        where = " OR ".join(sql for _, sql in checks)
        sql = f'SELECT "{key}", {flags} FROM "{model._meta.table_name}" WHERE {where} LIMIT 5'
        for row in scope.handle.execute_sql(sql).fetchall():
            for i, (column, _sql) in enumerate(checks):
                if row[1 + 2 * i]:
                    params = {"column": column, "value": repr(row[2 + 2 * i])}
                    problems.append(Problem(f"{model._meta.table_name} {row[0]}", NOT_CANONICAL, params))
    return problems


def registers(scope: Scope) -> list[Problem]:
    """Members, accounts and settings as their newest register link holds them, comparison keys as their
    identifiers fold, and the audit log's rows hashed in sequence (coop.register)."""
    from coop import register

    return register.findings()


CHECKS: tuple[Check, ...] = (
    sqlite_integrity,
    foreign_keys,
    finality_triggers,
    balanced_entries,
    receipt_series,
    canonical_values,
    closed_periods,
    registers,
    hash_chain,
    anchored,
)
_ON_CHAIN = (hash_chain, anchored)  # run one after the other, beside the file checks
# restore has run SQLite's full integrity_check on the raw file before it could open it
RESTORE_CHECKS: tuple[Check, ...] = tuple(c for c in CHECKS if c is not sqlite_integrity)


@dataclass(frozen=True)
class Report:
    problems: list[Problem]
    links: int  # chain links verified (0 when the chain was not checked)
    head: str  # hash of the last link verified

    @property
    def ok(self) -> bool:
        return not self.problems


def _beside_the_chain(scope: Scope, checks: Sequence[Check]) -> dict[Check, list[Problem]]:
    try:
        return {check: check(scope) for check in checks}
    finally:
        scope.handle.close()  # this thread's own connection (peewee keeps one per thread)


def run(
    handle: SqliteDatabase,
    *,
    full: bool = False,
    jobs: int | None = None,
    checks: Sequence[Check] = CHECKS,
    anchor_log: Path | None = None,
    seen: anchors.Anchor | None = None,
    paper: Sequence[anchors.PaperAnchor] = (),
) -> Report:
    """Run `checks` on `handle` with the models bound to it for the run only (the open database, or a
    second file such as a restore candidate); problems in the order of `checks`. `anchor_log`, `seen` and
    `paper`: the evidence outside the file the chain must agree with (see coop.anchors)."""
    scope = Scope(handle, full, jobs, anchor_log=anchor_log, seen=seen, paper=paper)
    walkers = [c for c in checks if c in _ON_CHAIN]
    others = [c for c in checks if c not in _ON_CHAIN]
    with db.bound(handle):
        if handle.database == ":memory:" or not walkers or not others:
            found = {check: check(scope) for check in checks}  # another thread would see another :memory:
        else:
            # SQLite releases the GIL while it checks, so the file checks run beside the chain walk
            with ThreadPoolExecutor(1) as pool:
                side = pool.submit(_beside_the_chain, scope, others)
                found = {check: check(scope) for check in walkers}
                found.update(side.result())
    walk = scope.walk
    return Report(
        [p for check in checks for p in found[check]],
        walk.checked if walk else 0,
        walk.head if walk else chain.GENESIS,
    )


class BackupRejected(StorageError):
    """A backup that fails verification: restore refuses it, naming its problems."""

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        super().__init__(BACKUP_REJECTED, path=path, problems="; ".join(map(str, problems)))
        self.problems = list(problems)

    def message(self) -> str:
        from coop.i18n import _

        shown = "; ".join(p.message() for p in self.problems)
        return _(self.msgid).format(path=self.params["path"], problems=shown)
