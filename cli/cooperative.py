"""Commands about the cooperative itself: `init`, `demo` and `summary`."""

from __future__ import annotations

import argparse
from datetime import date

from coop.errors import ValidationError
from coop.i18n import _
from coop.permissions import Actor


def add_parsers(sub: argparse._SubParsersAction) -> None:
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
    sub.add_parser("summary", help=_("print the cooperative's summary"))


def has_cooperative() -> bool:
    from coop.models import Cooperative

    return Cooperative.select().exists()


def init(args: argparse.Namespace, actor: Actor) -> int:
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


def demo(args: argparse.Namespace, actor: Actor) -> int:
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


def summary(args: argparse.Namespace, actor: Actor) -> int:
    from cli import ledger
    from coop import chain
    from coop.models import Member, ProductionLot, Sale
    from coop.services import settings

    coop = settings.get()
    print(coop.name)
    print(_("Members: {n}").format(n=Member.select().where(Member.status == "active").count()))
    print(_("Production lots: {n}").format(n=ProductionLot.select().count()))
    print(_("Posted sales: {n}").format(n=Sale.select().where(Sale.state == "posted").count()))
    if actor.can("balances.read"):  # the position includes what is owed to members
        ledger.balance(argparse.Namespace(member=None), actor)
    print(_("Chain head: {head}").format(head=chain.head()[1][:10]))
    return 0


COMMANDS = {"init": init, "demo": demo, "summary": summary}
