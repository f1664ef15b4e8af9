"""Peewee models: storage only. Money in integer minor units, quantities in integer thousandths."""

from __future__ import annotations

from peewee import (
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

database = DatabaseProxy()


class Base(Model):
    class Meta:
        database = database
        legacy_table_names = False


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
    code = CharField(unique=True)
    name = CharField()
    latitude = CharField(default="")  # decimal degrees as text: never a float in the books
    longitude = CharField(default="")
    licence_no = CharField(default="")
    minerals = CharField(default="")  # comma-separated mineral names
    status = CharField(default="active")  # active / inactive / abandoned


class Member(Base):
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


class Mineral(Base):
    name = CharField(unique=True)
    unit = CharField(default="g")  # g, ct, kg
    grade_kind = CharField(default="none")  # fineness (‰), karat, percent, none
    hs_code = CharField(default="")


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
    unit_price_minor = IntegerField()  # per unit (per unit of fine metal where fineness applies)
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
    username = CharField(unique=True)
    password_hash = CharField()
    role = CharField()  # manager, treasurer, clerk, member, auditor
    member = ForeignKeyField(Member, null=True, on_delete="RESTRICT")
    locale = CharField(default="")  # language chosen by the user ("" = cooperative's)
    failed_attempts = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    active = BooleanField(default=True)


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
]
