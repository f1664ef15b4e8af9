"""CSV reading with row/column errors (UTF-8, comma or semicolon) and safe CSV writing for spreadsheets."""

from __future__ import annotations

import codecs
import csv
import os
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from coop.errors import ErrorList, ValidationError
from coop.services import records

MAX_FIELD = 10_000  # characters; longer cells are refused, not truncated
MAX_LINE = 1_000_000  # bytes of one physical line: a file of one endless line is refused, not loaded
MAX_HEADER = 100_000  # characters of the first line (the column names)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decoded_lines(handle: BinaryIO) -> Iterator[str]:
    """Decode line by line so a bad byte is reported on its own line, not on the first one."""
    for number, raw in enumerate(iter(lambda: handle.readline(MAX_LINE), b""), start=1):
        if len(raw) >= MAX_LINE and not raw.endswith(b"\n"):
            raise ValidationError(
                "file", "Line {line} is longer than {n} characters.", row=number, line=number, n=MAX_LINE
            )
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _encoding_error(number) from None


def _check_cells(header: list[str], cells: list[str], rowno: int) -> dict[str, str]:
    if len(cells) > len(header):
        raise ValidationError("file", "The row has more cells than the header.", row=rowno)
    # One look at the whole row first (a newline is no control character here): the cell-by-cell search
    # naming the column is slow enough to weigh on an import, so it runs only for a row that fails.
    joined = "\n".join(cells)
    if len(joined) > MAX_FIELD or _CONTROL.search(joined):
        _check_each_cell(header, cells, rowno)
    cells = cells + [""] * (len(header) - len(cells))  # a short row: its missing cells are empty
    if "'" in joined:
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


def open_rows(path: str | os.PathLike, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, {column: text}) from a UTF-8 CSV; row 1 is the header. Raises typed errors."""
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise ValidationError(
            "file", "Cannot read {path}: {reason}", path=str(path), reason=exc.strerror
        ) from None
    with handle:
        lines = _decoded_lines(handle)
        head = next(lines, "")
        delimiter = ";" if head.count(";") > head.count(",") else ","
        header = _header(head, delimiter)
        missing = [c for c in required if c not in header]
        if missing:
            raise ValidationError(
                missing[0], "The column “{column}” is missing from the header.", row=1, column=missing[0]
            )
        reader = csv.reader(lines, delimiter=delimiter)
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


def _header(line: str, delimiter: str) -> list[str]:
    """The column names of the first line (lower case); a line that cannot be a header is refused."""
    if len(line) >= MAX_HEADER:
        raise ValidationError("file", "The first line is not a header of column names.", row=1)
    try:
        names = [h.strip().lower() for h in next(csv.reader([line], delimiter=delimiter), [])]
    except csv.Error as exc:
        raise ValidationError("file", "The file is not valid CSV: {detail}", row=1, detail=str(exc)) from None
    seen: set[str] = set()
    for name in names:
        if name and name in seen:  # which of the two cells would count is anyone's guess
            raise ValidationError(
                name, "The column “{column}” appears twice in the header.", row=1, column=name
            )
        seen.add(name)
    return names


def _encoding_error(row: int) -> ValidationError:
    return ValidationError(
        "file", "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.", row=row
    )


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


def write_rows(path: str | os.PathLike, header: list[str], rows: Iterable[Iterable[Any]]) -> int:
    """Write a CSV atomically (temp file, then rename); returns the number of data rows."""
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    count = 0
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow([safe_cell(v) for v in row])
                count += 1
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError(
            "file", "Cannot write {path}: {reason}", path=str(path), reason=exc.strerror
        ) from None
    return count
