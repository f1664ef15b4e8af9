"""Scale-data generator: a realistic federation database (members, lots, sales, payouts) with a valid chain."""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coop import chain, keys, money, register  # noqa: E402
from coop.chain import PostingLine  # noqa: E402
from coop.db import open_database  # noqa: E402
from coop.models import BookEntry, Payout, Sale, TaxPayment  # noqa: E402
from coop.permissions import SYSTEM  # noqa: E402
from coop.services import registry, settings, taxes  # noqa: E402

YEAR = 2025  # every lot and sale falls in this (closed) fiscal year, so a "year summary" covers them all
LOCAL, SALE_CCY, RATE_MICRO = "CDF", "USD", 2_850_000_000  # 2850 CDF per USD
LEVY_BP = 500
# name, unit, grade kind, weight (share of lots), qty range (milli), grade range (milli), price (USD minor)
MINERALS = [
    ("Gold", "g", "fineness", 5, (2_000, 150_000), (650_000, 960_000), 9_000),
    ("Cassiterite", "kg", "percent", 3, (10_000, 400_000), (40_000, 72_000), 1_100),
    ("Coltan", "kg", "percent", 2, (5_000, 200_000), (20_000, 45_000), 4_500),
]
BUYER_KINDS = ["comptoir", "comptoir", "exporter", "refinery"]
METHODS = ["cash"] * 6 + ["mobile_money"] * 3 + ["bank"]
FIRST = (
    "Amani Bahati Chance Neema Furaha Imani Jabari Kito Zawadi Baraka Riziki Tumaini Upendo Safari".split()
)
LAST = "Bisimwa Cirhuza Mulume Nabintu Mukwege Kabila Lumumba Mwamba Ilunga Kasongo Tshibanda Mbuyi".split()
OWNER_SPLITS = [[10_000]] * 5 + [[6_000, 4_000], [5_000, 5_000]] * 2 + [[5_000, 3_000, 2_000]]
BATCH = 50_000
SALE_FIELDS = [f.name for f in Sale._meta.sorted_fields if f.name not in chain._UNHASHED]
PAYOUT_FIELDS = [f.name for f in Payout._meta.sorted_fields if f.name not in chain._UNHASHED]
TAX_PAYMENT_FIELDS = [f.name for f in TaxPayment._meta.sorted_fields if f.name not in chain._UNHASHED]
BOOK_FIELDS = [f.name for f in BookEntry._meta.sorted_fields if f.name not in chain._UNHASHED]
BOOK_SQL = (
    f"INSERT INTO book_entry ({', '.join(BookEntry._meta.fields[f].column_name for f in BOOK_FIELDS)}, "
    "state, void_reason, chain_hash) "
    f"VALUES ({','.join('?' * (len(BOOK_FIELDS) + 3))})"
)
# The year's running costs (SYSCOHADA leaf accounts): payee, account, amount range in minor units (CDF)
EXPENSES = [
    ("Station Total", "6053", (50_000, 2_000_000)),
    ("Quincaillerie", "6056", (20_000, 800_000)),
    ("Bailleur", "622", (5_000_000, 5_000_001)),
    ("Airtel", "628", (10_000, 200_000)),
    ("Équipe de garde", "661", (200_000, 1_500_000)),
    ("Transporteur", "618", (100_000, 3_000_000)),
]


@dataclass
class Rule:
    id: int
    authority: str
    rate_bp: int
    withheld: bool
    mineral: int | None


