"""Peewee models: storage only. Money in integer minor units, quantities in integer thousandths."""

from __future__ import annotations

from peewee import (
    SQL,
    BigIntegerField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from coop.keys import fold

database = DatabaseProxy()


class Base(Model):
    # (identifier field, its comparison key field): the key is filled in on every insert and update made
    # through the model (forms, imports' insert_many alike), so no writer can forget it.
    KEYED: tuple[tuple[str, str], ...] = ()

    class Meta:
        database = database
        legacy_table_names = False

    @classmethod
    def _normalize_data(cls, data, kwargs):  # type: ignore[no-untyped-def]
        normalized = super()._normalize_data(data, kwargs)
        if isinstance(normalized, dict):
            for source, key in cls.KEYED:
                value = normalized.get(cls._meta.fields[source])
                if isinstance(value, str):
                    normalized[cls._meta.fields[key]] = fold(value)
        return normalized

    @classmethod
    def insert_many(cls, rows, fields=None):  # type: ignore[no-untyped-def]
        if cls.KEYED and fields is None:
            rows = [cls._with_keys(row) for row in rows]
        return super().insert_many(rows, fields)

    # SQLite's default limit of bound parameters in one statement (python.org's Windows build keeps it;
    # Debian's is 250,000; PostgreSQL's 65,535): bulk inserts are cut to stay under it on every build
    MAX_PARAMS = 32_000

    @classmethod
    def insert_rows(cls, rows: list[dict]) -> None:
        """Insert dict rows in as few statements as the bound-parameter limit allows (every field of the model,
        defaults included, is bound for each row)."""
        per = max(1, cls.MAX_PARAMS // len(cls._meta.sorted_fields))
        for start in range(0, len(rows), per):
            cls.insert_many(rows[start : start + per]).execute()

    @classmethod
    def _with_keys(cls, row):  # type: ignore[no-untyped-def]
        if not isinstance(row, dict):
            return row
        row = dict(row)
        for source, key in cls.KEYED:
            if isinstance(row.get(source), str):
                row[key] = fold(row[source])
        return row


def _key_field() -> CharField:
    """A comparison key column (coop.keys.fold of its identifier); unique. The SQL default lets rows written
    by plain SQL (the benchmark generator) in; migration 7 fills the keys of files made before it."""
    return CharField(default="", constraints=[SQL("DEFAULT ''")])


class Cooperative(Base):
    """The one row of cooperative settings."""

    name = CharField()
    registration_no = CharField(default="")
    tax_id = CharField(default="")
    address = TextField(default="")
    country = CharField(default="")  # ISO 3166 alpha-2
    currency = CharField(default="USD")  # local (ledger) currency
    locale = CharField(default="en")  # formats: fr_CD, es_BO, sw_TZ, ...
    fiscal_year_start = IntegerField(default=1)  # month 1..12
    levy_bp = IntegerField(default=500)  # cooperative levy, basis points of gross value
    receipt_footer = TextField(default="")


class Site(Base):
    KEYED = (("code", "code_key"),)
    code = CharField(unique=True)
    name = CharField()
    latitude = CharField(default="")  # decimal degrees as text: never a float in the books
    longitude = CharField(default="")
    licence_no = CharField(default="")
    minerals = CharField(default="")  # comma-separated mineral names
    status = CharField(default="active")  # active / inactive / abandoned
    code_key = _key_field()

    class Meta:
        indexes = ((("code_key",), True),)


class Member(Base):
    KEYED = (("member_no", "member_no_key"),)
    member_no = CharField(unique=True)
    full_name = CharField()
    sex = CharField(default="")  # F / M / X
    birth_year = IntegerField(null=True)
    id_number = CharField(default="")  # national id or artisanal card no.
    card_expiry = DateField(null=True)
    phone = CharField(default="")
    community = CharField(default="")
    site = ForeignKeyField(Site, null=True, backref="members", on_delete="RESTRICT")
    role = CharField(default="digger")  # digger, washer, transporter, processor, trader, other
    join_date = DateField()
    status = CharField(default="active")  # active / suspended / left
    share_capital_minor = IntegerField(default=0)
    member_no_key = _key_field()

    class Meta:
        indexes = ((("member_no_key",), True),)


class Mineral(Base):
    KEYED = (("name", "name_key"),)
    name = CharField(unique=True)
    unit = CharField(default="g")  # g, ct, kg
    grade_kind = CharField(default="none")  # fineness (‰), karat, percent, none
    hs_code = CharField(default="")
    name_key = _key_field()

    class Meta:
        indexes = ((("name_key",), True),)


class ProductionLot(Base):
    reference = CharField(unique=True)  # SITE-YYYYMMDD-NNN
    date = DateField(index=True)
    site = ForeignKeyField(Site, backref="lots", on_delete="RESTRICT")
    mineral = ForeignKeyField(Mineral, backref="lots", on_delete="RESTRICT")
    qty_milli = IntegerField()
    grade_milli = IntegerField(default=0)  # thousandths of the grade unit (‰, %, karat); 0 = none
    mercury_milli = IntegerField(default=0)  # mercury used, thousandths of a gram
    retort_used = BooleanField(default=False)
    notes = TextField(default="")
    status = CharField(default="in_stock", index=True)  # in_stock / sold / voided


class LotOwner(Base):
    lot = ForeignKeyField(ProductionLot, backref="owners", on_delete="CASCADE")
    member = ForeignKeyField(Member, backref="lot_shares", on_delete="RESTRICT")
    share_bp = IntegerField()  # shares of one lot sum to 10 000

    class Meta:
        indexes = ((("lot", "member"), True),)


class Buyer(Base):
    name = CharField()
    licence_no = CharField(default="")
    kind = CharField(default="comptoir")  # comptoir, exporter, refinery, state buyer
    tax_id = CharField(default="")


class TaxRule(Base):
    name = CharField()
    authority = CharField()
    rate_bp = IntegerField()
    base = CharField(default="gross")  # gross value of the sale
    mineral = ForeignKeyField(Mineral, null=True, on_delete="RESTRICT")  # None = every mineral
    buyer_kind = CharField(default="")  # "" = any buyer; e.g. "refinery" for a reduced rate
    valid_from = DateField()
    valid_to = DateField(null=True)
    withheld = BooleanField(default=True)  # withheld from members' proceeds at sale
    note = TextField(default="")


class JournalEntry(Base):
    """One balanced journal entry; also a link of the tamper-evidence chain (seq, prev_hash, hash)."""

    seq = IntegerField(unique=True)
    date = DateField(index=True)
    kind = CharField()  # sale, payout, tax_payment, void
    source_type = CharField()  # sale, payout, tax_payment
    source_id = IntegerField()
    memo = TextField(default="")
    created_by = CharField(default="")
    prev_hash = CharField()
    hash = CharField()


class Posting(Base):
    entry = ForeignKeyField(JournalEntry, backref="postings", on_delete="RESTRICT")
    account = CharField()  # cash, member_payable, levy_income, tax_payable, tax_expense
    member = ForeignKeyField(Member, null=True, on_delete="RESTRICT")
    tax_rule = ForeignKeyField(TaxRule, null=True, on_delete="RESTRICT")
    amount_minor = IntegerField()  # debit positive, credit negative, ledger currency

    class Meta:
        indexes = (
            # member balance and statements: SUM(amount) WHERE account=? AND member=? (covering)
            (("account", "member", "entry", "amount_minor"), False),
        )


class Sale(Base):
    series = CharField()  # fiscal year, e.g. "2026" or "2025-26"
    receipt_no = IntegerField(null=True)  # taken at posting; drafts have none
    date = DateField(index=True)
    buyer = ForeignKeyField(Buyer, backref="sales", on_delete="RESTRICT")
    currency = CharField()  # currency of the price
    # per unit (per unit of fine metal where fineness applies), rounded to the minor unit: sales posted before
    # schema 6 only; later sales store 0 here and the price as typed in price_micro
    unit_price_minor = IntegerField()
    rate_micro = IntegerField()  # local currency per 1 unit of `currency`, millionths
    qty_milli = IntegerField(default=0)
    priced_qty_milli = IntegerField(default=0)  # fine quantity where fineness applies, else gross
    gross_minor = IntegerField(default=0)  # in the price currency
    gross_local_minor = IntegerField(default=0)  # in the ledger currency
    levy_minor = IntegerField(default=0)
    tax_minor = IntegerField(default=0)  # withheld taxes
    net_minor = IntegerField(default=0)  # to members
    payment_method = CharField(default="cash")  # cash, mobile_money, bank
    state = CharField(default="draft")  # draft / posted / voided
    void_reason = TextField(default="")
    created_by = CharField(default="")
    chain_hash = CharField(default="")
    # The terms the sale was computed with (schema 6), hashed with the row; NULL on sales posted before them
    # (coop.chain leaves a NULL one out of the hashed fields, so older links still verify).
    price_micro = IntegerField(null=True)  # unit price as typed, millionths of a major unit of `currency`
    levy_bp = IntegerField(null=True)  # the cooperative's levy rate applied
    tax_rates = TextField(
        null=True
    )  # canonical JSON [[rule id, rate_bp, withheld], ...] of the taxes applied

    class Meta:
        indexes = (
            (("series", "receipt_no"), True),
            # post_sale's back-dating check: newest date WHERE series = ? AND state <> 'draft'
            # ORDER BY date DESC LIMIT 1 (covering: state is read from the index, not the table).
            (("series", "date", "state"), False),
        )


class SaleLot(Base):
    sale = ForeignKeyField(Sale, backref="sale_lots", on_delete="RESTRICT")
    lot = ForeignKeyField(ProductionLot, backref="sale_lots", on_delete="RESTRICT")
    value_minor = IntegerField(default=0)  # the lot's part of the gross, price currency


class Payout(Base):
    date = DateField(index=True)
    member = ForeignKeyField(Member, backref="payouts", on_delete="RESTRICT")
    amount_minor = IntegerField()
    method = CharField(default="cash")
    reference = CharField(default="")
    state = CharField(default="draft")
    void_reason = TextField(default="")
    created_by = CharField(default="")
    chain_hash = CharField(default="")


class TaxPayment(Base):
    date = DateField(index=True)
    authority = CharField()
    tax_rule = ForeignKeyField(TaxRule, null=True, on_delete="RESTRICT")
    period_from = DateField()
    period_to = DateField()
    amount_minor = IntegerField()
    reference = CharField(default="")
    state = CharField(default="draft")
    void_reason = TextField(default="")
    created_by = CharField(default="")
    chain_hash = CharField(default="")


class Incident(Base):
    occurred_at = DateTimeField()
    site = ForeignKeyField(Site, backref="incidents", on_delete="RESTRICT")
    category = CharField()
    severity = CharField()
    people = TextField(default="")  # names or member numbers, one per line
    injured = IntegerField(default=0)
    fatalities = IntegerField(default=0)
    description = TextField(default="")
    actions = TextField(default="")
    reported_to_authority = BooleanField(default=False)
    reported_on = DateField(null=True)
    state = CharField(default="open")  # open / investigating / closed


class MercuryEntry(Base):
    date = DateField(index=True)
    site = ForeignKeyField(Site, on_delete="RESTRICT")
    member = ForeignKeyField(Member, null=True, on_delete="RESTRICT")
    kind = CharField()  # purchased / used
    grams_milli = IntegerField()
    supplier = CharField(default="")
    retort_used = BooleanField(default=False)


class User(Base):
    KEYED = (("username", "username_key"),)
    username = CharField(unique=True)
    password_hash = CharField()
    role = CharField()  # manager, treasurer, clerk, member, auditor
    member = ForeignKeyField(Member, null=True, on_delete="RESTRICT")
    locale = CharField(default="")  # language chosen by the user ("" = cooperative's)
    failed_attempts = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    active = BooleanField(default=True)
    username_key = _key_field()

    class Meta:
        indexes = ((("username_key",), True),)


class ReceiptCounter(Base):
    series = CharField(primary_key=True)
    last_no = IntegerField(default=0)


class PeriodClose(Base):
    """A closing: nothing may be dated on or before `to_date` afterwards. A chain link of its own (kind
    "period_close", no postings) holding the chain head at the moment of closing; never updated or deleted."""

    to_date = DateField(unique=True)
    head_seq = IntegerField()  # the newest link before the closing (0 for an empty chain)
    head_hash = CharField()
    closed_on = DateField()
    closed_by = CharField()
    state = CharField(default="draft")  # draft (inside the closing transaction only) -> posted
    chain_hash = CharField(default="")


class AuditLog(Base):
    at = DateTimeField()
    username = CharField()
    action = CharField()
    entity = CharField()
    entity_id = IntegerField(null=True)
    old = TextField(default="")
    new = TextField(default="")
    # SHA-256 of the previous row's hash and this row's fields (coop.services.audit): rows hashed in sequence
    hash = CharField(default="", constraints=[SQL("DEFAULT ''")])


class RegisterEvent(Base):
    """A member's, account's or the cooperative settings' values as written (schema 9): a chain link of its own
    (kind "register_event", no postings), so a change made outside CoopLedger no longer matches the newest
    event of its record. Also names the newest audit row at that moment, tying the audit log to the chain."""

    entity = CharField()  # member / user / cooperative
    entity_id = IntegerField()
    fields = TextField()  # canonical JSON of the hashed columns (coop.register.FIELDS)
    audit_id = IntegerField(default=0)
    audit_hash = CharField(default="")
    state = CharField(default="draft")  # draft (inside the writing transaction only) -> posted
    chain_hash = CharField(default="")

    class Meta:
        indexes = ((("entity", "entity_id"), False),)


# ---------------------------------------------------------------- the books (schema 8)


class ChartAccount(Base):
    """An account of the chart: its number, name (an English msgid for the shipped charts), type and parent."""

    number = CharField(unique=True)
    name = CharField()
    type = CharField()  # asset, liability, equity, income, expense
    parent = CharField(default="")  # the parent's number ("" for a class)
    chart = CharField(default="default")  # syscohada / default: which chart it came from ("" = the user's)


class AccountKey(Base):
    """What a key of the postings (cash, member_payable, levy_income, ...) stands for in the chart: postings are
    hashed in the chain, so their keys stay and are mapped here instead of rewritten."""

    key = CharField(unique=True)
    number = CharField()


class TreasuryAccount(Base):
    """A cash box, mobile-money wallet or bank account of the cooperative; its money is the sum of the postings
    on `key` (a chart number, or cash / mobile_money / bank for the first three)."""

    name = CharField()
    kind = CharField()  # cash, mobile_money, bank
    key = CharField(unique=True)
    is_default = BooleanField(default=False)  # the one a payment method without a chosen account uses
    active = BooleanField(default=True)


class BookEntry(Base):
    """An entry the treasurer records (expense, income, transfer, opening balances, shares, cash difference):
    draft -> posted -> voided, the source of its chain link (its postings carry the split)."""

    # expense, income, transfer, opening, share_subscribe, share_pay, share_refund, cash_count
    kind = CharField()
    date = DateField(index=True)
    treasury = CharField(default="")  # treasury key paid from / into ("" for opening balances, subscriptions)
    counter = CharField(default="")  # transfer: the treasury key money went to
    party = CharField(default="")  # payee or payer
    member = ForeignKeyField(Member, null=True, on_delete="RESTRICT")
    amount_minor = BigIntegerField()
    document_ref = CharField(default="")  # invoice or receipt number of the supporting document
    note = TextField(default="")
    state = CharField(default="draft")
    void_reason = TextField(default="")
    created_by = CharField(default="")
    chain_hash = CharField(default="")


class CashCount(Base):
    """A count of a cash box: what was counted against the books; a difference is a posted BookEntry."""

    date = DateField(index=True)
    treasury = CharField()
    counted_minor = BigIntegerField()
    book_minor = BigIntegerField()
    reason = TextField(default="")
    entry = ForeignKeyField(BookEntry, null=True, on_delete="RESTRICT")
    created_by = CharField(default="")


BOOK_MODELS: list[type[Base]] = [ChartAccount, AccountKey, TreasuryAccount, BookEntry, CashCount]


ALL_MODELS: list[type[Base]] = [
    Cooperative,
    Site,
    Member,
    Mineral,
    ProductionLot,
    LotOwner,
    Buyer,
    TaxRule,
    JournalEntry,
    Posting,
    Sale,
    SaleLot,
    Payout,
    TaxPayment,
    Incident,
    MercuryEntry,
    User,
    ReceiptCounter,
    AuditLog,
    PeriodClose,
    RegisterEvent,
    *BOOK_MODELS,
]
