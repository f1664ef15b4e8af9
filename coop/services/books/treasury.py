"""Treasury accounts (cash boxes, mobile-money wallets, bank accounts), their balances, and the one funds
check every payment goes through: no treasury account goes below zero on any day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from peewee import fn

from coop import vocab
from coop.chain import PostingLine
from coop.changes import Changes, Saved
from coop.errors import ValidationError
from coop.i18n import N_
from coop.models import ChartAccount, JournalEntry, Posting, TreasuryAccount, database
from coop.permissions import Actor
from coop.services import audit
from coop.services.books import charts

KINDS = tuple(vocab.PAYMENT_METHODS)  # cash, mobile_money, bank
FIRST_NAMES = {"cash": N_("Cash box"), "mobile_money": N_("Mobile-money wallet"), "bank": N_("Bank account")}
NOT_ENOUGH = N_("Not enough money in {account}: its balance is {balance}.")
NOT_ENOUGH_LATER = N_(
    "Not enough money in {account} on {date}: later payments leave only {balance} available from that day."
)
UNKNOWN = N_("Unknown treasury account: {value}.")


@dataclass(frozen=True, kw_only=True)
class Treasury:
    id: int
    name: str  # the first three's names are msgids (translate when shown); the others the user's text
    kind: str
    key: str  # what its postings use
    number: str  # its account in the chart
    is_default: bool
    active: bool
    balance_minor: int


def ensure_defaults() -> None:
    """The first three treasury accounts, one per payment method, on the keys the sales ledger always used."""
    have = {k for (k,) in TreasuryAccount.select(TreasuryAccount.key).tuples()}
    for kind in KINDS:
        if kind not in have:
            taken = (
                TreasuryAccount.select()
                .where((TreasuryAccount.kind == kind) & TreasuryAccount.is_default)
                .exists()
            )
            TreasuryAccount.create(name=FIRST_NAMES[kind], kind=kind, key=kind, is_default=not taken)


def _balances(keys: Sequence[str], until: date | None = None) -> dict[str, int]:
    q = Posting.select(Posting.account, fn.SUM(Posting.amount_minor)).where(Posting.account.in_(list(keys)))
    if until is not None:
        q = q.join(JournalEntry).where(JournalEntry.date <= until)
    return {k: int(s or 0) for k, s in q.group_by(Posting.account).tuples()}


def _as_treasury(row: TreasuryAccount, balance: int, mapping: dict[str, str]) -> Treasury:
    return Treasury(
        id=row.id,
        name=row.name,
        kind=row.kind,
        key=row.key,
        number=mapping.get(row.key, row.key),
        is_default=row.is_default,
        active=row.active,
        balance_minor=balance,
    )


def accounts(actor: Actor, until: date | None = None) -> list[Treasury]:
    """Every treasury account with its balance (at the end of `until`), by kind then creation."""
    from coop.services.books import chart

    actor.require("read.all")
    rows = list(TreasuryAccount.select().order_by(TreasuryAccount.id))
    sums = _balances([r.key for r in rows], until)
    mapping = chart.key_numbers()
    out = [_as_treasury(r, sums.get(r.key, 0), mapping) for r in rows]
    return sorted(out, key=lambda t: (KINDS.index(t.kind), t.id))


def get(treasury_id: int) -> Treasury:
    from coop.services.books import chart

    row = TreasuryAccount.get_or_none(TreasuryAccount.id == treasury_id)
    if row is None:
        raise ValidationError("treasury", UNKNOWN, value=treasury_id)
    return _as_treasury(row, _balances([row.key]).get(row.key, 0), chart.key_numbers())


def find(text: str | int) -> Treasury:
    """A treasury account by id, key, account number or name (the command line's FROM / TO)."""
    from coop.i18n import _
    from coop.services.books import chart

    value = str(text).strip()
    mapping = chart.key_numbers()
    for row in TreasuryAccount.select().order_by(TreasuryAccount.id):
        names = {row.name.casefold(), _(row.name).casefold()}
        if value in (str(row.id), row.key, mapping.get(row.key, row.key)) or value.casefold() in names:
            return get(row.id)
    raise ValidationError("treasury", UNKNOWN, value=value)


def default_key(kind: str) -> str:
    """The key of the default treasury account of a payment method (the method itself in a file before
    schema 8: see wallets_of_the_file)."""
    for row in wallets_of_the_file():
        if row.kind == kind and row.is_default and row.active:
            return row.key
    return kind


def keys() -> set[str]:
    return {k for (k,) in TreasuryAccount.select(TreasuryAccount.key).tuples()}


def resolve(method: str, treasury_id: int | None = None) -> tuple[str, str]:
    """(payment method, treasury key) of a payment: the chosen treasury account, else the method's default."""
    if treasury_id is not None:
        t = get(treasury_id)
        if not t.active:
            raise ValidationError("treasury", N_("The treasury account {name} is closed."), name=t.name)
        return t.kind, t.key
    if method not in KINDS:
        raise ValidationError("method", "Unknown payment method {method}.", method=method)
    return method, default_key(method)


def _group(kind: str) -> str:
    from coop.services.books import chart

    return charts.GROUPS[chart.installed() or "default"][kind]


def _next_number(kind: str) -> str:
    from coop.services.books import chart

    group = charts.PREFIXES[chart.installed() or "default"][kind]
    taken = {n for (n,) in ChartAccount.select(ChartAccount.number).tuples()}
    for suffix in [str(d) for d in range(1, 10)] + [f"{d:02d}" for d in range(10, 100)]:
        if group + suffix not in taken:
            return group + suffix
    raise ValidationError("kind", N_("No account number is left for a new treasury account of this kind."))


def add(actor: Actor, name: str, kind: str, *, default: bool = False) -> Saved:
    """A new cash box, wallet or bank account: a sub-account of the kind's group in the chart (e.g. 5712)."""
    actor.require("treasury.write")
    name = name.strip()
    if not name:
        raise ValidationError("name", N_("Give the account a name."))
    if kind not in KINDS:
        raise ValidationError("kind", "Unknown payment method {method}.", method=kind)
    with database.atomic():
        if TreasuryAccount.select().where(fn.LOWER(TreasuryAccount.name) == name.lower()).exists():
            raise ValidationError("name", N_("A treasury account is already called {name}."), name=name)
        number = _next_number(kind)
        parent = _group(kind)
        ChartAccount.create(number=number, name=name, type="asset", parent=parent, chart="")
        if default:
            TreasuryAccount.update(is_default=False).where(TreasuryAccount.kind == kind).execute()
        row = TreasuryAccount.create(name=name, kind=kind, key=number, is_default=default)
        audit.record(actor, "create", "treasury_account", row.id, None, audit.row_dict(row))
    return Saved(row.id, Changes.of(treasury=[row.id]))


def set_default(actor: Actor, treasury_id: int) -> Changes:
    """Make this account the one its payment method uses when no account is chosen."""
    actor.require("treasury.write")
    t = get(treasury_id)
    with database.atomic():
        TreasuryAccount.update(is_default=False).where(TreasuryAccount.kind == t.kind).execute()
        TreasuryAccount.update(is_default=True).where(TreasuryAccount.id == t.id).execute()
        audit.record(
            actor, "update", "treasury_account", t.id, {"is_default": t.is_default}, {"is_default": True}
        )
    return Changes.of(treasury=[t.id])


def available(key: str, day: date) -> int:
    """The least the account holds at the end of `day` or of any later day: what may leave it on `day`.

    The whole balance is one SUM on the posting index; only the days after `day` (usually none: a payment is
    dated today) are read one by one."""
    total = int(Posting.select(fn.SUM(Posting.amount_minor)).where(Posting.account == key).scalar() or 0)
    later = (
        Posting.select(JournalEntry.date, fn.SUM(Posting.amount_minor))
        .join(JournalEntry)
        .where((Posting.account == key) & (JournalEntry.date > day))
        .group_by(JournalEntry.date)
        .order_by(JournalEntry.date)
        .tuples()
    )
    changes = [int(change) for _d, change in later]
    held = total - sum(changes)  # at the end of `day`
    least = held
    for change in changes:
        held += change
        least = min(least, held)
    return least


def wallets_of_the_file() -> list[TreasuryAccount]:
    """The treasury accounts; none in a file of a schema before 8 (only ever written to build the upgrade
    tests' fixtures: an app opening such a file upgrades it first), whose postings keep the methods' keys."""
    if not TreasuryAccount.table_exists():
        return []
    return list(TreasuryAccount.select().order_by(TreasuryAccount.id))


def check_funds(
    lines: Sequence[PostingLine], day: date, wallets: Sequence[TreasuryAccount] | None = None
) -> None:
    """Refuse an entry that would take a treasury account below zero on `day` or any later day; the message
    states the account's balance. The one funds check: posting.post and posting.void call it (`wallets`: the
    treasury accounts when the caller has read them already)."""
    out: dict[str, int] = {}
    for line in lines:
        out[line.account] = out.get(line.account, 0) + line.amount_minor
    spending = {k: -v for k, v in out.items() if v < 0}
    if not spending:
        return
    rows = wallets_of_the_file() if wallets is None else wallets
    by_key = {r.key: r for r in rows if r.key in spending}
    for key, amount in sorted(spending.items()):
        if key not in by_key:
            continue
        left = available(key, day)
        if amount > left:
            raise _not_enough(by_key[key], day, left)


def with_defaults(lines: Sequence[PostingLine]) -> tuple[list[PostingLine], list[TreasuryAccount]]:
    """The lines with a payment method's key (cash, mobile_money, bank) moved to that method's default
    treasury account, and the treasury accounts read for it."""
    rows = wallets_of_the_file()
    default = {r.kind: r.key for r in rows if r.is_default and r.active}
    out = [
        PostingLine(default.get(p.account, p.account), p.member_id, p.tax_rule_id, p.amount_minor)
        if p.account in KINDS
        else p
        for p in lines
    ]
    return out, rows


def _not_enough(row: TreasuryAccount, day: date, available: int) -> ValidationError:
    from coop.i18n import _, format_money
    from coop.services import settings

    coop = settings.get()
    now = _balances([row.key], day).get(row.key, 0)
    balance = format_money(available, coop.currency, coop.locale)
    if available == now:
        return ValidationError("amount", NOT_ENOUGH, account=_(row.name), balance=balance)
    return ValidationError(
        "amount", NOT_ENOUGH_LATER, account=_(row.name), date=day.isoformat(), balance=balance
    )


def daily_balances(key: str) -> list[tuple[date, int]]:
    """(day, balance at the end of the day) for every day the account moved, oldest first."""
    rows = (
        Posting.select(JournalEntry.date, fn.SUM(Posting.amount_minor))
        .join(JournalEntry)
        .where(Posting.account == key)
        .group_by(JournalEntry.date)
        .order_by(JournalEntry.date)
        .tuples()
    )
    held, out = 0, []
    for day, change in rows:
        held += int(change)
        out.append((day if isinstance(day, date) else date.fromisoformat(str(day)), held))
    return out


def daily_balance(key: str, day: date) -> int:
    """The account's balance at the end of `day`."""
    return _balances([key], day).get(key, 0)
