"""Spreadsheets in: .xlsx (typed dates and numbers, formulas, sheets, a LibreOffice-shaped file), CSV as French,
Spanish and Portuguese Excel saves it (semicolons, Windows-1252, decimal comma), UTF-16, translated headers,
and templates that round-trip; a broken file is refused naming its row and column, and nothing is written."""

from __future__ import annotations

import csv
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from coop import i18n
from coop.errors import ErrorList, ValidationError
from coop.models import Member, ProductionLot, Sale, Site
from coop.permissions import SYSTEM
from coop.services import csvio, imports, sheets, templates
from coop.services.books import shares

LANGS = ("fr", "es", "pt", "sw")


def workbook(path, rows, title="Sheet1", more=()):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for name, extra in more:
        other = book.create_sheet(name)
        for row in extra:
            other.append(list(row))
    book.save(path)
    return path


def refused(call, *args, **kw) -> list[tuple[int | None, str]]:
    with pytest.raises((ValidationError, ErrorList)) as err:
        call(*args, **kw)
    found = err.value.errors if isinstance(err.value, ErrorList) else [err.value]
    return [(e.row, e.field) for e in found]


def _subscribed(member: Member) -> int:
    """The share capital an import's share_capital cell subscribed for the member (an entry of the books)."""
    return shares.share_capital(SYSTEM, member.id).subscribed_minor


# --- .xlsx -------------------------------------------------------------------------------------------------


def test_xlsx_dates_and_numbers_are_read_as_typed(coop, tmp_path):
    path = workbook(
        tmp_path / "register.xlsx",
        [
            ["member_no", "full_name", "join_date", "card_expiry", "birth_year", "share_capital", "phone"],
            ["X1", "Espérance Nabintu", date(2024, 3, 1), datetime(2031, 1, 31), 1990, 0.1, 243990000001],
            [],  # a blank row: the rows after it keep the spreadsheet's numbers
            ["X2", "Ñusta Quispe", datetime(2024, 3, 2), None, 1985.0, 1234.56, "+243 990 000 002"],
            ["X3", "Gonçalo Ramos", date(2024, 3, 3), None, None, 0.3, None],
        ],
    )
    assert imports.import_members(SYSTEM, path).rows == 3
    x1, x2, x3 = (Member.get(Member.member_no == n) for n in ("X1", "X2", "X3"))
    assert (x1.join_date, x1.card_expiry, x1.birth_year) == (date(2024, 3, 1), date(2031, 1, 31), 1990)
    # 0.1 typed is the double 0.1000000000000000055…: read as 0.1 CDF = 10 centimes, never 0.10000000000000001
    assert (_subscribed(x1), _subscribed(x2), _subscribed(x3)) == (10, 123456, 30)
    assert x1.phone == "243990000001" and x2.phone == "+243 990 000 002"
    assert (x2.full_name, x3.full_name, x2.birth_year) == ("Ñusta Quispe", "Gonçalo Ramos", 1985)


@pytest.mark.parametrize(
    "value, text",
    [(0.1, "0.1"), (0.1 + 0.2, "0.3"), (1.49, "1.49"), (52345.5, "52345.5"), (2175.123456, "2175.123456")]
    + [
        (1e-7, "0.0000001"),
        (12, "12"),
        (-0.0, "0"),
        (12345678901234567, "12345678901234567"),
        (1e20, "1" + "0" * 20),
    ],
)
def test_a_number_cell_is_the_decimal_the_spreadsheet_shows(value, text):
    assert sheets.number_text(value) == text


