"""Registers and lots: validation naming the field, unique numbers, traceable lot references, workflows."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from coop.errors import PermissionDenied, StateError, ValidationError
from coop.models import AuditLog, Incident, ProductionLot
from coop.permissions import SYSTEM, Actor
from coop.services import production, registry, safety
from tests.conftest import TOMORROW, resolve_dates


def _lot(coop, **kw):
    base = dict(
        site_id=coop.site,
        mineral_id=coop.gold,
        date=date(2026, 1, 5),
        quantity=Decimal(10),
        owners=[(coop.members[0], 10000)],
        grade=Decimal(800),
    )
    base.update(resolve_dates(kw))
    return production.LotInput(**base)


def test_lot_references_are_site_date_sequence(coop):
    first = production.create_lot(SYSTEM, _lot(coop)).id
    second = production.create_lot(SYSTEM, _lot(coop)).id
    other_day = production.create_lot(SYSTEM, _lot(coop, date=date(2026, 1, 6))).id
    refs = [ProductionLot.get_by_id(i).reference for i in (first, second, other_day)]
    assert refs == ["KAM-20260105-001", "KAM-20260105-002", "KAM-20260106-001"]


@pytest.mark.parametrize(
    "change, field",
    [
        (dict(quantity=Decimal(0)), "quantity"),
        (dict(quantity=Decimal(-3)), "quantity"),
        (dict(grade=Decimal(1000.5)), "grade"),
        (dict(grade=Decimal(0)), "grade"),
        (dict(owners=[]), "owners"),
        (dict(owners=[(1, 5000)]), "owners"),
        (dict(owners=[(999, 10000)]), "owners"),
        (dict(site_id=999), "site"),
        (dict(mineral_id=999), "mineral"),
        (dict(date=TOMORROW), "date"),
        (dict(mercury_g=Decimal(-1)), "mercury"),
    ],
)
def test_bad_lots_name_the_field_and_write_nothing(coop, change, field):
    with pytest.raises(ValidationError) as err:
        production.create_lot(SYSTEM, _lot(coop, **change))
    assert err.value.field == field
    assert ProductionLot.select().count() == 0


def test_percent_grade_limit_applies_to_cassiterite(coop):
    with pytest.raises(ValidationError, match="at most"):
        production.create_lot(SYSTEM, _lot(coop, mineral_id=coop.cassiterite, grade=Decimal(101)))
    production.create_lot(SYSTEM, _lot(coop, mineral_id=coop.cassiterite, grade=Decimal(68)))


def test_sold_lots_cannot_be_changed(coop):
    lot = coop.lot()
    coop.sell([lot])
    with pytest.raises(ValidationError, match="not in stock"):
        production.update_lot(SYSTEM, lot, _lot(coop))
    with pytest.raises(ValidationError, match="not in stock"):
        production.void_lot(SYSTEM, lot, "mistake")


def test_members_need_unique_numbers_and_valid_fields(coop):
    with pytest.raises(ValidationError) as err:
        registry.save_member(SYSTEM, None, member_no="M001", full_name="Dup", join_date=date(2024, 1, 1))
    assert err.value.field == "member_no"
    with pytest.raises(ValidationError) as err:
        registry.save_member(
            SYSTEM, None, member_no="M9", full_name="X", join_date=date(2024, 1, 1), birth_year=1800
        )
    assert err.value.field == "birth_year"
    with pytest.raises(ValidationError) as err:
        registry.save_member(
            SYSTEM, None, member_no="M9", full_name="X", join_date=date(2024, 1, 1), site=999
        )
    assert err.value.field == "site"
    with pytest.raises(ValidationError) as err:
        registry.save_member(
            SYSTEM, None, member_no="M9", full_name="X", join_date=date(2024, 1, 1), role="boss"
        )
    assert err.value.field == "role"


def test_every_write_is_audited(coop):
    before = AuditLog.select().count()
    member = registry.save_member(
        SYSTEM, None, member_no="M9", full_name="Neema", join_date=date(2024, 1, 1)
    ).id
    registry.save_member(SYSTEM, member, member_no="M9", full_name="Neema K.", join_date=date(2024, 1, 1))
    rows = list(AuditLog.select().order_by(AuditLog.id))[before:]
    assert [(r.action, r.entity, r.entity_id) for r in rows] == [
        ("create", "member", member),
        ("update", "member", member),
    ]
    assert '"full_name": "Neema"' in rows[1].old and "Neema K." in rows[1].new


def test_sites_validate_coordinates_and_codes(db):
    with pytest.raises(ValidationError) as err:
        registry.save_site(SYSTEM, None, code="A", name="A", latitude="95")
    assert err.value.field == "latitude"
    site = registry.save_site(SYSTEM, None, code="abc", name="A", latitude="-3.06", longitude="28.18").id
    with pytest.raises(ValidationError):
        registry.save_site(SYSTEM, None, code="ABC", name="B")
    assert site


def test_clerk_may_register_but_member_may_not(coop):
    clerk, member = Actor("c", "clerk"), Actor("m", "member", member_id=coop.members[0])
    production.create_lot(clerk, _lot(coop))
    with pytest.raises(PermissionDenied):
        production.create_lot(member, _lot(coop))


def test_incident_workflow_is_guarded(coop):
    iid = safety.save_incident(
        SYSTEM,
        None,
        occurred_at=datetime(2026, 1, 3, 10),
        site=coop.site,
        category="collapse",
        severity="lost_time",
        injured=1,
        description="Wall fell.",
    ).id
    with pytest.raises(StateError):
        safety.move_incident(SYSTEM, iid, "draft")
    safety.move_incident(SYSTEM, iid, "investigating")
    safety.move_incident(SYSTEM, iid, "closed", "Unsupported wall.")
    assert Incident.get_by_id(iid).state == "closed"
    with pytest.raises(ValidationError) as err:
        safety.save_incident(
            SYSTEM,
            None,
            occurred_at=datetime(2026, 1, 3),
            site=coop.site,
            category="fall",
            severity="fatality",
            description="x",
        )
    assert err.value.field == "fatalities"


def test_mercury_entries_validate(coop):
    safety.record_mercury(SYSTEM, site_id=coop.site, day=date(2026, 1, 2), kind="used", grams=Decimal("12.5"))
    with pytest.raises(ValidationError) as err:
        safety.record_mercury(
            SYSTEM, site_id=coop.site, day=date(2026, 1, 2), kind="spilled", grams=Decimal(1)
        )
    assert err.value.field == "kind"
    with pytest.raises(ValidationError):
        safety.record_mercury(SYSTEM, site_id=coop.site, day=date(2026, 1, 2), kind="used", grams=Decimal(0))
