"""The Changes value: combining, asking what it affects, and what each kind of write says it touched."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from coop.changes import NOTHING, Changes, Saved, SavedMany, changes_of
from coop.models import JournalEntry
from coop.permissions import SYSTEM
from coop.services import imports, payouts, production, registry, safety, sales, settings, taxes, users


def test_of_names_areas_and_ids_and_combines_with_or():
    sale = Changes.of(sales=[5], lots=[1, 2], ledger=None)
    assert sale.areas == {"sales", "lots", "ledger"}
    assert sale.ids("lots") == {1, 2} and sale.ids("ledger") == set() and sale.ids("members") == set()
    both = sale | Changes.of(lots=3, payouts=[9])
    assert both.areas == {"sales", "lots", "ledger", "payouts"} and both.ids("lots") == {1, 2, 3}
    assert sale.ids("lots") == {1, 2}  # frozen: the operands are unchanged


def test_affects_any_of_the_areas_asked():
    sale = Changes.of(sales=[5], ledger=[7])
    assert sale.affects("members", "ledger")  # the members list shows balances from the ledger
    assert not sale.affects("members", "sites")
    assert not NOTHING.affects("sales") and not NOTHING and sale


def test_a_misspelt_area_is_refused_everywhere():
    with pytest.raises(ValueError):
        Changes.of(sale=[1])
    with pytest.raises(ValueError):
        Changes.of(sales=[1]).affects("sale")
    with pytest.raises(ValueError):
        Changes(frozenset({"sales"}), frozenset({("lots", 1)}))  # an id under an area not named


def test_changes_of_reads_every_result_shape():
    c = Changes.of(members=[1])
    assert changes_of(c) is c
    assert changes_of(Saved(1, c)) is c
    assert changes_of(SavedMany((1, 2), c)) is c
    assert changes_of(imports.ImportResult("members", 3, c)) is c
    assert changes_of(None) is NOTHING and changes_of(42) is NOTHING


def _last_entry() -> int:
    return JournalEntry.select().order_by(JournalEntry.id.desc()).get().id


def test_a_sale_and_its_void_name_the_sale_its_lots_and_the_ledger(coop):
    lots = [coop.lot(), coop.lot()]
    saved = sales.post_sale(
        SYSTEM,
        sales.SaleInput(
            buyer_id=coop.buyer,
            lot_ids=lots,
            date=date(2026, 1, 6),
            currency="USD",
            unit_price=Decimal(90),
            exchange_rate=Decimal(2850),
        ),
    )
    assert saved.changes.areas == {"sales", "lots", "ledger"}
    assert saved.changes.ids("sales") == {saved.id} and saved.changes.ids("lots") == set(lots)
    assert saved.changes.ids("ledger") == {_last_entry()}
    voided = sales.void_sale(SYSTEM, saved.id, "wrong buyer")
    assert voided.areas == {"sales", "lots", "ledger"} and voided.ids("lots") == set(lots)
    assert voided.ids("ledger") == {_last_entry()}  # the reversing entry


def test_payments_name_their_record_and_the_ledger(coop):
    coop.sell([coop.lot()])
    pay = payouts.pay_member(SYSTEM, coop.members[0], Decimal(100), date(2026, 1, 7))
    assert pay.changes == Changes.of(payouts=[pay.id], ledger=[_last_entry()])
    assert payouts.void_payout(SYSTEM, pay.id, "typo").areas == {"payouts", "ledger"}
    period = {"authority": "DGRAD", "day": date(2026, 2, 1)}
    tax = taxes.pay(  # from the cash box the sale came into
        SYSTEM,
        amount=Decimal(10),
        period_from=date(2026, 1, 1),
        period_to=date(2026, 1, 31),
        method="cash",
        **period,
    )
    assert tax.changes == Changes.of(tax_payments=[tax.id], ledger=[_last_entry()])
    assert taxes.void_payment(SYSTEM, tax.id, "typo").areas == {"tax_payments", "ledger"}


def test_registers_lots_safety_users_and_settings_name_what_they_wrote(coop):
    member = registry.save_member(
        SYSTEM, None, member_no="M77", full_name="Neema", join_date=date(2024, 1, 1)
    )
    assert member.changes == Changes.of(members=[member.id])
    assert registry.save_site(SYSTEM, None, code="NEW", name="New").changes.areas == {"sites"}
    assert registry.save_buyer(SYSTEM, None, name="B2").changes.areas == {"buyers"}
    assert registry.save_mineral(SYSTEM, None, name="Tin").changes.areas == {"minerals"}
    lot = coop.lot()
    inp = production.LotInput(
        coop.site, coop.gold, date(2026, 1, 5), Decimal(3), [(coop.members[0], 10000)], grade=Decimal(800)
    )
    assert production.update_lot(SYSTEM, lot, inp) == Changes.of(lots=[lot])
    assert production.void_lot(SYSTEM, lot, "mistake") == Changes.of(lots=[lot])
    presets = taxes.load_presets(SYSTEM, "CD", date(2026, 1, 1))
    assert presets.ids and presets.changes == Changes.of(tax_rules=presets.ids)
    mercury = safety.record_mercury(
        SYSTEM, site_id=coop.site, day=date(2026, 1, 2), kind="used", grams=Decimal(1)
    )
    assert mercury.changes == Changes.of(mercury=[mercury.id])
    account = users.add_user(SYSTEM, "caissiere", "Kamituga-caisse-2026!", "treasurer")
    assert account.changes == Changes.of(users=[account.id])
    assert users.unlock(SYSTEM, account.id) == Changes.of(users=[account.id])
    assert settings.save(SYSTEM, levy_bp=400).areas == {"settings"}


def test_an_import_names_its_areas_without_listing_a_million_ids(coop, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("member_no,full_name,join_date\nM500,Furaha Zawadi,2025-02-01\n", encoding="utf-8")
    result = imports.import_members(SYSTEM, path)
    assert result.changes.areas == {"members"} and result.changes.ids("members") == set()
