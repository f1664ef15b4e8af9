"""The `report` command: write any printed document to a PDF file from the command line."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from cli.args import Parser, coded, day, year
from cli.ledger import AUTHORITY_HELP
from coop.errors import NotFound, ValidationError
from coop.i18n import N_, _, ngettext
from coop.permissions import Actor

HELP_SALE = N_("receipt number N of the latest series, or SERIES/N (e.g. 2025/17)")


RECEIPT_FORMATS = (
    ("a5", N_("A5 sheet")),
    ("80mm", N_("80 mm receipt roll")),
    ("58mm", N_("58 mm receipt roll")),
)
PERIOD_REPORTS = {
    "production": N_("production report for a period"),
    "safety": N_("safety report for a period"),
    "mercury": N_("mercury report for a period"),
}


def _common(p: argparse.ArgumentParser, default_out: str) -> None:
    p.add_argument(
        "--out", default=default_out, help=_("PDF file to write (default: {file})").format(file=default_out)
    )
    p.add_argument(
        "--lang",
        dest="doc_lang",
        help=_("document language: en, fr, es, pt, sw (default: the cooperative's)"),
    )


def _period(p: argparse.ArgumentParser, required: bool = True) -> None:
    p.add_argument("--from", dest="start", type=day, required=required, help=_("YYYY-MM-DD"))
    p.add_argument("--to", dest="end", type=day, required=required, help=_("YYYY-MM-DD"))


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Build `report KIND ...`."""
    rp = sub.add_parser(
        "report", help=_("write a printed document (receipt, statement, tax filing, reports) to PDF")
    )
    kinds = rp.add_subparsers(dest="report_kind", required=True, parser_class=Parser)
    p = kinds.add_parser("receipt", help=_("sale receipt"))
    p.add_argument("--sale", required=True, help=_(HELP_SALE))
    p.add_argument(
        "--format",
        dest="fmt",
        choices=tuple(code for code, _label in RECEIPT_FORMATS),
        default="a5",
        help=coded(_("paper format (default: a5)"), RECEIPT_FORMATS),
    )
    p.add_argument("--duplicate", action="store_true", help=_("reprint marked DUPLICATE"))
    _common(p, "receipt.pdf")
    p = kinds.add_parser("voucher", help=_("payout voucher for the member to sign"))
    p.add_argument(
        "--payout", type=int, required=True, help=_("payout id (the number after the year on its voucher)")
    )
    _common(p, "voucher.pdf")
    p = kinds.add_parser("tax-slip", help=_("tax-payment slip for the treasurer to keep"))
    p.add_argument("payment", type=int, help=_("tax payment id (the number after the year on its slip)"))
    _common(p, "tax-slip.pdf")
    p = kinds.add_parser("statement", help=_("member earnings statement"))
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", help=_("member number"))
    who.add_argument("--all", action="store_true", help=_("every member with a balance or movement"))
    _period(p)
    p.add_argument("--split", metavar="DIR", help=_("with --all: one PDF per member in this folder"))
    _common(p, "statement.pdf")
    p = kinds.add_parser("tax-filing", help=_("tax filing for a period"))
    _period(p)
    p.add_argument("--authority", help=_(AUTHORITY_HELP))
    _common(p, "tax-filing.pdf")
    for kind in ("production", "safety", "mercury"):
        p = kinds.add_parser(kind, help=_(PERIOD_REPORTS[kind]))
        _period(p)
        _common(p, f"{kind}.pdf")
    p = kinds.add_parser("census", help=_("member census (aggregate) or register (--full)"))
    p.add_argument("--as-of", dest="end", type=day, help=_("count members who had joined by this date"))
    p.add_argument("--full", action="store_true", help=_("include the register of members (personal data)"))
    _common(p, "census.pdf")
    p = kinds.add_parser("custody", help=_("chain of custody of a lot or a sale"))
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--lot", help=_("lot reference, e.g. KAM-20250102-001"))
    what.add_argument("--sale", help=_(HELP_SALE))
    _common(p, "custody.pdf")
    p = kinds.add_parser("annual", help=_("annual report for the general assembly"))
    p.add_argument("--year", type=year, required=True, help=_("the year of the report, e.g. 2025"))
    _common(p, "annual.pdf")
    p = kinds.add_parser(
        "anchor_slip", help=_("anchor slip: the chain's head now, for the general assembly to sign")
    )
    _common(p, "anchor-slip.pdf")
    _add_books_parsers(kinds)


