"""Access control: argon2id parameters and rehash, lockout, last manager, the permission matrix cell by cell,
members see only their own rows, and every write audited in its own transaction."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coop import permissions
from coop.errors import AuthError, PermissionDenied, ValidationError
from coop.models import AuditLog, Member, ProductionLot, Sale, User
from coop.permissions import ACTIONS, MATRIX, ROLES, SYSTEM, Actor, allowed
from coop.services import (
    exports,
    imports,
    ledger,
    payouts,
    periods,
    production,
    registry,
    safety,
    sales,
    statements,
    taxes,
    users,
)
from coop.services import settings as coop_settings
from coop.services.books import chart, entries, opening, treasury
from coop.services.books.opening import OpeningRow

PASSWORD = "correct horse"

# ---------------------------------------------------------------- passwords and lockout


def test_argon2id_at_least_owasp_minimum():
    h = users.HASHER
    assert h.type is Type.ID
    assert (h.memory_cost, h.time_cost, h.parallelism) >= (19 * 1024, 2, 1)
    assert h.parallelism == 1
    encoded = h.hash("x" * 8)
    assert encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def _manager(db) -> int:
    return users.add_user(None, "boss", PASSWORD, "manager").id


def _hash_of(user_id: int) -> str:
    return User.get_by_id(user_id).password_hash


def test_login_rehashes_when_parameters_rise(db, monkeypatch):
    uid = _manager(db)
    assert ",t=2," in _hash_of(uid)
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=3, memory_cost=20 * 1024, parallelism=1))
    users.login("boss", PASSWORD)
    assert "$m=20480,t=3,p=1$" in _hash_of(uid)
    users.login("boss", PASSWORD)  # the new hash verifies


def test_login_keeps_the_hash_when_parameters_are_current(db):
    uid = _manager(db)
    before = _hash_of(uid)
    users.login("boss", PASSWORD)
    assert _hash_of(uid) == before


def _failures() -> int:
    return AuditLog.select().where(AuditLog.action == "login_failed").count()


@pytest.fixture
def clerk(db):
    _manager(db)
    return users.add_user(SYSTEM, "clerk", PASSWORD, "clerk").id


def test_ten_failures_lock_for_fifteen_minutes(clerk):
    t0 = datetime(2026, 3, 1, 9, 0)
    for i in range(users.MAX_FAILURES):
        assert User.get_by_id(clerk).locked_until is None
        with pytest.raises(AuthError):
            users.login("clerk", "wrong password", now=t0 + timedelta(seconds=i))
    assert _failures() == users.MAX_FAILURES
    locked = User.get_by_id(clerk).locked_until
    assert locked == t0 + timedelta(seconds=9, minutes=15)
    with pytest.raises(AuthError) as refused:  # the right password, answered like a wrong one
        users.login("clerk", PASSWORD, now=t0 + timedelta(minutes=14))
    assert refused.value.msgid == "Wrong user name or password."
    assert _failures() == users.MAX_FAILURES + 1  # refused attempts while locked are audited too
    assert users.login("clerk", PASSWORD, now=t0 + timedelta(minutes=16)).role == "clerk"
    assert User.get_by_id(clerk).failed_attempts == 0


def test_a_manager_unlocks_and_others_may_not(clerk):
    t0 = datetime(2026, 3, 1, 9, 0)
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthError):
            users.login("clerk", "nope nope", now=t0)
    with pytest.raises(PermissionDenied):
        users.unlock(Actor("treasurer", "treasurer"), clerk)
    users.unlock(Actor("boss", "manager"), clerk)
    assert users.login("clerk", PASSWORD, now=t0 + timedelta(minutes=1)).username == "clerk"
    assert AuditLog.select().where(AuditLog.action == "unlock").count() == 1


def test_unknown_user_failure_is_audited(db):
    with pytest.raises(AuthError):
        users.login("nobody", "whatever1")
    row = AuditLog.get(AuditLog.action == "login_failed")
    assert row.username == "nobody"


def test_last_manager_is_never_locked_out_but_failures_are_audited(db):
    uid = _manager(db)
    for _ in range(3 * users.MAX_FAILURES):
        with pytest.raises(AuthError, match="Wrong"):
            users.login("boss", "bad password")
    assert User.get_by_id(uid).locked_until is None
    assert _failures() == 3 * users.MAX_FAILURES
    assert users.login("boss", PASSWORD).role == "manager"


def test_a_second_manager_can_be_locked(db):
    _manager(db)
    other = users.add_user(SYSTEM, "deputy", PASSWORD, "manager").id
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthError):
            users.login("deputy", "bad password")
    assert User.get_by_id(other).locked_until is not None


def test_last_manager_cannot_be_demoted(db):
    boss = _manager(db)
    with pytest.raises(ValidationError, match="last manager"):
        users.change_role(SYSTEM, boss, "clerk")
    deputy = users.add_user(SYSTEM, "deputy", PASSWORD, "manager").id
    users.change_role(SYSTEM, boss, "auditor")
    with pytest.raises(ValidationError, match="last manager"):
        users.change_role(SYSTEM, deputy, "treasurer")
    assert User.get_by_id(deputy).role == "manager"


# ---------------------------------------------------------------- the matrix, every cell

EXPECTED = """
action           manager treasurer clerk member auditor
read.all         Y       Y         Y     .      Y
read.own         .       .         .     Y      .
members.write    Y       .         Y     .      .
sites.write      Y       .         Y     .      .
lots.write       Y       .         Y     .      .
buyers.write     Y       Y         .     .      .
minerals.write   Y       .         .     .      .
sales.post       Y       Y         .     .      .
sales.void       Y       Y         .     .      .
payouts.post     Y       Y         .     .      .
payouts.void     Y       Y         .     .      .
taxes.pay        Y       Y         .     .      .
taxes.void       Y       Y         .     .      .
taxrules.write   Y       .         .     .      .
incidents.write  Y       .         Y     .      .
mercury.write    Y       .         Y     .      .
reports.read     Y       Y         .     .      Y
balances.read    Y       Y         .     .      Y
settings.write   Y       .         .     .      .
users.manage     Y       .         .     .      .
ledger.verify    Y       .         .     .      Y
data.import      Y       Y         Y     .      .
data.export      Y       Y         Y     .      Y
backup           Y       Y         .     .      .
periods.close    Y       .         .     .      .
books.post       Y       Y         .     .      .
books.void       Y       Y         .     .      .
books.opening    Y       .         .     .      .
treasury.write   Y       Y         .     .      .
"""


def _expected() -> dict[tuple[str, str], bool]:
    head, *rows = [line.split() for line in EXPECTED.strip().splitlines()]
    roles = head[1:]
    return {(role, row[0]): mark == "Y" for row in rows for role, mark in zip(roles, row[1:], strict=True)}


def test_expected_table_covers_exactly_every_role_and_action():
    cells = _expected()
    assert {r for r, _a in cells} == set(ROLES) == set(MATRIX)
    assert {a for _r, a in cells} == set(ACTIONS)
    assert len(cells) == len(ROLES) * len(ACTIONS)


@pytest.mark.parametrize(("role", "action"), sorted(_expected()), ids=lambda v: v)
def test_matrix_cell(role, action):
    assert allowed(role, action) is _expected()[(role, action)]
    assert Actor("someone", role).can(action) is _expected()[(role, action)]


@pytest.mark.parametrize(
    ("role", "action"),
    [("admin", "read.all"), ("", "read.all"), ("manager", "sales.delete"), ("manager", "")],
)
def test_deny_by_default(role, action):
    assert not allowed(role, action)
    with pytest.raises(PermissionDenied):
        Actor("x", role).require(action)


def test_every_action_the_code_checks_is_in_the_matrix():
    used: set[str] = set()
    for path in Path(permissions.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'require\("([a-z_.]+)"\)', text))
        used |= set(re.findall(r'"((?:sales|payouts|taxes)\.void)"', text))
    assert used and used <= set(ACTIONS)


def _income(actor):
    """Other income into the cash box (the books' write every treasurer and manager may make)."""
    return entries.record_income(
        actor,
        day=date(2026, 1, 8),
        treasury_id=treasury.find("cash").id,
        account=chart.number_of("cash_over"),
        amount="10",
    )


def _calls(coop, tmp_path):
    """One real service call per action (valid input: only the permission decides)."""
    seq = iter(range(10_000))

    def sale_for_void():
        return coop.sell([coop.lot()])

    csv = tmp_path / "members.csv"
    csv.write_text("member_no,full_name,join_date\n{no},Imported,2024-01-01\n", encoding="utf-8")
    return {
        "read.all": lambda a: ledger.position(a),
        "members.write": lambda a: (
            registry.save_member(
                a, None, member_no=f"N{next(seq)}", full_name="New", join_date=date(2024, 1, 1)
            ).id
        ),
        "sites.write": lambda a: registry.save_site(a, None, code=f"S{next(seq)}", name="Site").id,
        "lots.write": lambda a: (
            production.create_lot(
                a,
                production.LotInput(
                    coop.site,
                    coop.gold,
                    date(2026, 1, 5),
                    Decimal(1),
                    [(coop.members[0], 10000)],
                    Decimal(800),
                ),
            ).id
        ),
        "buyers.write": lambda a: registry.save_buyer(a, None, name="Buyer").id,
        "minerals.write": lambda a: registry.save_mineral(a, None, name=f"Min{next(seq)}").id,
        "sales.post": lambda a: (
            sales.post_sale(
                a,
                sales.SaleInput(
                    coop.buyer, [coop.lot()], date(2026, 1, 6), "USD", Decimal(90), Decimal(2850)
                ),
            ).id
        ),
        "sales.void": lambda a: sales.void_sale(a, sale_for_void(), "reason"),
        "payouts.post": lambda a: payouts.pay_member(a, coop.members[0], Decimal(100), date(2026, 1, 7)).id,
        "payouts.void": lambda a: payouts.void_payout(
            a, payouts.pay_member(SYSTEM, coop.members[0], Decimal(100), date(2026, 1, 7)).id, "reason"
        ),
        "taxes.pay": lambda a: (
            taxes.pay(
                a,
                authority="DGRAD",
                amount=Decimal(1),
                day=date(2026, 1, 7),
                period_from=date(2026, 1, 1),
                period_to=date(2026, 1, 31),
                method="cash",  # from the cash box the sales came into (the bank holds nothing)
            ).id
        ),
        "taxes.void": lambda a: taxes.void_payment(
            a,
            taxes.pay(
                SYSTEM,
                authority="DGRAD",
                amount=Decimal(1),
                day=date(2026, 1, 7),
                period_from=date(2026, 1, 1),
                period_to=date(2026, 1, 31),
                method="cash",  # from the cash box the sales came into (the bank holds nothing)
            ).id,
            "reason",
        ),
        "taxrules.write": lambda a: (
            taxes.save_rule(a, None, name="Fee", authority="X", rate_bp=100, valid_from=date(2020, 1, 1)).id
        ),
        "incidents.write": lambda a: (
            safety.save_incident(
                a,
                None,
                occurred_at=datetime(2026, 1, 2, 10),
                site=coop.site,
                category="fall",
                severity="first_aid",
                description="slip",
            ).id
        ),
        "mercury.write": lambda a: (
            safety.record_mercury(
                a, site_id=coop.site, day=date(2026, 1, 2), kind="used", grams=Decimal(1)
            ).id
        ),
        "reports.read": lambda a: taxes.summary(a, date(2026, 1, 1), date(2026, 1, 31)),
        "balances.read": lambda a: ledger.member_balance(a, coop.members[1]),
        "settings.write": lambda a: coop_settings.save(a, receipt_footer="Thank you"),
        "users.manage": lambda a: users.add_user(a, f"user{next(seq)}", PASSWORD, "clerk").id,
        "data.export": lambda a: exports.export(a, "sites", tmp_path / f"sites{next(seq)}.csv"),
        "periods.close": lambda a: periods.close(a, date(2025, 12, 31)).id,  # before every record here
        "books.post": lambda a: _income(a).id,
        "books.void": lambda a: entries.void_entry(a, _income(Actor("boss", "manager")).id, "reason"),
        "books.opening": lambda a: opening.enter(a, [OpeningRow(chart.number_of("cash"), debit="100")]).id,
        "treasury.write": lambda a: treasury.add(a, f"Box {next(seq)}", "cash").id,
        "data.import": lambda a: (
            csv.write_text(
                f"member_no,full_name,join_date\nI{next(seq)},Imported,2024-01-01\n", encoding="utf-8"
            ),
            imports.import_members(a, csv),
        ),
    }


def test_services_enforce_every_cell_they_guard(coop, tmp_path):
    """For every role and every action a service guards: denied exactly when the matrix says so, and a
    denied call writes nothing (not even an audit row)."""
    calls = _calls(coop, tmp_path)
    coop.sell([coop.lot()])  # members are owed something, so payouts are possible
    for role in ROLES:
        actor = Actor(f"a-{role}", role, member_id=coop.members[0] if role == "member" else None)
        for action, call in calls.items():
            want = allowed(role, action) and (action != "data.import" or allowed(role, "members.write"))
            audits = AuditLog.select().where(AuditLog.username == actor.username).count()
            if want:
                call(actor)
            else:
                with pytest.raises(PermissionDenied):
                    call(actor)
                assert AuditLog.select().where(AuditLog.username == actor.username).count() == audits


def _sales_csv(coop, path: Path) -> Path:
    ref = ProductionLot.get_by_id(coop.lot()).reference
    path.write_text(
        "date,buyer,lot_references,currency,unit_price,exchange_rate,payment_method\n"
        f"2026-01-06,Comptoir Muungano,{ref},USD,90,2850,cash\n",
        encoding="utf-8",
    )
    return path


def test_a_treasurer_imports_sales_and_a_clerk_who_may_not_post_them_does_not(coop, tmp_path):
    path = _sales_csv(coop, tmp_path / "sales.csv")
    with pytest.raises(PermissionDenied):
        imports.import_sales(Actor("clerk", "clerk"), path)
    assert Sale.select().count() == 0
    assert imports.import_sales(Actor("treasurer", "treasurer"), path).rows == 1
    with pytest.raises(PermissionDenied):  # data.import alone does not open the member register
        imports.import_members(Actor("treasurer", "treasurer"), path)


def test_a_clerk_sees_no_members_balances(coop):
    from coop.services import tables

    coop.sell([coop.lot()])
    clerk, treasurer = Actor("clerk", "clerk"), Actor("treasurer", "treasurer")
    q = tables.Query()
    balance = [c.key for c in tables.spec("members").columns].index("balance") + 1
    assert all(row[balance] is None for row in tables.page(clerk, "members", q, 0, 10))
    assert any(row[balance] for row in tables.page(treasurer, "members", q, 0, 10))
    assert "balance" not in tables.totals(clerk, "members", q)
    assert "balance" not in [c.key for c in tables.visible_columns(clerk, "members")]
    assert "balance" in [c.key for c in tables.visible_columns(treasurer, "members")]
    own = Actor("amani", "member", member_id=coop.members[0])
    assert "balance" in [c.key for c in tables.visible_columns(own, "members")]
    assert tables.page(own, "members", q, 0, 10)[0][balance] == ledger.member_balance(own, coop.members[0])
    with pytest.raises(PermissionDenied):
        ledger.member_balance(clerk, coop.members[0])


# ---------------------------------------------------------------- members see only their own rows


@pytest.fixture
def shared_books(coop):
    """Sales owned by different pairs of members, and a payout, so every member has rows."""
    pairs = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)]
    for day, (a, b) in enumerate(pairs, start=6):
        lot = coop.lot(owners=[(coop.members[a], 5000), (coop.members[b], 5000)], day=date(2026, 1, day))
        coop.sell([lot], day=date(2026, 1, day))
    payouts.pay_member(SYSTEM, coop.members[1], Decimal(1000), date(2026, 1, 12))
    return coop


