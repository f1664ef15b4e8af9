"""Commands that move records in and out as CSV files: `import` and `export`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from cli.args import LazyChoices
from coop import i18n
from coop.i18n import _
from coop.permissions import Actor


def _import_kinds() -> list[str]:
    from coop.services import imports

    return sorted(imports.IMPORTERS)


def _export_tables() -> Sequence[str]:
    from coop.services import exports

    return exports.TABLES


def add_parsers(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("import", help=_("import a CSV file (all rows or none)"))
    s.add_argument("kind", metavar="KIND", choices=LazyChoices(_import_kinds), help="%(choices)s")  # type: ignore[arg-type]
    s.add_argument("file")
    s.add_argument(
        "--confirm-unusual",
        action="store_true",
        help=_("lots: accept unusually large quantities (they are refused as row errors otherwise)"),
    )
    s = sub.add_parser("export", help=_("export a table to CSV"))
    s.add_argument("table", metavar="TABLE", choices=LazyChoices(_export_tables), help="%(choices)s")  # type: ignore[arg-type]
    s.add_argument("file")


def import_file(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import imports

    if args.kind == "lots":
        result = imports.import_lots(actor, args.file, confirm_unusual=args.confirm_unusual)
    else:
        result = imports.IMPORTERS[args.kind](actor, args.file)
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


COMMANDS = {"import": import_file, "export": export_table}
