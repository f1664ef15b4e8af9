"""Entries of the books through their services: balanced and chained, refused when they would overdraw a
treasury account, once-only opening balances, derived share capital, cash counts, voids, closed periods and
permissions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from coop import chain
from coop.errors import ErrorList, PermissionDenied, ValidationError
from coop.models import BookEntry, Member, Posting
from coop.permissions import SYSTEM
from coop.services import ledger, payouts, periods, taxes
from coop.services.books import cashcount, chart, entries, opening, reports, shares, treasury
from tests.books.conftest import AUDITOR, CLERK, MEMBER, START, TREASURER

DAY = date(2025, 2, 10)


def balance(treasury_id: int) -> int:
    return treasury.get(treasury_id).balance_minor


def sound() -> None:
    assert ledger.unbalanced_entries() == []
    assert reports.trial_balance(SYSTEM).balanced
    assert reports.balance_sheet(SYSTEM).balanced
    assert chain.verify().ok


def test_syscohada_chart_for_an_ohada_country_and_default_elsewhere(db):
    from coop.services import settings

    settings.save(SYSTEM, name="Coop", currency="BOB", locale="es_BO", country="BO")
    assert chart.installed() == "default" and chart.number_of("cash") == "1101"
    settings.save(SYSTEM, country="CM")  # no entry of the books yet: the chart follows the country
    assert chart.installed() == "syscohada"
    assert {"101", "1013", "111", "121", "130", "401", "422", "442", "462", "521", "552", "571"} <= {
        a.number for a in chart.accounts()
    }
    assert len(chart.OHADA) == 17 and "CD" in chart.OHADA and "BO" not in chart.OHADA
    chart.install_chart("CM")  # idempotent
    assert len(chart.accounts()) == len({a.number for a in chart.accounts()})
    assert [t.number for t in treasury.accounts(SYSTEM)] == ["5711", "5521", "5211"]


def test_expense_income_and_transfer_are_balanced_chained_entries(books):
    before = balance(books.cash)
    entries.record_expense(
        SYSTEM, day=DAY, treasury_id=books.cash, account="6053", amount="12500.50", payee="Station"
    )
    entries.record_income(SYSTEM, day=DAY, treasury_id=books.bank, account="71", amount="300000", payer="NGO")
    entries.transfer(SYSTEM, day=DAY, from_id=books.bank, to_id=books.mobile, amount="100000")
    assert balance(books.cash) == before - 1_250_050
    assert balance(books.mobile) == 30_000_000
    assert balance(books.bank) == 500_000_000 + 30_000_000 - 10_000_000
    lines = {x.number: x for x in reports.trial_balance(SYSTEM).lines}
    assert lines["6053"].debit_minor == 1_250_050 and lines["71"].credit_minor == 30_000_000
    sound()


def test_split_expense_debits_each_account_and_credits_the_total(books):
    saved = entries.record_expense(
        SYSTEM,
        day=DAY,
        treasury_id=books.bank,
        splits=[entries.Split("661", "150000"), entries.Split("664", "15000")],
        payee="Staff",
        document_ref="PAIE-02",
    )
    (entry_id,) = saved.changes.ids("ledger")
    rows = Posting.select().where(Posting.entry == entry_id)
    got = sorted((p.account, p.amount_minor) for p in rows)
    assert got == sorted([("661", 15_000_000), ("664", 1_500_000), ("bank", -16_500_000)])
    with pytest.raises(ErrorList):  # every bad part is reported
        entries.record_expense(
            SYSTEM,
            day=DAY,
            treasury_id=books.bank,
            splits=[entries.Split("9999", "1"), entries.Split("661", "-2")],
        )


@pytest.mark.parametrize("account", ["5711", "462", "60", "9999"])
def test_an_expense_refuses_treasury_member_parent_and_unknown_accounts(books, account):
    with pytest.raises(ValidationError) as err:
        entries.record_expense(SYSTEM, day=DAY, treasury_id=books.cash, account=account, amount="10")
    assert err.value.field == "account"


def test_more_decimals_than_the_currency_are_refused_not_rounded(books):
    with pytest.raises(ValidationError):
        entries.record_expense(SYSTEM, day=DAY, treasury_id=books.cash, account="6053", amount="10.005")


# ---------------------------------------------------------------- the funds check


def _refused(fn, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as err:
        fn(*args, **kwargs)
    assert err.value.field == "amount"
    return err.value.message()


def test_every_kind_of_payment_is_refused_when_it_would_overdraw(books):
    c = books.coop
    msg = _refused(
        entries.record_expense, SYSTEM, day=DAY, treasury_id=books.mobile, account="628", amount="200000.01"
    )
    assert "Mobile-money wallet" in msg and "200\u202f000,00\xa0FC" in msg  # the balance, in fr_CD format
    _refused(entries.transfer, SYSTEM, day=DAY, from_id=books.mobile, to_id=books.cash, amount="200001")
    # a sale pays the members' share into cash; a payout above the cash is refused although it is owed
    lot = c.lot(day=date(2025, 2, 1), qty="100")
    c.sell([lot], day=date(2025, 2, 1), currency="CDF", price="5000", rate="2850")  # 400 g fine × 5 000 CDF
    owed = ledger.member_balance(SYSTEM, c.members[0])
    entries.transfer(
        SYSTEM, day=DAY, from_id=books.cash, to_id=books.bank, amount=Decimal(balance(books.cash)) / 100
    )
    _refused(payouts.pay_member, SYSTEM, c.members[0], Decimal(owed) / 100, DAY, "cash")
    payouts.pay_member(SYSTEM, c.members[0], Decimal(owed) / 100, DAY, "bank")  # from the bank it can be paid
    _refused(
        taxes.pay,
        SYSTEM,
        authority="DGRAD",
        amount=Decimal(1),
        day=DAY,
        period_from=date(2025, 2, 1),
        period_to=date(2025, 2, 28),
        method="cash",
    )
    shares.subscribe(SYSTEM, c.members[1], "1000", DAY)
    shares.pay(SYSTEM, c.members[1], "1000", DAY, treasury_id=books.mobile)
    entries.transfer(SYSTEM, day=DAY, from_id=books.mobile, to_id=books.bank, amount="201000")
    _refused(shares.refund, SYSTEM, c.members[1], "1000", DAY, treasury_id=books.mobile)
    assert all(t.balance_minor >= 0 for t in treasury.accounts(SYSTEM))
    sound()


def test_a_back_dated_payment_may_not_overdraw_a_later_day(books):
    entries.record_expense(
        SYSTEM, day=date(2025, 3, 1), treasury_id=books.mobile, account="628", amount="150000"
    )
    msg = _refused(
        entries.record_expense,
        SYSTEM,
        day=date(2025, 2, 1),
        treasury_id=books.mobile,
        account="628",
        amount="60000",
    )
    assert "50\u202f000,00" in msg  # what is left from that day on
    entries.record_expense(
        SYSTEM, day=date(2025, 2, 1), treasury_id=books.mobile, account="628", amount="50000"
    )
    assert all(b >= 0 for _d, b in treasury.daily_balances("mobile_money"))


def test_voiding_money_received_is_refused_once_it_is_spent(books):
    got = entries.record_income(SYSTEM, day=DAY, treasury_id=books.mobile, account="758", amount="100000")
    entries.record_expense(SYSTEM, day=DAY, treasury_id=books.mobile, account="628", amount="250000")
    _refused(entries.void_entry, SYSTEM, got.id, "typed twice", DAY)


# ---------------------------------------------------------------- opening balances


def test_opening_balances_once_dated_at_the_start_against_opening_equity(books):
    entry = BookEntry.get(BookEntry.kind == "opening")
    assert entry.date == START
    lines = {x.number: x.balance_minor for x in reports.trial_balance(SYSTEM).lines}
    assert lines["121"] == -(100_000_000 + 20_000_000 + 500_000_000)  # the difference, on opening equity
    with pytest.raises(ValidationError, match="already entered"):
        opening.enter(SYSTEM, [opening.OpeningRow("5711", "1")])
    entries.void_entry(SYSTEM, entry.id, "wrong figures", DAY)  # voided: they may be entered again
    opening.enter(SYSTEM, [opening.OpeningRow("5711", "10")], START)
    sound()


def test_opening_balances_refuse_a_date_that_is_not_the_start_of_the_first_year(coop):
    with pytest.raises(ValidationError, match="first day"):
        opening.enter(SYSTEM, [opening.OpeningRow("5711", "10")], date(2025, 2, 1))


def test_opening_balances_from_csv_with_members_and_row_errors(coop, tmp_path):
    path = tmp_path / "opening.csv"
    path.write_text(
        "account,debit,credit,member\n5711,250000,,\n1013,,50000,M001\n1013,,25000,M002\n401,,10000,\n"
    )
    opening.enter_csv(SYSTEM, path, START)
    assert shares.share_capital(SYSTEM, coop.members[0]).paid_minor == 5_000_000
    assert treasury.get(treasury.find("cash").id).balance_minor == 25_000_000
    bad = tmp_path / "bad.csv"
    bad.write_text("account,debit,credit,member\n9999,10,,\n1013,,5,\n5711,1,1,\n")
    entries.void_entry(SYSTEM, BookEntry.get(BookEntry.kind == "opening").id, "redo")
    with pytest.raises(ErrorList) as err:
        opening.enter_csv(SYSTEM, bad, START)
    assert [e.row for e in err.value.errors] == [2, 3, 4]
    sound()


# ---------------------------------------------------------------- share capital


def test_share_capital_is_derived_from_the_entries(books):
    m = books.coop.members[2]
    shares.subscribe(SYSTEM, m, "60000", DAY)
    shares.pay(SYSTEM, m, "20000", DAY)
    got = shares.share_capital(SYSTEM, m)
    assert (got.subscribed_minor, got.paid_minor, got.unpaid_minor) == (6_000_000, 2_000_000, 4_000_000)
    with pytest.raises(ValidationError, match="left to pay"):
        shares.pay(SYSTEM, m, "40000.01", DAY)
    with pytest.raises(ValidationError, match="paid only"):
        shares.refund(SYSTEM, m, "20000.01", DAY)
    shares.refund(SYSTEM, m, "20000", DAY)
    assert shares.share_capital(SYSTEM, m).paid_minor == 0
    assert shares.share_capital_by_member(SYSTEM) == {
        m: shares.ShareCapital(subscribed_minor=4_000_000, paid_minor=0)
    }
    Member.update(share_capital_minor=99).where(Member.id == m).execute()  # the loose field is not the books
    assert shares.share_capital(SYSTEM, m).paid_minor == 0
    assert shares.share_capital(MEMBER, 1).paid_minor == 0  # a member sees their own
    with pytest.raises(PermissionDenied):
        shares.share_capital(MEMBER, m)
    sound()


def test_a_paid_subscription_is_voided_only_after_its_payments(books):
    m = books.coop.members[0]
    sub = shares.subscribe(SYSTEM, m, "1000", DAY)
    paid = shares.pay(SYSTEM, m, "1000", DAY)
    with pytest.raises(ValidationError, match="void the payments first"):
        entries.void_entry(SYSTEM, sub.id, "error", DAY)
    entries.void_entry(SYSTEM, paid.id, "error", DAY)
    entries.void_entry(SYSTEM, sub.id, "error", DAY)
    assert shares.share_capital(SYSTEM, m) == shares.ShareCapital(subscribed_minor=0, paid_minor=0)


# ---------------------------------------------------------------- cash counts


def test_cash_count_posts_the_difference_to_over_short_with_a_reason(books):
    with pytest.raises(ValidationError) as err:
        cashcount.count_cash(SYSTEM, books.cash, "999990", DAY)
    assert err.value.field == "reason"
    short = cashcount.count_cash(SYSTEM, books.cash, "999990", DAY, "change given twice")
    cashcount.count_cash(SYSTEM, books.cash, "999990", date(2025, 2, 11))  # matches: no reason needed
    over = cashcount.count_cash(SYSTEM, books.cash, "1000000", date(2025, 2, 12), "coins found")
    counts = cashcount.counts(SYSTEM, books.cash)
    assert [(c.difference_minor, c.entry_id is None) for c in counts] == [
        (-1000, False),
        (0, True),
        (1000, False),
    ]
    assert [c.id for c in counts] == [short.id, counts[1].id, over.id]
    lines = {x.number: x.balance_minor for x in reports.trial_balance(SYSTEM).lines}
    assert lines["658"] == 1000 and lines["758"] == -1000
    assert balance(books.cash) == 100_000_000
    with pytest.raises(ValidationError):
        cashcount.count_cash(SYSTEM, books.bank, "1", DAY, "x")  # only a cash box is counted
    sound()


# ---------------------------------------------------------------- voids, closed periods, permissions


def test_void_of_each_kind_restores_every_balance(books):
    m = books.coop.members[0]
    before = reports.account_sums()
    made = [
        entries.record_expense(SYSTEM, day=DAY, treasury_id=books.cash, account="6053", amount="1000"),
        entries.record_income(SYSTEM, day=DAY, treasury_id=books.bank, account="758", amount="1000"),
        entries.transfer(SYSTEM, day=DAY, from_id=books.bank, to_id=books.cash, amount="1000"),
        shares.subscribe(SYSTEM, m, "3000", DAY),
        shares.pay(SYSTEM, m, "2000", DAY),
    ]
    made.append(shares.refund(SYSTEM, m, "500", DAY))
    count = cashcount.count_cash(SYSTEM, books.cash, "1000001", DAY, "coin")
    cash_entry = cashcount.counts(SYSTEM, books.cash)[-1].entry_id
    for saved in reversed(made):
        entries.void_entry(SYSTEM, saved.id, "test", DAY)
    entries.void_entry(SYSTEM, cash_entry, "recounted", DAY)
    assert cashcount.counts(SYSTEM, books.cash)[-1].voided and count.id
    after = reports.account_sums()
    assert {k: d - c for k, (d, c) in after.items()} == {k: d - c for k, (d, c) in before.items()} | {
        k: 0 for k in set(after) - set(before)
    }
    with pytest.raises(Exception, match="cannot become"):
        entries.void_entry(SYSTEM, made[0].id, "again", DAY)
    sound()


def test_closed_periods_refuse_entries_and_voids_dated_in_them(books):
    e = entries.record_expense(SYSTEM, day=DAY, treasury_id=books.cash, account="6053", amount="1000")
    periods.close(SYSTEM, date(2025, 3, 31))
    for call in (
        lambda: entries.record_expense(SYSTEM, day=DAY, treasury_id=books.cash, account="6053", amount="1"),
        lambda: entries.transfer(SYSTEM, day=DAY, from_id=books.cash, to_id=books.bank, amount="1"),
        lambda: shares.subscribe(SYSTEM, books.coop.members[0], "1", DAY),
        lambda: cashcount.count_cash(SYSTEM, books.cash, "1", DAY, "x"),
        lambda: entries.void_entry(SYSTEM, e.id, "late", date(2025, 3, 1)),
    ):
        with pytest.raises(ValidationError, match="closed"):
            call()
    entries.void_entry(SYSTEM, e.id, "voided after the closing", date(2025, 4, 1))  # counts in April
    sound()


@pytest.mark.parametrize("actor", [CLERK, MEMBER, AUDITOR])
def test_only_the_treasurer_and_manager_record_entries(books, actor):
    with pytest.raises(PermissionDenied):
        entries.record_expense(actor, day=DAY, treasury_id=books.cash, account="6053", amount="1")
    with pytest.raises(PermissionDenied):
        shares.subscribe(actor, books.coop.members[0], "1", DAY)
    with pytest.raises(PermissionDenied):
        treasury.add(actor, "Caisse 2", "cash")
    entries.record_expense(TREASURER, day=DAY, treasury_id=books.cash, account="6053", amount="1")
    with pytest.raises(PermissionDenied):
        opening.enter(TREASURER, [opening.OpeningRow("5711", "1")])  # the opening balances: manager only


@pytest.mark.parametrize("actor", [CLERK, MEMBER])
def test_clerks_and_members_see_no_reports_of_the_books(books, actor):
    for call in (reports.trial_balance, reports.income_statement, reports.balance_sheet):
        with pytest.raises(PermissionDenied):
            call(actor)
    assert reports.trial_balance(AUDITOR).balanced


def test_several_cash_boxes_and_the_default_of_a_payment_method(books):
    site = treasury.add(SYSTEM, "Caisse Mwenga", "cash").id
    assert treasury.get(site).number == "5712"
    entries.transfer(SYSTEM, day=DAY, from_id=books.cash, to_id=site, amount="1000")
    treasury.set_default(SYSTEM, site)
    c = books.coop
    lot = c.lot(day=date(2025, 2, 1))
    c.sell([lot], day=date(2025, 2, 1))  # paid in cash: into the default cash box, now Mwenga's
    assert balance(site) > 100_000 and balance(books.cash) == 100_000_000 - 100_000
    payouts.pay_member(SYSTEM, c.members[0], Decimal(100_000), DAY, treasury_id=books.mobile)
    assert balance(books.mobile) == 10_000_000
    pos = ledger.position(SYSTEM)
    assert pos.cash == balance(site) + balance(books.cash)
    sound()


def test_the_template_carries_the_registers_old_share_capital_into_the_books(coop, tmp_path):
    """The register's old field is read once, into the opening balances' template; the books derive from entries."""
    Member.update(share_capital_minor=5_000_000).where(Member.id == coop.members[0]).execute()
    Member.update(share_capital_minor=2_500_050).where(Member.id == coop.members[3]).execute()
    path = tmp_path / "template.csv"
    assert opening.write_template(SYSTEM, path) == 3 + 2
    text = path.read_text()
    assert "1013,,50000.00,M001" in text and "1013,,25000.50,M004" in text
    path.write_text(text.replace("5711,,,", "5711,75000.50,,"))
    assert shares.share_capital(SYSTEM, coop.members[0]).paid_minor == 0  # not until entered
    opening.enter_csv(SYSTEM, path, START)
    got = {m: c.paid_minor for m, c in shares.share_capital_by_member(SYSTEM).items()}
    assert got == {coop.members[0]: 5_000_000, coop.members[3]: 2_500_050}
    lines = {x.number: x.balance_minor for x in reports.trial_balance(SYSTEM).lines}
    assert "121" not in lines  # the cash equals the capital: nothing left for the opening equity
    assert lines["5711"] == 7_500_050 and lines["1013"] == -7_500_050
    sound()
