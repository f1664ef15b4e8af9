"""Commands that read the books: `balance` and `tax-summary`."""

from __future__ import annotations

import argparse
from decimal import Decimal

from cli.args import day
from coop import i18n, vocab
from coop.errors import ValidationError
from coop.i18n import _
from coop.permissions import Actor


def add_parsers(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("balance", help=_("members' balances, or the cooperative's position"))
    s.add_argument("--member", help=_("member number"))
    s = sub.add_parser("tax-summary", help=_("tax due and paid for a period"))
    s.add_argument("--from", dest="start", type=day, required=True)
    s.add_argument("--to", dest="end", type=day, required=True)
    s.add_argument("--authority")


def locale() -> str:
    from coop.services import settings

    return settings.get().locale


def money(minor: int) -> str:
    from coop.services import settings

    coop = settings.get()
    return i18n.format_money(minor, coop.currency, coop.locale)


def balance(args: argparse.Namespace, actor: Actor) -> int:
    from coop.models import Member
    from coop.services import ledger, registry

    if args.member:
        found = registry.find_member(args.member)
        if found is None:
            raise ValidationError("member", "Unknown member: {value}.", value=args.member)
        m = Member.get_by_id(found)
        print(f"{m.member_no}\t{m.full_name}\t{money(ledger.member_balance(actor, m.id))}")
        return 0
    actor.require("balances.read")  # the position includes what is owed to members
    pos = ledger.position(actor)
    for label, value in [
        *((vocab.label(vocab.PAYMENT_METHODS, m), getattr(pos, m)) for m in vocab.PAYMENT_METHODS),
        (_("Owed to members"), pos.members_payable),
        (_("Tax payable"), pos.tax_payable),
        (_("Levy income"), pos.levy_income),
    ]:
        print(f"{label}\t{money(value)}")
    return 0


def tax_summary(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import taxes

    s = taxes.summary(actor, args.start, args.end, args.authority)
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
    print(
        f"{_('Due')}\t{money(s.due_minor)}\n{_('Paid')}\t{money(s.paid_minor)}\n{_('Balance')}\t"
        f"{money(s.balance_minor)}"
    )
    if s.closing is not None:
        print(
            _("Final: the books are closed up to {date}; chain head at the closing {hash}.").format(
                date=s.closing.to_date.isoformat(), hash=s.closing.head_hash
            )
        )
    return 0


COMMANDS = {"balance": balance, "tax-summary": tax_summary}
