"""Argument types and the parser class the command modules share."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date
from typing import NoReturn

from coop import i18n
from coop.i18n import N_, _, ngettext

# argparse's own texts (Python 3.11-3.13): argparse looks them up in gettext's "argparse" domain, for which no
# catalogue exists in our languages, so they are marked here and kept in ours (install_argparse_translation).
ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("subcommands"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _argparse_plurals() -> None:
    """argparse's one plural text, marked for extraction (never called: argparse asks for it itself)."""
    ngettext("expected %s argument", "expected %s arguments", 2)


def install_argparse_translation() -> None:
    """Make argparse translate its texts ("usage:", "options", "the following arguments are required") with
    our catalogue, in the language in force when it formats them (argparse calls its module's `_` and
    `ngettext` by name, so replacing them there is enough; texts we do not have stay English)."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


class UsageError(Exception):
    """argparse found a bad argument: one line on stderr, exit 1."""


class HelpFormatter(argparse.HelpFormatter):
    """argparse writes "heading:" itself; French wants a no-break space before the colon, as in our
    "{label}: {value}", so the heading takes what that pattern puts between the label and the colon."""

    def start_section(self, heading: str | None) -> None:
        if heading:
            joined = _("{label}: {value}").format(label=heading, value="").rstrip()
            heading = joined[:-1] if joined.endswith(":") else heading
        super().start_section(heading)


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        install_argparse_translation()  # before the help option and the groups are titled
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

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


def coded(text: str, labels: Sequence[tuple[str, str]]) -> str:
    """Help of an option whose choices are typed codes: the translated `text` and, per code, what it means.

    The codes stay as they are typed (`--method mobile_money`); each is followed by its translated label, so
    the help never shows an English key alone inside a translated sentence. `%` is doubled for argparse.
    """
    meanings = ", ".join(code + " = " + _(label) for code, label in labels)
    return _("{label}: {value}").format(label=text, value=meanings).replace("%", "%%")