@dataclass
class Sizes:
    members: int
    lots: int
    sales: int
    sites: int = 0
    buyers: int = 0

    def __post_init__(self) -> None:
        self.sites = self.sites or max(2, min(400, self.members // 250))
        self.buyers = self.buyers or max(2, min(60, self.members // 1000))


@dataclass
class Writer:
    """Raw sqlite3 writer: buffers rows per statement and flushes with executemany."""

    conn: sqlite3.Connection
    buffers: dict[str, list[tuple]] = field(default_factory=dict)

    def add(self, sql: str, row: tuple) -> None:
        buf = self.buffers.setdefault(sql, [])
        buf.append(row)
        if len(buf) >= BATCH:
            self.conn.executemany(sql, buf)
            buf.clear()

    def flush(self) -> None:
        for sql, buf in self.buffers.items():
            if buf:
                self.conn.executemany(sql, buf)
                buf.clear()


MEMBER_SQL = (
    "INSERT INTO member (id, member_no, full_name, sex, birth_year, id_number, card_expiry, phone, community, "
    "site_id, role, join_date, status, share_capital_minor, member_no_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
LOT_SQL = (
    "INSERT INTO production_lot (id, reference, date, site_id, mineral_id, qty_milli, grade_milli, "
    "mercury_milli, retort_used, notes, status) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)
OWNER_SQL = "INSERT INTO lot_owner (lot_id, member_id, share_bp) VALUES (?,?,?)"
ENTRY_SQL = (
    "INSERT INTO journal_entry (id, seq, date, kind, source_type, source_id, memo, created_by, prev_hash, hash) "
    "VALUES (?,?,?,?,?,?,?,?,?,?)"
)
POSTING_SQL = (
    "INSERT INTO posting (entry_id, account, member_id, tax_rule_id, amount_minor) VALUES (?,?,?,?,?)"
)
SALE_LOT_SQL = "INSERT INTO sale_lot (sale_id, lot_id, value_minor) VALUES (?,?,?)"
STATUS_SQL = "UPDATE production_lot SET status = ? WHERE id = ?"


def _insert_sql(table: str, fields: list[str], extra: list[str]) -> str:
    columns = [Sale._meta.fields[f].column_name if table == "sale" else _column(table, f) for f in fields]
    columns += extra
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({','.join('?' * len(columns))})"


def _column(table: str, name: str) -> str:
    model = {"payout": Payout, "tax_payment": TaxPayment}[table]
    return model._meta.fields[name].column_name


class Chain:
    """Appends journal entries in order; each link's fields and hash come from coop.chain.next_link, the
    function coop.chain.append uses, so a generated chain is hashed exactly as a posted one."""

    def __init__(self, writer: Writer) -> None:
        # after the links the services appended for the reference data (the settings' register link)
        newest = writer.conn.execute(
            "SELECT seq, hash FROM journal_entry ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        self.writer, self.seq, self.prev = writer, *(newest or (0, chain.GENESIS))

    def append(self, day: date, kind: str, stype: str, sid: int, memo: str, lines: list[PostingLine], source):
        self.seq += 1
        entry, digest = chain.next_link(
            self.prev,
            seq=self.seq,
            entry_date=day,
            kind=kind,
            source_type=stype,
            source_id=sid,
            memo=memo,
            created_by="generator",
            postings=lines,
            source=source,
        )
        columns = ("seq", "date", "kind", "source_type", "source_id", "memo", "created_by")
        self.writer.add(ENTRY_SQL, (self.seq, *(entry[c] for c in columns), self.prev, digest))
        for p in lines:
            self.writer.add(POSTING_SQL, (self.seq, p.account, p.member_id, p.tax_rule_id, p.amount_minor))
        self.prev = digest
        return digest


def _setup_reference_data(path: Path, sizes: Sizes, rng: random.Random) -> dict[str, Any]:
    """Settings, minerals, sites, buyers and tax rules through the services (few rows, audited)."""
    db = open_database(path)
    try:
        settings.save(
            SYSTEM,
            name="Fédération des coopératives minières du Sud-Kivu",
            currency=LOCAL,
            locale="fr_CD",
            country="CD",
            levy_bp=LEVY_BP,
        )
        minerals = [
            registry.save_mineral(SYSTEM, None, name=n, unit=u, grade_kind=g).id for n, u, g, *_ in MINERALS
        ]
        sites = [
            registry.save_site(SYSTEM, None, code=f"S{i:03d}", name=f"Site {i}").id
            for i in range(1, sizes.sites + 1)
        ]
        buyers = [
            (
                registry.save_buyer(SYSTEM, None, name=f"Buyer {i}", kind=BUYER_KINDS[i % 4]).id,
                BUYER_KINDS[i % 4],
            )
            for i in range(1, sizes.buyers + 1)
        ]
        rules = [
            Rule(
                taxes.save_rule(
                    SYSTEM,
                    None,
                    name="Redevance minière",
                    authority="DGRAD",
                    rate_bp=350,
                    valid_from=date(2020, 1, 1),
                ).id,
                "DGRAD",
                350,
                True,
                None,
            ),
            Rule(
                taxes.save_rule(
                    SYSTEM,
                    None,
                    name="Taxe provinciale",
                    authority="Province",
                    rate_bp=100,
                    mineral=minerals[0],
                    withheld=False,
                    valid_from=date(2020, 1, 1),
                ).id,
                "Province",
                100,
                False,
                minerals[0],
            ),
        ]
    finally:
        db.close()
    return {"minerals": minerals, "sites": sites, "buyers": buyers, "rules": rules}


def _members(w: Writer, sizes: Sizes, sites: list[int], rng: random.Random) -> dict[int, list[int]]:
    by_site: dict[int, list[int]] = {s: [] for s in sites}
    for i in range(1, sizes.members + 1):
        site = sites[i % len(sites)]
        by_site[site].append(i)
        join = date(2019, 1, 1) + timedelta(days=rng.randrange(5 * 365))
        w.add(
            MEMBER_SQL,
            (
                i,
                f"M{i:06d}",
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "F" if i % 3 == 0 else "M",
                rng.randrange(1960, 2006),
                f"CD-{rng.randrange(10**8):08d}",
                None,
                f"+2439{rng.randrange(10**8):08d}",
                f"Village {i % 97}",
                site,
                rng.choice(["digger", "digger", "washer", "transporter", "processor"]),
                join.isoformat(),
                "active",
                0,
                keys.fold(f"M{i:06d}"),
            ),
        )
    return by_site


@dataclass
class LotInfo:
    id: int
    priced: int
    qty: int
    owners: list[tuple[int, int]]


def _sale_amounts(lots: list[LotInfo], price: int, rules: list[Rule]):
    values = [money.value_of(lot.priced, price) for lot in lots]
    gross = sum(values)
    gross_local = money.convert(gross, SALE_CCY, LOCAL, RATE_MICRO)
    levy = money.apply_bp(gross_local, LEVY_BP)
    tax_lines = [(r, money.apply_bp(gross_local, r.rate_bp)) for r in rules]
    withheld = sum(a for r, a in tax_lines if r.withheld)
    net = gross_local - levy - withheld
    totals: dict[int, int] = {}
    for lot, part in zip(lots, money.split(net, values), strict=True):
        for (member, _bp), amount in zip(
            lot.owners, money.split(part, [bp for _, bp in lot.owners]), strict=True
        ):
            totals[member] = totals.get(member, 0) + amount
    return values, gross, gross_local, levy, tax_lines, withheld, net, totals


def _seal_members(path: Path) -> int:
    """The members written by plain SQL get their register link (coop.register), as an import gives them;
    returns the links appended."""
    handle = open_database(path)
    try:
        with handle.atomic():
            return register.seal_all("generator")
    finally:
        handle.close()


def generate(path: str | Path, sizes: Sizes, seed: int = 8) -> dict[str, float]:
    """Build the database at `path` (must not exist); returns counts and the elapsed seconds."""
    started = time.perf_counter()
    path = Path(path)
    if path.exists():
        raise SystemExit(f"{path} exists; remove it first")
    rng = random.Random(seed)
    ref = _setup_reference_data(path, sizes, rng)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    # sale_lot keeps its indexes: the trigger lot_owner_sold_insert looks a new owner's lot up in it on every
    # insert, which without its index is a scan per row (quadratic: a quick-size file took minutes)
    bulk = (
        "member",
        "production_lot",
        "lot_owner",
        "journal_entry",
        "posting",
        "sale",
        "payout",
        "book_entry",
    )
    indexes = conn.execute(
        f"SELECT sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({','.join('?' * len(bulk))})",
        bulk,
    ).fetchall()
    for (sql,) in indexes:
        conn.execute("DROP INDEX " + sql.split(" ON ")[0].split()[-1])
    conn.execute("BEGIN")
    w = Writer(conn)
    by_site = _members(w, sizes, ref["sites"], rng)
    counts = _ledger(w, sizes, ref, by_site, rng)
    w.flush()
    conn.execute("COMMIT")
    for (sql,) in indexes:
        conn.execute(sql)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    counts["entries"] += _seal_members(path)
    counts["seconds"] = time.perf_counter() - started
    return counts


def _ledger(w: Writer, sizes: Sizes, ref: dict, by_site: dict[int, list[int]], rng: random.Random) -> dict:
    """Lots day by day; each day's sales take the oldest in-stock lots of one mineral (FIFO)."""
    minerals, sites, buyers, rules = ref["minerals"], ref["sites"], ref["buyers"], ref["rules"]
    sale_sql = _insert_sql("sale", SALE_FIELDS, ["state", "void_reason", "chain_hash"])
    payout_sql = _insert_sql("payout", PAYOUT_FIELDS, ["state", "void_reason", "chain_hash"])
    tp_sql = _insert_sql("tax_payment", TAX_PAYMENT_FIELDS, ["state", "void_reason", "chain_hash"])
    ch = Chain(w)
    weights = [m[3] for m in MINERALS]
    queues: list[deque[LotInfo]] = [deque() for _ in MINERALS]
    balances: dict[int, int] = {}
    credited: list[int] = []
    accrued: dict[int, int] = {r.id: 0 for r in rules}
    lot_id = sale_id = payout_id = tp_id = voids = book_id = 0
    days = [date(YEAR, 1, 1) + timedelta(days=i) for i in range(365)]
    for d_index, day in enumerate(days):
        n_lots = sizes.lots * (d_index + 1) // 365 - sizes.lots * d_index // 365
        n_sales = sizes.sales * (d_index + 1) // 365 - sizes.sales * d_index // 365
        per_site: dict[int, int] = {}
        for _ in range(n_lots):
            lot_id += 1
            k = rng.choices(range(len(MINERALS)), weights)[0]
            _name, _unit, kind, _wt, (qlo, qhi), (glo, ghi), _price = MINERALS[k]
            site = sites[rng.randrange(len(sites))]
            per_site[site] = per_site.get(site, 0) + 1
            qty, grade = rng.randrange(qlo, qhi), rng.randrange(glo, ghi, 1000)
            pool = by_site[site] or [rng.randrange(1, sizes.members + 1)]
            shares = rng.choice(OWNER_SPLITS)
            people = rng.sample(pool, len(shares)) if len(pool) >= len(shares) else pool[:1]
            owners = list(zip(people, shares if len(people) == len(shares) else [10_000], strict=True))
            gold = kind == "fineness"
            priced = int(money.round_to(Decimal(qty) * grade / 1_000_000, 0)) if gold else qty
            w.add(
                LOT_SQL,
                (
                    lot_id,
                    f"S{sites.index(site) + 1:03d}-{day:%Y%m%d}-{per_site[site]:03d}",
                    day.isoformat(),
                    site,
                    minerals[k],
                    qty,
                    grade,
                    rng.randrange(0, 3 * qty) if gold else 0,
                    int(gold and rng.random() < 0.4),
                    "",
                    "in_stock",
                ),
            )
            for member, bp in owners:
                w.add(OWNER_SQL, (lot_id, member, bp))
            queues[k].append(LotInfo(lot_id, priced, qty, owners))
        if day.day == 15 and day.month > 1:
            tp_id = _pay_taxes(w, ch, tp_sql, tp_id, day, rules, accrued)
        for _ in range(n_sales):
            k = rng.choices(range(len(MINERALS)), weights)[0]
            if not queues[k]:
                k = max(range(len(MINERALS)), key=lambda i: len(queues[i]))
                if not queues[k]:
                    break
            lots = [queues[k].popleft() for _ in range(min(len(queues[k]), rng.choice([1, 1, 2, 3, 4, 5])))]
            buyer, bkind = buyers[rng.randrange(len(buyers))]
            applicable = [r for r in rules if r.mineral in (None, minerals[k])]
            price = MINERALS[k][6] + rng.randrange(-MINERALS[k][6] // 10, MINERALS[k][6] // 10)
            values, gross, gross_local, levy, tax_lines, withheld, net, totals = _sale_amounts(
                lots, price, applicable
            )
            if net <= 0:
                continue
            sale_id += 1
            method = rng.choice(METHODS)
            voided = rng.random() < 0.003
            row = {
                "id": sale_id,
                "series": str(YEAR),
                "receipt_no": sale_id,
                "date": day.isoformat(),
                "buyer": buyer,
                "currency": SALE_CCY,
                "unit_price_minor": price,
                # the terms schema 6 stores (coop.db._migration_6) left NULL: the generator prices in minor
                # units, as sales posted before it did (NULL columns are not hashed)
                "price_micro": None,
                "levy_bp": None,
                "tax_rates": None,
                "rate_micro": RATE_MICRO,
                "qty_milli": sum(lot.qty for lot in lots),
                "priced_qty_milli": sum(lot.priced for lot in lots),
                "gross_minor": gross,
                "gross_local_minor": gross_local,
                "levy_minor": levy,
                "tax_minor": withheld,
                "net_minor": net,
                "payment_method": method,
                "created_by": "generator",
            }
            lines = [
                PostingLine(method, None, None, gross_local),
                PostingLine("levy_income", None, None, -levy),
            ]
            for r, amount in tax_lines:
                lines.append(PostingLine("tax_payable", None, r.id, -amount))
                if not r.withheld:
                    lines.append(PostingLine("tax_expense", None, r.id, amount))
            lines += [PostingLine("member_payable", m, None, -a) for m, a in totals.items()]
            lines = [p for p in lines if p.amount_minor]
            pairs = [(lot.id, v) for lot, v in zip(lots, values, strict=True)]
            source = chain.source_fields(row, pairs)
            digest = ch.append(day, "sale", "sale", sale_id, "", lines, source)
            for lot_id_, v in pairs:
                w.add(SALE_LOT_SQL, (sale_id, lot_id_, v))
            if voided:
                voids += 1
                ch.append(
                    day,
                    "void",
                    "sale",
                    sale_id,
                    "Wrong buyer",
                    [PostingLine(p.account, p.member_id, p.tax_rule_id, -p.amount_minor) for p in lines],
                    source,
                )
                w.add(sale_sql, (*[row[f] for f in SALE_FIELDS], "voided", "Wrong buyer", digest))
                continue
            w.add(sale_sql, (*[row[f] for f in SALE_FIELDS], "posted", "", digest))
            for lot in lots:
                w.add(STATUS_SQL, ("sold", lot.id))
            for r, amount in tax_lines:
                accrued[r.id] += amount
            for m, a in totals.items():
                if m not in balances:
                    credited.append(m)
                balances[m] = balances.get(m, 0) + a
        n_pay = sizes.sales // 4 * (d_index + 1) // 365 - sizes.sales // 4 * d_index // 365
        payout_id = _payouts(w, ch, payout_sql, payout_id, day, n_pay, balances, credited, rng)
        book_id = _book_entries(w, ch, book_id, day, max(1, sizes.sales // 10_000), rng)
    w.add("INSERT INTO receipt_counter (series, last_no) VALUES (?, ?)", (str(YEAR), sale_id))
    return {
        "lots": lot_id,
        "sales": sale_id,
        "voided_sales": voids,
        "payouts": payout_id,
        "book_entries": book_id,
        "entries": ch.seq,
    }


def _book_entry(w, ch, book_id: int, day: date, kind: str, lines: list[PostingLine], **row: Any) -> int:
    """One entry of the books (coop.services.books.entries' fields) and its chain link."""
    book_id += 1
    values = {"id": book_id, "kind": kind, "date": day.isoformat(), "treasury": "", "counter": "", "party": "",
              "member": None, "amount_minor": 0, "document_ref": "", "note": "", "created_by": "generator"}  # fmt: skip
    values.update(row)
    digest = ch.append(day, "book_entry", "book_entry", book_id, values["document_ref"], lines, dict(values))
    w.add(BOOK_SQL, (*[values[c] for c in BOOK_FIELDS], "posted", "", digest))
    return book_id


def _book_entries(w, ch, book_id: int, day: date, n: int, rng: random.Random) -> int:
    """A day's expenses paid from the cash box or the bank; on Mondays, cash deposited at the bank; on the
    first of the month, mobile money withdrawn to the cash box."""
    for _ in range(n):
        payee, account, (lo, hi) = EXPENSES[rng.randrange(len(EXPENSES))]
        amount, source = rng.randrange(lo, hi), rng.choice(["cash", "cash", "bank"])
        lines = [PostingLine(account, None, None, amount), PostingLine(source, None, None, -amount)]
        book_id = _book_entry(w, ch, book_id, day, "expense", lines, treasury=source, party=payee,
                              amount_minor=amount, document_ref=f"F{book_id + 1}")  # fmt: skip
    moves = [("cash", "bank")] if day.weekday() == 0 else []
    moves += [("mobile_money", "cash")] if day.day == 1 else []
    for source, target in moves:
        amount = rng.randrange(1_000_000, 20_000_000)
        lines = [PostingLine(target, None, None, amount), PostingLine(source, None, None, -amount)]
        book_id = _book_entry(w, ch, book_id, day, "transfer", lines, treasury=source, counter=target,
                              amount_minor=amount, document_ref=f"T{book_id + 1}")  # fmt: skip
    return book_id


def _payouts(w, ch, sql, payout_id, day, n, balances, credited, rng) -> int:
    """Pay a few members who are owed something (all or part of their balance)."""
    for _ in range(n):
        if not credited:
            break
        m = credited[rng.randrange(len(credited))]
        owed = balances.get(m, 0)
        if owed <= 0:
            continue
        amount = owed if rng.random() < 0.7 else owed // 2 or owed
        payout_id += 1
        method = rng.choice(METHODS)
        row = {
            "id": payout_id,
            "date": day.isoformat(),
            "member": m,
            "amount_minor": amount,
            "method": method,
            "reference": f"P{payout_id}",
            "created_by": "generator",
        }
        lines = [PostingLine("member_payable", m, None, amount), PostingLine(method, None, None, -amount)]
        digest = ch.append(
            day, "payout", "payout", payout_id, row["reference"], lines, chain.source_fields(row)
        )
        w.add(sql, (*[row[f] for f in PAYOUT_FIELDS], "posted", "", digest))
        balances[m] = owed - amount
    return payout_id


def _pay_taxes(w, ch, sql, tp_id, day, rules, accrued) -> int:
    """Monthly: pay each authority what was accrued since the last payment."""
    end = day.replace(day=1) - timedelta(days=1)
    for r in rules:
        amount = accrued[r.id]
        if amount <= 0:
            continue
        tp_id += 1
        row = {
            "id": tp_id,
            "date": day.isoformat(),
            "authority": r.authority,
            "tax_rule": r.id,
            "period_from": end.replace(day=1).isoformat(),
            "period_to": end.isoformat(),
            "amount_minor": amount,
            "reference": f"Q{tp_id}",
            "created_by": "generator",
        }
        lines = [PostingLine("tax_payable", None, r.id, amount), PostingLine("bank", None, None, -amount)]
        digest = ch.append(
            day, "tax_payment", "tax_payment", tp_id, row["reference"], lines, chain.source_fields(row)
        )
        w.add(sql, (*[row[f] for f in TAX_PAYMENT_FIELDS], "posted", "", digest))
        accrued[r.id] = 0
    return tp_id


def write_lots_csv(db_path: str | Path, out: str | Path, n: int, seed: int = 9) -> None:
    """A CSV of `n` new lots (import format) for members and sites already in the database at db_path."""
    conn = sqlite3.connect(db_path)
    sites = [c for (c,) in conn.execute("SELECT code FROM site WHERE status = 'active' ORDER BY id")]
    members = [
        no for (no,) in conn.execute("SELECT member_no FROM member WHERE status = 'active' ORDER BY id")
    ]
    minerals = [name for (name,) in conn.execute("SELECT name FROM mineral ORDER BY id")]
    conn.close()
    rng = random.Random(seed)
    counters: dict[tuple[str, int], int] = {}
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["reference", "date", "site_code", "mineral", "quantity", "grade", "owners", "mercury_g",
                         "retort_used", "notes"])  # fmt: skip
        for i in range(n):
            day_no = i * 365 // n
            day = date(YEAR - 1, 1, 1) + timedelta(days=day_no)
            site = sites[rng.randrange(len(sites))]
            counters[(site, day_no)] = counters.get((site, day_no), 0) + 1
            k = rng.choices(range(len(MINERALS)), [m[3] for m in MINERALS])[0]
            name, _u, kind, _w, (qlo, qhi), (glo, ghi), _p = MINERALS[k]
            shares = rng.choice(OWNER_SPLITS)
            people = rng.sample(members, len(shares))
            owners = ";".join(f"{m}:{bp // 100}" for m, bp in zip(people, shares, strict=True))
            gold = kind == "fineness"
            writer.writerow(
                [
                    f"{site}-{day:%Y%m%d}-{counters[(site, day_no)]:03d}",
                    day.isoformat(),
                    site,
                    minerals[k] if k < len(minerals) else name,
                    f"{rng.randrange(qlo, qhi) / 1000:.3f}",
                    f"{rng.randrange(glo, ghi, 1000) // 1000}",
                    owners,
                    f"{rng.randrange(0, 300)}" if gold else "0",
                    "yes" if gold and rng.random() < 0.4 else "no",
                    "",
                ]
            )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--members", type=int, default=50_000)
    p.add_argument("--lots", type=int, default=1_000_000)
    p.add_argument("--sales", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--out", required=True)
    p.add_argument("--lots-csv", help="also write a CSV of new lots to import (needs --csv-rows)")
    p.add_argument("--csv-rows", type=int, default=0)
    args = p.parse_args(argv)
    counts = generate(args.out, Sizes(args.members, args.lots, args.sales), args.seed)
    print(
        f"generated {args.out}: {args.members} members, {counts['lots']} lots, {counts['sales']} sales "
        f"({counts['voided_sales']} voided), {counts['payouts']} payouts, {counts['book_entries']} entries of "
        f"the books, {counts['entries']} journal entries "
        f"in {counts['seconds']:.1f} s"
    )
    if args.lots_csv:
        t0 = time.perf_counter()
        write_lots_csv(args.out, args.lots_csv, args.csv_rows)
        print(f"wrote {args.csv_rows} lots to {args.lots_csv} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
