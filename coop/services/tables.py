"""List services for the table views: filtered/sorted id windows, counts, totals and row pages per list.

Every list is declared once as data (a ListSpec). A member account only ever gets its own rows: the
scoping clause is added here, from the Actor, never by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from peewee import SqliteDatabase

from coop.i18n import N_
from coop.models import database
from coop.permissions import Actor


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # N_ id, translated by the view
    sql: str
    kind: str = "text"  # text, int, date, datetime, money, money_ccy, qty, bool, label, bp, grade, owners
    total: bool = False  # summed in the totals row
    hidden: bool = False  # fetched for formatting (unit, currency) but not shown
    labels: str = ""  # name of a label dict for kind "label" (resolved by the view)
    sort_sql: str = ""  # what to order by when it differs from the shown value
    requires: str = ""  # action needed to see it (a member sees their own row's); else NULL and not shown


@dataclass(frozen=True)
class ListSpec:
    name: str
    source: str  # FROM ... JOIN ...
    columns: tuple[Column, ...]
    search: tuple[str, ...] = ()
    date_col: str = ""
    site_col: str = ""
    mineral_col: str = ""
    state_col: str = ""
    default_sort: str = ""
    default_descending: bool = False  # newest first for dated lists
    own: str = ""  # member scoping clause with one ? (the member id); "" = members may not see it
    id_sql: str = ""
    count_source: str = ""  # cheaper FROM for COUNT when filters only touch the main table
    total_where: str = ""  # the rows the totals add up (a voided record is listed but counts for nothing)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def visible(self) -> list[Column]:
        return [c for c in self.columns if not c.hidden]


@dataclass(kw_only=True)
class Query:
    """What the user typed and picked above a list."""

    search: str = ""
    date_from: date | None = None
    date_to: date | None = None
    site_id: int | None = None
    mineral_id: int | None = None
    state: str | None = None
    sort: str = ""
    descending: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


C = Column
# "M0001=6000, M0002=4000": each owner's number and share in basis points, in the order entered (the view
# shows "M0001 60 %, M0002 40 %" in the user's number format)
_LOT_OWNERS = (
    "(SELECT group_concat(o.owner, ', ') FROM (SELECT mm.member_no || '=' || lo2.share_bp AS owner"
    " FROM lot_owner lo2 JOIN member mm ON mm.id = lo2.member_id WHERE lo2.lot_id = l.id ORDER BY lo2.id) o)"
)
_BALANCE = "(SELECT -COALESCE(SUM(p.amount_minor), 0) FROM posting p WHERE p.account = 'member_payable' AND p.member_id = m.id)"

# the register's share capital: what the member paid, from the entries of the books (shares.share_capital_by_member
# reads the same postings); Member.share_capital_minor is the paper register's figure, kept for the opening balances
_SHARE_CAPITAL = "(SELECT -COALESCE(SUM(p.amount_minor), 0) FROM posting p WHERE p.account = 'share_paid' AND p.member_id = m.id)"

_MY_SHARE = (
    "(SELECT -COALESCE(SUM(p.amount_minor), 0) FROM posting p JOIN journal_entry e ON e.id = p.entry_id"
    " WHERE e.kind = 'sale' AND e.source_type = 'sale' AND e.source_id = sa.id"
    " AND p.account = 'member_payable' AND p.member_id = {member})"
)

SPECS: dict[str, ListSpec] = {
    s.name: s
    for s in [
        ListSpec(
            "members",
            "member m LEFT JOIN site s ON s.id = m.site_id",
            (
                C("member_no", N_("No."), "m.member_no"),
                C("full_name", N_("Name"), "m.full_name"),
                C("sex", N_("Sex"), "m.sex", "label", labels="sexes"),
                C("site", N_("Site"), "s.code"),
                C("role", N_("Role"), "m.role", "label", labels="member_roles"),
                C("phone", N_("Phone"), "m.phone"),
                C("join_date", N_("Joined"), "m.join_date", "date"),
                C("status", N_("Status"), "m.status", "label", labels="member_statuses"),
                C(
                    "share_capital",
                    N_("Share capital"),
                    _SHARE_CAPITAL,
                    "money",
                    total=True,
                    requires="balances.read",
                ),
                C("balance", N_("Balance"), _BALANCE, "money", total=True, requires="balances.read"),
            ),
            search=("m.member_no", "m.full_name", "m.phone", "m.id_number", "m.community"),
            date_col="m.join_date",
            site_col="m.site_id",
            state_col="m.status",
            default_sort="member_no",
            own="m.id = ?",
            id_sql="m.id",
        ),
        ListSpec(
            "sites",
            "site s",
            (
                C("code", N_("Code"), "s.code"),
                C("name", N_("Name"), "s.name"),
                C("licence_no", N_("Licence"), "s.licence_no"),
                C("minerals", N_("Minerals"), "s.minerals"),
                C("latitude", N_("Latitude"), "s.latitude"),
                C("longitude", N_("Longitude"), "s.longitude"),
                C("status", N_("Status"), "s.status", "label", labels="site_statuses"),
            ),
            search=("s.code", "s.name", "s.licence_no"),
            state_col="s.status",
            default_sort="code",
            id_sql="s.id",
        ),
        ListSpec(
            "lots",
            "production_lot l JOIN site s ON s.id = l.site_id JOIN mineral n ON n.id = l.mineral_id",
            (
                C("reference", N_("Reference"), "l.reference"),
                C("date", N_("Date"), "l.date", "date"),
                C("site", N_("Site"), "s.code"),
                C("mineral", N_("Mineral"), "n.name"),
                C("unit", N_("Unit"), "n.unit", hidden=True),
                C("qty", N_("Quantity"), "l.qty_milli", "qty", total=True),
                C("grade_kind", N_("Grade"), "n.grade_kind", hidden=True),
                C("grade", N_("Grade"), "l.grade_milli", "grade"),
                C("mercury", N_("Mercury (g)"), "l.mercury_milli", "milli", total=True),
                C("owners", N_("Owners"), _LOT_OWNERS, "owners"),
                C("status", N_("Status"), "l.status", "label", labels="lot_statuses"),
            ),
            search=("l.reference", "l.notes"),
            date_col="l.date",
            site_col="l.site_id",
            mineral_col="l.mineral_id",
            state_col="l.status",
            default_sort="date",
            default_descending=True,
            own="l.id IN (SELECT lo.lot_id FROM lot_owner lo WHERE lo.member_id = ?)",
            id_sql="l.id",
            count_source="production_lot l",
        ),
        ListSpec(
            "sales",
            "sale sa JOIN buyer b ON b.id = sa.buyer_id",
            (
                C(
                    "receipt",
                    N_("Receipt"),
                    "sa.series || '/' || COALESCE(sa.receipt_no, '')",
                    sort_sql="sa.series, sa.receipt_no",
                ),
                C("date", N_("Date"), "sa.date", "date"),
                C("buyer", N_("Buyer"), "b.name"),
                C("currency", N_("Currency"), "sa.currency", hidden=True),
                C("gross", N_("Gross (price currency)"), "sa.gross_minor", "money_ccy"),
                C("gross_local", N_("Gross"), "sa.gross_local_minor", "money", total=True),
                C("levy", N_("Levy"), "sa.levy_minor", "money", total=True),
                C("tax", N_("Taxes withheld"), "sa.tax_minor", "money", total=True),
                C("net", N_("Net to members"), "sa.net_minor", "money", total=True),
                C("method", N_("Payment"), "sa.payment_method", "label", labels="methods"),
                C("state", N_("State"), "sa.state", "label", labels="states"),
            ),
            search=("b.name", "CAST(sa.receipt_no AS TEXT)", "sa.void_reason"),
            total_where="sa.state = 'posted'",
            date_col="sa.date",
            mineral_col=(
                "(SELECT l.mineral_id FROM sale_lot sl JOIN production_lot l ON l.id = sl.lot_id"
                " WHERE sl.sale_id = sa.id LIMIT 1)"
            ),
            state_col="sa.state",
            default_sort="date",
            default_descending=True,
            own=(
                "sa.id IN (SELECT sl.sale_id FROM sale_lot sl JOIN lot_owner lo ON lo.lot_id = sl.lot_id"
                " WHERE lo.member_id = ?)"
            ),
            id_sql="sa.id",
        ),
        ListSpec(
            "my_sales",  # a member's view of sales: their own share of each sale
            "sale sa JOIN buyer b ON b.id = sa.buyer_id",
            (
                C(
                    "receipt",
                    N_("Receipt"),
                    "sa.series || '/' || COALESCE(sa.receipt_no, '')",
                    sort_sql="sa.series, sa.receipt_no",
                ),
                C("date", N_("Date"), "sa.date", "date"),
                C("buyer", N_("Buyer"), "b.name"),
                C("gross_local", N_("Gross"), "sa.gross_local_minor", "money"),
                C("share", N_("My share"), _MY_SHARE, "money", total=True),
                C("state", N_("State"), "sa.state", "label", labels="states"),
            ),
            search=("b.name", "CAST(sa.receipt_no AS TEXT)"),
            total_where="sa.state = 'posted'",
            date_col="sa.date",
            state_col="sa.state",
            default_sort="date",
            default_descending=True,
            own=(
                "sa.id IN (SELECT sl.sale_id FROM sale_lot sl JOIN lot_owner lo ON lo.lot_id = sl.lot_id"
                " WHERE lo.member_id = ?)"
            ),
            id_sql="sa.id",
        ),
        ListSpec(
            "payouts",
            "payout p JOIN member m ON m.id = p.member_id",
            (
                C("date", N_("Date"), "p.date", "date"),
                C("member_no", N_("No."), "m.member_no"),
                C("member", N_("Member"), "m.full_name"),
                C("amount", N_("Amount"), "p.amount_minor", "money", total=True),
                C("method", N_("Method"), "p.method", "label", labels="methods"),
                C("reference", N_("Reference"), "p.reference"),
                C("state", N_("State"), "p.state", "label", labels="states"),
            ),
            search=("m.member_no", "m.full_name", "p.reference"),
            total_where="p.state = 'posted'",
            date_col="p.date",
            site_col="m.site_id",
            state_col="p.state",
            default_sort="date",
            default_descending=True,
            own="p.member_id = ?",
            id_sql="p.id",
        ),
        ListSpec(
            "tax_payments",
            "tax_payment t LEFT JOIN tax_rule r ON r.id = t.tax_rule_id",
            (
                C("date", N_("Date"), "t.date", "date"),
                C("authority", N_("Authority"), "t.authority"),
                C("tax", N_("Tax"), "r.name"),
                C("period_from", N_("From"), "t.period_from", "date"),
                C("period_to", N_("To"), "t.period_to", "date"),
                C("amount", N_("Amount"), "t.amount_minor", "money", total=True),
                C("reference", N_("Reference"), "t.reference"),
                C("state", N_("State"), "t.state", "label", labels="states"),
            ),
            search=("t.authority", "t.reference", "r.name"),
            total_where="t.state = 'posted'",
            date_col="t.date",
            state_col="t.state",
            default_sort="date",
            default_descending=True,
            id_sql="t.id",
        ),
        ListSpec(
            "incidents",
            "incident i JOIN site s ON s.id = i.site_id",
            (
                C("occurred_at", N_("When"), "i.occurred_at", "datetime"),
                C("site", N_("Site"), "s.code"),
                C("category", N_("Category"), "i.category", "label", labels="categories"),
                C("severity", N_("Severity"), "i.severity", "label", labels="severities"),
                C("injured", N_("Injured"), "i.injured", "int", total=True),
                C("fatalities", N_("Deaths"), "i.fatalities", "int", total=True),
                C("reported", N_("Reported"), "i.reported_to_authority", "bool"),
                C("state", N_("State"), "i.state", "label", labels="states"),
            ),
            search=("i.description", "i.people", "i.actions"),
            date_col="date(i.occurred_at)",
            site_col="i.site_id",
            state_col="i.state",
            default_sort="occurred_at",
            default_descending=True,
            id_sql="i.id",
        ),
        ListSpec(
            "mercury",
            "mercury_entry e JOIN site s ON s.id = e.site_id LEFT JOIN member m ON m.id = e.member_id",
            (
                C("date", N_("Date"), "e.date", "date"),
                C("site", N_("Site"), "s.code"),
                C("member", N_("Member"), "m.full_name"),
                C("kind", N_("Kind"), "e.kind", "label", labels="mercury_kinds"),
                C("grams", N_("Mercury (g)"), "e.grams_milli", "milli", total=True),
                C("supplier", N_("Supplier"), "e.supplier"),
                C("retort", N_("Retort"), "e.retort_used", "bool"),
            ),
            search=("e.supplier", "m.full_name"),
            date_col="e.date",
            site_col="e.site_id",
            state_col="e.kind",
            default_sort="date",
            default_descending=True,
            id_sql="e.id",
        ),
        ListSpec(
            "minerals",
            "mineral n",
            (
                C("name", N_("Name"), "n.name"),
                C("unit", N_("Unit"), "n.unit"),
                C("grade_kind", N_("Grade"), "n.grade_kind", "label", labels="grade_kinds"),
                C("hs_code", N_("HS code"), "n.hs_code"),
            ),
            search=("n.name", "n.hs_code"),
            default_sort="name",
            id_sql="n.id",
        ),
        ListSpec(
            "buyers",
            "buyer b",
            (
                C("name", N_("Name"), "b.name"),
                C("kind", N_("Kind"), "b.kind", "label", labels="buyer_kinds"),
                C("licence_no", N_("Licence"), "b.licence_no"),
                C("tax_id", N_("Tax id"), "b.tax_id"),
            ),
            search=("b.name", "b.licence_no", "b.tax_id"),
            default_sort="name",
            id_sql="b.id",
        ),
        ListSpec(
            "tax_rules",
            "tax_rule r LEFT JOIN mineral n ON n.id = r.mineral_id",
            (
                C("name", N_("Tax"), "r.name"),
                C("authority", N_("Authority"), "r.authority"),
                C("rate", N_("Rate"), "r.rate_bp", "bp"),
                C("mineral", N_("Mineral"), "n.name"),
                C("buyer_kind", N_("Buyer kind"), "r.buyer_kind", "label", labels="buyer_kinds"),
                C("valid_from", N_("Valid from"), "r.valid_from", "date"),
                C("valid_to", N_("Valid to"), "r.valid_to", "date"),
                C("withheld", N_("Withheld"), "r.withheld", "bool"),
            ),
            search=("r.name", "r.authority", "r.note"),
            default_sort="authority",
            id_sql="r.id",
        ),
        ListSpec(
            "journal",  # one row per posting, with its journal entry (the auditor's ledger view)
            "posting p JOIN journal_entry e ON e.id = p.entry_id LEFT JOIN member m ON m.id = p.member_id",
            (
                C("seq", N_("Entry"), "e.seq", sort_sql="e.seq"),
                C("date", N_("Date"), "e.date", "date"),
                C(
                    "kind",
                    N_("Kind"),
                    # an entry of the books shows its own kind (expense, transfer, …)
                    "COALESCE((SELECT b.kind FROM book_entry b WHERE e.source_type = 'book_entry' "
                    "AND b.id = e.source_id), e.kind)",
                    "label",
                    labels="entry_kinds",
                ),
                C(
                    "source",
                    N_("Source"),
                    "e.source_type || ' #' || e.source_id",
                    sort_sql="e.source_type, e.source_id",
                ),
                C("account", N_("Account"), "p.account", "label", labels="accounts"),
                C("member", N_("Member"), "COALESCE(m.member_no || ' — ' || m.full_name, '')"),
                C("amount", N_("Amount"), "p.amount_minor", "money"),
                C("memo", N_("Memo"), "e.memo"),
            ),
            search=("e.memo", "e.source_type", "m.member_no", "m.full_name", "CAST(e.seq AS TEXT)"),
            date_col="e.date",
            state_col="p.account",
            default_sort="seq",
            default_descending=True,
            id_sql="p.id",
        ),
        ListSpec(
            "audit_log",
            "audit_log a",
            (
                C("at", N_("When"), "a.at", "datetime"),
                C("user", N_("User"), "a.username"),
                C("action", N_("Action"), "a.action"),
                C("entity", N_("Entity"), "a.entity"),
                C("entity_id", N_("Id"), "a.entity_id", sort_sql="a.entity_id"),
                C(
                    "changes",
                    N_("Changes"),
                    "CASE WHEN a.old = '' THEN a.new WHEN a.new = '' THEN a.old"
                    " ELSE a.old || ' → ' || a.new END",
                ),
            ),
            search=("a.username", "a.action", "a.entity", "a.old", "a.new"),
            date_col="date(a.at)",
            default_sort="at",
            default_descending=True,
            id_sql="a.id",
        ),
        ListSpec(
            "users",
            "user u LEFT JOIN member m ON m.id = u.member_id",
            (
                C("username", N_("User name"), "u.username"),
                C("role", N_("Role"), "u.role", "label", labels="roles"),
                C("member", N_("Member"), "m.full_name"),
                C("locale", N_("Language"), "u.locale"),
                C("active", N_("Active"), "u.active", "bool"),
                C("failed", N_("Failed logins"), "u.failed_attempts", "int"),
                C("locked_until", N_("Locked until"), "u.locked_until", "datetime"),
            ),
            search=("u.username",),
            default_sort="username",
            id_sql="u.id",
        ),
    ]
}


def spec(name: str) -> ListSpec:
    return SPECS[name]


def may_see(actor: Actor, col: Column) -> bool:
    """Whether `actor` sees the column: its action, or a member account (whose rows are its own)."""
    own = actor.can("read.own") and actor.member_id is not None
    return not col.requires or actor.can(col.requires) or own


def visible_columns(actor: Actor, name: str) -> list[Column]:
    """The columns a view of list `name` shows this actor."""
    return [c for c in SPECS[name].visible() if may_see(actor, c)]


def _scope(actor: Actor, s: ListSpec) -> tuple[list[str], list[Any]]:
    """The member scoping clause: read.all sees everything, read.own only rows tied to its member."""
    if s.name == "users":
        actor.require("users.manage")
        return [], []
    member = actor.record_scope(owned=bool(s.own))
    return ([], []) if member is None else ([s.own], [member])


def _sql(actor: Actor, text: str) -> str:
    """Fill the {member} slot of member-view columns with the actor's own member id (an int, never input)."""
    return text.replace("{member}", str(int(actor.member_id or 0))) if "{member}" in text else text


