"""The headless command line: init, demo, import, export, balance, tax summary, backup, restore, verify, user."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

from coop import i18n, options
from coop.errors import CoopError, ValidationError
from coop.i18n import _
from coop.permissions import ROLES, Actor

# The services each command needs are imported inside the command: the desktop start-up parses these
# options too, and importing backups, demo, chain, imports, exports... there cost ~40 % of its time.

COMMANDS: dict[str, Callable[[argparse.Namespace, Actor], int]] = {}
EXTRA_PARSERS: list[Callable[[argparse._SubParsersAction], None]] = []  # added by reports/


class _LazyChoices:
    """argparse choices read from a service module only when an argument is checked or help is shown.

    The argument needs a metavar: argparse formats a metavar from the choices when the argument is added."""

    def __init__(self, load: Callable[[], Sequence[str]]) -> None:
        self._load = load

    def __contains__(self, value: object) -> bool:
        return value in self._load()

    def __iter__(self):
        return iter(self._load())


def _import_kinds() -> list[str]:
    from coop.services import imports

    return sorted(imports.IMPORTERS)


def _export_tables() -> Sequence[str]:
    from coop.services import exports

    return exports.TABLES


class UsageError(Exception):
    """argparse found a bad argument: one line on stderr, exit 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def command(name: str):
    def register(fn):
        COMMANDS[name] = fn
        return fn

    return register


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a date of the form YYYY-MM-DD.").format(value=text)
        ) from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a whole number of 1 or more.").format(value=text)
        )
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="coopledger",
        description=_("CoopLedger: books, traceability and tax filings for artisanal mining cooperatives."),
    )
    options.add_to(p)
    p.add_argument(
        "--selftest",
        action="store_true",
        help=_("create a temporary cooperative, post a sale, render a receipt, verify, and exit"),
    )
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    s = sub.add_parser("init", help=_("create the cooperative"))
    s.add_argument("--name", required=True)
    s.add_argument("--currency", required=True, help=_("local currency, e.g. CDF, XOF, BOB, TZS, GHS, PEN"))
    s.add_argument("--locale", default="en", help=_("formats, e.g. fr_CD, es_BO, sw_TZ"))
    s.add_argument("--country", default="")
    s.add_argument("--levy", type=int, default=500, help=_("cooperative levy in basis points (500 = 5%%)"))
    s.add_argument("--presets", action="store_true", help=_("load the country's tax presets"))
    s = sub.add_parser("demo", help=_("create the demo cooperative"))
    s.add_argument(
        "--if-missing", action="store_true", help=_("do nothing if the database has a cooperative")
    )
    s = sub.add_parser("import", help=_("import a CSV file (all rows or none)"))
    s.add_argument("kind", metavar="KIND", choices=_LazyChoices(_import_kinds), help="%(choices)s")  # type: ignore[arg-type]
    s.add_argument("file")
    s = sub.add_parser("export", help=_("export a table to CSV"))
    s.add_argument("table", metavar="TABLE", choices=_LazyChoices(_export_tables), help="%(choices)s")  # type: ignore[arg-type]
    s.add_argument("file")
    s = sub.add_parser("balance", help=_("members' balances, or the cooperative's position"))
    s.add_argument("--member", help=_("member number"))
    s = sub.add_parser("tax-summary", help=_("tax due and paid for a period"))
    s.add_argument("--from", dest="start", type=_day, required=True)
    s.add_argument("--to", dest="end", type=_day, required=True)
    s.add_argument("--authority")
    s = sub.add_parser("backup", help=_("online backup of the database to a file"))
    s.add_argument("dest")
    s = sub.add_parser(
        "restore", help=_("replace the database by a verified backup (the current file is kept aside)")
    )
    s.add_argument("file")
    s = sub.add_parser("verify", help=_("integrity check, ledger balance and hash chain"))
    s.add_argument(
        "--full",
        action="store_true",
        help=_("also check every index against its table (SQLite integrity_check: slow on large files)"),
    )
    s.add_argument(
        "--jobs", type=_positive, help=_("processes checking the chain at once (default: one per core)")
    )
    sub.add_parser("summary", help=_("print the cooperative's summary"))
    s = sub.add_parser("user", help=_("manage accounts"))
    us = s.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    a = us.add_parser("add", help=_("add an account (password read from the terminal or stdin)"))
    a.add_argument("username")
    a.add_argument("--role", choices=ROLES, required=True)
    a.add_argument("--member", help=_("member number, for member accounts"))
    a.add_argument("--password-stdin", action="store_true")
    for extra in EXTRA_PARSERS:
        extra(sub)
    return p


