"""Bad input refused where it is parsed, alike for forms, CSV files and the command line (issue 16)."""

from __future__ import annotations

import argparse
import csv
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from cli import args as cli_args
from cli.app import build_parser
from coop import i18n, money
from coop.errors import AuthError, ErrorList, UnusualValue, ValidationError
from coop.models import AuditLog, Member, ProductionLot, Sale, User
from coop.permissions import SYSTEM
from coop.services import csvio, exports, imports, production, records, registry, users

PASSWORD = "correct horse battery staple"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(call) -> list[tuple[int | None, str, str]]:
    """(row, column, message id) of each error an import reports; it must report some."""
    with pytest.raises((ErrorList, ValidationError)) as err:
        call()
    errors = err.value.errors if isinstance(err.value, ErrorList) else [err.value]
    return [(e.row, e.field, e.msgid) for e in errors]


def lots_csv(tmp_path, **cells: str):
    row = {
        "date": "2026-01-05",
        "site_code": "KAM",
        "mineral": "Gold",
        "quantity": "12.5",
        "grade": "850",
        "owners": "M001",
    }
    row.update(cells)
    path = tmp_path / "lots.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([list(row), list(row.values())])
    return path


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize("column", ["quantity", "grade", "mercury_g"])
def test_a_huge_exponent_in_a_numeric_cell_is_a_row_error_not_an_overflow(coop, tmp_path, column):
    assert refused(lambda: imports.import_lots(SYSTEM, lots_csv(tmp_path, **{column: "1e1000000"}))) == [
        (2, column if column != "mercury_g" else "mercury", "“{value}” is not a number.")
    ]


def test_a_huge_exponent_in_a_sale_price_is_a_row_error(coop, tmp_path):
    ref = ProductionLot.get_by_id(coop.lot()).reference
    path = write(
        tmp_path,
        "sales.csv",
        f"date,buyer,lot_references,currency,unit_price,exchange_rate\n"
        f"2026-01-06,Comptoir Muungano,{ref},USD,1e1000000,2850\n",
    )
    assert refused(lambda: imports.import_sales(SYSTEM, path)) == [
        (2, "unit_price", "“{value}” is not a number.")
    ]
    assert Sale.select().count() == 0


@pytest.mark.parametrize("text", ["1_000", "1E3", "1e1000000", "NaN", "Infinity", "0x10", "١٢"])
def test_numbers_are_digits_and_one_decimal_point_only(text):
    with pytest.raises(ValidationError) as err:
        money.parse_decimal(text, "quantity")
    assert err.value.msgid == "“{value}” is not a number."


@pytest.mark.parametrize("text", ["1_000", "1E3", "1e1000000", "NaN"])
def test_form_numbers_refuse_the_same_notations(text):
    with pytest.raises(ValidationError):
        i18n.parse_number(text, "fr_CD", "quantity")
    assert i18n.parse_number("2 850,5", "fr_CD", "quantity") == Decimal("2850.5")


def test_a_decimal_too_large_for_the_context_is_refused_not_an_overflow():
    with pytest.raises(ValidationError, match="too large"):
        money.parse_decimal(Decimal("1e1000000"), "quantity")


def test_whole_number_cells_refuse_underscores(coop, tmp_path):
    path = write(tmp_path, "m.csv", "member_no,full_name,join_date,birth_year\nA1,Zawadi,2024-01-01,1_990\n")
    assert refused(lambda: imports.import_members(SYSTEM, path)) == [
        (2, "birth_year", "“{value}” is not a whole number.")
    ]


# ---------------------------------------------------------------- quantities of a lot


def test_a_quantity_no_lot_can_hold_is_refused(coop):
    with pytest.raises(ValidationError) as err:
        coop.lot(qty="999999999999")
    assert not isinstance(err.value, UnusualValue) and err.value.field == "quantity"
    assert ProductionLot.select().count() == 0


def test_an_unusual_quantity_needs_confirming(coop):
    inp = production.LotInput(
        site_id=coop.site,
        mineral_id=coop.gold,
        date=date(2026, 1, 5),
        quantity=Decimal("25000"),  # 25 kg of gold in one lot
        owners=[(coop.members[0], 10000)],
        grade=Decimal("850"),
    )
    with pytest.raises(UnusualValue) as err:
        production.create_lot(SYSTEM, inp)
    assert err.value.field == "quantity" and err.value.params["unit"] == "g"
    production.create_lot(SYSTEM, production.LotInput(**{**inp.__dict__, "confirm_unusual": True}))
    assert ProductionLot.select().count() == 1


def test_unusual_and_impossible_bounds_follow_the_unit():
    assert money.lot_qty_to_milli("40000", "kg") == 40_000_000  # a truckload of ore is normal
    with pytest.raises(UnusualValue):
        money.lot_qty_to_milli("40000", "g")
    with pytest.raises(ValidationError):
        money.lot_qty_to_milli("2000000", "kg", confirm_unusual=True)


