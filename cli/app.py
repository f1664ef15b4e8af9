"""The command line's parser, built from a fixed list of command modules, and `run`: open, sign in, run."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from cli import accounts, books, cooperative, files, ledger, periods, records, report, signin, yearend
from cli.args import Parser, UsageError
from coop import i18n, options
from coop.errors import CoopError, ValidationError
from coop.i18n import _
from coop.permissions import Actor

# Each command module imports the services it needs inside its commands: building this parser imports none.
MODULES = (cooperative, records, ledger, files, accounts, report, periods, books, yearend)
Command = Callable[[argparse.Namespace, Actor], int]
COMMANDS: dict[str, Command] = {name: fn for module in MODULES for name, fn in module.COMMANDS.items()}


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="coopledger",
        description=_("CoopLedger: books, traceability and tax filings for artisanal mining cooperatives."),
    )
    options.add_to(p)
    signin.add_to(p, top=True)
    p.add_argument(
        "--selftest",
        action="store_true",
        help=_("create a temporary cooperative, post a sale, render a receipt, verify, and exit"),
    )
    sub = p.add_subparsers(dest="command", parser_class=Parser)
    for module in MODULES:
        module.add_parsers(sub)
    _sign_in_options_everywhere(sub)
    return p


def _sign_in_options_everywhere(sub: argparse._SubParsersAction) -> None:
    """`--user NAME` is accepted after the command too (`balance --user ana`), at every level."""
    for parser in set(sub.choices.values()):
        signin.add_to(parser, top=False)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                _sign_in_options_everywhere(action)


# Commands that only read: on a read-only file, folder or disk they open it read-only (no journal-mode change,
# no migration, no day's backup; the sign-in is checked without being recorded).
READING = frozenset(
    {"verify", "export", "export-beancount", "backup", "report", "balance", "tax-summary", "summary"}
)
READING |= frozenset(books.REPORTS)
# Commands that print figures: refused on a damaged file (coop.db.check_figures) rather than showing them.
FIGURES = frozenset({"balance", "tax-summary", "summary", "report"}) | frozenset(books.REPORTS)


def open_db(args: argparse.Namespace) -> Path:
    """Open (and upgrade) the database, then take the start-of-day backup; a failed backup only warns."""
    from coop import anchors, backups, db

    path = files.db_path(args)
    if args.command in READING and db.cannot_write(path):
        handle = db.open_database(path, read_only=True)
        if args.command in FIGURES:
            db.check_figures(handle)
        return path
    handle = db.open_database(path)
    if args.command in FIGURES:
        db.check_figures(handle)
    anchors.watch(handle, files.seen_path(args))
    if cooperative.has_cooperative():
        try:
            backups.start_of_day(handle)
        except CoopError as exc:
            print(_("Warning: {message}").format(message=exc.message()), file=sys.stderr)
    return path


def run(argv: Sequence[str] | None = None) -> int:
    """Parse, open the database, sign in and run one command; a user error prints one translated line and
    returns 1."""
    argv = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(_early_lang(argv))
    try:
        return _run(build_parser().parse_args(argv))
    except UsageError as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 1
    except CoopError as exc:
        print(_("Error: {message}").format(message=exc.message()).replace("\n", " "), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader went away (`… | head`): what it wanted was printed; stop quietly, as Unix tools do.
        # Point stdout at devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, the shell's code for a command cut off by a closed pipe


def _run(args: argparse.Namespace) -> int:
    if args.command is None:
        raise UsageError(
            _(
                "name a command (see --help); the desktop application takes only --db, --data-dir, --portable and --lang"
            )
        )
    if args.command in files.NO_DATABASE:
        return COMMANDS[args.command](args, files.restore_actor(args))
    open_db(args)
    if args.command not in ("init", "demo") and not cooperative.has_cooperative():
        raise ValidationError("db", "The database has no cooperative yet. Run “init” or “demo” first.")
    if args.command == "demo" and args.if_missing and cooperative.has_cooperative():
        return 0  # nothing to do and nothing shown, so no account needed (`make run` starts with this)
    return COMMANDS[args.command](args, signin.actor_for(args))


def _early_lang(argv: list[str]) -> str:
    if "--lang" in argv and argv.index("--lang") + 1 < len(argv):
        return argv[argv.index("--lang") + 1]
    for a in argv:
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    env = os.environ.get("LANGUAGE") or os.environ.get("LANG") or "en"
    return env.split(":")[0].split(".")[0].split("_")[0] or "en"
