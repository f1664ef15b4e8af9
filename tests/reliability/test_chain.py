"""Tamper evidence: every hashed column, a deleted, inserted or swapped link is found at exactly that record."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from coop import chain, db
from tests.reliability.chainbuild import build_chain

LINKS = 1000
# (table, column, how to change it); every column verify() covers, including ids that tie rows together.
TAMPERS = [
    ("journal_entry", "id", "id + 100000"),
    ("journal_entry", "seq", "seq + 100000"),
    ("journal_entry", "date", "'2001-01-01'"),
    ("journal_entry", "kind", "'tampered'"),
    ("journal_entry", "source_type", "'tampered'"),
    ("journal_entry", "source_id", "source_id + 100000"),
    ("journal_entry", "memo", "memo || 'x'"),
    ("journal_entry", "created_by", "'mallory'"),
    (
        "journal_entry",
        "prev_hash",
        "(CASE substr(prev_hash, 1, 1) WHEN '0' THEN '1' ELSE '0' END) || substr(prev_hash, 2)",
    ),
    ("journal_entry", "hash", "'f' || substr(hash, 2)"),
    ("posting", "entry_id", None),  # moved to another entry: both break, the earlier is reported
    ("posting", "account", "'cash_2'"),
    ("posting", "member_id", "CASE WHEN member_id IS NULL THEN 1 ELSE NULL END"),
    ("posting", "tax_rule_id", "CASE WHEN tax_rule_id IS NULL THEN 1 ELSE NULL END"),
    ("posting", "amount_minor", "amount_minor + 1"),
    ("sale_lot", "sale_id", None),
    ("sale_lot", "lot_id", "lot_id + 100000"),
    ("sale_lot", "value_minor", "value_minor - 1"),
]
SOURCE_CHANGE = {"TEXT": "{c} || 'x'", "VARCHAR": "{c} || 'x'", "INTEGER": "{c} + 1", "DATE": "'2001-01-01'"}
for _table in ("sale", "payout", "tax_payment"):
    # state, void_reason and chain_hash are not hashed but must agree with the journal: tampered too.
    _cols = {
        "sale": "id series receipt_no date buyer_id currency unit_price_minor rate_micro qty_milli priced_qty_milli "
        "gross_minor gross_local_minor levy_minor tax_minor net_minor payment_method state void_reason "
        "created_by chain_hash",
        "payout": "id date member_id amount_minor method reference state void_reason created_by chain_hash",
        "tax_payment": "id date authority tax_rule_id period_from period_to amount_minor reference state "
        "void_reason created_by chain_hash",
    }[_table]
    TAMPERS += [(_table, c, "source") for c in _cols.split()]


@pytest.fixture(scope="module")
def chain_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("chain") / "chain.sqlite"
    build_chain(path, LINKS)
    return path


@pytest.fixture
def attacked(chain_file, tmp_path):
    """A copy of the chain opened raw, as an attacker holding the file would, with the triggers dropped."""
    path = tmp_path / "attacked.sqlite"
    shutil.copyfile(chain_file, path)
    conn = sqlite3.connect(path, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    yield path, conn
    conn.close()


def verify(path: Path) -> chain.VerifyResult:
    """One walk's result; the chain cut into ranges checked apart (as worker processes do) must agree."""
    handle = db.open_database(path)
    try:
        whole = chain.verify(jobs=1)
        last_seq = chain.head()[0]
        for jobs in (2, 7):
            split = chain._combine([chain._walk(low, high) for low, high in chain.ranges(last_seq, jobs)])
            assert split == whole, (jobs, split, whole)
        return whole
    finally:
        handle.close()


def _seq_of_entry(conn, entry_id: int) -> int:
    return conn.execute("SELECT seq FROM journal_entry WHERE id = ?", (entry_id,)).fetchone()[0]


def _posted_seq(conn, source_type: str, source_id: int) -> int:
    return conn.execute(
        "SELECT seq FROM journal_entry WHERE source_type = ? AND source_id = ? AND kind = ?",
        (source_type, source_id, source_type),
    ).fetchone()[0]


