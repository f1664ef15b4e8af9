"""Commands that move records in and out as files: `import` (CSV or .xlsx), `export` and `template`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from cli.args import LazyChoices
from coop import i18n
from coop.i18n import N_, _
from coop.permissions import Actor


def _import_kinds() -> list[str]:
    from coop.services import imports

    return sorted(imports.IMPORTERS)


def _export_tables() -> Sequence[str]:
    from coop.services import exports

    return exports.TABLES


def add_parsers(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("import", help=_("import a CSV or Excel (.xlsx) file (all rows or none)"))
    s.add_argument("kind", metavar="KIND", choices=LazyChoices(_import_kinds), help="%(choices)s")  # type: ignore[arg-type]
    s.add_argument("file", help=_("the CSV or .xlsx file to read"))
    s.add_argument("--sheet", help=_("the sheet of an .xlsx file to read (default: the first)"))
    s.add_argument(
        "--confirm-unusual",
        action="store_true",
        help=_("lots: accept unusually large quantities (they are refused as row errors otherwise)"),
    )
    s = sub.add_parser(
        "template", help=_("save an import template (.xlsx or .csv) with headers in your language")
    )
    s.add_argument("kind", metavar="KIND", choices=LazyChoices(_import_kinds), help="%(choices)s")  # type: ignore[arg-type]
    s.add_argument("file", help=_("FILE.xlsx or FILE.csv"))
    s = sub.add_parser("export", help=_("export a table to CSV"))
    s.add_argument("table", metavar="TABLE", choices=LazyChoices(_export_tables), help="%(choices)s")  # type: ignore[arg-type]
    s.add_argument("file", help=_("the CSV file to write"))
    _add_posting_parsers(sub)


def import_file(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import imports

    if args.kind == "lots":
        result = imports.import_lots(actor, args.file, confirm_unusual=args.confirm_unusual, sheet=args.sheet)
    else:
        result = imports.IMPORTERS[args.kind](actor, args.file, sheet=args.sheet)
    print(i18n.ngettext("{n} row imported.", "{n} rows imported.", result.rows).format(n=result.rows))
    return 0


def export_table(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import exports

    n = exports.export(actor, args.table, args.file)
    print(
        i18n.ngettext("{n} row written to {file}.", "{n} rows written to {file}.", n).format(
            n=n, file=args.file
        )
    )
    return 0


def _add_posting_parsers(sub: argparse._SubParsersAction) -> None:
    """`void` and `pay`: what the Void… and Pay… buttons do, for scripts."""
    from cli.args import coded, day
    from coop import vocab

    s = sub.add_parser("void", help=_("void a posted sale, payout or tax payment (a dated reversal)"))
    s.add_argument(
        "kind",
        choices=VOID_KINDS,
        help=coded(
            _("what to void"),
            [("sale", N_("Sale")), ("payout", N_("Payout")), ("tax-payment", N_("Tax payment"))],
        ),
    )
    s.add_argument(
        "id", metavar="ID", help=_("receipt number (2025/17 or 17) of a sale, id of a payout or tax payment")
    )
    s.add_argument("--reason", required=True, help=_("reason for the void"))
    s.add_argument("--date", dest="day", type=day, help=_("date of the void (default: today)"))
    s = sub.add_parser("pay", help=_("pay a member out of what the cooperative owes them"))
    s.add_argument("member", metavar="MEMBER", help=_("member number"))
    s.add_argument("amount", metavar="AMOUNT", help=_("amount in the ledger currency, e.g. 1500.50"))
    s.add_argument(
        "--method",
        default="cash",
        choices=_methods(),
        help=coded(_("payment method (default: cash)"), list(vocab.PAYMENT_METHODS.items())),
    )
    s.add_argument(
        "--treasury",
        metavar="ACCOUNT",
        help=_("treasury account the money leaves (number, name or id; default: the method's own)"),
    )
    s.add_argument("--date", dest="day", type=day, help=_("date of the payout (default: today)"))
    s.add_argument(
        "--reference",
        default="",
        help=_("reference of the payment (mobile-money or bank transaction number)"),
    )


VOID_KINDS = ("sale", "payout", "tax-payment")


def _methods() -> tuple[str, ...]:
    from coop import vocab

    return tuple(vocab.PAYMENT_METHODS)


def _record_id(text: str) -> int:
    from coop.errors import ValidationError

    if not (text.isascii() and text.isdigit()):
        raise ValidationError("id", "“{value}” is not a whole number of 1 or more.", value=text)
    return int(text)


def void(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import payouts, sales, taxes
    from coop.services.documents import receipt

    if args.kind == "sale":
        sales.void_sale(actor, receipt.find_sale(args.id), args.reason, day=args.day)
    elif args.kind == "payout":
        payouts.void_payout(actor, _record_id(args.id), args.reason, day=args.day)
    else:
        taxes.void_payment(actor, _record_id(args.id), args.reason, day=args.day)
    print(_("Voided."))
    return 0


def pay(args: argparse.Namespace, actor: Actor) -> int:
    from datetime import date

    from cli.ledger import member_id
    from coop.services import payouts
    from coop.services.books import treasury

    chosen = treasury.find(args.treasury).id if args.treasury else None
    saved = payouts.pay_member(
        actor,
        member_id(args.member),
        args.amount,
        args.day or date.today(),
        args.method,
        args.reference,
        treasury_id=chosen,
    )
    print(_("Payout {id} posted.").format(id=saved.id))
    return 0


def save_template(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import templates

    path = templates.save_template(args.kind, args.file)
    print(_("Template written to {file}.").format(file=path))
    return 0


COMMANDS = {
    "import": import_file,
    "export": export_table,
    "template": save_template,
    "void": void,
    "pay": pay,
}
