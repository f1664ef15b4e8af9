"""Commands about the database file: `backup`, `restore` and `verify`."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from cli import ledger, signin
from cli.args import positive
from coop.errors import AuthError, StorageError
from coop.i18n import _
from coop.permissions import Actor

NO_DATABASE = ("restore",)  # commands that must not open (and so upgrade or back up) the current file


def add_parsers(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("backup", help=_("online backup of the database to a file"))
    s.add_argument("dest", help=_("file to write the backup to"))
    s = sub.add_parser(
        "restore", help=_("replace the database by a verified backup (the current file is kept aside)")
    )
    s.add_argument("file", help=_("the backup file to restore"))
    s = sub.add_parser("verify", help=_("integrity check, ledger balance and hash chain"))
    s.add_argument(
        "--full",
        action="store_true",
        help=_("also check every index against its table (SQLite integrity_check: slow on large files)"),
    )
    s.add_argument(
        "--jobs", type=positive, help=_("processes checking the chain at once (default: one per core)")
    )
    s.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="NUMBER:HASH",
        help=_(
            "a record's hash as printed on paper (receipt 2025/12, payout/N, tax/N, or a filing's period), "
            "at least 16 hex characters; repeatable"
        ),
    )
    s.add_argument("--anchors", metavar="FILE", help=_("a text file of NUMBER:HASH anchors, one per line"))
    ledger.json_option(s)


def db_path(args: argparse.Namespace) -> Path:
    from coop.paths import database_path

    return database_path(args.db, args.data_dir, args.portable)


def backup(args: argparse.Namespace, actor: Actor) -> int:
    from coop import backups, db

    actor.require("backup")
    from coop.models import database

    path = db.backup_to(database.obj, args.dest)
    backups.anchor(database.obj, "backup")
    print(_("Backup written to {path}.").format(path=path))
    return 0


def seen_path(args: argparse.Namespace) -> Path:
    from coop.paths import seen_heads_path

    return seen_heads_path(args.db, args.data_dir, args.portable)


def verify(args: argparse.Namespace, actor: Actor) -> int:
    """Runs without an account (signin.OPEN): it reveals nothing personal. The chain is compared with the
    paper anchors given, the anchor log beside the backups and the last head this installation saw; a
    sound file adds a line to the anchor log."""
    from coop import anchors, verification
    from coop.models import database

    paper = anchors.parse_lines(args.anchor)
    if args.anchors:
        paper += anchors.read_file(args.anchors)
    path = db_path(args)
    report = verification.run(
        database.obj,
        full=args.full,
        jobs=args.jobs,
        anchor_log=anchors.log_path(path),
        seen=anchors.read_seen(seen_path(args), path),
        paper=paper,
    )
    if args.json:  # {"ok", "links", "head", "problems": [translated messages]}
        ledger.print_json(
            {
                "ok": report.ok,
                "links": report.links,
                "head": report.head,
                "problems": [p.message() for p in report.problems],
            }
        )
    else:
        for problem in report.problems:
            print(problem.message())
    if not report.ok:
        return 1
    if not database.obj.read_only:  # a file on read-only media is verified, nothing is noted beside it
        anchors.note(path, "verify", seen_path(args))
    if args.json:
        return 0
    if paper:
        print(_("Paper anchors matching the chain: {n}.").format(n=len(paper)))
    print(_("OK: {n} records verified; chain head {head}.").format(n=report.links, head=report.head[:16]))
    return 0


def restore_actor(args: argparse.Namespace) -> Actor:
    """Who restores: an account of the file in place when it opens at this version without an upgrade, else
    of the backup (the file in place is then missing or damaged: the reason to restore). Either way the
    file in place is neither upgraded nor backed up by this sign-in."""
    from coop import db, peek

    if args.user is None:
        raise AuthError(signin.NEEDS_ACCOUNT)
    current = db_path(args)
    if peek.peek(current) is not None:
        handle = db.open_database(current, migrate=False)
        try:
            return signin.sign_in(args)
        finally:
            handle.close()
    if not Path(args.file).is_file():
        raise StorageError("The backup file {path} does not exist.", path=str(args.file))
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / "backup.sqlite"
        shutil.copyfile(args.file, copy)  # an older backup is upgraded here, in the copy only
        handle = db.open_database(copy, backup_dir=Path(work))
        try:
            return signin.sign_in(args)
        finally:
            handle.close()


def restore(args: argparse.Namespace, actor: Actor) -> int:
    """Runs without opening the current database (it may be the damaged one)."""
    from coop import backups

    actor.require("backup")
    from coop.models import database

    if database.obj is not None:
        database.obj.close()
    result = backups.restore(  # leaves the models where they were
        db_path(args), args.file, username=actor.username, seen=seen_path(args)
    )
    print(_("Restored {file}: {n} records verified.").format(file=args.file, n=result.records))
    if result.aside is not None:
        print(_("The previous database was kept as {path}.").format(path=result.aside))
    return 0


COMMANDS = {"backup": backup, "restore": restore, "verify": verify}
