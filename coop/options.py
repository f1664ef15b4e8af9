"""The options every invocation takes (database, data folder, portable, language): one table for the command
line's parser and for the desktop start-up, which reads them before anything heavy is imported."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from coop.i18n import N_, _

# (option, takes a value, help): the command line adds them to its parser; `desktop` reads them directly
# (a first argparse parse would delay the window: regex compiles and gettext lookups of its own texts).
OPTIONS = (
    ("--db", True, N_("database file (default: in the user data directory)")),
    ("--data-dir", True, N_("folder for the database and backups")),
    ("--portable", False, N_("keep the data beside the program (USB stick)")),
    ("--lang", True, N_("language: en, fr, es, pt, sw (xx = pseudo-localization)")),
    ("--measure-startup", False, N_("print start-up time and exit")),
)


def _dest(option: str) -> str:
    return option[2:].replace("-", "_")


def add_to(p: argparse.ArgumentParser) -> None:
    for option, takes_value, help_text in OPTIONS:
        if takes_value:
            p.add_argument(option, help=_(help_text))
        else:
            p.add_argument(option, action="store_true", help=_(help_text))


def desktop(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options when `argv` holds nothing else (start the desktop application), as the command line's
    parser would give them; None when it holds a command, --help, a missing value or anything unknown:
    the command line then parses it and reports errors."""
    known = {option: takes_value for option, takes_value, _help in OPTIONS}
    args = argparse.Namespace(**{_dest(o): (None if v else False) for o, v, _h in OPTIONS})
    tokens = iter(argv)
    for token in tokens:
        option, equals, value = token.partition("=")
        if option not in known or (equals and not known[option]):
            return None
        if known[option]:
            if not equals:
                value = next(tokens, "-")
                if value.startswith("-"):  # argparse reads this as a missing value
                    return None
            setattr(args, _dest(option), value)
        else:
            setattr(args, _dest(option), True)
    return args
