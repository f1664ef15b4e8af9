"""Tamper-evident hash chain over journal entries: hash = SHA-256(prev_hash + canonical JSON)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import DateField

from coop.i18n import N_
from coop.models import (
    BookEntry,
    JournalEntry,
    Payout,
    PeriodClose,
    Posting,
    RegisterEvent,
    Sale,
    SaleLot,
    TaxPayment,
)

GENESIS = "0" * 64
BATCH = 2000
# Columns that change legitimately after posting (state on void) or that store the hash itself.
_UNHASHED = {"state", "void_reason", "chain_hash"}
# Columns added after links were written (schema 6: a sale's price as typed and the rates it used): hashed when
# set, left out when NULL, so the links of records posted before them still verify.
_HASHED_WHEN_SET = frozenset({"price_micro", "levy_bp", "tax_rates"})
SOURCES = {
    "sale": Sale,
    "payout": Payout,
    "tax_payment": TaxPayment,
    "period_close": PeriodClose,
    "register_event": RegisterEvent,  # a member's, account's or the settings' values (coop.register)
    "book_entry": BookEntry,  # an entry of the books (coop.services.books: expense, income, transfer, ...)
}
# Links that move no money: a closing of a period holds the chain head and posts nothing; a register event
# holds a record's values.
NO_POSTINGS = frozenset({"period_close", "register_event"})


@dataclass(frozen=True)
class PostingLine:
    account: str
    member_id: int | None
    tax_rule_id: int | None
    amount_minor: int


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    head: str
    broken_seq: int | None = None
    broken_source: str = ""
    reason: str = ""


# One encoder reused: json.dumps(value, **same options) builds this very encoder on every call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)


def canonical(value: Any) -> str:
    return _CANONICAL.encode(value)


def link_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(payload)).encode("ascii")).hexdigest()


def source_fields(row: dict[str, Any], lots: Sequence[tuple[int, int]] = ()) -> dict[str, Any]:
    """The hashed fields of a sale/payout/tax payment (stored values), plus a sale's (lot, value) pairs."""
    fields = {
        k: v for k, v in row.items() if k not in _UNHASHED and not (v is None and k in _HASHED_WHEN_SET)
    }
    if lots:
        fields["lots"] = sorted(lots)
    return fields


def payload(entry: dict[str, Any], postings: Sequence[PostingLine], source: dict[str, Any]) -> dict:
    lines = [[p.account, p.member_id or 0, p.tax_rule_id or 0, p.amount_minor] for p in postings]
    return _payload(entry, lines, source)


def _payload(entry: dict[str, Any], lines: list[list[Any]], source: dict[str, Any]) -> dict:
    """The hashed document; `lines` are [account, member id or 0, tax rule id or 0, amount], sorted here."""
    head = {k: entry[k] for k in ("seq", "date", "kind", "source_type", "source_id", "memo", "created_by")}
    lines.sort()
    return {"entry": head, "postings": lines, "source": source}


def head() -> tuple[int, str]:
    """(seq, hash) of the newest link, or (0, GENESIS) for an empty chain."""
    last = JournalEntry.select(JournalEntry.seq, JournalEntry.hash).order_by(JournalEntry.seq.desc()).first()
    return (last.seq, last.hash) if last else (0, GENESIS)


def next_link(
    prev_hash: str,
    *,
    seq: int,
    entry_date: date,
    kind: str,
    source_type: str,
    source_id: int,
    memo: str,
    created_by: str,
    postings: Sequence[PostingLine],
    source: dict[str, Any],
) -> tuple[dict[str, Any], str]:
    """The stored fields and hash of link `seq` after `prev_hash`: what append() writes, for bulk writers
    (the benchmark generator) that insert the rows themselves."""
    if sum(p.amount_minor for p in postings) != 0 or (not postings and kind not in NO_POSTINGS):
        raise AssertionError(f"unbalanced journal entry: {postings}")  # a bug, never user input
    entry = {
        "seq": seq,
        "date": entry_date.isoformat(),
        "kind": kind,
        "source_type": source_type,
        "source_id": source_id,
        "memo": memo,
        "created_by": created_by,
    }
    return entry, link_hash(prev_hash, payload(entry, postings, source))


