"""CSV imports (all-or-nothing, row and column named) and exports (round trip, formula cells neutralised)."""

import csv

import pytest

from coop.errors import ErrorList, ValidationError
from coop.models import Member, ProductionLot, Sale
from coop.permissions import SYSTEM
from coop.services import csvio, exports, imports

MEMBERS = "member_no,full_name,sex,birth_year,site_code,role,join_date,card_expiry\n"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_members_import_and_round_trip(coop, tmp_path):
    path = write(
        tmp_path,
        "m.csv",
        MEMBERS + "A1,Espérance Nabintu,F,1990,kam,washer,2024-03-01,2030-01-01\n"
        "A2,Deo Mugisho,M,,,digger,2024-03-02,\n",
    )
    assert imports.import_members(SYSTEM, path).rows == 2
    m = Member.get(Member.member_no == "A1")
    assert (m.full_name, m.site_id, m.role, str(m.card_expiry)) == (
        "Espérance Nabintu",
        coop.site,
        "washer",
        "2030-01-01",
    )
    out = tmp_path / "out.csv"
    exports.export(SYSTEM, "members", out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["member_no"] for r in rows] == ["A1", "A2", "M001", "M002", "M003", "M004"]
    assert (rows[0]["site_code"], rows[0]["full_name"], rows[0]["card_expiry"]) == (
        "KAM",
        "Espérance Nabintu",
        "2030-01-01",
    )


def test_import_is_all_or_nothing_and_names_row_and_column(coop, tmp_path):
    path = write(
        tmp_path,
        "m.csv",
        MEMBERS + "A1,Good,F,1990,KAM,washer,2024-03-01,\n"
        "A2,Bad year,F,1800,KAM,washer,2024-03-01,\n"
        "A3,Bad date,F,1990,KAM,washer,01/03/2024,\n",
    )
    with pytest.raises(ErrorList) as err:
        imports.import_members(SYSTEM, path)
    found = [(e.row, e.field) for e in err.value.errors]
    assert found == [(3, "birth_year"), (4, "join_date")]
    assert "Row 3, column “birth_year”" in err.value.message()
    assert Member.select().where(Member.member_no == "A1").count() == 0


def test_semicolon_files_from_french_spreadsheets(coop, tmp_path):
    path = write(tmp_path, "m.csv", "member_no;full_name;join_date\nB1;Zawadi;2024-01-01\n")
    assert imports.import_members(SYSTEM, path).rows == 1


@pytest.mark.parametrize(
    "data, field, row",
    [
        (b"full_name,join_date\nX,2024-01-01\n", "member_no", 1),
        # 0x81 is no character in UTF-8 nor in Windows-1252 (the encodings tried): refused on its line
        (MEMBERS.encode() + b"A1,B\x81,F,1990,KAM,washer,2024-03-01,\n", "file", 2),
        # a UTF-8 accent, then a Windows-1252 one: either reading garbles a line, so neither is chosen
        (
            (MEMBERS + "A1,Bé,F,1990,KAM,washer,2024-03-01,\n").encode()
            + "A2,Bé,F,1990,KAM,washer,2024-03-01,\n".encode("cp1252"),
            "file",
            3,
        ),
        (MEMBERS.encode() + b"A1,x\x00y,F,1990,KAM,washer,2024-03-01,\n", "full_name", 2),
        (MEMBERS.encode() + b"A1," + b"x" * 20000 + b",F,1990,KAM,washer,2024-03-01,\n", "full_name", 2),
        (MEMBERS.encode() + b"A1,B,F,1990,KAM,washer,2024-03-01,,extra\n", "file", 2),
    ],
)
def test_malformed_files_get_a_row_and_column(coop, tmp_path, data, field, row):
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises((ValidationError, ErrorList)) as err:
        imports.import_members(SYSTEM, path)
    first = err.value.errors[0] if isinstance(err.value, ErrorList) else err.value
    assert (first.field, first.row) == (field, row)
    assert Member.select().count() == 4