def _value_sql(actor: Actor, col: Column) -> str:
    """A column's SELECT expression; NULL for a column the actor may not see (the value never leaves here)."""
    return _sql(actor, col.sql) if may_see(actor, col) else "NULL"


# Search ignores case and accents ("leonie" finds "Léonie", "LEONIE" too) without touching the stored
# text: each letter typed becomes a character class of its accented and capital forms ("[eEéÉèÈ…]") matched by
# GLOB, SQLite's case-sensitive pattern match. Nothing is registered on the connection (SQLite has no
# unaccent and LOWER lowers ASCII only) and no folded column has to follow every write path; PostgreSQL runs
# the same classes through its regular-expression operator (`~`), see `_match`.
ACCENTED = "àáâãäåāăąçćčďđèéêëēėęěìíîïīįñńňòóôõöøōŕřśšşťţùúûüūůűýÿźżž"


def _base(ch: str) -> str:
    """A letter without its accent, lower-cased ("É" -> "e"); other characters as they are."""
    if ch in "đĐ":
        return "d"
    if ch in "øØ":
        return "o"
    decomposed = unicodedata.normalize("NFKD", ch)
    return decomposed[0].lower() if decomposed and decomposed[0].isascii() else ch.lower()


VARIANTS: dict[str, str] = {}  # base letter -> every form it stands for in a search
for _ch in "abcdefghijklmnopqrstuvwxyz" + ACCENTED + ACCENTED.upper():
    _forms = VARIANTS.setdefault(_base(_ch), "")
    VARIANTS[_base(_ch)] = _forms + "".join(c for c in (_ch, _ch.upper()) if c not in _forms)