MEMBER_VIEWS = {
    "balance": lambda actor, target, start, end: ledger.member_balance(actor, target, end),
    "statement": lambda actor, target, start, end: statements.statement(actor, target, start, end),
}


@settings(
    max_examples=int(os.environ.get("COOP_FUZZ_EXAMPLES", "60")) // 2,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    viewer=st.one_of(st.none(), st.integers(0, 3)),
    target=st.integers(0, 3),
    view=st.sampled_from(sorted(MEMBER_VIEWS)),
    start=st.dates(date(2025, 1, 1), date(2026, 1, 31)),
    days=st.integers(0, 60),
)
def test_a_member_never_reads_another_members_rows(shared_books, viewer, target, view, start, days):
    coop = shared_books
    me = None if viewer is None else coop.members[viewer]
    actor = Actor("member-login", "member", member_id=me)
    target_id = coop.members[target]
    end = start + timedelta(days=days)
    call = MEMBER_VIEWS[view]
    if me != target_id:
        with pytest.raises(PermissionDenied):
            call(actor, target_id, start, end)
        return
    mine = call(actor, target_id, start, end)
    as_manager = call(SYSTEM, target_id, start, end)
    assert mine == as_manager  # the member sees exactly their own data, not more, not less
    if view == "statement":
        assert mine.member_id == me
        assert mine.closing_minor == ledger.member_balance(SYSTEM, me, end)


