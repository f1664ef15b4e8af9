"""The `period` command: close the books up to a date (manager only), list the closings."""

from __future__ import annotations

import argparse

from cli.args import Parser, day
from coop import i18n
from coop.i18n import _
from coop.permissions import Actor


def add_parsers(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("period", help=_("close the books up to a date, or list the closings"))
    ps = s.add_subparsers(dest="period_command", required=True, parser_class=Parser)
    c = ps.add_parser(
        "close",
        help=_(
            "close the books up to a date (inclusive, a manager signs in): nothing can be dated on or "
            "before it afterwards, and there is no reopening"
        ),
    )
    c.add_argument("--to", dest="to", type=day, required=True, help=_("last day of the closed period"))
    ps.add_parser("list", help=_("the closings, oldest first, with the chain head each holds"))


def _locale() -> str:
    from coop.services import settings

    return settings.get().locale


def period(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import periods

    if args.period_command == "close":
        saved = periods.close(actor, args.to)
        closing = next(c for c in periods.closings(actor) if c.id == saved.id)
        print(
            _("Books closed up to {date}; chain head {hash}.").format(
                date=i18n.format_date(closing.to_date, _locale()), hash=closing.head_prefix
            )
        )
        return 0
    for c in periods.closings(actor):
        print(f"{c.to_date.isoformat()}\t{c.closed_on.isoformat()}\t{c.closed_by}\t{c.head_hash}")
    return 0


COMMANDS = {"period": period}