def search_classes(text: str) -> list[str]:
    """The typed text as one set of matching characters per character ("é" and "e" both stand for e)."""
    out = []
    for ch in text:
        base = _base(ch)
        upper = ch.upper()
        same = len(upper) != 1 or upper == ch.lower()  # "ß" capitalises to "SS": no single capital
        out.append(VARIANTS.get(base, ch.lower() if same else ch.lower() + upper))
    return out


def _match(column: str, text: str) -> tuple[str, str]:
    """SQL testing that `column` contains `text` (accents and case ignored) and its one parameter."""
    classes = search_classes(text)
    if database.obj is not None and not isinstance(database.obj, SqliteDatabase):
        regex = "".join("[" + "".join(re.escape(c) for c in forms) + "]" for forms in classes)
        return f"{column} ~ ?", regex
    # GLOB: *, ? and [ are special; inside a class every character but ] stands for itself
    glob = "".join(
        (f"[{forms}]" if len(forms) > 1 or forms in "*?[" else forms) if forms != "]" else "]"
        for forms in classes
    )
    return f"{column} GLOB ?", f"*{glob}*"


def _where(actor: Actor, s: ListSpec, q: Query) -> tuple[str, list[Any]]:
    clauses, params = _scope(actor, s)
    text = q.search.strip()
    if text and s.search:
        matches = [_match(c, text) for c in s.search]
        clauses.append("(" + " OR ".join(sql for sql, _p in matches) + ")")
        params += [param for _s, param in matches]
    for col, value, op in (
        (s.date_col, q.date_from, ">="),
        (s.date_col, q.date_to, "<="),
        (s.site_col, q.site_id, "="),
        (s.mineral_col, q.mineral_id, "="),
        (s.state_col, q.state, "="),
    ):
        if col and value is not None:
            clauses.append(f"{col} {op} ?")
            params.append(value.isoformat() if isinstance(value, date) else value)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _order(actor: Actor, s: ListSpec, q: Query, reverse: bool = False) -> str:
    key = q.sort or s.default_sort
    col = s.column(key) if key else s.columns[0]
    way = "DESC" if q.descending != reverse else "ASC"
    terms = [t.strip() for t in col.sort_sql.split(", ")] if col.sort_sql else [_value_sql(actor, col)]
    return " ORDER BY " + ", ".join(f"{t} {way}" for t in [*terms, s.id_sql])


