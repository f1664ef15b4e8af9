"""Commands that read the books: `balance`, `tax-summary` and `statement`, as text or (--json) as stable JSON.

JSON output (for scripts): every amount `x` is given twice, as "x": the exact decimal in major units as a
string ("1234.50", never a float) and as "x_minor": the integer in minor units; "currency" names the ledger
currency; dates are ISO (YYYY-MM-DD); quantities likewise as "qty" (string, 3 decimals) and "qty_milli"."""

from __future__ import annotations

import argparse
import json
from datetime import date
from decimal import Decimal
from typing import Any

from cli.args import day
from coop import i18n, vocab
from coop.errors import ValidationError
from coop.i18n import N_, _
from coop.permissions import Actor

AUTHORITY_HELP = N_("only the taxes of this authority (as named in the tax rules)")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("balance", help=_("members' balances, or the cooperative's position"))
    s.add_argument("--member", help=_("member number"))
    json_option(s)
    s = sub.add_parser("tax-summary", help=_("tax due and paid for a period"))
    s.add_argument("--from", dest="start", type=day, required=True, help=_("YYYY-MM-DD"))
    s.add_argument("--to", dest="end", type=day, required=True, help=_("YYYY-MM-DD"))
    s.add_argument("--authority", help=_(AUTHORITY_HELP))
    json_option(s)
    s = sub.add_parser("statement", help=_("a member's statement: opening, movements, closing"))
    s.add_argument("member", metavar="MEMBER", help=_("member number"))
    s.add_argument(
        "--from", dest="start", type=day, help=_("first day (default: the first day of the books)")
    )
    s.add_argument("--to", dest="end", type=day, help=_("last day (default: today)"))
    s.add_argument("--pdf", metavar="FILE", help=_("also write the statement as a PDF file"))
    json_option(s)


def json_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=_("print JSON for scripts (amounts as exact strings)"))


def locale() -> str:
    from coop.services import settings

    return settings.get().locale


def currency() -> str:
    from coop.services import settings

    return settings.get().currency


def money(minor: int) -> str:
    from coop.services import settings

    coop = settings.get()
    return i18n.format_money(minor, coop.currency, coop.locale)


def exact(minor: int, ccy: str | None = None) -> str:
    """Minor units as the exact decimal string in major units ("1234.50", "-3", "0.07")."""
    from coop import money as m

    return str(m.from_minor(minor, ccy or currency()))


def amounts(ccy: str | None = None, **minors: int) -> dict[str, Any]:
    """{"x": "12.50", "x_minor": 1250} for each keyword x=1250."""
    out: dict[str, Any] = {}
    for name, minor in minors.items():
        out[name] = exact(minor, ccy)
        out[f"{name}_minor"] = minor
    return out


def quantity(name: str, milli: int) -> dict[str, Any]:
    from coop import money as m

    return {name: str(m.milli_to_qty(milli)), f"{name}_milli": milli}


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False))


def member_id(text: str) -> int:
    """The id of the member with this number (or, failing that, this id)."""
    from coop.models import Member
    from coop.services import registry

    found = registry.find_member(text)
    m = Member.get_or_none(Member.id == found) if found is not None else None
    if m is None and text.isascii() and text.isdigit():
        m = Member.get_or_none(Member.id == int(text))
    if m is None:
        raise ValidationError("member", "Unknown member: {value}.", value=text)
    return m.id


def balance(args: argparse.Namespace, actor: Actor) -> int:
    from coop.models import Member
    from coop.services import ledger

    as_json = getattr(args, "json", False)
    if args.member:
        m = Member.get_by_id(member_id(args.member))
        owed = ledger.member_balance(actor, m.id)
        if as_json:
            print_json(
                {"currency": currency(), "member_no": m.member_no, "name": m.full_name}
                | amounts(balance=owed)
            )
        else:
            print(f"{m.member_no}\t{m.full_name}\t{money(owed)}")
        return 0
    actor.require("balances.read")  # the position includes what is owed to members
    pos = ledger.position(actor)
    if as_json:
        print_json(position_json(actor, pos))
        return 0
    for label, value in [
        *((vocab.label(vocab.PAYMENT_METHODS, m), getattr(pos, m)) for m in vocab.PAYMENT_METHODS),
        (_("Owed to members"), pos.members_payable),
        (_("Tax payable"), pos.tax_payable),
        (_("Levy income"), pos.levy_income),
    ]:
        print(f"{label}\t{money(value)}")
    return 0


def position_json(actor: Actor, pos: Any) -> dict[str, Any]:
    """The position (one entry per treasury account) and every member's balance."""
    from coop.models import Member
    from coop.services import ledger

    treasury = amounts(**{m: getattr(pos, m) for m in vocab.PAYMENT_METHODS})
    owed = ledger.member_balances(actor)
    members = [
        {"member_no": m.member_no, "name": m.full_name} | amounts(balance=owed.get(m.id, 0))
        for m in Member.select().order_by(Member.member_no)
    ]
    return {
        "currency": currency(),
        "treasury": treasury,
        "members": members,
        **amounts(
            members_payable=pos.members_payable, tax_payable=pos.tax_payable, levy_income=pos.levy_income
        ),
    }


def summary_json(actor: Actor) -> dict[str, Any]:
    """`summary --json`: counts, the chain head and, for roles that see balances, the position."""
    from coop import chain
    from coop.models import Member, ProductionLot, Sale
    from coop.services import ledger, settings

    out: dict[str, Any] = {
        "name": settings.get().name,
        "currency": currency(),
        "active_members": Member.select().where(Member.status == "active").count(),
        "lots": ProductionLot.select().count(),
        "posted_sales": Sale.select().where(Sale.state == "posted").count(),
        "chain_head": chain.head()[1],
    }
    if actor.can("balances.read"):
        out["position"] = position_json(actor, ledger.position(actor))
    return out