def cli_actor() -> Actor:
    """Whoever can run the command line on the office laptop holds the file: audited as cli:<login>."""
    try:
        import getpass

        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    return Actor(username=f"cli:{login}", role="manager")


def locale() -> str:
    from coop.services import settings

    return settings.get().locale


def money(minor: int) -> str:
    from coop.services import settings

    coop = settings.get()
    return i18n.format_money(minor, coop.currency, coop.locale)


@command("init")
def _init(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import settings, taxes

    settings.save(
        actor,
        name=args.name,
        currency=args.currency.upper(),
        locale=args.locale,
        country=args.country,
        levy_bp=args.levy,
    )
    if args.presets:
        taxes.load_presets(actor, args.country, date(date.today().year, 1, 1))
    print(_("Cooperative “{name}” created.").format(name=args.name))
    return 0


def has_cooperative() -> bool:
    from coop.models import Cooperative

    return Cooperative.select().exists()


@command("demo")
def _demo(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import demo

    if has_cooperative():
        if args.if_missing:
            return 0
        raise ValidationError(
            "db", "This database already has a cooperative; use a new --db file for the demo."
        )
    counts = demo.create(actor)
    print(_("Demo cooperative created: {members} members, {lots} lots, {sales} sales.").format(**counts))
    print(
        _("Demo accounts: manager, treasurer, clerk, auditor, member; password: {password}").format(
            password=demo.DEMO_PASSWORD
        )
    )
    return 0


@command("import")
def _import(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import imports

    result = imports.IMPORTERS[args.kind](actor, args.file)
    print(i18n.ngettext("{n} row imported.", "{n} rows imported.", result.rows).format(n=result.rows))
    return 0


@command("export")
def _export(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import exports

    n = exports.export(actor, args.table, args.file)
    print(
        i18n.ngettext("{n} row written to {file}.", "{n} rows written to {file}.", n).format(
            n=n, file=args.file
        )
    )
    return 0


@command("balance")
def _balance(args: argparse.Namespace, actor: Actor) -> int:
    from coop.models import Member
    from coop.services import ledger

    if args.member:
        m = Member.get_or_none(Member.member_no == args.member)
        if m is None:
            raise ValidationError("member", "Unknown member: {value}.", value=args.member)
        print(f"{m.member_no}\t{m.full_name}\t{money(ledger.member_balance(actor, m.id))}")
        return 0
    pos = ledger.position(actor)
    for label, value in [
        (_("Cash"), pos.cash),
        (_("Mobile money"), pos.mobile_money),
        (_("Bank"), pos.bank),
        (_("Owed to members"), pos.members_payable),
        (_("Tax payable"), pos.tax_payable),
        (_("Levy income"), pos.levy_income),
    ]:
        print(f"{label}\t{money(value)}")
    return 0


@command("tax-summary")
def _tax_summary(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import taxes

    s = taxes.summary(actor, args.start, args.end, args.authority)
    loc = locale()
    for m in s.by_mineral:
        print(f"{m.mineral}\t{i18n.format_qty(m.qty_milli, m.unit, loc)}\t{money(m.gross_local_minor)}")
    for t in s.taxes:
        print(
            f"{t.authority}\t{t.name}\t{i18n.format_decimal(Decimal(t.rate_bp) / 100, loc)} %\t{money(t.base_minor)}\t"
            f"{money(t.due_minor)}"
        )
    print(
        f"{_('Due')}\t{money(s.due_minor)}\n{_('Paid')}\t{money(s.paid_minor)}\n{_('Balance')}\t"
        f"{money(s.balance_minor)}"
    )
    return 0


@command("backup")
def _backup(args: argparse.Namespace, actor: Actor) -> int:
    from coop import db

    actor.require("backup")
    from coop.models import database

    path = db.backup_to(database.obj, args.dest)
    print(_("Backup written to {path}.").format(path=path))
    return 0


@command("verify")
def _verify(args: argparse.Namespace, actor: Actor) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from coop import chain, db
    from coop.models import database
    from coop.services import ledger

    def database_checks() -> tuple[list[str], list[int]]:
        try:
            return db.integrity_problems(database.obj, full=args.full), ledger.unbalanced_entries()
        finally:
            database.close()  # this thread's own connection (peewee keeps one per thread)

    # SQLite releases the GIL while it checks, so the file checks run beside the chain walk (bench case 7)
    with ThreadPoolExecutor(1) as pool:
        checks = pool.submit(database_checks)
        result = chain.verify(args.jobs)
        problems, unbalanced = checks.result()
    for p in problems:
        print(_("Database problem: {detail}").format(detail=p))
    if unbalanced:
        print(_("Unbalanced journal entries: {seqs}").format(seqs=", ".join(map(str, unbalanced))))
    if not result.ok:
        print(
            _("Chain broken at {record}: {reason}").format(
                record=result.broken_source, reason=_(result.reason)
            )
        )
    if problems or unbalanced or not result.ok:
        return 1
    print(_("OK: {n} records verified; chain head {head}.").format(n=result.checked, head=result.head[:10]))
    return 0


@command("summary")
def _summary(args: argparse.Namespace, actor: Actor) -> int:
    from coop import chain
    from coop.models import Member, ProductionLot, Sale
    from coop.services import settings

    coop = settings.get()
    print(coop.name)
    print(_("Members: {n}").format(n=Member.select().where(Member.status == "active").count()))
    print(_("Production lots: {n}").format(n=ProductionLot.select().count()))
    print(_("Posted sales: {n}").format(n=Sale.select().where(Sale.state == "posted").count()))
    _balance(argparse.Namespace(member=None), actor)
    print(_("Chain head: {head}").format(head=chain.head()[1][:10]))
    return 0


@command("user")
def _user(args: argparse.Namespace, actor: Actor) -> int:
    from coop.models import Member
    from coop.services import users

    member_id = None
    if args.member:
        m = Member.get_or_none(Member.member_no == args.member)
        if m is None:
            raise ValidationError("member", "Unknown member: {value}.", value=args.member)
        member_id = m.id
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        import getpass

        password = getpass.getpass(_("Password: "))
    users.add_user(None if users.count_users() == 0 else actor, args.username, password, args.role, member_id)
    print(_("Account {name} created.").format(name=args.username))
    return 0


def db_path(args: argparse.Namespace) -> Path:
    from coop.paths import database_path

    return database_path(args.db, args.data_dir, args.portable)


def open_db(args: argparse.Namespace) -> Path:
    """Open (and upgrade) the database, then take the start-of-day backup; a failed backup only warns."""
    from coop import backups, db

    path = db_path(args)
    handle = db.open_database(path)
    if has_cooperative():
        try:
            backups.start_of_day(handle)
        except CoopError as exc:
            print(_("Warning: {message}").format(message=exc.message()), file=sys.stderr)
    return path


@command("restore")
def _restore(args: argparse.Namespace, actor: Actor) -> int:
    """Runs without opening the current database (it may be the damaged one)."""
    from coop import backups, db

    actor.require("backup")
    from coop.models import database

    if database.obj is not None:
        database.obj.close()
    result = backups.restore(db_path(args), args.file)
    db.open_database(result.path)
    print(_("Restored {file}: {n} records verified.").format(file=args.file, n=result.records))
    if result.aside is not None:
        print(_("The previous database was kept as {path}.").format(path=result.aside))
    return 0


NO_DATABASE = ("restore",)  # commands that must not open (and so upgrade or back up) the current file


def run(argv: Sequence[str] | None = None) -> int:
    """Parse and run one command; user errors print one translated line and return 1."""
    argv = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(_early_lang(argv))
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            return -1  # caller starts the UI
        if args.command in NO_DATABASE:
            return COMMANDS[args.command](args, cli_actor())
        open_db(args)
        if args.command not in ("init", "demo") and not has_cooperative():
            raise ValidationError("db", "The database has no cooperative yet. Run “init” or “demo” first.")
        return COMMANDS[args.command](args, cli_actor())
    except UsageError as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 1
    except CoopError as exc:
        print(_("Error: {message}").format(message=exc.message()).replace("\n", " "), file=sys.stderr)
        return 1


def _early_lang(argv: list[str]) -> str:
    if "--lang" in argv and argv.index("--lang") + 1 < len(argv):
        return argv[argv.index("--lang") + 1]
    for a in argv:
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    env = os.environ.get("LANGUAGE") or os.environ.get("LANG") or "en"
    return env.split(":")[0].split(".")[0].split("_")[0] or "en"
