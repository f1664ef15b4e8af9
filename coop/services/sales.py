"""Sales: compute a sale from in-stock lots, post it (receipt number, ledger, chain) in one transaction, void it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from coop import money, vocab, workflow
from coop.chain import PostingLine
from coop.changes import Changes, Saved
from coop.errors import NotFound, ValidationError
from coop.i18n import N_
from coop.models import Buyer, LotOwner, Member, ProductionLot, ReceiptCounter, Sale, SaleLot, database
from coop.permissions import Actor
from coop.services import posting, records, settings, taxes

PAYMENT_METHODS = tuple(vocab.PAYMENT_METHODS)


@dataclass(frozen=True)
class SaleInput:
    buyer_id: int
    lot_ids: Sequence[int]
    date: date
    currency: str
    unit_price: Decimal  # major units of `currency` per unit (per unit of fine metal if fineness applies)
    exchange_rate: Decimal = Decimal(1)  # ledger currency per 1 unit of `currency`
    payment_method: str = "cash"
    # the treasury account the proceeds come into (its kind is the method stored); None: the method's default
    treasury_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class TaxLine:
    rule_id: int
    name: str
    authority: str
    rate_bp: int
    base_minor: int
    amount_minor: int
    withheld: bool


@dataclass(frozen=True)
class OwnerShare:
    member_id: int
    member_no: str
    name: str
    amount_minor: int


@dataclass(frozen=True, kw_only=True)
class SaleFigures:
    """A sale's money, computed once by `compute`: stored on the sale row, read back for receipts and custody."""

    currency: str
    local_currency: str
    rate_micro: int
    price_micro: int  # the unit price as typed, millionths of a major unit of `currency`
    qty_milli: int
    priced_qty_milli: int
    lot_values: tuple[tuple[int, int], ...]  # (lot id, value in `currency`), in the sale's lot order
    gross_minor: int
    gross_local_minor: int
    levy_bp: int | None  # None only when read back from a sale posted before schema 6 (rate not stored)
    levy_minor: int
    taxes: tuple[TaxLine, ...] = ()
    withheld_minor: int
    net_minor: int
    shares: tuple[OwnerShare, ...] = ()

    @property
    def unit_price(self) -> Decimal:
        """The unit price exactly as typed."""
        return money.micro_to_price(self.price_micro)

    def tax_rates(self) -> str:
        """The taxes applied as stored on the sale row (hashed with it): canonical JSON of
        [rule id, rate in basis points, withheld], in rule order."""
        rates = [[t.rule_id, t.rate_bp, t.withheld] for t in sorted(self.taxes, key=lambda t: t.rule_id)]
        return json.dumps(rates, separators=(",", ":"))

    def row(self) -> dict[str, object]:
        """The sale row's columns these figures fill (unit_price_minor is the column of sales posted before
        schema 6, which kept the price rounded to the minor unit: 0 once price_micro holds it exactly)."""
        return {
            "currency": self.currency,
            "unit_price_minor": 0,
            "price_micro": self.price_micro,
            "levy_bp": self.levy_bp,
            "tax_rates": self.tax_rates(),
            "rate_micro": self.rate_micro,
            "qty_milli": self.qty_milli,
            "priced_qty_milli": self.priced_qty_milli,
            "gross_minor": self.gross_minor,
            "gross_local_minor": self.gross_local_minor,
            "levy_minor": self.levy_minor,
            "tax_minor": self.withheld_minor,
            "net_minor": self.net_minor,
        }


def priced_qty(lot: ProductionLot) -> int:
    """Quantity the price applies to: fine metal (gross × fineness ‰) where fineness applies, else gross."""
    return priced_qty_of(lot.mineral.grade_kind, lot.qty_milli, lot.grade_milli)


def priced_qty_of(grade_kind: str, qty_milli: int, grade_milli: int) -> int:
    """priced_qty from a lot's stored values (reports read them as plain rows)."""
    if grade_kind == "fineness" and grade_milli:
        return int(money.round_to(Decimal(qty_milli) * grade_milli / 1_000_000, 0))
    return qty_milli