def test_xlsx_refusal_names_the_spreadsheet_row_and_column_and_writes_nothing(coop, tmp_path):
    before = Member.select().count()
    path = workbook(
        tmp_path / "bad.xlsx",
        [
            [],
            ["Register of members"],  # a title above the table is the header row of an import: refused below
        ],
    )
    assert refused(imports.import_members, SYSTEM, path) == [(2, "member_no")]
    path = workbook(
        tmp_path / "bad2.xlsx",
        [
            [None],
            ["member_no", "full_name", "join_date", "birth_year", "share_capital"],  # the header, on row 2
            ["Y1", "Good", date(2024, 1, 1), 1990, 10],
            [],
            ["Y2", "Bad year", date(2024, 1, 1), 1800, 10],  # row 5
            ["Y3", "Bad date", "01/03/2024", 1990, 10],  # a date typed as text is no date: row 6
            ["Y4", "Too precise", date(2024, 1, 1), 1990, 0.125],  # CDF keeps 2 decimals: row 7
        ],
    )
    assert refused(imports.import_members, SYSTEM, path) == [
        (5, "birth_year"),
        (6, "join_date"),
        (7, "share_capital"),
    ]
    assert Member.select().count() == before


def test_xlsx_lot_quantity_with_more_decimals_than_kept_is_refused_not_rounded(coop, tmp_path):
    head = ["date", "site_code", "mineral", "quantity", "grade", "owners"]
    path = workbook(
        tmp_path / "lots.xlsx",
        [
            head,
            [date(2026, 1, 5), "KAM", "Gold", 0.0005, 820, "M001"],
            [date(2026, 1, 5), "KAM", "Gold", 2.5, 820.5, "M002"],
        ],
    )
    assert refused(imports.import_lots, SYSTEM, path) == [(2, "quantity")]
    assert ProductionLot.select().count() == 0
    workbook(path, [head, [date(2026, 1, 5), "KAM", "Gold", 12.345, 916.5, "M001"]])
    assert imports.import_lots(SYSTEM, path).rows == 1
    lot = ProductionLot.get()
    assert (lot.qty_milli, lot.grade_milli) == (12345, 916500)


def test_formula_cells_are_read_from_their_saved_result_or_refused(coop, tmp_path):
    # openpyxl writes formulas without a computed result, as a program that never calculated would
    path = workbook(
        tmp_path / "f.xlsx",
        [
            ["member_no", "full_name", "join_date", "share_capital"],
            ["Z1", "Formula", date(2024, 1, 1), "=10*2"],
        ],
    )
    assert refused(imports.import_members, SYSTEM, path) == [(2, "share_capital")]
    with pytest.raises(ValidationError) as err:
        imports.import_members(SYSTEM, path)
    assert "formula whose result was not saved" in err.value.message()
    assert not Member.select().where(Member.member_no == "Z1").exists()


def test_a_time_of_day_is_refused_not_cut_off(coop, tmp_path):
    head = ["member_no", "full_name", "join_date"]
    path = workbook(tmp_path / "t.xlsx", [head, ["T1", "Time", datetime(2024, 1, 1, 14, 30)]])
    assert refused(imports.import_members, SYSTEM, path) == [(2, "join_date")]


