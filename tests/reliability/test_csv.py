"""Bad input: CSV imports fuzzed with Hypothesis (never a traceback, all or nothing, errors name row and
column), CSV export neutralises formulas, and CLI arguments out of range give a translated one-line error."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coop.errors import CoopError, ErrorList, ValidationError
from coop.models import AuditLog, JournalEntry, LotOwner, Member, ProductionLot, Sale
from coop.permissions import SYSTEM
from coop.services import csvio, exports, imports
from tests.reliability import harness

FUZZ_EXAMPLES = int(os.environ.get("COOP_FUZZ_EXAMPLES", "120"))  # `make reliability` runs many more
KINDS = {
    "members": imports.MEMBER_COLUMNS,
    "lots": imports.LOT_COLUMNS,
    "sales": imports.SALE_COLUMNS,
}
FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", '=HYPERLINK("http://x")', "\t=1", "\r=1", "-", "=", "@"]
GOOD = {
    "member_no": "M900",
    "full_name": "Furaha Bisimwa",
    "join_date": "2024-02-01",
    "sex": "F",
    "birth_year": "1990",
    "site_code": "KAM",
    "role": "digger",
    "status": "active",
    "share_capital": "1000",
    "date": "2026-01-05",
    "mineral": "Gold",
    "quantity": "12.5",
    "grade": "850",
    "owners": "M001:60;M002:40",
    "mercury_g": "1",
    "retort_used": "yes",
    "buyer": "Comptoir Muungano",
    "currency": "USD",
    "unit_price": "90",
    "exchange_rate": "2850",
    "payment_method": "cash",
}


def _state():
    return tuple(m.select().count() for m in (Member, ProductionLot, LotOwner, Sale, JournalEntry, AuditLog))


cell = st.one_of(
    st.sampled_from(
        list(GOOD.values()) + FORMULAS + ["", " ", "0", "-5", "1e999999", "9" * 30, "NaN", "Infinity"]
    ),
    st.text(max_size=30),
    st.text(alphabet="0123456789.-,;:eE ", max_size=25),
    st.builds(lambda n: "x" * n, st.sampled_from([csvio.MAX_FIELD, csvio.MAX_FIELD + 1, 50_000])),
)


@st.composite
def csv_bytes(draw, kind: str) -> bytes:
    """A CSV file for `kind`: sometimes right, often subtly or badly wrong."""
    shape = draw(st.sampled_from(["random-bytes", "rows", "rows", "rows"]))
    if shape == "random-bytes":
        return draw(st.binary(max_size=400))
    columns = list(KINDS[kind])
    if draw(st.booleans()):
        columns = draw(st.lists(st.sampled_from(columns + ["extra", ""]), max_size=len(columns) + 2))
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        row = [draw(st.one_of(st.just(GOOD.get(c, "")), cell)) for c in columns]
        cut = draw(st.integers(0, len(row) + 2))
        rows.append(row[:cut] if draw(st.booleans()) else row + [""] * (cut % 2))
    out = io.StringIO()
    delimiter = draw(st.sampled_from([",", ";"]))
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.booleans()):
        text = text.replace("\r\n", draw(st.sampled_from(["\n", "\r", "\x00", "\r\n\r\n"])))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace")


def _check_import(kind: str, path: Path) -> None:
    before = _state()
    try:
        result = imports.IMPORTERS[kind](SYSTEM, path)
    except ErrorList as exc:
        assert exc.errors
        for err in exc.errors:
            _check_error(err)
        assert exc.message()
        assert _state() == before  # all or nothing
        return
    except ValidationError as exc:
        _check_error(exc)
        assert _state() == before
        return
    except CoopError as exc:  # any other user-fixable error must still be clean and leave nothing
        pytest.fail(f"untyped import error without row/column: {exc!r}")
    assert result.rows > 0
    assert _state() != before


def _check_error(err: ValidationError) -> None:
    assert err.row is not None and err.row >= 1, err
    assert err.field, err
    text = err.message()
    assert f"Row {err.row}" in text and err.field in text


@pytest.mark.parametrize("kind", sorted(KINDS))
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
@example(data=None)
def test_fuzzed_csv_import_never_crashes_and_is_all_or_nothing(coop, tmp_path, kind, data):
    path = tmp_path / f"{kind}.csv"
    if data is None:  # a file with a short row: a known past crash
        path.write_text(",".join(KINDS[kind]) + "\n" + GOOD.get(KINDS[kind][0], "x") + "\n", encoding="utf-8")
    else:
        path.write_bytes(data.draw(csv_bytes(kind)))
    _check_import(kind, path)


def test_a_bad_row_among_good_ones_imports_nothing(coop, tmp_path):
    path = tmp_path / "members.csv"
    rows = ["member_no,full_name,join_date,birth_year"]
    rows += [f"N{i},Name {i},2024-01-01,1990" for i in range(50)]
    rows.append("N99,Bad Year,2024-01-01,1700")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = _state()
    with pytest.raises(ErrorList) as err:
        imports.import_members(SYSTEM, path)
    assert _state() == before
    (only,) = err.value.errors
    assert (only.row, only.field) == (52, "birth_year")


@pytest.mark.parametrize(
    "text", [f for f in FORMULAS if f != "-1"] + ["=cmd|' /C calc'!A0", "+33 1 23", "-2+3", "@me"]
)
def test_export_neutralises_formula_cells(text):
    safe = csvio.safe_cell(text)
    assert safe.startswith("'") and safe[1:] == text


@pytest.mark.parametrize("value", ["-12", "-0.5", "12", "Amani", "", None])
def test_export_keeps_plain_numbers_and_text(value):
    assert csvio.safe_cell(value) == ("" if value is None else value)


def test_export_file_has_no_live_formula(coop, tmp_path):
    from coop.services import registry

    registry.save_buyer(SYSTEM, None, name='=HYPERLINK("http://evil","x")', kind="comptoir")
    registry.save_buyer(SYSTEM, None, name="@SUM(1+1)", kind="comptoir")
    target = tmp_path / "buyers.csv"
    exports.export(SYSTEM, "buyers", target)
    cells = [c for row in csv.reader(target.open(encoding="utf-8")) for c in row]
    assert '\'=HYPERLINK("http://evil","x")' in cells and "'@SUM(1+1)" in cells
    live = [c for c in cells if c and c[0] in "=+@\t\r"]
    assert live == []


# ---------------------------------------------------------------- CLI arguments out of range

BAD_ARGS = [
    (["init", "--name", "X", "--currency", "CDF", "--levy", "99999"], "levy"),
    (["init", "--name", "X", "--currency", "CDF", "--levy", "-1"], "levy"),
    (["init", "--name", "X", "--currency", "CDF", "--levy", "five"], "invalid int"),
    (["init", "--name", "X", "--currency", "ZZZ"], "ZZZ"),
    (["init", "--name", "X", "--currency", "CDF", "--locale", "xx_YY_bad"], "locale"),
    (["init", "--name", " ", "--currency", "CDF"], "name"),
    (["tax-summary", "--from", "2026-13-01", "--to", "2026-12-31"], "YYYY-MM-DD"),
    (["tax-summary", "--from", "2026-12-31", "--to", "2026-01-01"], "before the start"),
    (["balance", "--member", "NOPE"], "Unknown member"),
    (["import", "members", "/nonexistent/file.csv"], "Cannot read"),
    (["import", "planets", "x.csv"], "invalid choice"),
    (["export", "members", "/nonexistent-dir/x.csv"], "Cannot write"),
    (["restore", "/nonexistent/backup.sqlite"], "does not exist"),
    (["user", "add", "bob", "--role", "emperor"], "invalid choice"),
]


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "coop.sqlite"
    harness.new_coop(path)
    return path


@pytest.mark.parametrize(("args", "needle"), BAD_ARGS, ids=[" ".join(a[:3]) for a, _n in BAD_ARGS])
def test_cli_rejects_out_of_range_values(cli_db, tmp_path, args, needle):
    db_path = tmp_path / "new.sqlite" if args[0] == "init" else cli_db
    out = harness.cli(  # a new file has no accounts yet: init runs without one
        "--db", str(db_path), *args, account=None if args[0] == "init" else harness.MANAGER
    )
    assert out.returncode == 1, out.stdout
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), out.stderr
    assert needle in lines[0]


def test_cli_errors_are_translated(cli_db):
    """The same error in French: the message goes through gettext (pseudo-locale when no catalogue)."""
    en = harness.cli("--db", str(cli_db), "balance", "--member", "NOPE")
    xx = harness.cli("--db", str(cli_db), "--lang", "xx", "balance", "--member", "NOPE")
    assert en.returncode == xx.returncode == 1
    assert en.stderr != xx.stderr and "NOPE" in xx.stderr


NASTY = [
    "9" * 30,
    "1e999999",
    "-1e999999",
    "1e1000000",  # beyond Decimal's exponent limit: decimal.Overflow at the first arithmetic
    "1_000",
    "20250105",
    "2025-W01-1",
    "0001-06-01",
    "M001\u200b",
    "NaN",
    "Infinity",
    "99999999999999999999.5",
    "999999999999",
    "1e-30",
    "١٢٣",
    "2024-02-30",
    "9999-12-31",
    "1,5",
    "\x00",
    "M001:1e10",
    "M001:-50;M002:150",
    "M001:33.333;M002:66.667",
    "XAU",
    "=1+1",
    "x" * (csvio.MAX_FIELD + 1),
]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_column_with_every_nasty_value(coop, tmp_path, kind):
    """One good row with one cell replaced: imported, or refused naming that row and a column."""
    columns = KINDS[kind]
    refused = 0
    for n, (column, value) in enumerate((c, v) for c in columns for v in NASTY):
        row = {c: GOOD.get(c, "") for c in columns}
        fresh = ProductionLot.get_by_id(coop.lot()).reference if kind == "sales" else ""
        row.update(member_no=f"Q{n}", lot_references=fresh, reference="")
        row[column] = value
        path = tmp_path / f"{kind}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([columns, [row[c] for c in columns]])
        before = _state()
        try:
            imports.IMPORTERS[kind](SYSTEM, path)
        except ErrorList as exc:
            refused += 1
            assert _state() == before
            for err in exc.errors:
                _check_error(err)
                assert err.row == 2
        except ValidationError as exc:
            refused += 1
            assert _state() == before
            _check_error(exc)
    assert 0 < refused < len(columns) * len(NASTY)  # some values are fine (e.g. a formula-like name)


PATHOLOGICAL = {
    "no newline, NUL separators, 200 kB cell": b"member_no;full_name;join_date\x00M1;x;2024-01-01\x00"
    + b'"'
    + b"x" * 200_000
    + b'"',
    "huge cell under an unnamed column": b"member_no,full_name,join_date,\nM1,x,2024-01-01,"
    + b"y" * 20_000
    + b"\n",
    "one 300 kB line": b"x" * 300_000,
    "unterminated quote": b'"unterminated' + b"z" * 200_000,
    "NUL in the header": b"member_no,full\x00name,join_date\nM1,x,2024-01-01\n",
    # UTF-16 and Windows-1252 (Latin-1 accents) files are read since issue 18: tests/test_spreadsheets.py
    "UTF-16 cut in the middle of a character": "member_no,full_name,join_date\nM1,Zawadi,2024-01-01\n".encode(
        "utf-16"
    )[:-1],
    "byte that no encoding tried has": "member_no,full_name,join_date\nM1,Esp\x81rance,2024-01-01\n".encode(
        "latin-1"
    ),
    "empty file": b"",
    "header only": b"member_no,full_name,join_date\n",
}


@pytest.mark.parametrize("content", list(PATHOLOGICAL.values()), ids=list(PATHOLOGICAL))
def test_pathological_files_are_refused_with_row_and_column(coop, tmp_path, content):
    path = tmp_path / "members.csv"
    path.write_bytes(content)
    before = _state()
    with pytest.raises((ValidationError, ErrorList)) as err:
        imports.import_members(SYSTEM, path)
    errors = err.value.errors if isinstance(err.value, ErrorList) else [err.value]
    for one in errors:
        _check_error(one)
    assert _state() == before
