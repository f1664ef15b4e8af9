"""Import files read with row/column errors (CSV in any encoding Excel writes, or .xlsx) and safe CSV writing."""

from __future__ import annotations

import codecs
import csv
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from coop import money
from coop.errors import ErrorList, ValidationError
from coop.services import records, sheets

MAX_FIELD = 10_000  # characters; longer cells are refused, not truncated
MAX_LINE = 1_000_000  # bytes of one physical line: a file of one endless line is refused, not loaded
MAX_HEADER = 100_000  # characters of the first line (the column names)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")  # a decimal comma too: -3,06 is no formula
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_cells(header: list[str], cells: list[str], rowno: int, guarded: bool = True) -> dict[str, str]:
    if len(cells) > len(header):
        raise ValidationError("file", "The row has more cells than the header.", row=rowno)
    # One look at the whole row first (a newline is no control character here): the cell-by-cell search
    # naming the column is slow enough to weigh on an import, so it runs only for a row that fails.
    joined = "\n".join(cells)
    if len(joined) > MAX_FIELD or _CONTROL.search(joined):
        _check_each_cell(header, cells, rowno)
    cells = cells + [""] * (len(header) - len(cells))  # a short row: its missing cells are empty
    if guarded and "'" in joined:  # only a CSV export guards formula-like cells
        return {name: unguard(cell.strip()) for name, cell in zip(header, cells, strict=True)}
    return {name: cell.strip() for name, cell in zip(header, cells, strict=True)}


def unguard(text: str) -> str:
    """A cell as it was before safe_cell guarded it: the export's apostrophe before =, +, -, @, tab or CR
    (a phone number +243… comes back as +243…, not '+243…). Other apostrophes are the data's own."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_START):
        return text[1:].strip()
    return text


def _check_each_cell(header: list[str], cells: list[str], rowno: int) -> None:
    for index, (name, cell) in enumerate(zip(header, cells, strict=False)):
        column = name or f"#{index + 1}"
        if len(cell) > MAX_FIELD:
            raise ValidationError(column, "The cell is longer than {n} characters.", row=rowno, n=MAX_FIELD)
        if _CONTROL.search(cell):
            raise ValidationError(column, "The cell contains invisible control characters.", row=rowno)


# --- reading ------------------------------------------------------------------------------------------
# An import file is a CSV (UTF-8 with or without its mark, UTF-16 as Excel's "Unicode text" writes it, or
# Windows-1252 as a French, Spanish or Portuguese Excel writes "CSV (separator: semicolon)"), or an Excel
# workbook (.xlsx, coop.services.sheets). Which one is read from the file's first bytes, not its name.
_GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+")
_NOT_WORD = re.compile(r"[\W_]+")
DELIMITERS = (",", ";", "\t")  # a tie goes to the first


def header_key(name: str) -> str:
    """A column name as compared: without case, accents or punctuation ("Date d’adhésion" is
    "date_d_adhesion", "Member No." is "member_no")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return _NOT_WORD.sub("_", plain.casefold()).strip("_")


def _mixed(line: int, encoding: str) -> ValidationError:
    return ValidationError(
        "file",
        "Line {line} is not {encoding} text like the rest of the file: the file mixes encodings. "
        "Save it again as “CSV UTF-8” and try again.",
        row=line,
        line=line,
        encoding=encoding,
    )


def _unknown_encoding(line: int) -> ValidationError:
    return ValidationError(
        "file",
        "Line {line} is neither UTF-8 nor Windows-1252 text: the file's encoding cannot be recognised. "
        "Save it as “CSV UTF-8” and try again.",
        row=line,
        line=line,
    )


def _too_long(line: int) -> ValidationError:
    return ValidationError(
        "file", "Line {line} is longer than {n} characters.", row=line, line=line, n=MAX_LINE
    )