def append(
    *,
    entry_date: date,
    kind: str,
    source_type: str,
    source_id: int,
    memo: str,
    created_by: str,
    postings: Sequence[PostingLine],
    source: dict[str, Any],
) -> JournalEntry:
    """Insert one balanced journal entry as the next chain link. Call inside a write transaction."""
    seq, prev = head()
    entry, digest = next_link(
        prev,
        seq=seq + 1,
        entry_date=entry_date,
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        memo=memo,
        created_by=created_by,
        postings=postings,
        source=source,
    )
    row = JournalEntry.create(**entry, prev_hash=prev, hash=digest)
    rows = [
        {
            "entry": row.id,
            "account": p.account,
            "member": p.member_id,
            "tax_rule": p.tax_rule_id,
            "amount_minor": p.amount_minor,
        }
        for p in postings
    ]
    Posting.insert_rows(rows)  # an entry of any size (a year's ristourne, a long opening) is written
    return row


# verify() reads with plain SQL: converting every value through peewee would dominate its time.
# Dates go through their field (cached per distinct text) and back to ISO text, so every value hashes
# exactly as the ORM's date objects written back with isoformat() did.
def _iso_date(field: DateField, value: Any, cache: dict[Any, Any]) -> Any:
    if value not in cache:
        day = field.python_value(value)
        cache[value] = day.isoformat() if isinstance(day, date) else day
    return cache[value]


def _raw(
    model: Any, where: str, params: Sequence[Any], order: str = "", skip: Container[str] = ()
) -> list[dict[str, Any]]:
    fields = [f for f in model._meta.sorted_fields if f.name not in skip]
    sql = (
        f"SELECT {', '.join(f.column_name for f in fields)} FROM {model._meta.table_name} "
        f"WHERE {where} {order}"
    )
    dates = [i for i, f in enumerate(fields) if isinstance(f, DateField)]
    names = [f.name for f in fields]
    out = []
    cache: dict[Any, Any] = {}
    for values in model._meta.database.execute_sql(sql, list(params)).fetchall():
        if dates:
            values = list(values)
            for i in dates:
                values[i] = _iso_date(fields[i], values[i], cache)
        out.append(dict(zip(names, values, strict=True)))
    return out


def _batches(low: int, high: int) -> Iterator[list[dict[str, Any]]]:
    """The links with low <= seq <= high, in order, BATCH at a time."""
    last = low - 1
    while True:
        rows = _raw(JournalEntry, "seq > ? AND seq <= ?", [last, high], f"ORDER BY seq LIMIT {BATCH}")
        if not rows:
            return
        yield rows
        last = rows[-1]["seq"]


def _spans(ids: Sequence[int], gap: int = 64) -> list[tuple[int, int]]:
    """Ids as (low, high) index ranges: a batch's sources are mostly neighbours, a void's may be far back."""
    spans: list[list[int]] = []
    for i in sorted(set(ids)):
        if spans and i - spans[-1][1] <= gap:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    return [(lo, hi) for lo, hi in spans]


def _postings_for(entry_ids: list[int]) -> dict[int, list[Any]]:
    """Hashed posting lines of these entries, read as one index range (a batch's entries are neighbours).

    Each line is an (account, member id or 0, tax rule id or 0, amount) tuple: it sorts and encodes to
    JSON exactly as the list `payload()` builds, without building 1.5 M lists in Python."""
    out: dict[int, list[Any]] = {i: [] for i in entry_ids}
    sql = (
        "SELECT entry_id, account, COALESCE(member_id, 0), COALESCE(tax_rule_id, 0), amount_minor "
        "FROM posting WHERE entry_id BETWEEN ? AND ?"
    )
    cursor = Posting._meta.database.execute_sql(sql, (min(entry_ids), max(entry_ids)))
    get = out.get
    for row in cursor:
        lines = get(row[0])
        if lines is not None:
            lines.append(row[1:])
    return out


@dataclass(frozen=True)
class _Source:
    fields: dict[str, Any]  # the hashed fields
    chain_hash: str  # the hash stored on the record when it was posted
    state: str
    void_reason: str