def _load_lots(lot_ids: Sequence[int]) -> list[ProductionLot]:
    if not lot_ids:
        raise ValidationError("lots", "A sale needs at least one lot.")
    if len(set(lot_ids)) != len(lot_ids):
        raise ValidationError("lots", "The same lot is listed twice.")
    lots = {lot.id: lot for lot in ProductionLot.select().where(ProductionLot.id.in_(list(lot_ids)))}
    for lot_id in lot_ids:
        if lot_id not in lots:
            raise NotFound("Lot {id} does not exist.", id=lot_id)
        if lots[lot_id].status != "in_stock":
            raise ValidationError(
                "lots",
                "Lot {reference} is not in stock (it is sold or voided).",
                reference=lots[lot_id].reference,
            )
    if len({lot.mineral_id for lot in lots.values()}) > 1:
        raise ValidationError("lots", "All lots of one sale must be of the same mineral.")
    return [lots[i] for i in lot_ids]


def _check_terms(inp: SaleInput, local: str) -> tuple[int, int]:
    records.check_not_future(inp.date)
    if inp.payment_method not in PAYMENT_METHODS:
        raise ValidationError("payment_method", "Unknown payment method {method}.", method=inp.payment_method)
    money.digits(inp.currency)  # an unknown currency is named before its price is looked at
    price = money.price_to_micro(inp.unit_price, "unit_price")
    if inp.currency.upper() == local:
        return price, money.RATE_SCALE
    return price, money.rate_to_micro(inp.exchange_rate)


def _owner_shares(lots: list[ProductionLot], lot_parts: list[int]) -> list[OwnerShare]:
    totals: dict[int, int] = {}
    for lot, part in zip(lots, lot_parts, strict=True):
        owners = list(LotOwner.select().where(LotOwner.lot == lot.id).order_by(LotOwner.id))
        if not owners or sum(o.share_bp for o in owners) != money.BP:
            raise ValidationError(
                "lots",
                "The owners' shares of lot {reference} do not add up to 100%.",
                reference=lot.reference,
            )
        for owner, amount in zip(owners, money.split(part, [o.share_bp for o in owners]), strict=True):
            totals[owner.member_id] = totals.get(owner.member_id, 0) + amount
    members = {m.id: m for m in Member.select().where(Member.id.in_(list(totals)))}
    return [
        OwnerShare(mid, members[mid].member_no, members[mid].full_name, amt)
        for mid, amt in sorted(totals.items(), key=lambda kv: members[kv[0]].member_no)
    ]


def compute(inp: SaleInput) -> SaleFigures:
    """Everything a sale will post, computed without writing: used for the live preview and by post_sale."""
    coop = settings.get()
    buyer = Buyer.get_or_none(Buyer.id == inp.buyer_id)
    if buyer is None:
        raise ValidationError("buyer", "Choose a buyer.")
    currency = inp.currency.upper()
    price, rate = _check_terms(inp, coop.currency)
    lots = _load_lots(inp.lot_ids)
    values = [money.lot_value(priced_qty(lot), price, currency) for lot in lots]
    gross = sum(values)
    gross_local = money.convert(gross, currency, coop.currency, rate)
    levy = money.apply_bp(gross_local, coop.levy_bp)
    rules = taxes.applicable_rules(lots[0].mineral_id, buyer.kind, inp.date)
    lines = tuple(
        TaxLine(
            rule_id=r.id,
            name=r.name,
            authority=r.authority,
            rate_bp=r.rate_bp,
            base_minor=gross_local,
            amount_minor=money.apply_bp(gross_local, r.rate_bp),
            withheld=r.withheld,
        )
        for r in rules
    )
    withheld = sum(t.amount_minor for t in lines if t.withheld)
    net = gross_local - levy - withheld
    if max(gross, gross_local) > money.MAX_MINOR:
        raise ValidationError("unit_price", "The sale value is too large.")
    if gross_local <= 0 or net < 0:
        raise ValidationError("unit_price", "The sale value is too small to cover the levy and taxes.")
    shares = _owner_shares(lots, money.split(net, values))
    return SaleFigures(
        currency=currency,
        local_currency=coop.currency,
        rate_micro=rate,
        price_micro=price,
        qty_milli=sum(lot.qty_milli for lot in lots),
        priced_qty_milli=sum(priced_qty(lot) for lot in lots),
        lot_values=tuple((lot.id, v) for lot, v in zip(lots, values, strict=True)),
        gross_minor=gross,
        gross_local_minor=gross_local,
        levy_bp=coop.levy_bp,
        levy_minor=levy,
        taxes=lines,
        withheld_minor=withheld,
        net_minor=net,
        shares=tuple(shares),
    )