def _libreoffice_xlsx(path):
    """A workbook written the way LibreOffice Calc writes one: shared strings, its own number formats for
    dates (numFmtId 164 = DD/MM/YYYY), no <dimension>, formulas with their cached results, booleans as t="b"
    and a second sheet."""
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        ),
        "docProps/app.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>LibreOffice/7.6.4.1$Linux_X86_64 LibreOffice_project/e19e193f88cd6c0525a17fb7a176ed8e6a3e2aa1</Application>"
            "</Properties>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
            '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<workbookPr backupFile="false" showObjects="all" date1904="false"/>'
            '<sheets><sheet name="Notes" sheetId="1" r:id="rId2"/><sheet name="Registre" sheetId="2" r:id="rId3"/></sheets>'
            '<calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.001"/></workbook>'
        ),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts>'
            '<fonts count="1"><font><sz val="10"/><name val="Arial"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border diagonalUp="false" diagonalDown="false"><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="164" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="true"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ),
        "xl/sharedStrings.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9" uniqueCount="9">'
            "<si><t>Member No</t></si><si><t>Full Name</t></si><si><t>Join date</t></si>"
            "<si><t>share_capital</t></si><si><t>L1</t></si><si><t>Françoise Mbuyi</t></si>"
            "<si><t>L2</t></si><si><t>João Tshibangu</t></si><si><t>not a register</t></si></sst>"
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="s"><v>8</v></c></row></sheetData></worksheet>'
        ),
        "xl/worksheets/sheet2.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            "<sheetData>"
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
            '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2" s="1"><v>45352</v></c>'
            '<c r="D2"><f>1000/4</f><v>250</v></c></row>'
            '<row r="4"><c r="A4" t="s"><v>6</v></c><c r="B4" t="s"><v>7</v></c><c r="C4" s="1"><v>45383</v></c>'
            '<c r="D4"><f>D2*0.1</f><v>25.000000000000004</v></c></row>'
            "</sheetData></worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_a_libreoffice_workbook_with_a_sheet_chosen(coop, tmp_path):
    """Headers as people type them ("Member No", "Full Name"), DD/MM/YYYY date cells, formulas with cached
    results (25.000000000000004 is shown as 25), a row skipped: 2 members."""
    path = _libreoffice_xlsx(tmp_path / "registre.xlsx")
    assert sheets.sheet_names(path) == ["Notes", "Registre"]
    assert refused(imports.import_members, SYSTEM, path) == [(1, "member_no")]  # the first sheet is notes
    assert refused(imports.import_members, SYSTEM, path, sheet="Register") == [(1, "sheet")]
    assert imports.import_members(SYSTEM, path, sheet="Registre").rows == 2
    l1, l2 = Member.get(Member.member_no == "L1"), Member.get(Member.member_no == "L2")
    assert (l1.full_name, l1.join_date, _subscribed(l1)) == (
        "Françoise Mbuyi",
        date(2024, 3, 1),
        25000,
    )
    assert (l2.full_name, l2.join_date, _subscribed(l2)) == ("João Tshibangu", date(2024, 4, 1), 2500)


def test_damaged_or_old_excel_files_are_refused_on_row_one(coop, tmp_path):
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(workbook(tmp_path / "whole.xlsx", [["member_no"]]).read_bytes()[:300])
    assert refused(imports.import_members, SYSTEM, cut) == [(1, "file")]
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert refused(imports.import_members, SYSTEM, old) == [(1, "file")]
    csv_file = tmp_path / "m.csv"
    csv_file.write_text("member_no,full_name,join_date\nA,B,2024-01-01\n", encoding="utf-8")
    assert refused(imports.import_members, SYSTEM, csv_file, sheet="Sheet1") == [(1, "sheet")]


# --- CSV as Excel saves it -----------------------------------------------------------------------------------


def test_semicolon_windows_1252_csv_with_accents_and_decimal_commas(coop, tmp_path):
    text = (
        "member_no;full_name;join_date;share_capital;community\r\n"
        "W1;Espérance Nabintu;2024-03-01;50000,50;Kamituga\r\n"
        "W2;Ñusta Mamani;2024-03-02;1 234,5;Potosí\r\n"
        "W3;François Ilunga;2024-03-03;12.5;Walungu\r\n"
        "W4;João Gonçalves;2024-03-04;0;São Félix\r\n"
    )
    path = tmp_path / "membres.csv"
    path.write_bytes(text.encode("cp1252"))
    with csvio.read_table(path, ["member_no"]) as table:
        assert (table.delimiter, table.decimal_comma) == (";", True)
        list(table)
        assert table.encoding == "cp1252"
    assert imports.import_members(SYSTEM, path).rows == 4
    got = {
        m.member_no: (m.full_name, m.community, _subscribed(m))
        for m in Member.select().where(Member.member_no.startswith("W"))
    }
    assert got == {
        "W1": ("Espérance Nabintu", "Kamituga", 5000050),
        "W2": ("Ñusta Mamani", "Potosí", 123450),
        "W3": ("François Ilunga", "Walungu", 1250),
        "W4": ("João Gonçalves", "São Félix", 0),
    }