@pytest.mark.parametrize(
    "call",
    [
        lambda a: ledger.member_balances(a),
        lambda a: ledger.position(a),
        lambda a: statements.members_with_activity(a, date(2026, 1, 1), date(2026, 12, 31)),
        lambda a: taxes.summary(a, date(2026, 1, 1), date(2026, 12, 31)),
        lambda a: exports.export(a, "members", "/tmp/never-written.csv"),
    ],
)
def test_a_member_cannot_use_the_all_members_views(shared_books, call):
    with pytest.raises(PermissionDenied):
        call(Actor("member-login", "member", member_id=shared_books.members[0]))


def _owned_ids(list_name: str, member_id: int) -> set[int] | None:
    """An independent model (ORM, not the list's SQL) of which rows of a list belong to a member."""
    from coop.models import JournalEntry, LotOwner, Payout, Posting

    if list_name == "members":
        return {member_id}
    if list_name == "lots":
        return {o.lot_id for o in LotOwner.select().where(LotOwner.member == member_id)}
    if list_name in ("sales", "my_sales"):
        q = (
            Posting.select(JournalEntry.source_id)
            .join(JournalEntry)
            .where((Posting.member == member_id) & (JournalEntry.kind == "sale"))
            .tuples()
        )
        return {s for (s,) in q}
    if list_name == "payouts":
        return {p.id for p in Payout.select().where(Payout.member == member_id)}
    return None  # a list members may not open at all


