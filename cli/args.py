"""Argument types and the parser class the command modules share."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date
from typing import NoReturn

from coop.i18n import _


class UsageError(Exception):
    """argparse found a bad argument: one line on stderr, exit 1."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


class LazyChoices:
    """argparse choices read from a service module only when an argument is checked or help is shown.

    The argument needs a metavar: argparse formats a metavar from the choices when the argument is added."""

    def __init__(self, load: Callable[[], Sequence[str]]) -> None:
        self._load = load

    def __contains__(self, value: object) -> bool:
        return value in self._load()

    def __iter__(self):
        return iter(self._load())


def day(text: str) -> date:
    """YYYY-MM-DD from EARLIEST_DATE on, checked as a form's or a CSV cell's date (a period may end later)."""
    from coop.errors import ValidationError
    from coop.services import csvio

    try:
        return csvio.parse_date(text, "date", allow_future=True)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from None


def year(text: str) -> int:
    """A year of the books: from EARLIEST_DATE's year to this year."""
    from coop.services.records import EARLIEST_DATE

    first, last = EARLIEST_DATE.year, date.today().year
    if not (text.isascii() and text.isdigit() and len(text) <= 4 and first <= int(text) <= last):
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a year from {first} to {last}.").format(value=text, first=first, last=last)
        )
    return int(text)


def positive(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a whole number of 1 or more.").format(value=text)
        )
    return int(text)