def test_a_dot_that_may_group_thousands_is_refused_in_a_semicolon_file(coop, tmp_path):
    a, b = coop.lot(), coop.lot()
    refs = [ProductionLot.get_by_id(i).reference for i in (a, b)]
    head = "date;buyer;lot_references;currency;unit_price;exchange_rate\n"
    path = tmp_path / "ventes.csv"
    # Spanish Excel writes 2850 formatted with grouping as 2.850: read as 2.85 it would credit 1/1000
    path.write_text(head + f"2026-01-06;Comptoir Muungano;{refs[0]};USD;90,5;2.850\n", encoding="utf-8")
    assert refused(imports.import_sales, SYSTEM, path) == [(2, "exchange_rate")]
    assert Sale.select().count() == 0
    path.write_text(head + f"2026-01-06;Comptoir Muungano;{refs[0]};USD;90,5;2850\n", encoding="utf-8")
    assert imports.import_sales(SYSTEM, path).rows == 1
    sale = Sale.get()
    assert (sale.price_micro, sale.rate_micro) == (90_500_000, 2_850_000_000)


def test_utf16_unicode_text_from_excel(coop, tmp_path):
    text = (
        "member_no\tfull_name\tjoin_date\r\nU1\tAdélaïde Çelik\t2024-01-01\r\nU2\tNhã Tshala\t2024-01-02\r\n"
    )
    for name, data in (
        ("le.txt", text.encode("utf-16")),
        ("be.txt", codecs_be(text)),
        ("nobom.txt", text.encode("utf-16-le")),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        assert imports.import_members(SYSTEM, path).rows == 2
        assert Member.get(Member.member_no == "U1").full_name == "Adélaïde Çelik"
        Member.delete().where(Member.member_no.startswith("U")).execute()


def codecs_be(text: str) -> bytes:
    import codecs

    return codecs.BOM_UTF16_BE + text.encode("utf-16-be")


@pytest.mark.parametrize(
    "data, line",
    [
        # a byte that is no character in UTF-8 nor in Windows-1252, on line 3
        (b"member_no,full_name,join_date\nA1,Ana,2024-01-01\nA2,B\x8d,2024-01-01\n", 3),
        # UTF-8 accents on line 2, a Windows-1252 accent on line 4: neither reading is right for the whole file
        (
            "member_no,full_name,join_date\nA1,Zoé,2024-01-01\nA2,Ana,2024-01-01\n".encode()
            + "A3,Zoé,2024-01-01\n".encode("cp1252"),
            4,
        ),
        # the other way round
        (
            "member_no,full_name,join_date\nA1,Zoé,2024-01-01\n".encode("cp1252")
            + "A2,Zoé,2024-01-01\n".encode(),
            3,
        ),
        # a UTF-8 file (its mark) with one bad byte
        (b"\xef\xbb\xbfmember_no,full_name,join_date\nA1,Ana,2024-01-01\nA2,Z\xe9,2024-01-01\n", 3),
        # UTF-16 with an unpaired surrogate on line 2
        ("member_no,full_name,join_date\n".encode("utf-16") + b"A\x00\x00\xd8,\x00", 2),
    ],
)
def test_bytes_invalid_in_every_candidate_are_refused_naming_the_line(coop, tmp_path, data, line):
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    before = Member.select().count()
    with pytest.raises(ValidationError) as err:
        imports.import_members(SYSTEM, path)
    assert (err.value.row, err.value.field) == (line, "file")
    assert f"Line {line}" in err.value.message()
    assert Member.select().count() == before


# --- translated headers and templates ------------------------------------------------------------------------

HEADERS = {  # what a user of each language reads in a template (and types)
    "fr": "N° de membre;Nom complet;Date d’adhésion;Parts sociales libérées",
    "es": "N.º de socio;Nombre completo;Fecha de ingreso;Aportes de capital pagados",
    "pt": "N.º do cooperado;Nome completo;Data de ingresso;Quotas-partes integralizadas",
    "sw": "Namba ya mwanachama;Jina kamili;Tarehe ya kujiunga;Hisa za mtaji zilizolipwa",
}


@pytest.mark.parametrize("lang", LANGS)
def test_translated_headers_are_accepted_whatever_the_language_in_use(coop, tmp_path, lang):
    path = tmp_path / f"{lang}.csv"
    path.write_text(HEADERS[lang] + f"\nH-{lang};Zoé Ñandú;2024-05-01;10,5\n", encoding="utf-8")
    assert imports.import_members(SYSTEM, path).rows == 1  # English is the language in use here
    member = Member.get(Member.member_no == f"H-{lang}")
    assert (member.full_name, _subscribed(member)) == ("Zoé Ñandú", 1050)
    bad = tmp_path / f"{lang}-bad.csv"
    bad.write_text(HEADERS[lang] + f"\nI-{lang};Zoé;01/05/2024;10\n", encoding="utf-8")
    # the refusal names the column as the file wrote it
    assert refused(imports.import_members, SYSTEM, bad) == [(2, HEADERS[lang].split(";")[2])]


@pytest.mark.parametrize("kind", templates.KINDS)
def test_every_translation_of_every_header_is_accepted(kind):
    accepted = templates.aliases(kind)
    for lang in ("en", *LANGS):
        with i18n.language(lang):
            for column in templates.COLUMNS[kind]:
                shown = templates.header(column)
                assert accepted[csvio.header_key(shown)] == column, (lang, shown)
                if lang != "en" and column in ("full_name", "quantity", "amount", "name", "date"):
                    assert shown != column, (lang, column)  # the header is translated


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_members_template_round_trips(coop, tmp_path, lang, fmt):
    path = tmp_path / f"members.{fmt}"
    with i18n.language(lang, "fr_CD" if lang == "fr" else "en"):
        templates.save_template("members", path)
        headers = [templates.header(c) for c in templates.COLUMNS["members"]]
    if fmt == "xlsx":
        book = openpyxl.load_workbook(path)
        sheet = book.active
        assert [c.value for c in sheet[1]] == headers
        assert sheet["K2"].value == datetime(2024, 3, 1) and sheet["K2"].is_date  # a date cell
        sheet["A2"], sheet["M2"] = "R1", 2500.75  # the user fills in the row
        sheet.append(
            ["R2", "Deo Mugisho", "M", 1988, "", None, "", "", "NYA", "washer", date(2025, 1, 2), "active", 0]
        )
        book.save(path)
    else:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with its mark
        delimiter = ";" if lang == "fr" else ","
        lines = raw.decode("utf-8-sig").splitlines()
        assert lines[0] == delimiter.join(headers)
        row = next(csv.reader([lines[1]], delimiter=delimiter))
        row[0], row[12] = "R1", "2500,75" if lang == "fr" else "2500.75"
        extra = [
            "R2",
            "Deo Mugisho",
            "M",
            "1988",
            "",
            "",
            "",
            "",
            "NYA",
            "washer",
            "2025-01-02",
            "active",
            "0",
        ]
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, delimiter=delimiter).writerows([headers, row, extra])
    assert imports.import_members(SYSTEM, path).rows == 2
    r1 = Member.get(Member.member_no == "R1")
    assert (r1.full_name, r1.join_date, _subscribed(r1), r1.card_expiry) == (
        "Espérance Nabintu",
        date(2024, 3, 1),
        250075,
        date(2030, 12, 31),
    )
    assert Member.get(Member.member_no == "R2").site_id == Site.get(Site.code == "NYA").id