def _add_books_parsers(kinds: argparse._SubParsersAction) -> None:
    """The books' reports: PDF, or CSV when --out ends in .csv."""
    for kind, what in (
        ("trial-balance", _("trial balance")),
        ("income-statement", _("income statement")),
        ("general-ledger", _("general ledger of one account")),
        ("cash-book", _("cash book of one treasury account, with its cash counts")),
    ):
        p = kinds.add_parser(kind, help=_("{what} (PDF, or CSV with --out FILE.csv)").format(what=what))
        _period(p, required=False)
        if kind == "general-ledger":
            p.add_argument("--account", required=True, help=_("account number in the chart"))
        if kind == "cash-book":
            p.add_argument("--treasury", required=True, help=_("treasury account (number, name or id)"))
        _common(p, f"{kind}.pdf")
    p = kinds.add_parser("balance-sheet", help=_("balance sheet (PDF, or CSV with --out FILE.csv)"))
    p.add_argument("--date", dest="end", type=day, help=_("at the end of this day (default: today)"))
    _common(p, "balance-sheet.pdf")


def _member_id(text: str) -> int:
    from coop.models import Member
    from coop.services import registry

    found = registry.find_member(text)
    m = Member.get_or_none(Member.id == found) if found is not None else None
    if m is None and text.isdigit():
        m = Member.get_or_none(Member.id == int(text))
    if m is None:
        raise ValidationError("member", "Unknown member: {value}.", value=text)
    return m.id


def params(args: argparse.Namespace) -> dict:
    """The keyword arguments of reports.build for parsed command-line arguments."""
    from coop.services.documents import receipt

    kind = args.report_kind
    if kind == "receipt":
        return {"sale_id": receipt.find_sale(args.sale), "fmt": args.fmt, "duplicate": args.duplicate}
    if kind == "voucher":
        return {"payout_id": args.payout}
    if kind == "tax-slip":
        return {"payment_id": args.payment}
    if kind == "statement":
        out = {"start": args.start, "end": args.end}
        return out | ({"all": True} if args.all else {"member_id": _member_id(args.member)})
    if kind == "tax-filing":
        return {"start": args.start, "end": args.end, "authority": args.authority}
    if kind in ("production", "safety", "mercury"):
        return {"start": args.start, "end": args.end}
    if kind == "census":
        return {"end": args.end or date.today(), "aggregate": not args.full}
    if kind == "custody":
        return {"lot_ref": args.lot} if args.lot else {"sale_id": receipt.find_sale(args.sale)}
    if kind == "anchor_slip":
        return {}
    if kind in ("trial-balance", "income-statement"):
        return {"start": args.start, "end": args.end}
    if kind == "general-ledger":
        return {"account": args.account, "start": args.start, "end": args.end}
    if kind == "cash-book":
        from coop.services.books import treasury

        return {"treasury_id": treasury.find(args.treasury).id, "start": args.start, "end": args.end}
    if kind == "balance-sheet":
        return {"end": args.end}
    return {"year": args.year}


def run(args: argparse.Namespace, actor: Actor) -> int:
    import reports

    lang = args.doc_lang or args.lang
    kw = params(args)
    if args.report_kind == "statement" and args.split:
        if not args.all:
            raise ValidationError("split", "--split needs --all.")
        folder = Path(args.split)
        folder.mkdir(parents=True, exist_ok=True)
        n = 0
        for member_no, pdf in reports.each_statement(actor, kw["start"], kw["end"], lang=lang):
            (folder / f"statement-{member_no}.pdf").write_bytes(pdf)
            n += 1
        print(
            ngettext("{n} statement written to {folder}.", "{n} statements written to {folder}.", n).format(
                n=n, folder=folder
            )
        )
        return 0
    out = Path(args.out)
    if out.parent and not out.parent.exists():
        raise NotFound("The folder {path} does not exist.", path=str(out.parent))
    if out.suffix.lower() == ".csv" and args.report_kind in BOOKS_CSV:
        from coop import i18n
        from coop.services.books import report_csv
        from coop.services.documents import header

        with i18n.language(*reports.document_locale(header.header(), lang)):
            n = report_csv.write(actor, args.report_kind, out, **kw)
        print(ngettext("{n} row written to {file}.", "{n} rows written to {file}.", n).format(n=n, file=out))
        return 0
    pdf = reports.build(args.report_kind, actor, lang=lang, **kw)
    out.write_bytes(pdf)
    print(_("Written to {path}.").format(path=out))
    return 0


BOOKS_CSV = frozenset({"trial-balance", "general-ledger", "cash-book", "income-statement", "balance-sheet"})
COMMANDS = {"report": run}
