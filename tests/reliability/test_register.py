"""Members, accounts, settings and the audit log under the chain (coop.register): a change through the
program appends a link with the new values; a change by SQL, an account added by SQL, a swapped password
hash, an edited levy, a deleted or edited audit row are caught by `verify`; a forger who also rewrites the
register link and re-hashes the chain is caught by the anchor log. Identifiers compare by a folded key."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import peewee
import pytest

from coop import anchors, chain, db, keys, register, verification
from coop.errors import AuthError, ValidationError
from coop.models import JournalEntry, Member, RegisterEvent, User
from coop.permissions import SYSTEM
from coop.services import registry, settings, users
from tests.reliability import forgery

PASSWORD = "correct horse battery staple"


@pytest.fixture
def books(coop, db, tmp_path):
    """The small cooperative with a manager, two sales and an anchor (as a verify writes one)."""
    users.add_user(None, "manager", PASSWORD, "manager")
    coop.sell([coop.lot()])
    coop.sell([coop.lot()])
    path = Path(db.database)
    anchors.note(path, "verify")
    return path, db


def _problems(path: Path) -> list[verification.Problem]:
    handle = JournalEntry._meta.database
    return verification.run(handle, anchor_log=anchors.log_path(path)).problems


def _forged(handle, attack) -> None:
    """Run `attack` on the file with the triggers dropped, then put them back (the forger tidies up)."""
    forgery.drop_triggers(handle)
    attack()
    forgery.restore_triggers(handle)


def _newest(entity: str, row_id: int) -> dict:
    event = (
        RegisterEvent.select()
        .where((RegisterEvent.entity == entity) & (RegisterEvent.entity_id == row_id))
        .order_by(RegisterEvent.id.desc())
        .first()
    )
    return json.loads(event.fields)


def test_sound_books_have_a_register_link_for_every_member_account_and_the_settings(books):
    path, _handle = books
    assert _problems(path) == []
    kinds = {(e.entity, e.entity_id) for e in RegisterEvent.select()}
    assert {("member", m.id) for m in Member.select()} <= kinds
    assert {("user", u.id) for u in User.select()} <= kinds and ("cooperative", 1) in kinds


def test_a_members_edit_through_the_program_appends_a_link_with_the_new_values(books, coop):
    path, _handle = books
    before = chain.head()[0]
    registry.save_member(
        SYSTEM,
        coop.members[0],
        member_no="M001",
        full_name="Amani Bisimwa Kahindo",
        join_date=date(2024, 1, 1),
    )
    assert chain.head()[0] == before + 1
    link = JournalEntry.get(JournalEntry.seq == before + 1)
    assert link.kind == "register_event" and link.memo == f"member {coop.members[0]}"
    assert _newest("member", coop.members[0])["full_name"] == "Amani Bisimwa Kahindo"
    assert _problems(path) == []


def test_a_members_name_changed_by_sql_is_caught(books, coop):
    path, handle = books
    _forged(handle, lambda: forgery.edit_row("member", coop.members[1], "full_name", "Someone Else"))
    problems = _problems(path)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.msgid == register.CHANGED and problem.record == f"member {coop.members[1]}"
    assert problem.params == {"columns": "full_name"}
    assert "changed outside CoopLedger" in problem.message()


def test_a_manager_added_by_sql_is_caught(books):
    path, handle = books
    made: list[int] = []
    _forged(handle, lambda: made.append(forgery.add_account("helper2")))
    assert [(p.record, p.msgid) for p in _problems(path)] == [(f"user {made[0]}", register.UNCHAINED)]
    assert users.login("helper2", "forger's own pass 2026").role == "manager"  # the file alone lets it in


def test_a_swapped_password_hash_is_caught(books):
    path, handle = books
    manager = User.get(User.username == "manager").id
    new = forgery.password_hash("forger's own pass 2026")
    _forged(handle, lambda: forgery.edit_row("user", manager, "password_hash", new))
    (problem,) = _problems(path)
    assert (problem.record, problem.params) == (f"user {manager}", {"columns": "password_hash"})


def test_a_role_raised_by_sql_is_caught(books, coop):
    path, handle = books
    clerk = users.add_user(SYSTEM, "clerk one", PASSWORD, "clerk").id
    _forged(handle, lambda: forgery.edit_row("user", clerk, "role", "manager"))
    assert [p.params for p in _problems(path)] == [{"columns": "role"}]


def test_the_levy_setting_changed_by_sql_is_caught_and_through_the_program_is_not(books):
    path, handle = books
    settings.save(SYSTEM, levy_bp=450)
    assert _problems(path) == [] and _newest("cooperative", 1)["levy_bp"] == 450
    _forged(handle, lambda: forgery.edit_row("cooperative", 1, "levy_bp", 100))
    assert [(p.record, p.params) for p in _problems(path)] == [("cooperative 1", {"columns": "levy_bp"})]


@pytest.mark.parametrize("attack", ["delete", "edit", "rewrite"])
def test_a_deleted_or_edited_audit_row_is_caught(books, coop, attack):
    path, handle = books
    registry.save_member(
        SYSTEM, coop.members[0], member_no="M001", full_name="A B", join_date=date(2024, 1, 1)
    )
    if attack == "edit":
        _forged(handle, lambda: forgery.edit_row("audit_log", forgery._audit_middle(), "username", "nobody"))
    else:
        _forged(handle, lambda: forgery.delete_audit_row(rehash_after=attack == "rewrite"))
    found = [p.msgid for p in _problems(path)]
    # re-hashed after the deletion, the log's own hashes follow: the register link naming a later row does not
    assert found == ([register.AUDIT_TAIL] if attack == "rewrite" else [register.AUDIT_BROKEN])


def test_the_newest_audit_rows_deleted_are_caught_by_the_register_link_naming_them(books, coop):
    path, handle = books
    registry.save_member(
        SYSTEM, coop.members[0], member_no="M001", full_name="A B", join_date=date(2024, 1, 1)
    )
    newest = handle.execute_sql("SELECT MAX(id) FROM audit_log").fetchone()[0]
    _forged(handle, lambda: handle.execute_sql("DELETE FROM audit_log WHERE id = ?", (newest,)))
    assert [(p.record, p.msgid) for p in _problems(path)] == [(f"audit row {newest}", register.AUDIT_TAIL)]


def test_a_register_link_rewritten_with_the_chain_rehashed_is_caught_by_the_anchor_log(books, coop):
    path, handle = books
    made: list[int] = []
    _forged(
        handle, lambda: made.append(forgery.rewrite_register("member", coop.members[1], "full_name", "X"))
    )
    assert chain.verify().ok  # the walk alone passes, and the member agrees with its (rewritten) link
    assert [p.msgid for p in _problems(path)] == [anchors.ANCHOR_DIVERGES]


def test_a_sales_stored_levy_rate_lowered_and_rehashed_is_caught_by_the_anchor_log(books):
    path, handle = books
    sale = handle.execute_sql("SELECT MIN(id) FROM sale").fetchone()[0]
    _forged(handle, lambda: forgery.lower_sale_rate(sale))
    assert chain.verify().ok
    assert [p.msgid for p in _problems(path)] == [anchors.ANCHOR_DIVERGES]


def test_a_comparison_key_changed_by_sql_is_caught(books, coop):
    path, handle = books
    _forged(handle, lambda: forgery.edit_row("member", coop.members[2], "member_no_key", "zz9"))
    with pytest.raises(sqlite3.IntegrityError):  # the key is unique: two members cannot share one
        sqlite3.connect(path).execute(
            "UPDATE member SET member_no_key = 'm001' WHERE id = ?", (coop.members[3],)
        )
    assert [(p.record, p.msgid) for p in _problems(path)] == [
        (f"member {coop.members[2]}", register.KEY_WRONG)
    ]


# ---------------------------------------------------------------- identifiers compared by their folded key


def test_user_names_differing_only_in_case_beyond_ascii_are_one_name(db):
    users.add_user(None, "Élise", PASSWORD, "manager")
    with pytest.raises(ValidationError) as refused:
        users.add_user(SYSTEM, "élise", PASSWORD, "clerk")
    assert refused.value.field == "username"
    assert users.login("ÉLISE", PASSWORD).username == "Élise"
    assert users.login("élise", PASSWORD).username == "Élise"
    with pytest.raises(AuthError):
        users.login("Elise", PASSWORD)  # accents are kept: another name
    assert User.get().username_key == "élise"


def test_member_numbers_and_site_codes_fold_beyond_ascii(coop):
    mid = registry.save_member(
        SYSTEM, None, member_no="ÇA-Ñ01", full_name="Çava Ñuñez", join_date=date(2024, 1, 1)
    ).id
    assert registry.find_member("ça-ñ01") == mid and registry.find_member("ÇA-Ñ01") == mid
    with pytest.raises(ValidationError):
        registry.save_member(SYSTEM, None, member_no="ça-ñ01", full_name="Other", join_date=date(2024, 1, 1))
    registry.save_site(SYSTEM, None, code="ÉTÉ", name="Été")
    with pytest.raises(ValidationError):
        registry.save_site(SYSTEM, None, code="été", name="Été bis")  # upper() of "été" is "ÉTÉ" again
    assert Member.get_by_id(mid).member_no_key == keys.fold("ÇA-Ñ01") == "ça-ñ01"


def test_the_key_is_filled_by_bulk_inserts_too(coop):
    Member.insert_many([{"member_no": "ÖK-7", "full_name": "Ökan", "join_date": date(2024, 1, 1)}]).execute()
    assert registry.find_member("ök-7") is not None


def test_an_upgrade_keeps_two_old_names_that_fold_alike_and_verifies(tmp_path):
    from tests.reliability.make_fixtures import FIXTURES

    path = tmp_path / "coop.sqlite"
    shutil.copyfile(FIXTURES / "v5.sqlite", path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version")
    for name in ("Élise", "élise"):
        conn.execute(
            'INSERT INTO "user" (username, password_hash, role, locale, failed_attempts, active) '
            "VALUES (?, 'x', 'clerk', '', 0, 1)",
            (name,),
        )
    conn.commit()
    conn.close()
    handle = db.open_database(path)
    try:
        stored = dict(handle.execute_sql("SELECT username, username_key FROM user").fetchall())
        later = User.get(User.username == "élise").id
        assert stored["Élise"] == "élise" and stored["élise"] == f"élise#{later}"
        assert verification.run(handle).ok
    finally:
        handle.close()


def _import_members(tmp_path: Path, name: str, rows: list[str]) -> None:
    from coop.services import imports

    path = tmp_path / name
    path.write_text("member_no,full_name,join_date\n" + "".join(f"{r},2024-01-01\n" for r in rows))
    imports.import_members(SYSTEM, path)


def test_imported_members_share_one_link_and_a_later_import_does_not_seal_a_forged_edit(books, tmp_path):
    path, handle = books
    before = chain.head()[0]
    _import_members(tmp_path, "a.csv", [f"ÉL-{i:03d},Élise {i}" for i in range(30)])
    assert chain.head()[0] == before + 1  # thirty members, one register link
    assert registry.find_member("él-007") is not None and _problems(path) == []
    forged = registry.find_member("ÉL-007")
    _forged(handle, lambda: forgery.edit_row("member", forged, "full_name", "Someone Else"))
    _import_members(tmp_path, "b.csv", ["NEW-1,New Member"])
    problems = _problems(path)
    assert [(p.record, p.params) for p in problems] == [(f"member {forged}", {"columns": "full_name"})]


def test_cli_verify_names_the_member_changed_outside_coopledger_in_french(books, coop):
    from tests.reliability import harness

    path, handle = books
    _forged(handle, lambda: forgery.edit_row("member", coop.members[1], "full_name", "Someone Else"))
    handle.close()
    out = harness.cli("--db", str(path), "--lang", "fr", "verify", account=None)
    assert out.returncode == 1, out.stdout + out.stderr
    assert f"member {coop.members[1]}" in out.stdout and "full_name" in out.stdout
    assert "Traceback" not in out.stderr


def test_a_posted_register_link_is_final_even_for_sql(books):
    _path, handle = books
    for sql in ("UPDATE register_event SET fields = '{}'", "DELETE FROM register_event"):
        with pytest.raises(peewee.IntegrityError, match="a register event is final"):
            handle.execute_sql(sql)
