"""A sale's proceeds, a tax payment and a payout go to / leave the treasury account the user chooses (not only
the payment method's default), and the funds check holds per account: money in another box does not count."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import cli
from coop import chain
from coop.errors import ValidationError
from coop.models import JournalEntry, Posting, Sale, TaxPayment, TreasuryAccount
from coop.permissions import SYSTEM
from coop.services import ledger, sales, taxes, users
from coop.services.books import treasury

PASSWORD = "treasury-choice-pass-2025"
Q1 = {"authority": "DGRAD", "period_from": date(2026, 1, 1), "period_to": date(2026, 1, 31)}


def _sell_into(coop, treasury_id, method="cash") -> int:
    return sales.post_sale(
        SYSTEM,
        sales.SaleInput(
            buyer_id=coop.buyer,
            lot_ids=[coop.lot()],
            date=date(2026, 1, 6),
            currency="USD",
            unit_price=Decimal(90),
            exchange_rate=Decimal(2850),
            payment_method=method,
            treasury_id=treasury_id,
        ),
    ).id


def _balance(treasury_id: int) -> int:
    return treasury.get(treasury_id).balance_minor


@pytest.fixture
def site_box(coop) -> int:
    return treasury.add(SYSTEM, "Caisse Kamituga", "cash").id


def _default(kind: str) -> int:
    return next(t.id for t in treasury.accounts(SYSTEM) if t.kind == kind and t.is_default)


def test_a_sale_comes_into_the_chosen_account(coop, site_box):
    sale_id = _sell_into(coop, site_box)
    gross = Sale.get_by_id(sale_id).gross_local_minor
    assert gross > 0
    assert _balance(site_box) == gross and _balance(_default("cash")) == 0
    entry = JournalEntry.get((JournalEntry.source_id == sale_id) & (JournalEntry.kind == "sale"))
    assert treasury.get(site_box).key in {p.account for p in entry.postings}
    assert ledger.position(SYSTEM).cash == gross  # the position sums every cash box
    sales.void_sale(SYSTEM, sale_id, "wrong buyer")  # the reversal takes it out of the same box
    assert _balance(site_box) == 0
    assert chain.verify().ok


def test_the_chosen_account_gives_the_method_stored(coop):
    bank = _default("bank")
    sale_id = _sell_into(coop, bank, method="cash")
    assert Sale.get_by_id(sale_id).payment_method == "bank"
    assert _balance(bank) == Sale.get_by_id(sale_id).gross_local_minor


def test_a_tax_payment_leaves_the_chosen_account_and_only_its_money_counts(coop, site_box):
    gross = Sale.get_by_id(_sell_into(coop, site_box)).gross_local_minor
    _sell_into(coop, None)  # the default cash box holds as much
    paid = taxes.pay(SYSTEM, amount=Decimal(1000), day=date(2026, 1, 7), treasury_id=site_box, **Q1)
    assert _balance(site_box) == gross - 1000_00
    assert TaxPayment.get_by_id(paid.id).state == "posted"
    payments, entries = TaxPayment.select().count(), JournalEntry.select().count()
    # more than the site box holds, though the default cash box could pay it: refused, nothing written
    with pytest.raises(ValidationError) as err:
        taxes.pay(SYSTEM, amount=Decimal(gross), day=date(2026, 1, 7), treasury_id=site_box, **Q1)
    assert err.value.field == "amount" and err.value.msgid == treasury.NOT_ENOUGH
    assert "Caisse Kamituga" in err.value.message()
    assert (TaxPayment.select().count(), JournalEntry.select().count()) == (payments, entries)
    assert _balance(site_box) == gross - 1000_00


def test_an_empty_chosen_account_refuses_a_tax_payment(coop, site_box):
    _sell_into(coop, None)  # into the default cash box
    with pytest.raises(ValidationError, match="Not enough money"):
        taxes.pay(SYSTEM, amount=Decimal(1), day=date(2026, 1, 7), treasury_id=site_box, **Q1)
    assert not Posting.select().where(Posting.account == treasury.get(site_box).key).exists()


def test_a_closed_or_unknown_account_is_refused(coop, site_box):
    TreasuryAccount.update(active=False).where(TreasuryAccount.id == site_box).execute()
    with pytest.raises(ValidationError) as err:
        _sell_into(coop, site_box)
    assert err.value.field == "treasury"
    with pytest.raises(ValidationError) as err:
        taxes.pay(SYSTEM, amount=Decimal(1), day=date(2026, 1, 7), treasury_id=999, **Q1)
    assert err.value.field == "treasury"
    assert Sale.select().where(Sale.state != "draft").count() == 0


def test_cli_pay_from_a_chosen_account(coop, site_box, db, capsys, monkeypatch, tmp_path):
    """`pay --treasury` names the account as the books' commands do (number, name or id)."""
    _sell_into(coop, site_box)
    users.add_user(SYSTEM, "tess", PASSWORD, "treasurer")
    monkeypatch.setenv("COOPLEDGER_PASSWORD", PASSWORD)
    monkeypatch.setenv("LANGUAGE", "en")
    path = db.database
    db.close()
    base = ["--db", str(path), "--user", "tess", "pay", "M001", "100", "--date", "2026-01-07"]
    assert cli.run([*base, "--treasury", "Caisse Kamituga"]) == 0
    assert "Payout" in capsys.readouterr().out
    assert cli.run(base) == 1  # the default cash box is empty
    assert "Not enough money in Cash box" in capsys.readouterr().err
