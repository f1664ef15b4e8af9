"""Commands of the cooperative's books: expenses, income, transfers, opening balances, share capital, cash
counts, voids, and the trial balance, general ledger, income statement and balance sheet (text or --json)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from cli.args import coded, day
from cli.ledger import amounts, json_option, member_id, money, print_json
from coop import i18n
from coop.errors import ValidationError
from coop.i18n import N_, _
from coop.permissions import Actor
from coop.vocab import PAYMENT_METHODS

_PARTY_HELP = {
    "payee": N_("who was paid (a name, kept with the entry)"),
    "payer": N_("who paid (a name, kept with the entry)"),
}
NOTE_HELP = N_("a note kept with the entry")
SHARE_ACTIONS = (
    ("subscribe", N_("shares subscribed")),
    ("pay", N_("shares paid up")),
    ("refund", N_("shares refunded")),
)


def _entry_options(s: argparse.ArgumentParser, party: str) -> None:
    s.add_argument("--date", dest="day", type=day, help=_("date of the entry (default: today)"))
    s.add_argument("--account", default="", help=_("account number in the chart (see “accounts list”)"))
    s.add_argument("--amount", help=_("amount in the ledger currency, e.g. 1500.50"))
    s.add_argument(
        "--split",
        action="append",
        default=[],
        metavar="ACCOUNT=AMOUNT",
        help=_("one part of a split over several accounts (repeat the option)"),
    )
    s.add_argument(f"--{party}", default="", help=_(_PARTY_HELP[party]))
    s.add_argument("--ref", default="", help=_("number of the supporting document (invoice, receipt)"))
    s.add_argument("--note", default="", help=_(NOTE_HELP))


def _period(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "--from", dest="start", type=day, help=_("first day (default: the first day of the books)")
    )
    s.add_argument("--to", dest="end", type=day, help=_("last day (default: today)"))
    json_option(s)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("expense", help=_("record money paid out (fuel, rent, tools, wages, ...)"))
    s.add_argument("--from", dest="treasury", required=True, help=_("treasury account paid from"))
    _entry_options(s, "payee")
    s = sub.add_parser(
        "income", help=_("record money received other than from sales (a grant, interest, ...)")
    )
    s.add_argument("--to", dest="treasury", required=True, help=_("treasury account paid into"))
    _entry_options(s, "payer")
    s = sub.add_parser("transfer", help=_("move money between two treasury accounts"))
    s.add_argument("source", metavar="FROM", help=_("treasury account paid from"))
    s.add_argument("target", metavar="TO", help=_("treasury account paid into"))
    s.add_argument("amount", metavar="AMOUNT", help=_("amount in the ledger currency, e.g. 1500.50"))
    s.add_argument("--date", dest="day", type=day, help=_("date of the entry (default: today)"))
    s.add_argument("--ref", default="", help=_("number of the supporting document (invoice, receipt)"))
    s.add_argument("--note", default="", help=_(NOTE_HELP))
    s = sub.add_parser("opening-balances", help=_("enter the opening balances from a CSV file (once)"))
    s.add_argument("file", metavar="FILE", help=_("the CSV file of opening balances"))
    s.add_argument(
        "--template",
        action="store_true",
        help=_(
            "write FILE to fill in: the treasury accounts and each member's share capital of the register"
        ),
    )
    s.add_argument("--date", dest="day", type=day, help=_("first day of the first fiscal year kept"))
    s = sub.add_parser("shares", help=_("members' share capital: subscribe, pay, refund"))
    s.add_argument(
        "action",
        choices=tuple(code for code, _label in SHARE_ACTIONS),
        help=coded(_("what to record"), SHARE_ACTIONS),
    )
    s.add_argument("member", metavar="MEMBER", help=_("member number"))
    s.add_argument("amount", metavar="AMOUNT", help=_("amount in the ledger currency, e.g. 1500.50"))
    s.add_argument("--date", dest="day", type=day, help=_("date of the entry (default: today)"))
    s.add_argument("--treasury", help=_("treasury account (default: the cash box)"))
    s.add_argument("--ref", default="", help=_("number of the supporting document (invoice, receipt)"))
    s = sub.add_parser("cash-count", help=_("record a count of a cash box; a difference needs a reason"))
    s.add_argument("account", metavar="ACCOUNT", help=_("the cash box (name or account number)"))
    s.add_argument("amount", metavar="AMOUNT", help=_("the amount counted"))
    s.add_argument("--date", dest="day", type=day, help=_("date of the count (default: today)"))
    s.add_argument("--reason", default="", help=_("reason for a difference between the count and the books"))
    s = sub.add_parser("void-entry", help=_("void an entry of the books (a dated reversal)"))
    s.add_argument("id", metavar="ID", type=int, help=_("number of the entry"))
    s.add_argument("--reason", required=True, help=_("reason for the void"))
    s.add_argument("--date", dest="day", type=day, help=_("date of the void (default: today)"))
    _period(sub.add_parser("trial-balance", help=_("debits and credits of every account")))
    s = sub.add_parser("ledger", help=_("the entries of one account with the running balance"))
    s.add_argument("account", metavar="ACCOUNT", help=_("account number in the chart (see “accounts list”)"))
    _period(s)
    _period(sub.add_parser("income-statement", help=_("income, expenses and the result of a period")))
    s = sub.add_parser("balance-sheet", help=_("assets, liabilities and equity at a date"))
    s.add_argument("--date", dest="end", type=day, help=_("default: today"))
    json_option(s)
    s = sub.add_parser("accounts", help=_("the chart of accounts"))
    s.add_argument(
        "action",
        choices=("list",),
        help=coded(_("what to do"), [("list", N_("list the accounts of the chart"))]),
    )
    json_option(s)
    s = sub.add_parser("treasury", help=_("cash boxes, mobile-money wallets and bank accounts"))
    s.add_argument(
        "action",
        choices=("list", "add"),
        help=coded(
            _("what to do"),
            [("list", N_("list the treasury accounts")), ("add", N_("add a treasury account named NAME"))],
        ),
    )
    s.add_argument("name", nargs="?", metavar="NAME", help=_("name of the new treasury account (with add)"))
    s.add_argument(
        "--kind",
        choices=tuple(PAYMENT_METHODS),
        default="cash",
        help=coded(_("kind of account (default: cash)"), list(PAYMENT_METHODS.items())),
    )
    s.add_argument("--default", action="store_true", help=_("the account its payment method uses"))
    json_option(s)


def _treasury_id(text: str) -> int:
    from coop.services.books import treasury

    return treasury.find(text).id


def _splits(args: argparse.Namespace) -> list[Any]:
    from coop.services.books import entries

    out = []
    for part in args.split:
        number, sep, amount = part.partition("=")
        if not sep:
            raise ValidationError("split", "“{value}” is not ACCOUNT=AMOUNT.", value=part)
        out.append(entries.Split(number.strip(), amount.strip()))
    if not out and args.amount is None:
        raise ValidationError("amount", "Give an amount (--amount) or the parts of a split (--split).")
    return out


def expense(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import entries

    return _cash_entry(args, actor, entries.record_expense, payee=args.payee)


def income(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import entries

    return _cash_entry(args, actor, entries.record_income, payer=args.payer)


def _cash_entry(args: argparse.Namespace, actor: Actor, record: Any, **party: str) -> int:
    """Post an expense or an income from the options `_entry_options` added; `party` names payee or payer."""
    saved = record(
        actor,
        day=args.day or date.today(),
        treasury_id=_treasury_id(args.treasury),
        account=args.account,
        amount=args.amount,
        splits=_splits(args),
        document_ref=args.ref,
        note=args.note,
        **party,
    )
    print(_("Entry {id} posted.").format(id=saved.id))
    return 0


def transfer(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import entries

    saved = entries.transfer(
        actor,
        day=args.day or date.today(),
        from_id=_treasury_id(args.source),
        to_id=_treasury_id(args.target),
        amount=args.amount,
        document_ref=args.ref,
        note=args.note,
    )
    print(_("Entry {id} posted.").format(id=saved.id))
    return 0


def opening_balances(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import opening

    if args.template:
        n = opening.write_template(actor, args.file)
        print(
            i18n.ngettext("{n} row written to {file}.", "{n} rows written to {file}.", n).format(
                n=n, file=args.file
            )
        )
        return 0
    saved = opening.enter_csv(actor, args.file, args.day)
    print(_("Entry {id} posted.").format(id=saved.id))
    return 0


def shares(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import shares as sh

    member, when = member_id(args.member), args.day or date.today()
    chosen = _treasury_id(args.treasury) if args.treasury else None
    if args.action == "subscribe":
        saved = sh.subscribe(actor, member, args.amount, when)
    elif args.action == "pay":
        saved = sh.pay(actor, member, args.amount, when, treasury_id=chosen, document_ref=args.ref)
    else:
        saved = sh.refund(actor, member, args.amount, when, treasury_id=chosen, document_ref=args.ref)
    capital = sh.share_capital(actor, member)
    print(_("Entry {id} posted.").format(id=saved.id))
    print(
        _("Share capital subscribed {subscribed}, paid {paid}.").format(
            subscribed=money(capital.subscribed_minor), paid=money(capital.paid_minor)
        )
    )
    return 0


def cash_count(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import cashcount

    saved = cashcount.count_cash(
        actor, _treasury_id(args.account), args.amount, args.day or date.today(), args.reason
    )
    count = next(c for c in cashcount.counts(actor, _treasury_id(args.account)) if c.id == saved.id)
    print(
        _("Counted {counted}; the books say {book}; difference {difference}.").format(
            counted=money(count.counted_minor),
            book=money(count.book_minor),
            difference=money(count.difference_minor),
        )
    )
    return 0


def void_entry(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import entries

    entries.void_entry(actor, args.id, args.reason, args.day)
    print(_("Voided."))
    return 0


def _line_json(x: Any) -> dict[str, Any]:
    return {
        "number": x.number,
        "name": _(x.name),
        "type": x.type,
        **amounts(debit=x.debit_minor, credit=x.credit_minor, balance=x.balance_minor),
    }


def _period_json(since: date | None, until: date | None) -> dict[str, Any]:
    return {"from": since.isoformat() if since else None, "to": until.isoformat() if until else None}


def trial_balance(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import reports

    tb = reports.trial_balance(actor, since=args.start, until=args.end)
    if args.json:
        print_json(
            {
                "chart": tb.chart,
                **_period_json(tb.since, tb.until),
                "accounts": [_line_json(x) for x in tb.lines],
                **amounts(total_debit=tb.total_debit_minor, total_credit=tb.total_credit_minor),
            }
        )
        return 0
    for x in tb.lines:
        print("\t".join((x.number, _(x.name), money(x.debit_minor), money(x.credit_minor))))
    print("\t".join((_("Total"), "", money(tb.total_debit_minor), money(tb.total_credit_minor))))
    return 0


def ledger(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import entries, reports

    led = reports.general_ledger(actor, args.account, since=args.start, until=args.end)
    if args.json:
        print_json(
            {
                "number": led.number,
                "name": _(led.name),
                **_period_json(led.since, led.until),
                **amounts(opening=led.opening_minor, closing=led.closing_minor),
                "lines": [
                    {
                        "date": ln.date.isoformat(),
                        "seq": ln.seq,
                        "kind": ln.kind,
                        "entry_kind": ln.entry_kind,
                        "source": f"{ln.source_type} {ln.source_id}",
                        "memo": ln.memo,
                        "member_id": ln.member_id,
                        **amounts(amount=ln.amount_minor, balance=ln.balance_minor),
                    }
                    for ln in led.lines
                ],
            }
        )
        return 0
    print("\t".join((led.number, _(led.name))))
    print("\t".join((_("Opening balance"), money(led.opening_minor))))
    for ln in led.lines:
        what = _(entries.KINDS.get(ln.entry_kind, ln.entry_kind)) if ln.entry_kind else ln.kind
        print(
            f"{ln.date.isoformat()}\t#{ln.seq}\t{what}\t{ln.memo}\t{money(ln.amount_minor)}\t"
            f"{money(ln.balance_minor)}"
        )
    print("\t".join((_("Closing balance"), money(led.closing_minor))))
    return 0


def _natural(lines: Any) -> list[dict[str, Any]]:
    return [{"number": x.number, "name": _(x.name), **amounts(amount=x.natural_minor)} for x in lines]


def income_statement(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import reports

    st = reports.income_statement(actor, since=args.start, until=args.end)
    if args.json:
        print_json(
            {
                "chart": st.chart,
                **_period_json(st.since, st.until),
                "income": _natural(st.income),
                "expenses": _natural(st.expenses),
                **amounts(
                    total_income=st.total_income_minor,
                    total_expenses=st.total_expenses_minor,
                    result=st.result_minor,
                ),
            }
        )
        return 0
    for title, lines, total in (
        (_("Income"), st.income, st.total_income_minor),
        (_("Expenses"), st.expenses, st.total_expenses_minor),
    ):
        print(title)
        for x in lines:
            print("\t".join((x.number, _(x.name), money(x.natural_minor))))
        print("\t".join((_("Total"), "", money(total))))
    print("\t".join((_("Result"), "", money(st.result_minor))))
    return 0


def balance_sheet(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import reports

    bs = reports.balance_sheet(actor, as_of=args.end)
    if args.json:
        print_json(
            {
                "chart": bs.chart,
                "date": bs.as_of.isoformat() if bs.as_of else None,
                "assets": _natural(bs.assets),
                "liabilities": _natural(bs.liabilities),
                "equity": _natural(bs.equity),
                "balanced": bs.balanced,
                **amounts(
                    result=bs.result_minor,
                    total_assets=bs.total_assets_minor,
                    total_liabilities=bs.total_liabilities_minor,
                    total_equity=bs.total_equity_minor,
                ),
            }
        )
        return 0
    for title, lines, total in (
        (_("Assets"), bs.assets, bs.total_assets_minor),
        (_("Liabilities"), bs.liabilities, bs.total_liabilities_minor),
        (_("Equity"), bs.equity, bs.total_equity_minor),
    ):
        print(title)
        for x in lines:
            print("\t".join((x.number, _(x.name), money(x.natural_minor))))
        if title == _("Equity"):
            print("\t".join(("", _("Result of the year"), money(bs.result_minor))))
        print("\t".join((_("Total"), "", money(total))))
    return 0


def accounts_cmd(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services.books import chart

    rows = chart.accounts(actor)
    if args.json:
        print_json(
            [
                {"number": a.number, "name": _(a.name), "type": a.type, "parent": a.parent, "leaf": a.leaf}
                for a in rows
            ]
        )
        return 0
    for a in rows:
        print("\t".join((a.number, _(a.name), _(chart.TYPES[a.type]))))
    return 0


def treasury_cmd(args: argparse.Namespace, actor: Actor) -> int:
    from coop import vocab
    from coop.services.books import treasury

    if args.action == "add":
        if not args.name:
            raise ValidationError("name", "Give the account a name.")
        saved = treasury.add(actor, args.name, args.kind, default=args.default)
        t = treasury.get(saved.id)
        print(_("Treasury account {name} added (account {number}).").format(name=t.name, number=t.number))
        return 0
    rows = treasury.accounts(actor)
    if args.json:
        print_json(
            [
                {
                    "id": t.id,
                    "name": _(t.name),
                    "kind": t.kind,
                    "number": t.number,
                    "default": t.is_default,
                    **amounts(balance=t.balance_minor),
                }
                for t in rows
            ]
        )
        return 0
    for t in rows:
        mark = "*" if t.is_default else ""
        print(
            "\t".join(
                (
                    t.number,
                    _(t.name) + mark,
                    vocab.label(vocab.PAYMENT_METHODS, t.kind),
                    money(t.balance_minor),
                )
            )
        )
    return 0


# The commands that only read the books (cli/app.py opens a read-only file for them).
REPORTS = ("trial-balance", "ledger", "income-statement", "balance-sheet")
COMMANDS = {
    "expense": expense,
    "income": income,
    "transfer": transfer,
    "opening-balances": opening_balances,
    "shares": shares,
    "cash-count": cash_count,
    "void-entry": void_entry,
    "trial-balance": trial_balance,
    "ledger": ledger,
    "income-statement": income_statement,
    "balance-sheet": balance_sheet,
    "accounts": accounts_cmd,
    "treasury": treasury_cmd,
}