@pytest.mark.parametrize("kind", templates.KINDS)
def test_each_template_reads_back_as_its_example_row(tmp_path, kind):
    for fmt in templates.FORMATS:
        path = templates.save_template(kind, tmp_path / f"{kind}.{fmt}")
        with csvio.read_table(path, imports.REQUIRED[kind], aliases=templates.aliases(kind)) as table:
            rows = list(table)
        assert table.columns == templates.COLUMNS[kind]
        assert [n for n, _row in rows] == [2]
        example = {c: _plain(v) for c, v in templates.EXAMPLES[kind].items()}
        assert rows[0][1] == example, fmt


def _plain(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def test_a_template_must_be_xlsx_or_csv(tmp_path):
    with pytest.raises(ValidationError) as err:
        templates.save_template("members", tmp_path / "m.ods")
    assert err.value.field == "file"
    with pytest.raises(ValidationError):
        templates.save_template("secrets", tmp_path / "m.xlsx")


def test_reader_api_stays_backward_compatible(tmp_path):
    """coop.services.books (opening balances) reads with csvio.open_rows(path, required)."""
    path = tmp_path / "o.csv"
    path.write_text("Account,Amount\n411,12.5\n", encoding="utf-8")
    assert list(csvio.open_rows(path, ["account"])) == [(2, {"account": "411", "amount": "12.5"})]
    x = workbook(tmp_path / "o.xlsx", [["account", "amount"], ["411", Decimal("12.5")]])
    assert list(csvio.open_rows(x, ["account"])) == [(2, {"account": "411", "amount": "12.5"})]


# --- fuzzed workbooks ------------------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from coop.models import AuditLog, JournalEntry, LotOwner  # noqa: E402

TYPED = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9),
    st.dates(date(1899, 1, 1), date(2100, 1, 1)),
    st.datetimes(datetime(1950, 1, 1), datetime(2100, 1, 1)),
    st.sampled_from(
        ["=1+1", "=A1", "#N/A", "M001", "KAM", "Gold", "yes", "M001:60;M002:40", "12,5", "", " "]
    ),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),  # openpyxl writes no others
)
GOOD_CELLS = {
    "member_no": "FZ",
    "full_name": "Furaha Zawadi",
    "join_date": date(2024, 2, 1),
    "date": date(2026, 1, 5),
    "site_code": "KAM",
    "mineral": "Gold",
    "quantity": 12.5,
    "grade": 850,
    "owners": "M001:60;M002:40",
}