@pytest.mark.parametrize("viewer", [0, 1, 2, 3])
def test_member_list_views_of_the_ui_show_exactly_own_rows(shared_books, viewer):
    """Every list of the UI (coop.services.tables) as a member: own rows only, all of them, or refused."""
    tables = pytest.importorskip("coop.services.tables")
    me = shared_books.members[viewer]
    actor = Actor("member-login", "member", member_id=me)
    for name in tables.SPECS:
        expected = _owned_ids(name, me)
        if expected is None:
            with pytest.raises(PermissionDenied):
                tables.count(actor, name, tables.Query())
            continue
        got = {row[0] for row in tables.rows(actor, name, tables.Query())}
        assert got == expected, name
        assert tables.count(actor, name, tables.Query()) == len(expected)
    assert any(_owned_ids(n, me) for n in ("lots", "sales"))  # the books give this member something to see


# ---------------------------------------------------------------- audit in the same transaction


def _counts():
    return (Sale.select().count(), Member.select().count(), AuditLog.select().count())


def test_a_write_whose_audit_fails_leaves_no_row(coop, monkeypatch):
    before = _counts()

    def broken(*args, **kwargs):
        raise RuntimeError("audit storage failed")

    monkeypatch.setattr("coop.services.audit.record", broken)
    with pytest.raises(RuntimeError):
        registry.save_member(SYSTEM, None, member_no="Z1", full_name="Zawadi", join_date=date(2024, 1, 1))
    with pytest.raises(RuntimeError):
        coop.sell([_lot_without_audit(coop)])
    assert _counts() == before