def _column_type(conn, table: str, column: str) -> str:
    for _cid, name, ctype, *_rest in conn.execute(f"PRAGMA table_info({table})"):
        if name == column:
            return ctype.split("(")[0].upper()
    raise KeyError(column)


def _pick(conn, rng, table: str, column: str) -> int:
    """A random row of the table that a chain link covers (and where the column has a value to change)."""
    where = {"sale": "state <> 'draft'", "payout": "state <> 'draft'", "tax_payment": "state <> 'draft'"}.get(
        table, "1"
    )
    if table == "tax_payment" and column == "tax_rule_id" or table == "posting" and column == "tax_rule_id":
        where += " AND tax_rule_id IS NOT NULL"
    ids = [r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE {where} ORDER BY id")]
    return rng.choice(ids)


def _expected_and_change(conn, rng, table, column, how, row_id) -> tuple[int, str]:
    """(seq verify must name, SQL expression for the new value)."""
    if table == "journal_entry":
        return _seq_of_entry(conn, row_id), how
    if table == "posting":
        (entry_id,) = conn.execute("SELECT entry_id FROM posting WHERE id = ?", (row_id,)).fetchone()
        seq = _seq_of_entry(conn, entry_id)
        if column == "entry_id":
            other = rng.choice(
                [r[0] for r in conn.execute("SELECT id FROM journal_entry WHERE id <> ?", (entry_id,))]
            )
            return min(seq, _seq_of_entry(conn, other)), str(other)
        return seq, how
    if table == "sale_lot":
        (sale_id,) = conn.execute("SELECT sale_id FROM sale_lot WHERE id = ?", (row_id,)).fetchone()
        seq = _posted_seq(conn, "sale", sale_id)
        if column == "sale_id":
            others = [
                r[0]
                for r in conn.execute("SELECT id FROM sale WHERE id <> ? AND state <> 'draft'", (sale_id,))
            ]
            other = rng.choice(others)
            return min(seq, _posted_seq(conn, "sale", other)), str(other)
        return seq, how
    seq = _posted_seq(conn, table, row_id)
    if column == "state":
        return seq, "CASE state WHEN 'posted' THEN 'voided' ELSE 'posted' END"
    if column in ("id", "receipt_no"):  # unique: move far away
        return seq, f"{column} + 100000"
    return seq, SOURCE_CHANGE[_column_type(conn, table, column)].format(c=column)


def test_untouched_chain_verifies(chain_file):
    result = verify(chain_file)
    assert result.ok and result.checked == LINKS


@pytest.mark.parametrize(("table", "column", "how"), TAMPERS, ids=[f"{t}.{c}" for t, c, _h in TAMPERS])
def test_changing_a_hashed_column_is_found_at_that_record(attacked, table, column, how):
    path, conn = attacked
    rng = random.Random(f"{table}.{column}")
    row_id = _pick(conn, rng, table, column)
    expected, change = _expected_and_change(conn, rng, table, column, how, row_id)
    before = conn.execute(f"SELECT {column} FROM {table} WHERE id = ?", (row_id,)).fetchone()[0]
    conn.execute(f"UPDATE {table} SET {column} = {change} WHERE id = ?", (row_id,))
    after = conn.execute(
        f"SELECT {column} FROM {table} WHERE id IN (?, ?)", (row_id, row_id + 100000)
    ).fetchone()[0]
    assert before != after, "the tamper did not change anything"
    result = verify(path)
    assert not result.ok
    assert result.broken_seq == expected, result


def _renumber(conn, from_seq: int, delta: int) -> None:
    """Shift seq of every link from `from_seq` on (two steps, so the unique index never sees a clash)."""
    conn.execute("UPDATE journal_entry SET seq = -(seq + ?) WHERE seq >= ?", (delta, from_seq))
    conn.execute("UPDATE journal_entry SET seq = -seq WHERE seq < 0")


def _delete_link(conn, seq: int) -> None:
    (entry_id,) = conn.execute("SELECT id FROM journal_entry WHERE seq = ?", (seq,)).fetchone()
    conn.execute("DELETE FROM posting WHERE entry_id = ?", (entry_id,))
    conn.execute("DELETE FROM journal_entry WHERE id = ?", (entry_id,))


def test_deleting_a_link_is_found_there(attacked):
    path, conn = attacked
    seq = random.Random(1).randint(2, LINKS - 1)
    _delete_link(conn, seq)
    result = verify(path)
    assert (result.ok, result.broken_seq, result.reason) == (False, seq, "missing link")


def test_deleting_a_link_and_renumbering_is_found_there(attacked):
    path, conn = attacked
    seq = random.Random(2).randint(2, LINKS - 1)
    _delete_link(conn, seq)
    _renumber(conn, seq + 1, -1)
    result = verify(path)
    assert not result.ok and result.broken_seq == seq


def _forge_entry(conn, seq: int, *, rehash: bool) -> None:
    """Insert a payout link at `seq` (shifting the rest); with `rehash` the forger computes its hash right."""
    prev = conn.execute("SELECT hash FROM journal_entry WHERE seq = ?", (seq - 1,)).fetchone()[0]
    _renumber(conn, seq, 1)
    cur = conn.execute(
        "INSERT INTO payout (date, member_id, amount_minor, method, reference, state, void_reason, created_by, "
        "chain_hash) VALUES ('2026-01-10', 1, 777, 'cash', 'forged', 'posted', '', 'mallory', '')"
    )
    payout_id = cur.lastrowid
    entry = {
        "seq": seq,
        "date": "2026-01-10",
        "kind": "payout",
        "source_type": "payout",
        "source_id": payout_id,
        "memo": "forged",
        "created_by": "mallory",
    }
    lines = [chain.PostingLine("member_payable", 1, None, 777), chain.PostingLine("cash", None, None, -777)]
    source = {
        "id": payout_id,
        "date": "2026-01-10",
        "member": 1,
        "amount_minor": 777,
        "method": "cash",
        "reference": "forged",
        "created_by": "mallory",
    }
    digest = chain.link_hash(prev, chain.payload(entry, lines, source)) if rehash else "e" * 64
    cur = conn.execute(
        "INSERT INTO journal_entry (seq, date, kind, source_type, source_id, memo, created_by, prev_hash, hash) "
        "VALUES (:seq, :date, :kind, :source_type, :source_id, :memo, :created_by, ?, ?)".replace(
            "?, ?", f"'{prev}', '{digest}'"
        ),
        entry,
    )
    for line in lines:
        conn.execute(
            "INSERT INTO posting (entry_id, account, member_id, tax_rule_id, amount_minor) VALUES (?,?,?,?,?)",
            (cur.lastrowid, line.account, line.member_id, line.tax_rule_id, line.amount_minor),
        )
    conn.execute("UPDATE payout SET chain_hash = ? WHERE id = ?", (digest, payout_id))


def test_inserting_a_link_is_found_there(attacked):
    path, conn = attacked
    seq = random.Random(3).randint(2, LINKS - 1)
    _forge_entry(conn, seq, rehash=False)
    result = verify(path)
    assert (result.ok, result.broken_seq) == (False, seq)


def test_inserting_a_correctly_hashed_link_breaks_the_next_one(attacked):
    """A forger who knows the algorithm can make the inserted link itself hash right; its successor's
    prev_hash then no longer matches, so verify names the link right after the insertion."""
    path, conn = attacked
    seq = random.Random(4).randint(2, LINKS - 1)
    _forge_entry(conn, seq, rehash=True)
    result = verify(path)
    assert (result.ok, result.broken_seq, result.reason) == (False, seq + 1, "previous hash does not match")


def test_swapping_two_links_is_found_at_the_first(attacked):
    path, conn = attacked
    rng = random.Random(5)
    first, second = sorted(rng.sample(range(1, LINKS + 1), 2))
    conn.execute("UPDATE journal_entry SET seq = -1 WHERE seq = ?", (first,))
    conn.execute("UPDATE journal_entry SET seq = ? WHERE seq = ?", (first, second))
    conn.execute("UPDATE journal_entry SET seq = ? WHERE seq = -1", (second,))
    result = verify(path)
    assert (result.ok, result.broken_seq) == (False, first)


def test_a_posted_record_outside_the_chain_is_found(attacked):
    path, conn = attacked
    conn.execute(
        "INSERT INTO payout (date, member_id, amount_minor, method, reference, state, void_reason, created_by, "
        "chain_hash) VALUES ('2026-01-10', 1, 777, 'cash', 'forged', 'posted', '', 'mallory', '')"
    )
    result = verify(path)
    assert not result.ok and result.reason == "record not in the chain"


def test_cli_verify_names_the_first_broken_record(attacked):
    from tests.reliability.harness import cli

    path, conn = attacked
    (entry_id, seq) = conn.execute("SELECT id, seq FROM journal_entry WHERE seq = 500").fetchone()
    conn.execute("UPDATE posting SET amount_minor = amount_minor + 1 WHERE entry_id = ?", (entry_id,))
    conn.close()
    out = cli("--db", str(path), "verify", account=None)  # verify needs no account
    assert out.returncode == 1
    assert f"#{seq} " in out.stdout and "Chain broken at" in out.stdout
    assert "finality trigger missing" in out.stdout  # the dropped triggers are reported too


def test_ranges_cover_the_chain_once():
    for last_seq in (0, 1, 5, 999, 1000, 248_754):
        for jobs in (1, 2, 3, 8):
            parts = chain.ranges(last_seq, jobs)
            seqs = [seq for low, high in parts for seq in range(low, high + 1)]
            assert seqs == list(range(1, last_seq + 1))
            assert len(parts) == max(1, min(jobs, last_seq))


@pytest.mark.parametrize("seq", [LINKS // 2, LINKS // 2 + 1])
def test_a_link_deleted_at_a_range_boundary_is_found_there(attacked, seq):
    path, conn = attacked
    _delete_link(conn, seq)
    result = verify(path)  # with 2 ranges: 1..500 and 501..1000
    assert (result.ok, result.broken_seq, result.reason) == (False, seq, "missing link")


@pytest.mark.parametrize("seq", [LINKS // 2, LINKS // 2 + 1])
def test_a_link_changed_at_a_range_boundary_is_found_there(attacked, seq):
    path, conn = attacked
    conn.execute("UPDATE journal_entry SET memo = memo || 'x' WHERE seq = ?", (seq,))
    result = verify(path)
    assert (result.ok, result.broken_seq, result.reason) == (False, seq, "contents changed")


def test_worker_processes_give_the_single_walks_result(attacked):
    path, conn = attacked
    handle = db.open_database(path)
    try:
        assert chain.verify(jobs=2) == chain.verify(jobs=1) and chain.verify(jobs=2).ok
        conn.execute("UPDATE posting SET amount_minor = amount_minor + 1 WHERE entry_id = ?", (LINKS - 3,))
        broken = chain.verify(jobs=2)
        assert not broken.ok and broken == chain.verify(jobs=1)
    finally:
        handle.close()


def test_cli_verify_full_and_jobs(chain_file, tmp_path):
    from tests.reliability.harness import cli

    path = tmp_path / "copy.sqlite"
    shutil.copyfile(chain_file, path)
    out = cli("--db", str(path), "verify", "--full", "--jobs", "2", account=None)
    assert out.returncode == 0 and f"OK: {LINKS} records verified" in out.stdout, out.stderr
    out = cli("--db", str(path), "--lang", "fr", "verify", "--jobs", "0", account=None)
    assert out.returncode == 1 and "n’est pas un nombre entier égal ou supérieur à 1" in out.stderr