def test_csv_reports_an_unusual_quantity_as_a_row_error_unless_confirmed(coop, tmp_path):
    path = lots_csv(tmp_path, quantity="25000")
    (error,) = refused(lambda: imports.import_lots(SYSTEM, path))
    assert error[:2] == (2, "quantity")
    assert imports.import_lots(SYSTEM, path, confirm_unusual=True).rows == 1


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("text", ["20250105", "2025-W01-1", "2025-1-5", " 2025-01-05x", "2025-01-05T00:00"])
def test_csv_dates_are_yyyy_mm_dd_only(text):
    with pytest.raises(ValidationError) as err:
        csvio.parse_date(text, "date")
    assert err.value.msgid == "“{value}” is not a date of the form YYYY-MM-DD."


def test_dates_before_the_books_begin_are_refused_in_forms_csv_and_cli(coop, tmp_path):
    with pytest.raises(ValidationError, match="too early"):
        coop.sell([coop.lot()], day=date(1, 6, 1))
    with pytest.raises(ValidationError, match="too early"):
        coop.lot(day=date(1999, 12, 31))
    assert refused(lambda: imports.import_lots(SYSTEM, lots_csv(tmp_path, date="0001-06-01"))) == [
        (2, "date", "The date {date} is too early: dates before {earliest} are refused.")
    ]
    with pytest.raises(argparse.ArgumentTypeError, match="too early"):
        cli_args.day("0001-06-01")
    assert Sale.select().count() == 0
    assert coop.lot(day=records.EARLIEST_DATE)


def test_register_dates_may_go_back_to_1900(coop):
    registry.save_member(SYSTEM, None, member_no="OLD1", full_name="Old Timer", join_date=date(1978, 5, 1))
    with pytest.raises(ValidationError, match="too early"):
        registry.save_member(SYSTEM, None, member_no="OLD2", full_name="Typo", join_date=date(2, 5, 1))


@pytest.mark.parametrize("text", ["20250105", "2025-W01-1"])
def test_cli_dates_are_yyyy_mm_dd_only(text):
    with pytest.raises(argparse.ArgumentTypeError, match="YYYY-MM-DD"):
        cli_args.day(text)


@pytest.mark.parametrize(
    "text", ["-5", "99999999999999999999", "1999", "²", "2O25", str(date.today().year + 1)]
)
def test_report_years_outside_the_books_are_refused(text):
    with pytest.raises(argparse.ArgumentTypeError):
        cli_args.year(text)
    assert cli_args.year(str(date.today().year)) == date.today().year


def test_report_annual_with_a_bad_year_is_a_usage_error():
    from cli.args import UsageError

    for text in ("-5", "99999999999999999999"):
        with pytest.raises(UsageError, match="is not a year"):
            build_parser().parse_args(["report", "annual", "--year", text])


# ---------------------------------------------------------------- identifiers


@pytest.mark.parametrize("number", ["M００1", "m001", "M001\u200b", "\u202eM001"])
def test_member_numbers_that_look_alike_are_one_number(coop, number):
    with pytest.raises(ValidationError) as err:
        registry.save_member(SYSTEM, None, member_no=number, full_name="Twin", join_date=date(2024, 1, 1))
    assert err.value.field == "member_no"
    assert Member.select().count() == 4


def test_member_numbers_are_stored_nfkc_normalised(coop):
    saved = registry.save_member(SYSTEM, None, member_no="Ｘ７", full_name="Wide", join_date=date(2024, 1, 1))
    assert Member.get_by_id(getattr(saved, "id", saved)).member_no == "X7"


def test_names_refuse_bidi_overrides(coop):
    with pytest.raises(ValidationError) as err:
        registry.save_member(
            SYSTEM, None, member_no="B1", full_name="Amani \u202eiwmisiB", join_date=date(2024, 1, 1)
        )
    assert err.value.field == "full_name"
    registry.save_member(SYSTEM, None, member_no="B2", full_name="Ñusta Quispe", join_date=date(2024, 1, 1))


def test_csv_member_numbers_are_compared_without_case_and_width(coop, tmp_path):
    path = write(tmp_path, "m.csv", "member_no,full_name,join_date\nm001,Twin,2024-01-01\nA1,x,2024-01-01\n")
    assert refused(lambda: imports.import_members(SYSTEM, path)) == [
        (2, "member_no", "“{value}” is already used.")
    ]
    path = write(tmp_path, "m.csv", "member_no,full_name,join_date\nA1,x,2024-01-01\nＡ1,y,2024-01-01\n")
    assert refused(lambda: imports.import_members(SYSTEM, path)) == [
        (3, "member_no", "“{value}” is already used.")
    ]
    path = write(tmp_path, "m.csv", "member_no,full_name,join_date\nA1\u200b,x,2024-01-01\n")
    assert refused(lambda: imports.import_members(SYSTEM, path))[0][:2] == (2, "member_no")