def count(actor: Actor, name: str, q: Query) -> int:
    s = SPECS[name]
    where, params = _where(actor, s, q)
    source = s.count_source or s.source
    return int(database.execute_sql(f"SELECT COUNT(*) FROM {source}{where}", params).fetchone()[0])


def page(actor: Actor, name: str, q: Query, offset: int, limit: int, total: int | None = None) -> list[tuple]:
    """Rows offset..offset+limit of the filtered, sorted list: (id, *column values) tuples.

    Given the row count `total`, a page in the second half is read backwards from the end so that
    jumping to the last row of a million costs a short walk, not a million-row OFFSET.
    """
    s = SPECS[name]
    where, params = _where(actor, s, q)
    cols = ", ".join([s.id_sql] + [_value_sql(actor, c) for c in s.columns])
    reverse = total is not None and offset > total // 2
    if reverse:
        assert total is not None
        end = min(offset + limit, total)
        offset, limit = total - end, end - offset
    order = _order(actor, s, q, reverse)
    if _main_table_only(s, order):
        # ids first, on the main table alone (an index walk, no joins for the skipped rows), then the rows
        id_sql = f"SELECT {s.id_sql} FROM {s.count_source}{where}{order} LIMIT ? OFFSET ?"
        ids = [r[0] for r in database.execute_sql(id_sql, [*params, max(limit, 0), offset]).fetchall()]
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = database.execute_sql(f"SELECT {cols} FROM {s.source} WHERE {s.id_sql} IN ({marks})", ids)
        by_id = {r[0]: tuple(r) for r in rows.fetchall()}
        got = [by_id[i] for i in ids]
    else:
        sql = f"SELECT {cols} FROM {s.source}{where}{order} LIMIT ? OFFSET ?"
        got = [tuple(r) for r in database.execute_sql(sql, [*params, max(limit, 0), offset]).fetchall()]
    return got[::-1] if reverse else got