class _ByteLines:
    """Lines of an 8-bit file decoded one at a time, so a bad byte is reported on its own line.

    UTF-8 unless a line is not UTF-8 while every line before it was plain ASCII (then the file is
    Windows-1252, which Excel writes in Western Europe and Latin America). A file whose lines disagree (UTF-8
    accents, then a Windows-1252 one, or the other way round) is refused on the first line that disagrees:
    reading it either way would garble part of it."""

    def __init__(self, handle: BinaryIO, marked: bool) -> None:
        self.handle = handle
        self.marked = marked  # began with the UTF-8 mark: UTF-8 it is
        self.encoding = "utf-8-sig" if marked else "utf-8"
        self.accents_seen = False  # a non-ASCII line was read as UTF-8

    def __iter__(self) -> Iterator[str]:
        for number, raw in enumerate(iter(lambda: self.handle.readline(MAX_LINE), b""), start=1):
            if len(raw) >= MAX_LINE and not raw.endswith(b"\n"):
                raise _too_long(number)
            if number == 1 and self.marked:
                raw = raw[len(codecs.BOM_UTF8) :]
            yield self._decode(raw, number)

    def _decode(self, raw: bytes, number: int) -> str:
        if raw.isascii():
            return raw.decode("ascii")
        if self.encoding == "cp1252":
            if _is_utf8(raw):
                raise _mixed(number, "Windows-1252")
            return _cp1252(raw, number)
        if _is_utf8(raw):
            self.accents_seen = True
            return raw.decode("utf-8")
        if self.marked or self.accents_seen:
            raise _mixed(number, "UTF-8")
        self.encoding = "cp1252"
        return _cp1252(raw, number)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _cp1252(raw: bytes, number: int) -> str:
    try:
        return raw.decode("cp1252")  # five bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are no character in it
    except UnicodeDecodeError:
        raise _unknown_encoding(number) from None


class _WideLines:
    """Lines of a UTF-16 file (Excel's "Unicode text"), decoded in blocks; a bad unit names its line."""

    BLOCK = 1 << 16  # bytes (a multiple of 4: a character never straddles two blocks' decoding state)

    def __init__(self, handle: BinaryIO, codec: str, skip: int) -> None:
        self.handle, self.codec, self.skip = handle, codec, skip
        self.encoding = codec

    def __iter__(self) -> Iterator[str]:
        self.handle.seek(self.skip)
        decoder = codecs.getincrementaldecoder(self.codec)("strict")
        pending, number = "", 1
        while True:
            block = self.handle.read(self.BLOCK)
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                before = bytes(exc.object[: exc.start]).decode(self.codec, "replace")
                raise _mixed(number + (pending + before).count("\n"), "UTF-16") from None
            pending += text
            *lines, pending = pending.split("\n")
            for line in lines:
                yield line + "\n"
                number += 1
            if len(pending) >= MAX_LINE:
                raise _too_long(number)
            if not block:
                if pending:
                    yield pending
                return


def _lines(handle: BinaryIO) -> _ByteLines | _WideLines:
    start = handle.read(4)
    handle.seek(0)
    if start.startswith(codecs.BOM_UTF16_LE):
        return _WideLines(handle, "utf-16-le", 2)
    if start.startswith(codecs.BOM_UTF16_BE):
        return _WideLines(handle, "utf-16-be", 2)
    if len(start) >= 2 and start[0] and not start[1]:  # "m\0e\0…": UTF-16 saved without its mark
        return _WideLines(handle, "utf-16-le", 0)
    if len(start) >= 2 and not start[0] and start[1]:
        return _WideLines(handle, "utf-16-be", 0)
    return _ByteLines(handle, start.startswith(codecs.BOM_UTF8))