def _state():
    return tuple(m.select().count() for m in (Member, ProductionLot, LotOwner, Sale, JournalEntry, AuditLog))


@pytest.mark.parametrize("kind", ["members", "lots"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_workbooks_never_crash_and_are_all_or_nothing(coop, tmp_path, kind, data):
    columns = list(imports.REQUIRED[kind]) + data.draw(
        st.lists(st.sampled_from(["birth_year", "grade", "share_capital", "notes"]), max_size=2, unique=True)
    )
    columns = list(dict.fromkeys(columns))
    body = []
    for n in range(data.draw(st.integers(0, 4))):
        row = [GOOD_CELLS.get(c) for c in columns]
        if kind == "members":
            row[0] = f"FZ{n}"
        for i in data.draw(st.lists(st.integers(0, len(columns) - 1), max_size=3)):
            row[i] = data.draw(TYPED)
        body.append(row)
    path = workbook(tmp_path / f"{kind}.xlsx", [columns, *body])
    before = _state()
    try:
        result = imports.IMPORTERS[kind](SYSTEM, path)
    except (ErrorList, ValidationError) as exc:
        problems = exc.errors if isinstance(exc, ErrorList) else [exc]
        assert problems and all(p.row is not None and p.row >= 1 and p.field for p in problems), problems
        assert all(f"Row {p.row}" in p.message() for p in problems)
        assert _state() == before
        return
    assert result.rows == len([r for r in body if any(v not in (None, "", " ") for v in r)])
    assert _state() != before
