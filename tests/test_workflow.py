"""The one transition helper: it reads the state from the row, refuses what TRANSITIONS does not allow, and
every state change (post, void, incident moves, lots sold / back in stock / voided) goes through it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from coop import chain, workflow
from coop.errors import NotFound, StateError, ValidationError
from coop.models import Incident, JournalEntry, Payout, ProductionLot, Sale, database
from coop.permissions import SYSTEM
from coop.services import payouts, posting, production, safety, sales


def _status(lot_id: int) -> str:
    return ProductionLot.get_by_id(lot_id).status


def test_a_second_void_is_refused_although_the_object_in_hand_says_posted(coop):
    sale_id = coop.sell([coop.lot()])
    in_hand = Sale.get_by_id(sale_id)
    sales.void_sale(SYSTEM, sale_id, "wrong buyer")
    assert in_hand.state == "posted"  # stale: the row says voided
    with database.atomic(), pytest.raises(StateError) as err:
        workflow.transition(Sale, in_hand.id, "voided")
    assert err.value.params == {"current": "Voided", "target": "Voided"}
    with pytest.raises(StateError):
        sales.void_sale(SYSTEM, in_hand.id, "again")
    voids = JournalEntry.select().where((JournalEntry.kind == "void") & (JournalEntry.source_id == sale_id))
    assert voids.count() == 1 and chain.verify().ok


def test_transition_writes_the_state_and_the_values_and_returns_the_state_left(coop):
    member = coop.members[0]
    coop.sell([coop.lot()])
    payout_id = payouts.pay_member(SYSTEM, member, Decimal("1000"), date(2026, 1, 7)).id
    with database.atomic() as txn:
        was = workflow.transition(Payout, payout_id, "voided", void_reason="test")
        row = Payout.get_by_id(payout_id)
        assert (was, row.state, row.void_reason) == ("posted", "voided", "test")
        txn.rollback()  # a void without its reversing entry must not stay
    assert Payout.get_by_id(payout_id).state == "posted"


def test_transition_outside_a_transaction_is_a_bug(coop):
    lot = coop.lot()
    with pytest.raises(AssertionError):
        workflow.transition(ProductionLot, lot, "voided")
    assert _status(lot) == "in_stock"


def test_a_missing_row_is_not_found_with_the_callers_message(coop):
    with database.atomic(), pytest.raises(NotFound) as err:
        workflow.transition(Sale, 999, "voided")
    assert err.value.msgid == "Record {id} does not exist." and err.value.params == {"id": 999}
    with pytest.raises(NotFound) as err:
        safety.move_incident(SYSTEM, 999, "closed")
    assert err.value.msgid == "Incident {id} does not exist."


def test_post_refuses_a_record_that_is_not_a_draft(coop):
    sale_id = coop.sell([coop.lot()])
    links = chain.head()[0]
    with pytest.raises(StateError), database.atomic():
        posting.post(SYSTEM, Sale, sale_id, date(2026, 1, 6), "", [chain.PostingLine("cash", None, None, 0)])
    assert chain.head()[0] == links  # the caller's transaction rolled the appended link back


def test_the_lot_lifecycle_is_declared_with_the_others():
    lot = workflow.TRANSITIONS["production_lot"]
    assert lot["in_stock"] == {"sold", "voided"} and lot["sold"] == {"in_stock"} and not lot["voided"]


def test_lots_are_sold_and_back_in_stock_through_the_helper(coop, monkeypatch):
    lots = [coop.lot(), coop.lot()]
    calls: list[tuple[str, tuple[int, ...], str]] = []
    real = workflow.transition_many

    def spy(model, ids, target, **kw):
        calls.append((model._meta.table_name, tuple(ids), target))
        return real(model, ids, target, **kw)

    monkeypatch.setattr(workflow, "transition_many", spy)
    sale_id = coop.sell(lots)
    assert {_status(i) for i in lots} == {"sold"}
    sales.void_sale(SYSTEM, sale_id, "wrong price")
    assert {_status(i) for i in lots} == {"in_stock"}
    lot_calls = [c for c in calls if c[0] == "production_lot"]
    assert lot_calls == [("production_lot", tuple(lots), "sold"), ("production_lot", tuple(lots), "in_stock")]


def test_selling_refuses_every_lot_when_one_may_not_be_sold(coop):
    good, voided = coop.lot(), coop.lot()
    production.void_lot(SYSTEM, voided, "registered twice")
    with database.atomic(), pytest.raises(StateError):
        workflow.transition_many(ProductionLot, [good, voided], "sold")
    assert (_status(good), _status(voided)) == ("in_stock", "voided")


def test_lot_void_goes_through_the_helper_and_keeps_its_messages(coop):
    lot = coop.lot()
    production.void_lot(SYSTEM, lot, "registered twice")
    assert _status(lot) == "voided"
    with pytest.raises(ValidationError, match="not in stock"):
        production.void_lot(SYSTEM, lot, "again")
    with database.atomic(), pytest.raises(StateError):
        workflow.transition(ProductionLot, lot, "in_stock")  # a voided lot never comes back
    sold = coop.lot()
    coop.sell([sold])
    with pytest.raises(ValidationError, match="not in stock"):
        production.void_lot(SYSTEM, sold, "sold already")


def test_incidents_move_through_the_helper(coop):
    incident = safety.save_incident(
        SYSTEM,
        None,
        occurred_at=datetime(2026, 1, 5, 10, 0),
        site=coop.site,
        category="fall",
        severity="first_aid",
        description="slipped",
    ).id
    safety.move_incident(SYSTEM, incident, "investigating")
    with pytest.raises(StateError):
        safety.move_incident(SYSTEM, incident, "open")
    safety.move_incident(SYSTEM, incident, "closed", "Wet ladder.")
    assert Incident.get_by_id(incident).state == "closed"