def _postings(c: SaleFigures, method: str) -> list[PostingLine]:
    lines = [PostingLine(method, None, None, c.gross_local_minor)]
    if c.levy_minor:
        lines.append(PostingLine("levy_income", None, None, -c.levy_minor))
    for t in c.taxes:
        lines.append(PostingLine("tax_payable", None, t.rule_id, -t.amount_minor))
        if not t.withheld:
            lines.append(PostingLine("tax_expense", None, t.rule_id, t.amount_minor))
    lines += [PostingLine("member_payable", s.member_id, None, -s.amount_minor) for s in c.shares]
    # A tax that rounded to zero keeps its (zero) tax_payable line: the sale is in that tax's base for the
    # period (coop.services.taxes sums the base from these lines) and the receipt lists it.
    return [p for p in lines if p.amount_minor or p.account == "tax_payable"]


def _next_receipt_no(series: str) -> int:
    ReceiptCounter.insert(series=series, last_no=0).on_conflict_ignore().execute()
    ReceiptCounter.update(last_no=ReceiptCounter.last_no + 1).where(ReceiptCounter.series == series).execute()
    return ReceiptCounter.get_by_id(series).last_no


def _refuse_backdating(series: str, day: date) -> None:
    # Newest non-draft date of the series, walked backwards on the (series, date, state) index: the MAX()
    # form of this query reads every sale of the year.
    last = (
        Sale.select(Sale.date)
        .where((Sale.series == series) & (Sale.state != "draft"))
        .order_by(Sale.date.desc())
        .limit(1)
        .scalar()
    )
    if last is not None and day < (last if isinstance(last, date) else date.fromisoformat(str(last))):
        raise ValidationError(
            "date",
            "A sale cannot be dated before the last posted sale of its series ({date}).",
            date=str(last),
        )


def post_sale(actor: Actor, inp: SaleInput) -> Saved:
    """Validate, compute and post a sale in ONE transaction; returns the sale id and what it touched
    (the sale, its lots now sold, its journal entry: the owners' balances and tax due)."""
    from coop.services.books import treasury

    actor.require("sales.post")
    with database.atomic():
        c = compute(inp)
        method, key = treasury.resolve(inp.payment_method, inp.treasury_id)
        coop = settings.get()
        series = settings.fiscal_series(inp.date, coop.fiscal_year_start)
        _refuse_backdating(series, inp.date)
        sale = Sale.create(
            series=series,
            date=inp.date,
            buyer=inp.buyer_id,
            **c.row(),
            payment_method=method,
            created_by=actor.username,
            state="draft",
        )
        SaleLot.insert_many(
            [{"sale": sale.id, "lot": lot_id, "value_minor": v} for lot_id, v in c.lot_values]
        ).execute()
        Sale.update(receipt_no=_next_receipt_no(series)).where(Sale.id == sale.id).execute()
        posted = posting.post(actor, Sale, sale.id, inp.date, "", _postings(c, key))
        workflow.transition_many(ProductionLot, inp.lot_ids, "sold", missing=N_("Lot {id} does not exist."))
    return Saved(sale.id, posted | Changes.of(lots=inp.lot_ids))


def _lots_back_in_stock(sale_id: int) -> Changes:
    lot_ids = [sl.lot_id for sl in SaleLot.select().where(SaleLot.sale == sale_id)]
    workflow.transition_many(ProductionLot, lot_ids, "in_stock", missing=N_("Lot {id} does not exist."))
    return Changes.of(lots=lot_ids)


def void_sale(actor: Actor, sale_id: int, reason: str, day: date | None = None) -> Changes:
    """Void a posted sale: reversing entry with a reason, dated `day` (today by default), lots back in stock;
    the sale row stays."""
    return posting.void(actor, Sale, sale_id, reason, after=_lots_back_in_stock, day=day)