class Table:
    """An import file opened for reading, its header read: iterate for (row number, {column: text}).

    `columns` are the header's names as the importer knows them (an alias, e.g. a translated header, is
    replaced by its column); `written` gives, per column, the name as the file wrote it. `format` is "csv"
    or "xlsx"; `encoding` and `delimiter` are the CSV's (the encoding as detected so far: a file read as
    UTF-8 may turn out to be Windows-1252 on its first accented line); `decimal_comma` says whether number
    cells may use a comma as the decimal sign (a semicolon- or tab-separated CSV, see number_text)."""

    def __init__(
        self,
        *,
        format: str,
        columns: list[str],
        written: dict[str, str],
        rows: Iterator[tuple[int, dict[str, str]]],
        closer: Any = None,
        delimiter: str = "",
        lines: _ByteLines | _WideLines | None = None,
    ) -> None:
        self.format, self.columns, self.written, self.delimiter = format, columns, written, delimiter
        self._rows, self._closer, self._lines = rows, closer, lines

    @property
    def encoding(self) -> str:
        return self._lines.encoding if self._lines is not None else ""

    @property
    def decimal_comma(self) -> bool:
        return self.format == "csv" and self.delimiter in (";", "\t")

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return self._rows

    def close(self) -> None:
        if self._closer is not None:
            self._closer()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_table(
    path: str | os.PathLike,
    required: Iterable[str] = (),
    *,
    sheet: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Table:
    """Open a CSV or .xlsx import file and read its header (raises typed errors naming row and column).

    `aliases` maps header_key(name) to a column (e.g. translated headers); `sheet` picks a workbook's sheet
    (the first by default; a CSV has none)."""
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise ValidationError(
            "file", "Cannot read {path}: {reason}", path=str(path), reason=exc.strerror
        ) from None
    start = handle.read(4)
    handle.seek(0)
    if start.startswith(sheets.XLSX_MAGIC):
        handle.close()
        return _xlsx_table(path, required, sheet, aliases)
    if start.startswith(sheets.XLS_MAGIC):
        handle.close()
        raise ValidationError(
            "file",
            "This is an old Excel file (.xls): save it as an Excel workbook (.xlsx) or as CSV.",
            row=1,
        )
    if sheet is not None:
        handle.close()
        raise ValidationError("sheet", "Only an Excel workbook (.xlsx) has sheets to choose from.", row=1)
    try:
        lines = _lines(handle)
        decoded = iter(lines)
        head = next(decoded, "")
        delimiter = max(DELIMITERS, key=head.count)
        header, written = _header(_split_header(head, delimiter), aliases)
        _require(header, required, 1)
    except BaseException:
        handle.close()
        raise
    rows = _csv_rows(csv.reader(decoded, delimiter=delimiter), header, handle)
    return Table(
        format="csv",
        columns=header,
        written=written,
        rows=rows,
        closer=handle.close,
        delimiter=delimiter,
        lines=lines,
    )


def open_rows(
    path: str | os.PathLike,
    required: Iterable[str],
    *,
    sheet: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, {column: text}) from a CSV or .xlsx; the header is the first row (a workbook's
    first non-empty one). Raises typed errors naming row and column. See read_table."""
    with read_table(path, required, sheet=sheet, aliases=aliases) as table:
        yield from table


def _require(header: list[str], required: Iterable[str], row: int) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationError(
            missing[0], "The column “{column}” is missing from the header.", row=row, column=missing[0]
        )


def _csv_rows(reader: Any, header: list[str], handle: BinaryIO) -> Iterator[tuple[int, dict[str, str]]]:
    with handle:
        rowno = 1
        while True:
            rowno += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ValidationError(
                    "file", "The file is not valid CSV: {detail}", row=rowno, detail=str(exc)
                ) from None
            if any(c.strip() for c in cells):
                yield rowno, _check_cells(header, cells, rowno)


def _xlsx_table(
    path: str | os.PathLike, required: Iterable[str], sheet: str | None, aliases: Mapping[str, str] | None
) -> Table:
    source = sheets.rows(path, sheet)
    head_row, names = 1, []
    try:
        for number, cells in source:  # the header is the first row that is not empty
            texts = _texts(cells, [], number)
            if any(t.strip() for t in texts):
                head_row, names = number, texts
                break
        while names and not names[-1].strip():
            names.pop()
        if len("".join(names)) >= MAX_HEADER:
            raise ValidationError("file", "The first line is not a header of column names.", row=head_row)
        header, written = _header(names, aliases, row=head_row)
        _require(header, required, head_row)
    except BaseException:
        source.close()
        raise
    return Table(
        format="xlsx", columns=header, written=written, rows=_xlsx_rows(source, header), closer=source.close
    )


def _texts(cells: list[Any], header: list[str], number: int) -> list[str]:
    """A sheet row's cells as texts; a refused cell names its row and column."""
    try:
        return [
            sheets.text(c, header[i] if i < len(header) and header[i] else f"#{i + 1}")
            for i, c in enumerate(cells)
        ]
    except ValidationError as exc:
        exc.row = number
        raise


def _xlsx_rows(
    source: Iterator[tuple[int, list[Any]]], header: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    for number, cells in source:
        texts = _texts(cells, header, number)
        while len(texts) > len(header) and not texts[-1].strip():
            texts.pop()  # formatted but empty cells right of the table
        if any(t.strip() for t in texts):
            yield number, _check_cells(header, texts, number, guarded=False)


def _split_header(line: str, delimiter: str) -> list[str]:
    if len(line) >= MAX_HEADER:
        raise ValidationError("file", "The first line is not a header of column names.", row=1)
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error as exc:
        raise ValidationError("file", "The file is not valid CSV: {detail}", row=1, detail=str(exc)) from None


def _header(
    cells: list[str], aliases: Mapping[str, str] | None = None, row: int = 1
) -> tuple[list[str], dict[str, str]]:
    """The column names of the header row (lower case, aliases replaced by their column) and, per column,
    the name as written; a name given twice is refused."""
    names: list[str] = []
    written: dict[str, str] = {}
    for index, cell in enumerate(cells):
        if _CONTROL.search(cell):  # "full\0name" is no column name, whatever header_key would make of it
            raise ValidationError(f"#{index + 1}", "The cell contains invisible control characters.", row=row)
        shown = cell.strip()
        name = shown.lower()
        if aliases and shown:
            name = aliases.get(header_key(shown), name)
        if name and name in written:  # which of the two cells would count is anyone's guess
            raise ValidationError(
                name, "The column “{column}” appears twice in the header.", row=row, column=shown
            )
        if name:
            written[name] = shown
        names.append(name)
    return names, written


def number_text(text: str, column: str, *, decimal_comma: bool = False, places: int | None = None) -> str:
    """A number cell as money.parse_decimal reads it (a dot as the decimal sign), checked against the
    decimals its column keeps.

    In a semicolon- or tab-separated file (`decimal_comma`: what Excel writes where the comma is the decimal
    sign) "12,5" is 12.5 and "12.5" too; a dot followed by groups of three digits ("1.250", "2.850") is
    refused there as ambiguous, since Spanish and Portuguese Excel group thousands with a dot. More decimals
    than `places` are refused (trailing zeros do not count): an import never rounds what was typed."""
    cleaned = text.strip()
    if decimal_comma:
        if "," in cleaned and "." not in cleaned and cleaned.count(",") == 1:
            cleaned = cleaned.replace(",", ".")
        elif _GROUPED.fullmatch(cleaned.replace(" ", "")):
            raise ValidationError(
                column,
                "“{value}” can be read two ways: in this file a dot may group thousands. Write it without "
                "the dot, or with a comma as the decimal sign.",
                value=text,
            )
    plain = cleaned.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if places is not None and money.PLAIN_NUMBER.fullmatch(plain):
        decimals = plain.partition(".")[2].rstrip("0")
        if len(decimals) > places:
            raise ValidationError(
                column,
                "“{value}” has more decimals than the {places} kept for this column: nothing is rounded "
                "on import.",
                value=text,
                places=places,
            )
    return cleaned


def parse_iso_date(text: str, column: str) -> date:
    """Exactly YYYY-MM-DD (Python 3.11's fromisoformat also reads 20250105 and 2025-W01-1)."""
    if not _ISO_DATE.fullmatch(text):
        raise ValidationError(column, "“{value}” is not a date of the form YYYY-MM-DD.", value=text)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(column, "“{value}” is not a date of the form YYYY-MM-DD.", value=text) from None


def parse_date(
    text: str, column: str, *, allow_future: bool = False, earliest: date = records.EARLIEST_DATE
) -> date:
    """A YYYY-MM-DD cell in the range records.check_date allows; the future only if allowed (a card's expiry)."""
    day = parse_iso_date(text, column)
    records.check_date(day, column, earliest=earliest, allow_future=allow_future)
    return day


class ErrorCollector:
    """Gathers row errors so one import reports many problems at once (up to a limit)."""

    def __init__(self, limit: int = 100) -> None:
        self.errors: list[ValidationError] = []
        self.limit = limit

    def add(self, error: ValidationError, row: int) -> None:
        if error.row is None:
            error.row = row
        self.errors.append(error)
        if len(self.errors) >= self.limit:
            self.raise_if_any()

    def raise_if_any(self) -> None:
        """ErrorList of the errors in row order (some checks run a batch of rows at a time)."""
        if self.errors:
            raise ErrorList(sorted(self.errors, key=lambda e: e.row or 0))


def safe_cell(value: Any) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula (plain numbers stay numbers)."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    # A text that itself starts with apostrophes before a formula sign ('+243) gets one more, so that
    # unguard, which takes one off, gives it back as it was.
    if text.lstrip("'").startswith(FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def write_rows(
    path: str | os.PathLike,
    header: list[str],
    rows: Iterable[Iterable[Any]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> int:
    """Write a CSV atomically (temp file, then rename); returns the number of data rows. `bom` starts it
    with the UTF-8 mark, by which Excel recognises UTF-8 (without it, it shows é as Ã©)."""

    def write(tmp: Path) -> int:
        count = 0
        with open(tmp, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow(header)
            for row in rows:
                writer.writerow([safe_cell(v) for v in row])
                count += 1
        return count

    return sheets.write_atomically(path, write)
