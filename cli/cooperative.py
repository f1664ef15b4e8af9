"""Commands about the cooperative itself: `init`, `demo` and `summary`."""

from __future__ import annotations

import argparse

from coop.errors import ValidationError
from coop.i18n import _
from coop.permissions import Actor


def add_parsers(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("init", help=_("create the cooperative"))
    s.add_argument("--name", required=True, help=_("the cooperative's name, as printed on its documents"))
    s.add_argument(
        "--country",
        default="",
        help=_("country code (CD, TZ, BO, PE, GH, CF, BF, ML, GN, RW, UG, MZ, BR, CO): proposes the rest"),
    )
    s.add_argument(
        "--currency", default=None, help=_("local currency (default: the country's), e.g. CDF, BOB, TZS")
    )
    s.add_argument("--locale", default=None, help=_("formats (default: the country's), e.g. fr_CD, es_BO"))
    s.add_argument(
        "--language", default=None, help=_("language of mineral and tax names: en, fr, es, pt, sw")
    )
    s.add_argument("--levy", type=int, default=500, help=_("cooperative levy in basis points (500 = 5%%)"))
    s.add_argument(
        "--fiscal-year-start", type=int, default=None, help=_("month the fiscal year starts (1-12)")
    )
    s.add_argument(
        "--registration-no",
        default="",
        help=_("the cooperative's registration number (printed on documents)"),
    )
    s.add_argument("--tax-id", default="", help=_("the cooperative's tax id (printed on documents)"))
    s.add_argument("--address", default="", help=_("postal address (printed on documents)"))
    s.add_argument(
        "--no-presets", dest="presets", action="store_false", help=_("do not load the country's tax presets")
    )
    s.add_argument(
        "--presets", dest="presets", action="store_true", help=_("load the country's tax presets (default)")
    )
    s.add_argument(
        "--no-minerals", dest="minerals", action="store_false", help=_("do not add the usual minerals")
    )
    s.set_defaults(presets=True, minerals=True)
    s = sub.add_parser("demo", help=_("create the demo cooperative"))
    s.add_argument(
        "--if-missing", action="store_true", help=_("do nothing if the database has a cooperative")
    )
    s = sub.add_parser("summary", help=_("print the cooperative's summary"))
    s.add_argument("--json", action="store_true", help=_("print JSON for scripts (amounts as exact strings)"))


def has_cooperative() -> bool:
    from coop.models import Cooperative

    return Cooperative.select().exists()


def init(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import setup

    setup.create_cooperative(
        actor,
        country=args.country,
        name=args.name,
        registration_no=args.registration_no,
        tax_id=args.tax_id,
        address=args.address,
        levy_bp=args.levy,
        fiscal_year_start=args.fiscal_year_start,
        currency=args.currency,
        locale=args.locale,
        language=args.language,
        presets=args.presets,
        minerals=args.minerals,
    )
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

    if getattr(args, "json", False):
        ledger.print_json(ledger.summary_json(actor))
        return 0
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
