"""Excel .xlsx files through openpyxl: sheets streamed row by row as cell texts, and small sheets written."""

from __future__ import annotations

import itertools
import os
import re
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from coop.errors import ValidationError

T = TypeVar("T")

XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc): not readable here
# What a spreadsheet shows of a number in a cell of the General format: 15 significant digits. Excel and
# LibreOffice keep 15 digits of what was typed, and store the binary double nearest to it; the 15-digit
# decimal of that double is the number typed (0.1 typed is stored as 0.1000000000000000055…, read as 0.1).
SIGNIFICANT = 15


def _open(path: str | os.PathLike, data_only: bool) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except OSError as exc:
        raise ValidationError(
            "file", "Cannot read {path}: {reason}", path=str(path), reason=exc.strerror or str(exc), row=1
        ) from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, SyntaxError) as exc:
        raise _damaged(exc) from None


def _damaged(exc: Exception) -> ValidationError:
    # openpyxl reports a damaged or foreign archive (an .ods renamed .xlsx, a cut download) with these;
    # SyntaxError covers the XML parser's ParseError
    return ValidationError(
        "file", "The file is not a readable Excel workbook (.xlsx): {detail}", detail=str(exc)[:200], row=1
    )


def sheet_names(path: str | os.PathLike) -> list[str]:
    """The names of the workbook's sheets, in their order (the import dialog offers a choice of them)."""
    book = _open(path, data_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _sheet(book: Any, name: str | None) -> Any:
    if name is None:
        sheet = book.worksheets[0]
    elif name in book.sheetnames:
        sheet = book[name]
    else:
        raise ValidationError(
            "sheet",
            "The workbook has no sheet “{sheet}” (its sheets: {sheets}).",
            sheet=name,
            sheets=", ".join(book.sheetnames),
            row=1,
        )
    if not hasattr(sheet, "reset_dimensions"):  # a chart sheet holds no cells
        raise ValidationError(
            "sheet", "The sheet “{sheet}” holds no table of cells.", sheet=sheet.title, row=1
        )
    # the size a file declares is not trusted (some programs write none or a wrong one): read every row
    sheet.reset_dimensions()
    return sheet


def rows(path: str | os.PathLike, sheet: str | None = None) -> Generator[tuple[int, list[Any]], None, None]:
    """(spreadsheet row number, cells) of one sheet, streamed; each cell is a `Cell` value (see `text`).

    Two read-only passes run side by side: the values (a formula's last computed result, as the file
    saved it) and the formulas, so that a formula whose result was never saved is refused, not read as empty."""
    values = _open(path, data_only=True)
    formulas = None
    try:
        chosen = _sheet(values, sheet)
        cells = chosen.iter_rows(values_only=False)
        forms: Iterator[Any] = itertools.repeat(())
        if _has_formulas(chosen):  # the second pass costs as much as the first: only where needed
            formulas = _open(path, data_only=False)
            forms = _sheet(formulas, sheet).iter_rows(values_only=True)
        for number, (row, form) in enumerate(zip(cells, forms, strict=False), start=1):
            yield number, [_cell(c, form[i] if i < len(form) else None) for i, c in enumerate(row)]
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, SyntaxError) as exc:
        raise _damaged(exc) from None
    finally:
        values.close()
        if formulas is not None:
            formulas.close()


# A formula element in a sheet's XML (<f>, <f t="shared" …/>, or with a namespace prefix): text cannot
# hold one, since XML escapes "<" in text
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _has_formulas(sheet: Any) -> bool:
    """Whether the sheet's XML holds any formula, read as a byte stream (fast, unlike parsing it)."""
    tail = b""
    with sheet._get_source() as source:  # openpyxl's stream of the sheet's XML part
        while block := source.read(1 << 20):
            if _FORMULA_TAG.search(tail + block):
                return True
            tail = block[-64:]
    return False


class Cell:
    """One cell as stored: its value and openpyxl's type letter, and whether it is a formula."""

    __slots__ = ("value", "kind", "formula")

    def __init__(self, value: Any, kind: str, formula: bool) -> None:
        self.value, self.kind, self.formula = value, kind, formula


def _cell(cell: Any, form: Any) -> Cell | None:
    value = getattr(cell, "value", None)
    formula = form is not None and not isinstance(form, str | int | float | bool | datetime | date | time)
    formula = formula or (isinstance(form, str) and form.startswith("=") and value != form)
    if value is None and not formula:
        return None
    return Cell(value, getattr(cell, "data_type", "n"), formula)


def number_text(value: int | float | Decimal) -> str:
    """A number cell as plain decimal text, exactly what the spreadsheet shows: never a float's tail."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return str(value)
    exact = Decimal(value) if isinstance(value, Decimal) else Decimal(format(value, f".{SIGNIFICANT}g"))
    if exact == 0:
        return "0"
    text = format(exact.normalize(), "f")
    return text


def text(cell: Cell | None, column: str) -> str:
    """The cell as the text a CSV cell would hold: dates YYYY-MM-DD, numbers plain decimals, booleans
    yes/no; a formula without a saved result, an error value or a time of day is refused."""
    if cell is None:
        return ""
    value = cell.value
    if value is None:
        raise ValidationError(
            column,
            "The cell holds a formula whose result was not saved: open the file in your spreadsheet "
            "program, save it again, and import it again (or type the value instead of the formula).",
        )
    if cell.kind == "e":
        raise ValidationError(column, "The cell shows the error {value}: correct it first.", value=str(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.time() != time(0, 0):
            raise ValidationError(
                column,
                "The cell holds a time of day ({value}): give a date only.",
                value=value.isoformat(" "),
            )
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time | timedelta):
        raise ValidationError(column, "The cell holds a time, not a date or a number.")
    if isinstance(value, int | float | Decimal):
        return number_text(value)
    return str(value)


def write(path: str | os.PathLike, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> None:
    """Write a one-sheet workbook atomically: header in bold and frozen, dates as date cells, numbers as
    number cells (Decimal, never float), text as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.number_format = "@"  # text: a typed +243… or 0012 stays as typed
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[_letter(index)].width = max(12, len(name) + 4)
    sheet.freeze_panes = "A2"
    write_atomically(path, book.save)


def write_atomically(path: str | os.PathLike, write: Callable[[Path], T]) -> T:
    """`write` fills a temporary file beside `path`, which then replaces `path` at once: a reader never sees
    half a file; a failure leaves no temporary file behind and is a ValidationError naming the path."""
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    try:
        result = write(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError(
            "file", "Cannot write {path}: {reason}", path=str(path), reason=exc.strerror
        ) from None
    return result


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
