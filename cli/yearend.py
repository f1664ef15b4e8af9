"""Commands of the year end: `year close YEAR --allocation FILE`, `year show YEAR`, and the accountant's
Beancount export `export-beancount FILE` (the journal CSV is `export journal FILE`)."""

from __future__ import annotations

import argparse
from typing import Any

from cli.args import Parser
from cli.ledger import exact, json_option, money, print_json
from coop.errors import ValidationError
from coop.i18n import _, ngettext
from coop.permissions import Actor


def add_parsers(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("year", help=_("close a fiscal year and record the general assembly's allocation"))
    what = s.add_subparsers(dest="year_action", required=True, parser_class=Parser)
    c = what.add_parser("close", help=_("close the fiscal year (manager): result, periods, allocation"))
    c.add_argument("year", metavar="YEAR", help=_("the fiscal year, e.g. 2025 (or 2025-26)"))
    c.add_argument(
        "--allocation",
        metavar="FILE",
        help=_("the general assembly's decision: a JSON or CSV file (see the README); none: all retained"),
    )
    c.add_argument("--dry-run", action="store_true", help=_("show the allocation without writing anything"))
    json_option(c)
    v = what.add_parser("show", help=_("the result of a closed fiscal year and its allocation"))
    v.add_argument("year", metavar="YEAR", help=_("the fiscal year, e.g. 2025 (or 2025-26)"))
    json_option(v)
    s = sub.add_parser(
        "export-beancount", help=_("write the whole ledger as a Beancount file for the accountant")
    )
    s.add_argument("file", metavar="FILE", help=_("the Beancount file to write"))


def _as_json(p: Any) -> dict[str, Any]:
    return {
        "year": p.series,
        "from": p.start.isoformat(),
        "to": p.end.isoformat(),
        "income": exact(p.income_minor),
        "expenses": exact(p.expenses_minor),
        "result": exact(p.result_minor),
        **{name: exact(v) for name, v in p.parts.items()},
        "assembly_date": p.assembly_day.isoformat() if p.assembly_day else None,
        "reference": p.reference,
        "decision": p.decision,
        "refunds": [
            {"member": r.member_no, "sales": exact(r.sales_minor), "refund": exact(r.refund_minor)}
            for r in p.refunds
        ],
    }


def _print(p: Any) -> None:
    labels = {
        "legal_reserve": _("Legal (general) reserve"),
        "education_reserve": _("Education and training reserve"),
        "other_reserve": _("Other reserves"),
        "ristourne": _("Patronage refund to members (ristourne)"),
        "retained": _("Retained earnings"),
    }
    print(_("Fiscal year {year}: income {income}, expenses {expenses}, result {result}").format(
        year=p.series, income=money(p.income_minor), expenses=money(p.expenses_minor), result=money(p.result_minor)
    ))  # fmt: skip
    for name, value in p.parts.items():
        if value:
            print(f"  {labels[name]}: {money(value)}")
    if p.refunds:
        n = len(p.refunds)
        print(ngettext("{n} member shares the ristourne.", "{n} members share the ristourne.", n).format(n=n))


def year(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import yearclose

    if args.year_action == "show":
        got = yearclose.closed_year(actor, args.year)
        if got is None:
            raise ValidationError("year", "The fiscal year {year} is not closed.", year=args.year)
        print_json(_as_json(got)) if args.json else _print(got)
        return 0
    inp = yearclose.read_allocation(args.allocation) if args.allocation else yearclose.AllocationInput()
    if args.dry_run:
        got = yearclose.plan(actor, args.year, inp)
    else:
        yearclose.close_year(actor, args.year, inp)
        got = yearclose.closed_year(actor, args.year)
        assert got is not None
    if args.json:
        print_json(_as_json(got))
        return 0
    _print(got)
    if not args.dry_run:
        print(_("The fiscal year {year} is closed.").format(year=got.series))
    return 0


def export_beancount(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import beancount

    n = beancount.export_beancount(actor, args.file)
    print(
        ngettext("{n} transaction written to {file}.", "{n} transactions written to {file}.", n).format(
            n=n, file=args.file
        )
    )
    return 0


COMMANDS = {"year": year, "export-beancount": export_beancount}