def _sources_for(rows: list[dict[str, Any]]) -> dict[tuple[str, int], _Source]:
    """The source records (sale, payout, tax payment) the entries refer to, read by id ranges."""
    out: dict[tuple[str, int], _Source] = {}
    for stype, model in SOURCES.items():
        ids = [r["source_id"] for r in rows if r["source_type"] == stype]
        if not ids:
            continue
        lots: dict[int, list[tuple[int, int]]] = {}
        wanted = set(ids)
        optional = sorted(_HASHED_WHEN_SET.intersection(model._meta.fields))
        for span in _spans(ids):
            if stype == "sale":
                sql = "SELECT sale_id, lot_id, value_minor FROM sale_lot WHERE sale_id BETWEEN ? AND ?"
                for sale_id, lot_id, value in SaleLot._meta.database.execute_sql(sql, span):
                    if sale_id in wanted:
                        lots.setdefault(sale_id, []).append((lot_id, value))
            for src in _raw(model, "id BETWEEN ? AND ?", span):
                if src["id"] in wanted:
                    # the row minus the unhashed columns is source_fields(src, lots), without a copy
                    stored, state = src.pop("chain_hash"), src.pop("state")
                    reason = src.pop("void_reason", "")  # a closing has none: it is never voided
                    for name in optional:
                        if src[name] is None:
                            del src[name]
                    if src["id"] in lots:
                        src["lots"] = sorted(lots[src["id"]])
                    out[(stype, src["id"])] = _Source(src, stored, state, reason)
    return out


def source_snapshot(source_type: str, source_id: int) -> dict[str, Any]:
    """The hashed fields of one source record exactly as verify() will read them back."""
    return _sources_for([{"source_type": source_type, "source_id": source_id}])[
        (source_type, source_id)
    ].fields


def _check_link(r: dict[str, Any], prev: str, lines: list[list[Any]], sources: dict) -> str:
    """Why link `r` does not hold ("" when it does)."""
    src = sources.get((r["source_type"], r["source_id"]))
    if src is None:
        return N_("source record missing")
    if r["prev_hash"] != prev:
        return N_("previous hash does not match")
    if link_hash(prev, _payload(r, lines, src.fields)) != r["hash"]:
        return N_("contents changed")
    if sum(line[3] for line in lines) != 0:
        return N_("entry does not balance")
    if r["kind"] == r["source_type"] and src.chain_hash != r["hash"]:
        return N_("record's stored hash does not match")
    if r["kind"] == "period_close" and (lines or src.fields.get("head_hash") != prev):
        return N_("closing does not hold the chain head before it")
    if r["kind"] in NO_POSTINGS and lines:  # a register event moves no money
        return N_("entry does not balance")
    return ""


# What the links say about one source record: (seq of the link posting it or 0, memo of its void or None).
Seen = dict[tuple[str, int], tuple[int, str | None]]


def _note(seen: Seen, r: dict[str, Any]) -> None:
    key = (r["source_type"], r["source_id"])
    post_seq, void_memo = seen.get(key, (0, None))
    if r["kind"] == r["source_type"]:
        seen[key] = (r["seq"], void_memo)
    else:
        seen[key] = (post_seq, r["memo"])


def _sources_in_the_file() -> list[tuple[str, Any]]:
    """The source kinds whose table the file has: a file of an older schema (verified before it is upgraded,
    e.g. a backup) has no table of the sources added after it, hence no record of them to check. The
    database's own table list (peewee asks each backend its catalogue), not SQLite-only SQL."""
    tables = set(JournalEntry._meta.database.get_tables())  # every model of the file shares one database
    return [(stype, m) for stype, m in SOURCES.items() if m._meta.table_name in tables]


def _records_disagreeing(seen: Seen) -> tuple[int | None, str] | None:
    """After a sound walk: the first record whose state or void reason the journal does not back, or a
    posted record no link posts. Returns (post seq or None, "kind id")."""
    worst: tuple[int, str] | None = None
    for stype, model in _sources_in_the_file():
        reason_column = "void_reason" if "void_reason" in model._meta.fields else "''"
        sql = f"SELECT id, state, {reason_column} FROM {model._meta.table_name}"  # plain rows: all are read
        for rid, state, reason in model._meta.database.execute_sql(sql):
            post_seq, void_memo = seen.get((stype, rid), (0, None))
            if not post_seq:
                if state != "draft":
                    return None, f"{stype} {rid}"
                continue
            want = ("posted", "") if void_memo is None else ("voided", void_memo)
            if (state, reason) != want and (worst is None or post_seq < worst[0]):
                worst = (post_seq, f"{stype} #{post_seq} ({stype} {rid})")
    return worst


def _ref(r: dict[str, Any]) -> str:
    return f"{r['kind']} #{r['seq']} ({r['source_type']} {r['source_id']})"


@dataclass(frozen=True)
class _Part:
    """One range of links walked: how many held, the last hash, what they say about their records, and the
    first link that does not hold (a VerifyResult counted within the range) or None."""

    checked: int
    head: str
    seen: Seen
    broken: VerifyResult | None


