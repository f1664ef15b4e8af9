"""Tax-payment slip data from stored records: what was paid to which authority, for which period, with its
chain link (the slip the treasurer keeps with the authority's receipt)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coop.errors import NotFound
from coop.models import JournalEntry, TaxPayment, TaxRule
from coop.permissions import Actor

Day = date  # the field `date` below hides the type's name in the class body


@dataclass(frozen=True, kw_only=True)
class TaxSlipData:
    payment_id: int
    date: date
    state: str
    void_reason: str
    authority: str
    tax_name: str  # the tax rule paid ("" when the payment names no rule)
    period_from: Day
    period_to: Day
    amount_minor: int
    reference: str
    created_by: str
    chain_hash: str  # the payment's journal entry link

    @property
    def number(self) -> str:
        return f"{self.date.year}/{self.payment_id}"

    @property
    def anchor(self) -> str:
        """What `verify --anchor` takes for this slip (coop.anchors: "tax/N")."""
        return f"tax/{self.payment_id}:{self.chain_hash}"


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def tax_slip_data(actor: Actor, payment_id: int) -> TaxSlipData:
    """A posted (or voided) tax payment's slip: the cooperative's books, not a member's record."""
    actor.require("reports.read")
    payment = TaxPayment.get_or_none(TaxPayment.id == payment_id)
    if payment is None or payment.state == "draft":
        raise NotFound("Tax payment {id} does not exist.", id=payment_id)
    entry = JournalEntry.get(
        (JournalEntry.source_type == "tax_payment")
        & (JournalEntry.source_id == payment_id)
        & (JournalEntry.kind == "tax_payment")
    )
    rule = TaxRule.get_or_none(TaxRule.id == payment.tax_rule_id) if payment.tax_rule_id else None
    return TaxSlipData(
        payment_id=payment.id,
        date=_as_date(payment.date),
        state=payment.state,
        void_reason=payment.void_reason,
        authority=payment.authority,
        tax_name=rule.name if rule else "",
        period_from=_as_date(payment.period_from),
        period_to=_as_date(payment.period_to),
        amount_minor=payment.amount_minor,
        reference=payment.reference,
        created_by=payment.created_by,
        chain_hash=entry.hash,
    )