def _main_table_only(s: ListSpec, order: str) -> bool:
    """Whether the ORDER BY touches only the main table's columns (then ids can be paged without joins)."""
    if not s.count_source:
        return False
    alias = s.id_sql.split(".")[0] + "."
    terms = order.replace(" ORDER BY ", "").split(", ")
    return all(t.startswith(alias) and "(" not in t for t in terms)


def rows(actor: Actor, name: str, q: Query, batch: int = 2000) -> Iterator[tuple]:
    """Every filtered row in order (for CSV export), fetched in batches."""
    offset = 0
    while True:
        chunk = page(actor, name, q, offset, batch)
        yield from chunk
        if len(chunk) < batch:
            return
        offset += batch


def totals(actor: Actor, name: str, q: Query) -> dict[str, int]:
    """Sums of the columns marked `total` over the filtered rows that count (posted, not voided)."""
    s = SPECS[name]
    summed = [c for c in s.columns if c.total and may_see(actor, c)]
    if not summed:
        return {}
    where, params = _where(actor, s, q)
    if s.total_where:
        where = f"{where} AND ({s.total_where})" if where else f" WHERE ({s.total_where})"
    sums = ", ".join(f"COALESCE(SUM({_sql(actor, c.sql)}), 0)" for c in summed)
    got = database.execute_sql(f"SELECT {sums} FROM {s.source}{where}", params).fetchone()
    return {c.key: int(v or 0) for c, v in zip(summed, got, strict=True)}


def choices(table: str) -> list[tuple[int, str]]:
    """(id, label) pairs for filter combos: sites, minerals, buyers, members."""
    sql = {
        "sites": "SELECT id, code || ' — ' || name FROM site ORDER BY code",
        "minerals": "SELECT id, name FROM mineral ORDER BY name",
        "buyers": "SELECT id, name FROM buyer ORDER BY name",
        "members": "SELECT id, member_no || ' — ' || full_name FROM member ORDER BY member_no",
    }[table]
    return [(int(i), str(label)) for i, label in database.execute_sql(sql).fetchall()]
