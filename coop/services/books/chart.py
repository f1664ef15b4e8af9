"""The chart of accounts in the database: installing the country's chart, reading it, and mapping the keys
of the postings (cash, member_payable, a chart number, ...) to account numbers and back."""

from __future__ import annotations

from dataclasses import dataclass

from coop.errors import ValidationError
from coop.i18n import N_
from coop.models import AccountKey, ChartAccount, Posting, TreasuryAccount
from coop.permissions import Actor
from coop.services.books import charts

# The 17 member states of OHADA (ISO 3166 alpha-2): they keep SYSCOHADA accounts.
OHADA: frozenset[str] = frozenset(
    {"BJ", "BF", "CM", "CF", "KM", "CG", "CD", "CI", "GA", "GN", "GW", "GQ", "ML", "NE", "SN", "TD", "TG"}
)
TYPES = {
    "asset": N_("Asset"),
    "liability": N_("Liability"),
    "equity": N_("Equity"),
    "income": N_("Income"),
    "expense": N_("Expense"),
}
UNKNOWN_ACCOUNT = N_("There is no account {number} in the chart of accounts.")


@dataclass(frozen=True, kw_only=True)
class Account:
    number: str
    name: str  # a msgid for the shipped charts: translate when shown
    type: str
    parent: str
    leaf: bool  # no sub-accounts: entries may be posted to it


def chart_for(country: str) -> str:
    return "syscohada" if country.strip().upper() in OHADA else "default"


def installed() -> str:
    """Which shipped chart the database holds ("" before any is installed)."""
    row = ChartAccount.select(ChartAccount.chart).where(ChartAccount.chart != "").first()
    return row.chart if row else ""


def _in_use_by_entries() -> bool:
    """Whether postings use chart numbers (entries of the books) rather than only the sales ledger's keys."""
    keys = set(charts.KEYS["default"])
    return Posting.select().where(Posting.account.not_in(keys)).exists() or (
        TreasuryAccount.select().where(TreasuryAccount.key.not_in(keys)).exists()
    )


def install_chart(country: str) -> None:
    """Install the chart for `country` (SYSCOHADA for the OHADA states, else the default): idempotent.

    A chart another country's chart replaced is swapped only while no entry of the books uses its numbers
    (sales, payouts and tax payments post on keys, which the new chart maps again); after that it stays."""
    from coop.services.books import treasury

    if not ChartAccount.table_exists():
        return  # a file before schema 8 (the upgrade tests' fixtures): migration 8 installs its chart
    want = chart_for(country)
    # the models' own database, not the proxy: a migration runs on a second file bound to the models
    with ChartAccount._meta.database.atomic():
        have = installed()
        if have and have != want:
            if _in_use_by_entries():
                want = have
            else:
                ChartAccount.delete().where(ChartAccount.chart == have).execute()
                AccountKey.delete().execute()
        existing = {n for (n,) in ChartAccount.select(ChartAccount.number).tuples()}
        rows = [
            {"number": n, "name": name, "type": t, "parent": p, "chart": want}
            for n, name, t, p in charts.CHARTS[want]
            if n not in existing
        ]
        if rows:
            ChartAccount.insert_many(rows).execute()
        mapped = {k for (k,) in AccountKey.select(AccountKey.key).tuples()}
        keys = [{"key": k, "number": n} for k, n in charts.KEYS[want].items() if k not in mapped]
        if keys:
            AccountKey.insert_many(keys).execute()
        treasury.ensure_defaults()


def _account(row: ChartAccount, parents: set[str]) -> Account:
    return Account(
        number=row.number, name=row.name, type=row.type, parent=row.parent, leaf=row.number not in parents
    )


def accounts(actor: Actor | None = None) -> list[Account]:
    """Every account of the chart, in number order (as text: 4613 sorts after 461)."""
    if actor is not None:
        actor.require("read.all")
    rows = list(ChartAccount.select().order_by(ChartAccount.number))
    parents = {r.parent for r in rows}
    return [_account(r, parents) for r in rows]


def account(number: str) -> Account:
    row = ChartAccount.get_or_none(ChartAccount.number == number.strip())
    if row is None:
        raise ValidationError("account", UNKNOWN_ACCOUNT, number=number)
    has_children = ChartAccount.select().where(ChartAccount.parent == row.number).exists()
    return _account(row, {row.number} if has_children else set())


def key_numbers() -> dict[str, str]:
    """The mapped keys of the postings (cash, member_payable, ...) -> account number."""
    return dict(AccountKey.select(AccountKey.key, AccountKey.number).tuples())


def number_of(key: str, mapping: dict[str, str] | None = None) -> str:
    """The account number a posting key stands for: a mapped key's account, else the key (a chart number)."""
    return (key_numbers() if mapping is None else mapping).get(key, key)


def system_number(key: str) -> str:
    """The account of one of the chart's keys (opening_equity, share_paid, cash_short, ...)."""
    return number_of(key)


def key_for(number: str) -> str:
    """The key postings to account `number` use: a treasury account's key, a mapped key (so that a member's
    or a tax's balance stays on its key), else the number itself. The account must exist and be a leaf."""
    acc = account(number)
    if not acc.leaf:
        raise ValidationError(
            "account", N_("Account {number} has sub-accounts: choose one of them."), number=acc.number
        )
    found = TreasuryAccount.get_or_none(TreasuryAccount.key == acc.number)
    if found is not None:
        return found.key
    for key, mapped in key_numbers().items():
        if mapped == acc.number:
            return key
    return acc.number


def is_member_key(key: str) -> bool:
    return key in charts.MEMBER_KEYS


def add_account(actor: Actor, number: str, name: str, parent: str) -> None:
    """A sub-account of the user's own under `parent` (same type), e.g. 6053 split per vehicle."""
    actor.require("treasury.write")
    number, name = number.strip(), name.strip()
    if not number.isdigit():
        raise ValidationError("number", N_("An account number is made of digits."))
    if not name:
        raise ValidationError("name", N_("Give the account a name."))
    up = account(parent)
    if not number.startswith(up.number) or number == up.number:
        raise ValidationError(
            "number", N_("A sub-account of {parent} has a number starting with {parent}."), parent=up.number
        )
    if ChartAccount.get_or_none(ChartAccount.number == number) is not None:
        raise ValidationError("number", N_("Account {number} already exists."), number=number)
    if Posting.select().where(Posting.account == up.number).exists():
        raise ValidationError(
            "parent",
            N_("Account {number} already has entries: it cannot get sub-accounts."),
            number=up.number,
        )
    ChartAccount.create(number=number, name=name, type=up.type, parent=up.number, chart="")
