"""Sale receipt data from stored records, and finding a sale by its receipt number."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from peewee import fn

from coop.errors import NotFound, ValidationError
from coop.models import Buyer, LotOwner, Mineral, ProductionLot, Sale, SaleLot, Site
from coop.permissions import Actor
from coop.services.documents.stored_sale import stored_figures
from coop.services.sales import SaleFigures, priced_qty


@dataclass(frozen=True, kw_only=True)
class ReceiptLot:
    reference: str
    lot_date: date
    site_code: str
    site_name: str
    mineral: str
    unit: str
    grade_kind: str
    qty_milli: int
    grade_milli: int
    priced_qty_milli: int
    value_minor: int  # price currency


@dataclass(frozen=True, kw_only=True)
class ReceiptData:
    sale_id: int
    series: str
    receipt_no: int
    date: date
    state: str
    void_reason: str
    buyer_name: str
    buyer_licence: str
    buyer_tax_id: str
    buyer_kind: str
    figures: SaleFigures
    payment_method: str
    created_by: str
    chain_hash: str
    lots: list[ReceiptLot] = field(default_factory=list)
    owner_ids: frozenset[int] = frozenset()
    issued_by: str = ""  # the person's name (issuer_name), printed on the receipt

    @property
    def number(self) -> str:
        return f"{self.series}/{self.receipt_no}"

    @property
    def qr_payload(self) -> str:
        """ASCII payload of the receipt's QR code: number, date, total paid, currency, the full link hash."""
        from coop import money

        f = self.figures
        total = money.from_minor(f.gross_minor, f.currency)
        return (
            f"COOPLEDGER;R={self.number};D={self.date.isoformat()};T={total};C={f.currency};"
            f"H={self.chain_hash}"
        )


def find_sale(number: str) -> int:
    """A sale id from "N" (receipt N of the latest series) or "SERIES/N" (e.g. 2025/17)."""
    text = number.strip()
    series, _sep, no = text.rpartition("/")
    if not no.isdigit():
        raise ValidationError("sale", "“{value}” is not a receipt number.", value=number)
    q = Sale.select().where((Sale.receipt_no == int(no)) & (Sale.state != "draft"))
    if series:
        q = q.where(Sale.series == series)
    else:
        latest = Sale.select(fn.MAX(Sale.series)).where(Sale.state != "draft").scalar()
        q = q.where(Sale.series == latest)
    sale = q.first()
    if sale is None:
        raise NotFound("Receipt {number} does not exist.", number=number)
    return sale.id


def _sale_lots(sale_id: int) -> tuple[list[ReceiptLot], frozenset[int]]:
    rows = (
        SaleLot.select(SaleLot, ProductionLot, Site, Mineral)
        .join(ProductionLot)
        .join(Site)
        .switch(ProductionLot)
        .join(Mineral)
        .where(SaleLot.sale == sale_id)
        .order_by(SaleLot.id)
    )
    lots = []
    lot_ids = []
    for sl in rows:
        lot = sl.lot
        lot_ids.append(lot.id)
        lots.append(
            ReceiptLot(
                reference=lot.reference,
                lot_date=lot.date,
                site_code=lot.site.code,
                site_name=lot.site.name,
                mineral=lot.mineral.name,
                unit=lot.mineral.unit,
                grade_kind=lot.mineral.grade_kind,
                qty_milli=lot.qty_milli,
                grade_milli=lot.grade_milli,
                priced_qty_milli=priced_qty(lot),
                value_minor=sl.value_minor,
            )
        )
    owners = frozenset(o.member_id for o in LotOwner.select().where(LotOwner.lot.in_(lot_ids)))
    return lots, owners


def receipt_data(actor: Actor, sale_id: int) -> ReceiptData:
    """A posted (or voided) sale's receipt from stored data; members only for sales they had a share in."""
    sale = Sale.get_or_none(Sale.id == sale_id)
    if sale is None or sale.state == "draft":
        raise NotFound("Sale {id} does not exist.", id=sale_id)
    lots, owners = _sale_lots(sale_id)
    actor.require_record(owners, "reports.read")
    buyer = Buyer.get_by_id(sale.buyer_id)
    return ReceiptData(
        sale_id=sale.id,
        series=sale.series,
        receipt_no=sale.receipt_no,
        date=sale.date,
        state=sale.state,
        void_reason=sale.void_reason,
        buyer_name=buyer.name,
        buyer_licence=buyer.licence_no,
        buyer_tax_id=buyer.tax_id,
        buyer_kind=buyer.kind,
        figures=stored_figures(sale),
        payment_method=sale.payment_method,
        created_by=sale.created_by,
        chain_hash=sale.chain_hash,
        lots=lots,
        owner_ids=owners,
        issued_by=issuer_name(sale.created_by),
    )


def issuer_name(account: str) -> str:
    """Who issued a document, as a reader knows them: the signed-in account's member name (a treasurer
    account linked to their member record), else the account's name without the command line's "cli:"
    mark; the application's own account ("system": demo, self-test) issues in the cooperative's name."""
    from coop.models import Member, User
    from coop.services import settings

    login = account.removeprefix("cli:")
    if login == "system" or not login:
        return settings.get().name
    user = User.get_or_none(User.username == login)
    if user is not None and user.member_id is not None:
        member = Member.get_or_none(Member.id == user.member_id)
        if member is not None and member.full_name:
            return member.full_name
    return login
