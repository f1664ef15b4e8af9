"""The register's share capital is the books' share entries, never the members' loose old field: a members
file's share_capital cell becomes a subscription (an entry of the books, chained), the form and edit path no
longer write the field, and the members export gives back what the books hold."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest

from coop import chain
from coop.errors import ErrorList, ValidationError
from coop.models import BookEntry, JournalEntry, Member
from coop.permissions import SYSTEM, Actor
from coop.services import exports, imports, lookups, registry
from coop.services.books import shares
from ui.forms import MEMBER_FIELDS

HEADER = "member_no,full_name,join_date,share_capital\n"
CLERK = Actor(username="clara", role="clerk")
AUDITOR = Actor(username="aude", role="auditor")


def _file(tmp_path, body: str):
    path = tmp_path / "members.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _member(no: str) -> Member:
    return Member.get(Member.member_no == no)


def test_a_share_capital_cell_is_a_subscription_in_the_books(coop, tmp_path):
    path = _file(
        tmp_path, "S1,Neema Bahati,2024-03-01,50000.50\nS2,Deo Mugisho,2024-03-02,\nS3,Ali,2024-03-03,0\n"
    )
    result = imports.import_members(SYSTEM, path)
    assert result.rows == 3 and result.changes.affects("books") and result.changes.affects("members")
    s1, s2, s3 = (_member(n) for n in ("S1", "S2", "S3"))
    capital = shares.share_capital(SYSTEM, s1.id)
    assert (capital.subscribed_minor, capital.paid_minor, capital.unpaid_minor) == (5000050, 0, 5000050)
    by_member = shares.share_capital_by_member(SYSTEM)
    assert s2.id not in by_member and s3.id not in by_member  # empty or zero: no entry
    assert (s1.share_capital_minor, s2.share_capital_minor) == (0, 0)  # the old field is not written
    entry = BookEntry.get(BookEntry.member == s1.id)
    assert (entry.kind, entry.state, entry.amount_minor, entry.date) == (
        "share_subscribe",
        "posted",
        5000050,
        date.today(),
    )
    link = JournalEntry.get((JournalEntry.source_type == "book_entry") & (JournalEntry.source_id == entry.id))
    assert link.hash == entry.chain_hash
    assert chain.verify().ok


def test_the_members_export_gives_back_the_books_share_capital(coop, tmp_path):
    imports.import_members(SYSTEM, _file(tmp_path, "S1,Neema Bahati,2024-03-01,1200\n"))
    shares.pay(
        SYSTEM, _member("S1").id, Decimal(200), date.today()
    )  # paying does not change what was subscribed
    out = tmp_path / "out.csv"
    exports.export(AUDITOR, "members", out)
    rows = {r["member_no"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert Decimal(rows["S1"]["share_capital"]) == 1200 and Decimal(rows["M001"]["share_capital"]) == 0
    exports.export(CLERK, "members", out)  # a clerk may not read balances: the column stays empty
    rows = {r["member_no"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["S1"]["share_capital"] == ""


def test_the_export_imports_back_into_a_new_file_with_the_same_capital(coop, tmp_path):
    imports.import_members(SYSTEM, _file(tmp_path, "S1,Neema Bahati,2024-03-01,1200\n"))
    out = tmp_path / "out.csv"
    exports.export(SYSTEM, "members", out)
    # the same file again: every number is taken, nothing is subscribed twice
    entries = BookEntry.select().count()
    with pytest.raises((ErrorList, ValidationError)):
        imports.import_members(SYSTEM, out)
    assert BookEntry.select().count() == entries
    assert shares.share_capital(SYSTEM, _member("S1").id).subscribed_minor == 120000


def test_a_clerk_cannot_import_share_capital_and_nothing_is_written(coop, tmp_path):
    path = _file(tmp_path, "S1,Neema Bahati,2024-03-01,\nS2,Deo Mugisho,2024-03-02,1000\n")
    with pytest.raises((ErrorList, ValidationError)) as err:
        imports.import_members(CLERK, path)
    found = err.value.errors if isinstance(err.value, ErrorList) else [err.value]
    assert [(e.row, e.field) for e in found] == [(3, "share_capital")]
    assert "which your role may not post" in err.value.message()
    assert not Member.select().where(Member.member_no.in_(["S1", "S2"])).exists()
    assert BookEntry.select().count() == 0
    # without the capital the clerk's import goes through
    assert imports.import_members(CLERK, _file(tmp_path, "S1,Neema Bahati,2024-03-01,\n")).rows == 1


def test_negative_share_capital_is_refused(coop, tmp_path):
    with pytest.raises((ErrorList, ValidationError)) as err:
        imports.import_members(SYSTEM, _file(tmp_path, "S1,Neema Bahati,2024-03-01,-5\n"))
    found = err.value.errors if isinstance(err.value, ErrorList) else [err.value]
    assert [(e.row, e.field) for e in found] == [(2, "share_capital")]
    assert BookEntry.select().count() == 0


FORM = tuple(f.name for f in MEMBER_FIELDS)  # what the member form sends


def test_the_member_form_path_no_longer_writes_share_capital(coop):
    member = coop.members[0]
    before = _member("M001").share_capital_minor
    stored = lookups.record_values(SYSTEM, "member", member)
    values = {k: stored[k] for k in FORM} | {"full_name": "Renamed"}
    with pytest.raises(ValidationError) as err:
        registry.save_member(SYSTEM, member, **values, share_capital_minor=100000)
    assert err.value.field == "share_capital_minor"
    assert _member("M001").full_name != "Renamed"
    saved = registry.save_member(SYSTEM, member, **values)
    assert saved.id == member and _member("M001").share_capital_minor == before
    assert chain.verify().ok  # the member's register link still holds the (unchanged) old column