def test_lots_import_generates_references_and_validates(coop, tmp_path):
    head = "date,site_code,mineral,quantity,grade,owners,mercury_g,retort_used\n"
    path = write(
        tmp_path,
        "l.csv",
        head + "2026-01-05,KAM,gold,12.5,820,M001:60;M002:40,3,yes\n2026-01-05,KAM,Gold,3.25,790,M003,0,no\n",
    )
    assert imports.import_lots(SYSTEM, path).rows == 2
    refs = [lot.reference for lot in ProductionLot.select().order_by(ProductionLot.id)]
    assert refs == ["KAM-20260105-001", "KAM-20260105-002"]
    bad = write(
        tmp_path,
        "b.csv",
        head + "2026-01-05,KAM,Gold,-1,820,M001,0,no\n"
        "2026-01-05,KAM,Gold,1,1200,M001,0,no\n"
        "2026-01-05,KAM,Gold,1,800,M001:50,0,no\n"
        "2026-01-05,XXX,Gold,1,800,M001,0,no\n"
        "2026-01-05,KAM,Gold,1,800,M001,0,maybe\n",
    )
    with pytest.raises(ErrorList) as err:
        imports.import_lots(SYSTEM, bad)
    assert [(e.row, e.field) for e in err.value.errors] == [
        (2, "quantity"),
        (3, "grade"),
        (4, "owners"),
        (5, "site_code"),
        (6, "retort_used"),
    ]
    assert ProductionLot.select().count() == 2


def test_lots_export_round_trips_through_import(coop, tmp_path):
    coop.lot(qty="12.5", grade="820")
    out = tmp_path / "lots.csv"
    exports.export(SYSTEM, "lots", out)
    text = out.read_text(encoding="utf-8")
    assert "KAM-20260105-001,2026-01-05,KAM,Gold,12.5,820,M001:60;M002:40,0,no," in text
    with pytest.raises(ErrorList) as err:  # the same references cannot be imported twice
        imports.import_lots(SYSTEM, out)
    assert [(e.row, e.field) for e in err.value.errors] == [(2, "reference")]
    other = tmp_path / "renamed.csv"
    other.write_text(text.replace("KAM-20260105-001", "KAM-20260105-900"), encoding="utf-8")
    assert imports.import_lots(SYSTEM, other).rows == 1
    assert ProductionLot.get(ProductionLot.reference == "KAM-20260105-900").qty_milli == 12500


def test_sales_import_posts_each_row_or_none(coop, tmp_path):
    a, b = coop.lot(), coop.lot()
    refs = [ProductionLot.get_by_id(i).reference for i in (a, b)]
    head = "date,buyer,lot_references,currency,unit_price,exchange_rate,payment_method\n"
    bad = write(
        tmp_path,
        "s.csv",
        head + f"2026-01-06,Comptoir Muungano,{refs[0]},USD,90,2850,cash\n"
        f"2026-01-06,Comptoir Muungano,{refs[0]},USD,90,2850,cash\n",
    )
    with pytest.raises(ErrorList) as err:
        imports.import_sales(SYSTEM, bad)
    assert [(e.row, e.field) for e in err.value.errors] == [(3, "lots")]
    assert Sale.select().count() == 0
    good = write(
        tmp_path, "g.csv", head + f"2026-01-06,comptoir muungano,{refs[0]};{refs[1]},USD,90,2850,bank\n"
    )
    assert imports.import_sales(SYSTEM, good).rows == 1
    assert Sale.get().receipt_no == 1


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1+2", "'+1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("-42", "-42"),
        ("-3.5", "-3.5"),
        ("plain", "plain"),
        (None, ""),
    ],
)
def test_export_neutralises_formula_cells(value, expected):
    assert csvio.safe_cell(value) == expected


def test_export_of_unknown_table_is_refused(coop, tmp_path):
    with pytest.raises(ValidationError) as err:
        exports.export(SYSTEM, "secrets", tmp_path / "x.csv")
    assert err.value.field == "table"


def test_a_cancelled_import_writes_nothing(coop, tmp_path):
    from coop.errors import Cancelled

    rows = "".join(f"C{i},Member {i},F,1990,KAM,digger,2024-01-01,\n" for i in range(2500))
    path = write(tmp_path, "many.csv", MEMBERS + rows)
    seen: list[int] = []
    watch = imports.Watch(progress=lambda done, total: seen.append(done), cancelled=lambda: len(seen) >= 2)
    with pytest.raises(Cancelled):
        imports.import_members(SYSTEM, path, watch)
    assert seen == [1000, 2000]  # progress every 1,000 rows, cancelled at the second check
    assert Member.select().count() == 4  # the rows before the cancel were rolled back
    done: list[int] = []
    result = imports.import_members(SYSTEM, path, imports.Watch(lambda d, t: done.append(d), lambda: False))
    assert result.rows == 2500 and done == [1000, 2000]
