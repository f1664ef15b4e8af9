"""A forger with the laptop and the code: rewrites of a closed database file made with the project's own
hashing code, so that the chain walk alone finds nothing. Used by tests/reliability/test_forgery.py and
the forgery campaign of `make reliability`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from coop import chain, db
from coop.models import JournalEntry


def open_raw(path: Path):
    """The file opened as the forger would: bound to the models, every trigger dropped."""
    handle = db.open_database(path, migrate=False)
    drop_triggers(handle)
    return handle


_DROPPED: list[str] = []  # the triggers' own SQL, put back as they were (whoever added them)


def drop_triggers(handle) -> None:
    rows = handle.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    _DROPPED[:] = [sql for _name, sql in rows]
    for name, _sql in rows:
        handle.execute_sql(f"DROP TRIGGER {name}")


def restore_triggers(handle) -> None:
    """Put the triggers back, so that verify finds none missing (the forger tidies up)."""
    sql = [
        *db.finality_triggers(),
        *db.V2_SQL,
        *db.period_triggers(),
        *db.sold_triggers(),
        *db.register_triggers(),
    ]
    for statement in sql:
        if statement.startswith("CREATE TRIGGER"):
            handle.execute_sql(statement)
    for statement in _DROPPED:  # any other trigger the file had (IF NOT EXISTS above: no duplicates)
        name = statement.split()[2] if not statement.split()[2].upper() == "IF" else statement.split()[5]
        present = handle.execute_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
        )
        if present.fetchone() is None:
            handle.execute_sql(statement)
    _DROPPED.clear()


def rehash(from_seq: int) -> int:
    """Recompute links from_seq..end with chain's own code, and the hash stored on each record they post;
    returns the number of links rewritten."""
    last = chain.head()[0]
    prev = chain.GENESIS
    if from_seq > 1:
        prev = JournalEntry.get(JournalEntry.seq == from_seq - 1).hash
    done = 0
    for rows in chain._batches(from_seq, last):
        postings = chain._postings_for([r["id"] for r in rows])
        sources = chain._sources_for(rows)
        for r in rows:
            src = sources[(r["source_type"], r["source_id"])]
            if r["kind"] == "period_close":  # a closing holds the head before it: the forger moves it too
                src.fields.update(head_hash=prev, head_seq=r["seq"] - 1)
                JournalEntry._meta.database.execute_sql(
                    "UPDATE period_close SET head_hash = ?, head_seq = ? WHERE id = ?",
                    (prev, r["seq"] - 1, r["source_id"]),
                )
            digest = chain.link_hash(prev, chain._payload(r, postings[r["id"]], src.fields))
            db_ = JournalEntry._meta.database
            db_.execute_sql(
                "UPDATE journal_entry SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, r["id"])
            )
            if r["kind"] == r["source_type"]:
                table = chain.SOURCES[r["source_type"]]._meta.table_name
                db_.execute_sql(f"UPDATE {table} SET chain_hash = ? WHERE id = ?", (digest, r["source_id"]))
            prev = digest
            done += 1
    return done


def _sale_link(sale_id: int) -> JournalEntry:
    return JournalEntry.get(
        (JournalEntry.source_type == "sale")
        & (JournalEntry.source_id == sale_id)
        & (JournalEntry.kind == "sale")
    )


def reduce_sale(sale_id: int, minor: int) -> int:
    """Take `minor` off a posted sale's gross and its members' share, the books still balancing (cash and one
    member's payable lowered alike), then re-hash from its link on; returns the link's seq."""
    ex = JournalEntry._meta.database.execute_sql
    ex(
        "UPDATE sale SET gross_minor = gross_minor - ?, gross_local_minor = gross_local_minor - ?, "
        "net_minor = net_minor - ? WHERE id = ?",
        (minor, minor, minor, sale_id),
    )
    link = _sale_link(sale_id)
    cash = ex("SELECT id FROM posting WHERE entry_id = ? AND account = 'cash'", (link.id,)).fetchone()[0]
    payable = ex(
        "SELECT id FROM posting WHERE entry_id = ? AND account = 'member_payable' ORDER BY id LIMIT 1",
        (link.id,),
    ).fetchone()[0]
    ex("UPDATE posting SET amount_minor = amount_minor - ? WHERE id = ?", (minor, cash))
    ex("UPDATE posting SET amount_minor = amount_minor + ? WHERE id = ?", (minor, payable))
    rehash(link.seq)
    return link.seq


def truncate(count: int) -> None:
    """Delete the last `count` links with their postings and the records they post (sales with their lots
    back in stock, payouts, tax payments, closings), and set the receipt counters back to match."""
    ex = JournalEntry._meta.database.execute_sql
    ex("PRAGMA foreign_keys = OFF")  # what refers to a deleted record is the forger's next problem
    last = chain.head()[0]
    rows = ex(
        "SELECT id, kind, source_type, source_id FROM journal_entry WHERE seq > ? ORDER BY seq",
        (last - count,),
    ).fetchall()
    for entry_id, kind, stype, sid in rows:
        ex("DELETE FROM posting WHERE entry_id = ?", (entry_id,))
        ex("DELETE FROM journal_entry WHERE id = ?", (entry_id,))
        table = chain.SOURCES[stype]._meta.table_name
        if kind == stype:
            if stype == "sale":
                ex(
                    "UPDATE production_lot SET status = 'in_stock' WHERE id IN "
                    "(SELECT lot_id FROM sale_lot WHERE sale_id = ?)",
                    (sid,),
                )
                ex("DELETE FROM sale_lot WHERE sale_id = ?", (sid,))
            ex(f"DELETE FROM {table} WHERE id = ?", (sid,))
        else:  # a void of an earlier record: the record is posted again
            ex(f"UPDATE {table} SET state = 'posted', void_reason = '' WHERE id = ?", (sid,))
    ex(
        "UPDATE receipt_counter SET last_no = COALESCE((SELECT MAX(receipt_no) FROM sale "
        "WHERE sale.series = receipt_counter.series AND state <> 'draft'), 0)"
    )
    ex("PRAGMA foreign_keys = ON")


def _new_payout(day: date, amount: int, seq: int, prev: str) -> tuple[int, dict, str]:
    from coop.models import Member, Payout

    member = Member.select().order_by(Member.id).first().id
    payout = Payout.create(
        date=day,
        member=member,
        amount_minor=amount,
        method="cash",
        reference="",
        state="posted",
        created_by="treasurer",
    )
    lines = [
        chain.PostingLine("member_payable", member, None, amount),
        chain.PostingLine("cash", None, None, -amount),
    ]
    source = chain.source_snapshot("payout", payout.id)
    entry, digest = chain.next_link(
        prev,
        seq=seq,
        entry_date=day,
        kind="payout",
        source_type="payout",
        source_id=payout.id,
        memo="",
        created_by="treasurer",
        postings=lines,
        source=source,
    )
    return payout.id, entry, digest


def _insert_link(entry: dict, prev: str, digest: str, lines: list[chain.PostingLine]) -> None:
    row = JournalEntry.create(**entry, prev_hash=prev, hash=digest)
    ex = JournalEntry._meta.database.execute_sql
    for p in lines:
        ex(
            "INSERT INTO posting (entry_id, account, member_id, tax_rule_id, amount_minor) VALUES (?, ?, ?, ?, ?)",
            (row.id, p.account, p.member_id, p.tax_rule_id, p.amount_minor),
        )


def append_payout(day: date, amount: int = 1_000_000) -> int:
    """A payout dated `day` (back-dated) appended as the newest link; returns its id."""
    seq, prev = chain.head()
    payout_id, entry, digest = _new_payout(day, amount, seq + 1, prev)
    from coop.models import Payout

    Payout.update(chain_hash=digest).where(Payout.id == payout_id).execute()
    _insert_link(entry, prev, digest, _payout_lines(payout_id))
    return payout_id


def _payout_lines(payout_id: int) -> list[chain.PostingLine]:
    from coop.models import Payout

    p = Payout.get_by_id(payout_id)
    return [
        chain.PostingLine("member_payable", p.member_id, None, p.amount_minor),
        chain.PostingLine("cash", None, None, -p.amount_minor),
    ]


def insert_payout(at_seq: int, amount: int = 1_000_000) -> int:
    """A payout inserted as link `at_seq`, every later link moved up one and re-hashed; returns its id."""
    ex = JournalEntry._meta.database.execute_sql
    ex("UPDATE journal_entry SET seq = -(seq + 1) WHERE seq >= ?", (at_seq,))  # two steps: seq is unique
    ex("UPDATE journal_entry SET seq = -seq WHERE seq < 0")
    prev = JournalEntry.get(JournalEntry.seq == at_seq - 1).hash if at_seq > 1 else chain.GENESIS
    day = JournalEntry.get(JournalEntry.seq == at_seq + 1).date
    payout_id, entry, digest = _new_payout(day, amount, at_seq, prev)
    _insert_link(entry, prev, digest, _payout_lines(payout_id))
    rehash(at_seq)
    return payout_id


# --- members, accounts, settings and the audit log (coop.register) ------------------------------------------


def _newest_event(entity: str, row_id: int):
    from coop.models import RegisterEvent

    return (
        RegisterEvent.select()
        .where((RegisterEvent.entity == entity) & (RegisterEvent.entity_id == row_id))
        .order_by(RegisterEvent.id.desc())
        .first()
    )


def edit_row(table: str, row_id: int, column: str, value) -> None:
    """One stored value changed by plain SQL (a member's name, an account's password hash, the levy)."""
    JournalEntry._meta.database.execute_sql(
        f'UPDATE "{table}" SET "{column}" = ? WHERE id = ?', (value, row_id)
    )


def rewrite_register(entity: str, row_id: int, column: str, value) -> int:
    """A record changed, the values of its newest register link rewritten to match, every later link
    re-hashed: what a forger with the code does so that the record agrees with the chain. Returns the seq."""
    import json

    table = {"member": "member", "user": "user", "cooperative": "cooperative"}[entity]
    edit_row(table, row_id, column, value)
    event = _newest_event(entity, row_id)
    fields = json.loads(event.fields)
    fields[column] = value
    ex = JournalEntry._meta.database.execute_sql
    ex("UPDATE register_event SET fields = ? WHERE id = ?", (chain.canonical(fields), event.id))
    link = JournalEntry.get(
        (JournalEntry.source_type == "register_event") & (JournalEntry.source_id == event.id)
    )
    rehash(link.seq)
    return link.seq


def password_hash(password: str) -> str:
    from coop.services import users

    return users.HASHER.hash(password)


def add_account(username: str, role: str = "manager", password: str = "forger's own pass 2026") -> int:
    """An account inserted by plain SQL (its comparison key too, as the program would store it)."""
    from coop import keys

    cursor = JournalEntry._meta.database.execute_sql(
        'INSERT INTO "user" (username, password_hash, role, locale, failed_attempts, active, username_key) '
        "VALUES (?, ?, ?, '', 0, 1, ?)",
        (username, password_hash(password), role, keys.fold(username)),
    )
    return int(cursor.lastrowid)


def seal_as_the_program_does(entity: str, row_id: int) -> None:
    """The forger's record given an audit row and a register link appended with the project's code: the
    same rows a manager's real action writes."""
    from coop import register
    from coop.services import audit

    audit.append(
        at=audit.now_text(),
        username="manager",
        action="create",
        entity=entity,
        entity_id=row_id,
        old="",
        new="",
    )
    register.seal(entity, [row_id], "manager")


def _audit_middle() -> int:
    ex = JournalEntry._meta.database.execute_sql
    return ex(
        "SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM audit_log)"
    ).fetchone()[0]


def delete_audit_row(rehash_after: bool = False) -> int:
    """An audit row in the middle of the log deleted; with `rehash_after`, every later row re-hashed with the
    project's code (coop.services.audit.row_hash) so that the log's own hashes follow again."""
    from coop.services import audit

    ex = JournalEntry._meta.database.execute_sql
    row_id = _audit_middle()
    ex("DELETE FROM audit_log WHERE id = ?", (row_id,))
    if rehash_after:
        prev = ex("SELECT hash FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT 1", (row_id,)).fetchone()
        prev = prev[0] if prev else audit.GENESIS
        columns = ", ".join(f'"{c}"' for c in audit.HASHED)
        for row in ex(f"SELECT id, {columns} FROM audit_log WHERE id > ? ORDER BY id", (row_id,)).fetchall():
            prev = audit.row_hash(prev, row[1:])
            ex("UPDATE audit_log SET hash = ? WHERE id = ?", (prev, row[0]))
    return row_id


def lower_sale_rate(sale_id: int, bp: int = 100) -> int:
    """A sale's stored levy rate (schema 6) lowered, every link from its own re-hashed; returns the seq."""
    JournalEntry._meta.database.execute_sql(
        "UPDATE sale SET levy_bp = COALESCE(levy_bp, 500) - ? WHERE id = ?", (bp, sale_id)
    )
    link = _sale_link(sale_id)
    rehash(link.seq)
    return link.seq


def redate(table: str, row_id: int, text: str) -> None:
    """Store a date as other text that reads as the same day (e.g. `2025-03-25 00:00:00`)."""
    JournalEntry._meta.database.execute_sql(f"UPDATE {table} SET date = ? WHERE id = ?", (text, row_id))


def lose_wal(path: Path, post: Callable[[], None]) -> None:
    """Run `post` (committed writes) on the open file, then put back the main file as it was before them,
    without its -wal file: what a crash followed by a deleted -wal leaves."""
    snapshot = path.with_name(path.name + ".main-only")
    handle = JournalEntry._meta.database
    handle.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    handle.execute_sql("PRAGMA wal_autocheckpoint = 0")  # the writes stay in the -wal file
    post()
    shutil.copyfile(path, snapshot)
    handle.close()  # the last connection checkpoints: the writes reach the main file here
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.move(snapshot, path)


# --- the campaign: every attack on a fresh copy, each checked against the evidence -------------------------


@dataclass
class Attack:
    name: str
    walk_ok: bool  # the chain walk alone passes after the forgery (the forger did it well)
    caught: bool
    by: list[str]  # the problems that caught it (message ids, shortened)


def _evidence(path: Path, seen: Path) -> dict:
    from coop import anchors
    from coop.models import Payout, Sale

    paper = [
        anchors.PaperAnchor(f"{s.series}/{s.receipt_no}", s.chain_hash[:16])
        for s in Sale.select().where(Sale.state != "draft")
    ]
    paper += [  # payout vouchers: members keep them too
        anchors.PaperAnchor(f"payout/{p.id}", p.chain_hash[:16])
        for p in Payout.select().where(Payout.state != "draft")
    ]
    return {"anchor_log": anchors.log_path(path), "seen": anchors.read_seen(seen, path), "paper": paper}


def _short(msgid: str) -> str:
    """What caught an attack, in a few words (for the campaign's table)."""
    from coop import anchors, register, verification

    labels = {
        anchors.PAPER_MISMATCH: "receipts and vouchers (paper anchors)",
        anchors.PAPER_MISSING: "receipts and vouchers (paper anchors)",
        anchors.ANCHOR_DIVERGES: "anchor log / seen head",
        anchors.ANCHOR_SHORTER: "anchor log / seen head",
        verification.IN_CLOSED_PERIOD: "closed period",
        verification.NOT_CANONICAL: "canonical stored values",
        verification.RECEIPT_GAP: "receipt series",
        verification.RECEIPT_DUPLICATE: "receipt series",
        verification.RECEIPT_COUNTER: "receipt series",
        verification.RECEIPT_ORDER: "receipt series",
        verification.CHAIN_BROKEN: "chain walk",
        verification.FOREIGN_KEY_BROKEN: "foreign keys",
        register.CHANGED: "register check",
        register.UNCHAINED: "register check",
        register.VANISHED: "register check",
        register.KEY_WRONG: "register check",
        register.AUDIT_BROKEN: "audit log hashes",
        register.AUDIT_TAIL: "audit log tied to the chain",
    }
    return labels.get(msgid, msgid[:40])


ATTACKS: dict[str, str] = {
    "reduce": "sale 10 reduced by 1,000,000 and every later link re-hashed",
    "truncate": "the last 20 links deleted with their records, counters set back",
    "insert": "a payout inserted as a middle link, every later link re-hashed",
    "backdate_closed": "a payout back-dated into a closed period appended",
    "backdate_open": "a payout back-dated inside the open period appended",
    "redate": "a sale's date stored as `YYYY-MM-DD 00:00:00` (falls out of its period's tax base)",
    "counter_up": "the receipt counter moved 10 ahead",
    "counter_down": "the receipt counter moved 10 back",
    "renumber": "a receipt renumbered (a gap in the series)",
    "rewrite_all": "sale 10 reduced, the rest re-hashed, the anchor log and seen head deleted",
    "wal_lost": "10 committed sales lost with the -wal file after a crash",
    "member_name": "a member's name changed by SQL",
    "member_rewrite": "a member's name changed, its register link rewritten to match, every later link re-hashed",
    "add_manager": "a manager account added by SQL",
    "manager_appended": "a manager account added by SQL with an audit row and a register link appended",
    "swap_hash": "a manager's password hash swapped for one the forger knows",
    "levy": "the cooperative's levy setting lowered by SQL",
    "audit_delete": "an audit row deleted",
    "audit_edit": "an audit row's user name changed",
    "audit_rewrite": "an audit row deleted and every later audit row re-hashed",
    "sale_rate": "a sale's stored levy rate lowered and every later link re-hashed",
}


def _attack(name: str, path: Path, seen: Path) -> None:
    from coop import anchors
    from coop.models import Sale

    handle = JournalEntry._meta.database
    sales = [s.id for s in Sale.select(Sale.id).where(Sale.state != "draft").order_by(Sale.id)]
    if name == "wal_lost":
        return  # done by the caller, on the open file
    open_raw(path)
    ex = handle.execute_sql
    if name in ("reduce", "rewrite_all"):
        reduce_sale(sales[9], 1_000_000)
        if name == "rewrite_all":
            anchors.log_path(path).unlink(missing_ok=True)
            seen.unlink(missing_ok=True)
    elif name == "truncate":
        truncate(20)
    elif name == "insert":
        insert_payout(chain.head()[0] // 2)
    elif name == "backdate_closed":
        closed = ex("SELECT MAX(to_date) FROM period_close").fetchone()[0]
        append_payout(date.fromisoformat(closed))
    elif name == "backdate_open":
        closed = ex("SELECT MAX(to_date) FROM period_close").fetchone()[0]
        append_payout(date.fromordinal(date.fromisoformat(closed).toordinal() + 1))
    elif name == "redate":
        sale = Sale.get_by_id(sales[9])
        redate("sale", sale.id, f"{sale.date.isoformat()} 00:00:00")
    elif name in ("counter_up", "counter_down"):
        ex(f"UPDATE receipt_counter SET last_no = last_no {'+' if name == 'counter_up' else '-'} 10")
    elif name == "renumber":
        ex("UPDATE sale SET receipt_no = receipt_no + 1000 WHERE id = ?", (sales[5],))
    else:
        _register_attack(name, sales)
    restore_triggers(handle)


def _register_attack(name: str, sales: list[int]) -> None:
    from coop.models import Member, User

    member = Member.select(Member.id).order_by(Member.id).first().id
    manager = User.select(User.id).where(User.role == "manager").order_by(User.id).first().id
    if name == "member_name":
        edit_row("member", member, "full_name", "Someone Else")
    elif name == "member_rewrite":
        rewrite_register("member", member, "full_name", "Someone Else")
    elif name == "add_manager":
        add_account("helper2")
    elif name == "manager_appended":
        seal_as_the_program_does("user", add_account("helper2"))
    elif name == "swap_hash":
        edit_row("user", manager, "password_hash", password_hash("forger's own pass 2026"))
    elif name == "levy":
        edit_row("cooperative", 1, "levy_bp", 100)
    elif name in ("audit_delete", "audit_rewrite"):
        delete_audit_row(rehash_after=name == "audit_rewrite")
    elif name == "audit_edit":
        edit_row("audit_log", _audit_middle(), "username", "nobody")
    elif name == "sale_rate":
        lower_sale_rate(sales[9])
    else:
        raise AssertionError(f"no attack {name}")


def run_campaign(template: Path, folder: Path, names: list[str] | None = None) -> list[Attack]:
    """Each attack on its own copy of `template` (a closed file whose chain verifies); before it, the file
    is verified (an anchor in the log and the seen head, as `verify` writes) and its receipts are kept as
    the members keep them."""
    from coop import anchors, verification

    out = []
    for name in names or list(ATTACKS):
        work = folder / name
        work.mkdir(parents=True, exist_ok=True)
        path, seen = work / "coop.sqlite", work / "seen-heads.json"
        shutil.copyfile(template, path)
        handle = db.open_database(path)
        anchors.watch(handle, seen)
        anchors.note(path, "verify", seen)
        evidence = _evidence(path, seen)  # the receipts members hold: printed before the attack
        if name == "wal_lost":
            lose_wal(path, lambda: _post_sales(10))
            handle = db.open_database(path)
        else:
            _attack(name, path, seen)
        evidence.update(seen=anchors.read_seen(seen, path))
        walk_ok = chain.verify().ok
        report = verification.run(handle, **evidence)
        handle.close()
        by = sorted({_short(p.msgid) for p in report.problems if p.msgid != verification.TRIGGER_MISSING})
        out.append(Attack(name, walk_ok, not report.ok, by))
    return out


def _post_sales(count: int) -> None:
    from decimal import Decimal

    from coop.models import Buyer, Member, Mineral, Site
    from coop.permissions import SYSTEM
    from coop.services import production, sales

    member = Member.select().where(Member.status == "active").order_by(Member.id).first().id
    site = Site.select().where(Site.status == "active").order_by(Site.id).first().id
    mineral = Mineral.select().order_by(Mineral.id).first().id
    buyer = Buyer.select().order_by(Buyer.id).first().id
    day = max(date.today(), _newest_sale_day())
    for _ in range(count):
        lot = production.create_lot(
            SYSTEM,
            production.LotInput(
                site_id=site,
                mineral_id=mineral,
                date=day,
                quantity=Decimal(3),
                grade=Decimal(800),
                owners=[(member, 10000)],
            ),
        ).id
        sales.post_sale(
            SYSTEM,
            sales.SaleInput(
                buyer_id=buyer,
                lot_ids=[lot],
                date=day,
                currency="USD",
                unit_price=Decimal(90),
                exchange_rate=Decimal(2850),
            ),
        )


def _newest_sale_day() -> date:
    from coop.models import Sale

    newest = Sale.select(Sale.date).where(Sale.state != "draft").order_by(Sale.date.desc()).first()
    return newest.date if newest else date.today()


def make_template(path: Path, links: int | None = None) -> int:
    """The books the campaign attacks: the demo cooperative (770 links) or a chain of `links` links, with its
    period closed up to the newest sale's day; returns the number of links."""
    from coop.permissions import SYSTEM
    from coop.services import periods

    if links:
        from coop.services import users
        from tests.reliability.chainbuild import build_chain

        build_chain(path, links)
        handle = db.open_database(path)
        users.add_user(None, "manager", "correct horse battery staple", "manager")  # the demo has accounts
    else:
        from coop.services import demo

        handle = db.open_database(path)
        demo.create(SYSTEM)
    periods.close(SYSTEM, _newest_sale_day())
    length = chain.head()[0]
    handle.close()
    return length