def _walk(low: int, high: int) -> _Part:
    """Check the links low..high in order. Each link stores its predecessor's hash, so a range starts from
    the stored hash of link low - 1 and ranges can be checked independently (and at the same time)."""
    prev = GENESIS
    if low > 1:
        row = JournalEntry.select(JournalEntry.hash).where(JournalEntry.seq == low - 1).first()
        prev = row.hash if row else ""  # a missing predecessor: the previous range names it
    expected_seq, checked = low, 0
    seen: Seen = {}

    def broken(seq: int, ref: str, reason: str) -> _Part:
        return _Part(checked, prev, seen, VerifyResult(False, checked, prev, seq, ref, reason))

    for rows in _batches(low, high):
        postings = _postings_for([r["id"] for r in rows])
        sources = _sources_for(rows)
        for r in rows:
            if r["seq"] != expected_seq:
                return broken(expected_seq, _ref(r), N_("missing link"))
            reason = _check_link(r, prev, postings[r["id"]], sources)
            if reason:
                return broken(r["seq"], _ref(r), reason)
            _note(seen, r)
            prev, expected_seq, checked = r["hash"], expected_seq + 1, checked + 1
    if expected_seq <= high:  # the range ends in a gap: the link found after it stands where it should be
        nxt = _raw(JournalEntry, "seq > ?", [high], "ORDER BY seq LIMIT 1")
        if nxt:
            return broken(expected_seq, _ref(nxt[0]), N_("missing link"))
    return _Part(checked, prev, seen, None)


def _combine(parts: Sequence[_Part]) -> VerifyResult:
    """The ranges' results as one walk in order would give them: the first broken link, else the records."""
    checked = 0
    seen: Seen = {}
    for part in parts:
        if part.broken is not None:
            b = part.broken
            return VerifyResult(False, checked + b.checked, b.head, b.broken_seq, b.broken_source, b.reason)
        checked += part.checked
        for key, (post_seq, void_memo) in part.seen.items():  # a void may sit in a later range than its post
            old_seq, old_memo = seen.get(key, (0, None))
            seen[key] = (post_seq or old_seq, void_memo if void_memo is not None else old_memo)
    head = parts[-1].head if parts else GENESIS
    found = _records_disagreeing(seen)
    if found is not None:
        seq, ref = found
        if seq is None:
            return VerifyResult(False, checked, head, None, ref, N_("record not in the chain"))
        return VerifyResult(False, checked, head, seq, ref, N_("record's state does not match the journal"))
    return VerifyResult(True, checked, head)


# links: below this one process is as fast, because starting the workers has a fixed cost; the threshold sits
# above the measured break-even point because Windows starts processes more slowly.
PARALLEL_MIN = 20_000
MAX_JOBS = 8


def ranges(last_seq: int, jobs: int) -> list[tuple[int, int]]:
    """1..last_seq cut into `jobs` consecutive ranges of (nearly) equal size."""
    jobs = max(1, min(jobs, last_seq))
    bounds = [1 + last_seq * i // jobs for i in range(jobs + 1)]
    return [(bounds[i], bounds[i + 1] - 1) for i in range(jobs)]  # an empty chain: [(1, 0)]


def _worker_open(path: str, read_only: bool = False) -> None:
    from coop import db

    # a file on read-only media is opened the way the parent opened it (no -wal/-shm can be made there)
    db.open_database(path, migrate=False, read_only=read_only)


def _in_processes(path: str, parts: list[tuple[int, int]], read_only: bool = False) -> list[_Part]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, also where fork exists: a forked child would share the parent's open SQLite connection
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        len(parts), mp_context=context, initializer=_worker_open, initargs=(path, read_only)
    ) as pool:
        return list(pool.map(_walk, *zip(*parts, strict=True)))


def verify(jobs: int | None = None) -> VerifyResult:
    """Walk the chain in order; name the first link whose data, order or predecessor does not match, then
    the first record whose state disagrees with the journal or that no link posts.

    `jobs`: processes checking consecutive ranges of links at once (default: one per core, up to MAX_JOBS,
    for chains of PARALLEL_MIN links or more); the result is the one a single walk gives."""
    last_seq = head()[0]
    if jobs is None:
        jobs = min(os.cpu_count() or 1, MAX_JOBS) if last_seq >= PARALLEL_MIN else 1
    path = JournalEntry._meta.database.database
    parts = ranges(last_seq, jobs)
    if len(parts) == 1 or path == ":memory:":
        return _combine([_walk(1, last_seq)])
    read_only = bool(getattr(JournalEntry._meta.database, "read_only", False))
    return _combine(_in_processes(path, parts, read_only))