def tax_summary(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import taxes

    s = taxes.summary(actor, args.start, args.end, args.authority)
    if args.json:
        print_json(tax_summary_json(s))
        return 0
    loc = locale()
    for m in s.by_mineral:
        print(f"{m.mineral}\t{i18n.format_qty(m.qty_milli, m.unit, loc)}\t{money(m.gross_local_minor)}")
    for a in s.adjustments:  # sales of earlier periods voided in this one: they count here
        label = _("Void of receipt {series}-{number} of {sold}, voided {voided}").format(
            series=a.series, number=a.receipt_no, sold=a.sale_date.isoformat(), voided=a.void_date.isoformat()
        )
        print(f"{label}\t{money(-a.gross_local_minor)}\t{money(-a.tax_minor)}")
    for t in s.taxes:
        print(
            f"{t.authority}\t{t.name}\t{i18n.format_decimal(Decimal(t.rate_bp) / 100, loc)} %\t{money(t.base_minor)}\t"
            f"{money(t.due_minor)}"
        )
    due, paid, left = (
        _("Due"),
        _("Paid"),
        _("Balance"),
    )  # translated before formatting (babel cannot see f-strings)
    print(f"{due}\t{money(s.due_minor)}\n{paid}\t{money(s.paid_minor)}\n{left}\t{money(s.balance_minor)}")
    if s.closing is not None:
        print(
            _("Final: the books are closed up to {date}; chain head at the closing {hash}.").format(
                date=s.closing.to_date.isoformat(), hash=s.closing.head_hash
            )
        )
    return 0


def tax_summary_json(s: Any) -> dict[str, Any]:
    return {
        "currency": s.currency,
        "from": s.period_from.isoformat(),
        "to": s.period_to.isoformat(),
        "authority": s.authority,
        "final": s.final,
        "chain_head": s.closing.head_hash if s.closing is not None else None,
        "by_mineral": [
            {"mineral": m.mineral, "unit": m.unit, "sales": m.sales}
            | quantity("qty", m.qty_milli)
            | quantity("priced_qty", m.priced_qty_milli)
            | amounts(s.currency, gross=m.gross_local_minor)
            for m in s.by_mineral
        ],
        "adjustments": [
            {
                "receipt": f"{a.series}/{a.receipt_no}",
                "sale_date": a.sale_date.isoformat(),
                "void_date": a.void_date.isoformat(),
                "mineral": a.mineral,
            }
            | amounts(s.currency, gross=a.gross_local_minor, tax=a.tax_minor)
            for a in s.adjustments
        ],
        "taxes": [
            {"rule_id": t.rule_id, "name": t.name, "authority": t.authority, "rate_bp": t.rate_bp}
            | amounts(s.currency, base=t.base_minor, rate_times_base=t.rate_times_base_minor, due=t.due_minor)
            for t in s.taxes
        ],
        "payments": [
            {
                "id": p.payment_id,
                "date": p.date.isoformat(),
                "authority": p.authority,
                "reference": p.reference,
            }
            | amounts(s.currency, amount=p.amount_minor)
            for p in s.payments
        ],
        **amounts(
            s.currency,
            untaxed_base=s.untaxed_base_minor,
            due=s.due_minor,
            paid=s.paid_minor,
            balance=s.balance_minor,
        ),
    }


def statement(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import statements
    from coop.services.records import EARLIEST_DATE

    start, end = args.start or EARLIEST_DATE, args.end or date.today()
    s = statements.statements_data(actor, start, end, member_id=member_id(args.member))[0]
    if args.pdf:
        import reports

        pdf = reports.build("statement", actor, lang=args.lang, start=start, end=end, member_id=s.member_id)
        with open(args.pdf, "wb") as out:
            out.write(pdf)
    if args.json:
        print_json(statement_json(s))
        return 0
    loc = locale()
    kinds = {"sale": _("Share of sale"), "payout": _("Payout"), "void": _("Reversal (void)")}
    print(f"{s.member_no}\t{s.full_name}\t{i18n.format_date(start, loc)}\t{i18n.format_date(end, loc)}")
    opening, closing = _("Opening balance"), _("Closing balance")
    print(f"{opening}\t{money(s.opening_minor)}")
    for ln in s.lines:
        when, kind = i18n.format_date(ln.date, loc), kinds.get(ln.kind, ln.kind)
        print(f"{when}\t{kind}\t{ln.reference}\t{money(ln.amount_minor)}\t{money(ln.balance_minor)}")
    print(f"{closing}\t{money(s.closing_minor)}")
    return 0


def statement_json(s: Any) -> dict[str, Any]:
    return {
        "currency": s.currency,
        "member_no": s.member_no,
        "name": s.full_name,
        "from": s.period_from.isoformat(),
        "to": s.period_to.isoformat(),
        "lines": [
            {
                "date": ln.date.isoformat(),
                "kind": ln.kind,
                "reverses": ln.source or None,
                "reference": ln.reference,
            }
            | amounts(s.currency, amount=ln.amount_minor, balance=ln.balance_minor)
            for ln in s.lines
        ],
        **amounts(
            s.currency,
            opening=s.opening_minor,
            earned=s.earned_minor,
            sales_reversed=s.sales_reversed_minor,
            paid=s.paid_minor,
            payouts_reversed=s.payouts_reversed_minor,
            other=s.other_minor,  # entries of the books: the ristourne of a closed year, opening balances
            closing=s.closing_minor,
        ),
    }


COMMANDS = {"balance": balance, "tax-summary": tax_summary, "statement": statement}