def _lot_without_audit(coop) -> int:
    from coop.models import LotOwner, ProductionLot

    lot = ProductionLot.create(
        reference="RAW-1",
        date=date(2026, 1, 5),
        site=coop.site,
        mineral=coop.gold,
        qty_milli=1000,
        grade_milli=900000,
    )
    LotOwner.create(lot=lot.id, member=coop.members[0], share_bp=10000)
    return lot.id


def test_a_write_failing_after_its_audit_row_leaves_neither(coop, monkeypatch):
    lot = coop.lot()
    before = _counts()

    from coop.models import ProductionLot

    def exploding(*args, **kwargs):
        raise RuntimeError("crash after the audit row")

    monkeypatch.setattr(ProductionLot, "update", exploding)  # the last step of post_sale, after the audit row
    with pytest.raises(RuntimeError):
        sales.post_sale(
            SYSTEM, sales.SaleInput(coop.buyer, [lot], date(2026, 1, 6), "USD", Decimal(90), Decimal(2850))
        )
    assert _counts() == before


def test_every_service_write_leaves_exactly_its_audit_row(coop, tmp_path):
    calls = _calls(coop, tmp_path)
    coop.sell([coop.lot()])
    actor = Actor("auditee", "manager")
    writes = {k: v for k, v in calls.items() if k not in ("read.all", "reports.read", "balances.read")}
    for action, call in writes.items():
        before = AuditLog.select().count()
        call(actor)
        new = list(
            AuditLog.select()
            .where(AuditLog.id > 0)
            .order_by(AuditLog.id.desc())
            .limit(AuditLog.select().count() - before)
        )
        mine = [row for row in new if row.username == "auditee"]
        assert len(mine) == 1, (action, [(r.action, r.entity) for r in new])
        row = mine[0]
        assert row.at is not None and row.action and row.entity
        if row.action in ("create", "update", "post"):
            assert row.new, action
        if row.action == "update":
            assert row.old, action


def test_update_audit_keeps_old_and_new_values(coop):
    registry.save_site(SYSTEM, coop.site, code="KAM", name="Kamituga Centre")
    row = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert (row.action, row.entity, row.entity_id) == ("update", "site", coop.site)
    assert "Kamituga" in row.old and "Kamituga Centre" in row.new


def test_unknown_user_takes_as_long_as_a_wrong_password(db, monkeypatch):
    """No user-name enumeration by timing: both paths run one argon2 verification of a hash with the same
    parameters (bench/run.py case 9 reports the two times)."""
    from argon2 import extract_parameters

    _manager(db)
    verified = []

    class Counting(PasswordHasher):
        def verify(self, encoded, password):
            verified.append(extract_parameters(encoded))
            return super().verify(encoded, password)

    monkeypatch.setattr(users, "HASHER", Counting.from_parameters(users.HASHER._parameters))
    monkeypatch.setattr(users, "_DUMMY_HASH", [])  # made again by this hasher, whatever ran before
    for name in ("boss", "nobody-at-all"):
        with pytest.raises(AuthError):
            users.login(name, "wrong password")
    assert len(verified) == 2 and verified[0] == verified[1] == users.HASHER._parameters