def test_csv_lot_owners_and_references_are_found_without_case(coop, tmp_path):
    assert imports.import_lots(SYSTEM, lots_csv(tmp_path, owners="m００1", reference="kam-x-1")).rows == 1
    assert ProductionLot.get().reference == "KAM-X-1"
    assert refused(lambda: imports.import_lots(SYSTEM, lots_csv(tmp_path, reference="Kam-X-1"))) == [
        (2, "reference", "“{value}” is already used.")
    ]


def test_user_names_are_unique_without_case_and_sign_in_ignores_case(db):
    users.add_user(None, "Amani", PASSWORD, "manager")
    for twin in ("amani", "ＡＭＡＮＩ", "Amani\u200b"):
        with pytest.raises(ValidationError) as err:
            users.add_user(SYSTEM, twin, PASSWORD, "clerk")
        assert err.value.field == "username"
    assert users.login("AMANI", PASSWORD).username == "Amani"


# ---------------------------------------------------------------- CSV files


def test_a_column_named_twice_is_an_error(coop, tmp_path):
    path = write(tmp_path, "m.csv", "member_no,full_name,join_date,full_name\nA1,x,2024-01-01,y\n")
    assert refused(lambda: imports.import_members(SYSTEM, path)) == [
        (1, "full_name", "The column “{column}” appears twice in the header.")
    ]


def test_export_then_import_gives_back_a_guarded_phone_number(coop, tmp_path):
    registry.save_member(
        SYSTEM, None, member_no="P1", full_name="=Phone", phone="+243 81 234 5678", join_date=date(2024, 1, 1)
    )
    registry.save_member(
        SYSTEM, None, member_no="P2", full_name="'Quoted", phone="'+1", join_date=date(2024, 1, 1)
    )
    out = tmp_path / "members.csv"
    exports.export(SYSTEM, "members", out)
    assert "'+243 81 234 5678" in out.read_text(encoding="utf-8")
    Member.delete().where(Member.member_no.in_(["P1", "P2"])).execute()
    rows = out.read_text(encoding="utf-8").splitlines()
    back = write(tmp_path, "back.csv", "\n".join([rows[0], *[r for r in rows if r.startswith("P")]]) + "\n")
    imports.import_members(SYSTEM, back)
    p1, p2 = Member.get(Member.member_no == "P1"), Member.get(Member.member_no == "P2")
    assert (p1.phone, p1.full_name) == ("+243 81 234 5678", "=Phone")
    assert (p2.phone, p2.full_name) == ("'+1", "'Quoted")


# ---------------------------------------------------------------- sign-in


def _lock(username: str, t0: datetime) -> None:
    for i in range(users.MAX_FAILURES):
        with pytest.raises(AuthError):
            users.login(username, "wrong password", now=t0 + timedelta(seconds=i))


def test_a_locked_account_answers_like_a_wrong_password(db, monkeypatch):
    from argon2 import PasswordHasher

    users.add_user(None, "boss", PASSWORD, "manager")
    users.add_user(SYSTEM, "clerk", PASSWORD, "clerk")
    t0 = datetime(2026, 3, 1, 9, 0)
    _lock("clerk", t0)
    assert User.get(User.username == "clerk").locked_until is not None
    verified: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, encoded, password):
            verified.append(encoded)
            return super().verify(encoded, password)

    monkeypatch.setattr(users, "HASHER", Counting.from_parameters(users.HASHER._parameters))
    answers = []
    for name, password in (("nobody", PASSWORD), ("boss", "wrong password"), ("clerk", PASSWORD)):
        with pytest.raises(AuthError) as err:
            users.login(name, password, now=t0 + timedelta(minutes=5))
        answers.append((err.value.msgid, err.value.params))
    assert answers == [("Wrong user name or password.", {})] * 3
    assert len(verified) == 3  # one argon2 verification each: no answer comes back sooner
    assert AuditLog.select().where(AuditLog.action == "login_failed").count() == users.MAX_FAILURES + 3
    assert User.get(User.username == "clerk").locked_until is not None  # the lock stays, for managers to see


def test_cli_report_annual_with_a_bad_year_says_so_in_one_line(tmp_path):
    from tests.reliability import harness

    path = tmp_path / "coop.sqlite"
    harness.new_coop(path)
    for text in ("-5", "99999999999999999999"):
        out = harness.cli(
            "--db", str(path), "report", "annual", "--year", text, "--out", str(tmp_path / "a.pdf")
        )
        lines = out.stderr.strip().splitlines()
        assert out.returncode == 1 and len(lines) == 1 and "is not a year" in lines[0], out.stderr


def test_csv_join_dates_go_back_as_far_as_the_form(coop, tmp_path):
    path = write(
        tmp_path, "m.csv", "member_no,full_name,join_date\nOLD1,Old Timer,1978-05-01\nOLD2,Typo,0002-05-01\n"
    )
    assert refused(lambda: imports.import_members(SYSTEM, path)) == [
        (3, "join_date", "The date {date} is too early: dates before {earliest} are refused.")
    ]


def test_a_member_is_found_by_number_without_case_or_width(coop):
    assert registry.find_member("m００1") == registry.find_member(" M001 ") == coop.members[0]
    assert registry.find_member("M001\u200b") is None
