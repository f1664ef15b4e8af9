"""The Books area clicked through as its users: the treasurer records an expense split over two accounts, a
transfer, a cash count with a difference, is refused a payment larger than the cash box and voids an entry;
the manager imports the opening balances, records share capital (the member register shows it) and closes the
year; the auditor reads every view but has no write button; the clerk and a member have no Books area."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtWidgets import QPushButton

from coop import i18n
from coop.models import BookEntry, CashCount
from coop.services import settings, users
from coop.services.books import entries, opening, reports, shares, treasury, yearclose
from tests.ui import clickkit
from tests.ui.helpers import main_windows, type_text
from ui import fmt, msgbox
from ui.bookdialogs import CashCountDialog, MoneyDialog, ShareDialog, TransferDialog, YearCloseDialog
from ui.books import BooksPage, RowsModel
from ui.forms import VoidDialog

PASSWORD = "Kamituga-ore-2026!"
WRITE_BUTTONS = (
    "new_expense",
    "new_income",
    "new_transfer",
    "new_shares",
    "cash_count",
    "void_entry",
    "opening",
    "opening_template",
    "year_close",
    "add_treasury",
    "treasury_default",
)


@pytest.fixture
def start(qapp, qtbot, tmp_path, monkeypatch):
    """`start(path, role)`: that user's main window on the database file; every file dialog answered."""
    answers = clickkit.install(monkeypatch, tmp_path / "out")
    with main_windows(qapp, qtbot, answers) as open_window:

        def open_as(path, role: str, password: str = clickkit.demo.DEMO_PASSWORD):
            return open_window(path, lambda: users.login(role, password), "en")

        yield open_as


def books(window) -> BooksPage:
    page = window.show_area("books")
    assert isinstance(page, BooksPage)
    return page


def press(page: BooksPage, tab, name: str) -> None:
    page.setCurrentWidget(tab)
    [button] = [b for b in tab.findChildren(QPushButton) if b.objectName() == name]
    assert button.isVisible() and button.isEnabled(), name
    button.click()


def dialog(page: BooksPage, kind):
    [dlg] = [d for d in page.findChildren(kind) if d.isVisible()]
    return dlg


def choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def error(dlg, name: str) -> str:
    label = dlg.errors[name]
    return label.text() if label.isVisible() else ""


def cell(model: RowsModel, ident, column: int) -> str:
    return model.text(model.ids.index(ident), column)


def money(minor: int) -> str:
    return fmt.money_text(minor)


def test_treasurer_records_split_expense_transfer_count_refusal_and_void(start, demo_db, tmp_path, qtbot):
    window = start(tmp_path / "demo.sqlite", "treasurer")
    page = books(window)
    actor = window.actor
    cash, bank = (treasury.get(treasury.find(k).id) for k in ("cash", "bank"))
    page.setCurrentWidget(page.treasury_tab)
    assert cell(page.treasury_tab.model, cash.id, 4) == fmt.amount_text(cash.balance_minor)
    before = reports.account_sums()

    # an expense of 150 000 split 100 000 / 40 000: refused, the parts do not add up; 50 000 then saves
    press(page, page.entries_tab, "new_expense")
    dlg = dialog(page, MoneyDialog)
    fuel, repairs = dlg.accounts[0].number, dlg.accounts[1].number
    choose(dlg.combo("treasury"), cash.id)
    assert dlg.balance.text() == money(cash.balance_minor)
    type_text(dlg.line("amount"), "150000")
    type_text(dlg.line("party"), "Station Kamituga")
    dlg.set_split([(fuel, "100000"), (repairs, "40000")])
    assert dlg.total.text() == f"Split total: {money(14_000_000)} of {money(15_000_000)}"
    dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
    assert dlg.isVisible()
    assert (
        error(dlg, "split") == f"The parts add up to {money(14_000_000)}; the amount is {money(15_000_000)}."
    )
    dlg.parts[1][1].setText("50000")
    dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
    assert not dlg.isVisible()
    expense = entries.entries(actor, kind="expense")[-1]
    assert (expense.amount_minor, expense.party, expense.treasury) == (
        15_000_000,
        "Station Kamituga",
        cash.key,
    )
    after = reports.account_sums()
    for number, part in ((fuel, 10_000_000), (repairs, 5_000_000)):
        assert after[number][0] - before.get(number, (0, 0))[0] == part
    page.setCurrentWidget(page.treasury_tab)
    assert cell(page.treasury_tab.model, cash.id, 4) == fmt.amount_text(cash.balance_minor - 15_000_000)

    # a payment larger than the cash box is refused next to the amount, with the box's balance
    left = treasury.get(cash.id).balance_minor
    press(page, page.entries_tab, "new_expense")
    dlg = dialog(page, MoneyDialog)
    choose(dlg.combo("treasury"), cash.id)
    dlg.line("amount").setText(fmt.cell("money", left + 100, {}))
    dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
    assert dlg.isVisible()
    coop = settings.get()
    assert (
        error(dlg, "amount")
        == f"Not enough money in Cash box: its balance is {i18n.format_money(left, coop.currency, coop.locale)}."
    )
    assert treasury.get(cash.id).balance_minor == left
    dlg.done(0)

    # a transfer from the bank to the cash box
    press(page, page.entries_tab, "new_transfer")
    dlg = dialog(page, TransferDialog)
    choose(dlg.combo("from_id"), bank.id)
    choose(dlg.combo("to_id"), cash.id)
    type_text(dlg.line("amount"), "20000")
    dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
    assert not dlg.isVisible()
    assert treasury.get(cash.id).balance_minor == left + 2_000_000
    assert treasury.get(bank.id).balance_minor == bank.balance_minor - 2_000_000

    # a cash count 1 500 short: the difference is shown, a reason is required, then it posts
    book = treasury.get(cash.id).balance_minor
    press(page, page.entries_tab, "cash_count")
    dlg = dialog(page, CashCountDialog)
    choose(dlg.combo("treasury"), cash.id)
    dlg.line("counted").setText(fmt.cell("money", book - 150_000, {}))
    assert dlg.book.text() == money(book)
    assert dlg.difference.text() == f"{money(150_000)} less than the books (a reason is required)"
    dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
    assert "give the reason" in error(dlg, "reason")
    type_text(dlg.widgets["reason"], "Coins missing")
    dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
    assert not dlg.isVisible()
    count = CashCount.select().order_by(CashCount.id.desc()).first()
    assert (count.counted_minor, count.book_minor, count.reason) == (book - 150_000, book, "Coins missing")
    assert treasury.get(cash.id).balance_minor == book - 150_000
    page.show_cash_book(cash.id)
    counts = page.cash_tab.counts
    page.cash_tab.period.date_to.setDate(date.today())
    page.cash_tab.refresh()
    assert [counts.text(r, 4) for r in range(counts.rowCount())][-1] == "Coins missing"
    assert counts.text(counts.rowCount() - 1, 3) == fmt.amount_text(-150_000)

    # the expense is voided with a reason: its row says so and the money is back
    page.setCurrentWidget(page.entries_tab)
    tab = page.entries_tab
    tab.view.selectRow(tab.model.ids.index(expense.id))
    press(page, tab, "void_entry")
    void = dialog(page, VoidDialog)
    assert str(expense.id) in void.subject.text()
    type_text(void.widgets["reason"], "Wrong account")
    void.buttons.button(void.buttons.StandardButton.Save).click()
    assert not void.isVisible()
    assert BookEntry.get_by_id(expense.id).state == "voided"
    assert cell(tab.model, expense.id, 8) == "Voided"
    assert treasury.get(cash.id).balance_minor == book - 150_000 + 15_000_000


def test_every_view_is_a_sound_model(start, demo_db, tmp_path, qtmodeltester):
    page = books(start(tmp_path / "demo.sqlite", "treasurer"))
    for i in range(page.count()):
        page.setCurrentIndex(i)
        tab = page.widget(i)
        assert tab.model.rowCount() > 0, page.tabText(i)
        qtmodeltester.check(tab.model)
    # the statements add up: the trial balance's totals, the balance sheet's result
    tb = reports.trial_balance(page.actor, since=page.period[0], until=page.period[1])
    totals = page.tabs[4].model
    assert totals.text(totals.rowCount() - 1, 3) == fmt.amount_text(tb.total_debit_minor)
    assert page.tabs[4].summary.text() == "Debits equal credits."
    assert page.tabs[6].summary.text() == "Assets equal liabilities and equity."


@pytest.fixture
def new_coop(coop, tmp_path):
    users.add_user(None, "manager", PASSWORD, "manager")
    return tmp_path / "coop.sqlite"


def test_manager_enters_opening_balances_and_share_capital(start, new_coop, coop, tmp_path, qtbot):
    window = start(new_coop, "manager", PASSWORD)
    page = books(window)
    actor = window.actor
    csv = tmp_path / "opening.csv"
    csv.write_text("account,debit,credit,member\n5711,500000,,\n5211,2000000,,\n1013,,100000,M001\n", "utf-8")
    window.answers.opened_csv = csv
    msgbox.SHOWN.clear()
    press(page, page.entries_tab, "opening")
    assert opening.existing() is not None
    assert msgbox.SHOWN[-1][0] == "Opening balances"
    cash = treasury.find("cash")
    assert cash.balance_minor == 50_000_000
    page.setCurrentWidget(page.treasury_tab)
    assert cell(page.treasury_tab.model, cash.id, 4) == fmt.amount_text(50_000_000)
    # once only: a second import is refused and says why
    press(page, page.entries_tab, "opening")
    assert msgbox.SHOWN[-1][0] == "The file was not imported: 1 problem found"
    assert "already entered" in msgbox.SHOWN[-1][1]

    # share capital: a subscription, part of it paid into the cash box; a refund above what was paid refused
    member = coop.members[1]
    for action, amount in (("subscribe", "50000"), ("pay", "20000")):
        press(page, page.entries_tab, "new_shares")
        dlg = dialog(page, ShareDialog)
        choose(dlg.combo("member"), member)
        choose(dlg.combo("action"), action)
        choose(dlg.combo("treasury"), cash.id)
        type_text(dlg.line("amount"), amount)
        dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
        assert not dlg.isVisible(), dlg.top_error.text()
    capital = shares.share_capital(actor, member)
    assert (capital.subscribed_minor, capital.paid_minor) == (5_000_000, 2_000_000)
    press(page, page.entries_tab, "new_shares")
    dlg = dialog(page, ShareDialog)
    choose(dlg.combo("member"), member)
    assert (
        dlg.capital.text()
        == f"Subscribed {money(5_000_000)} · paid {money(2_000_000)} · still to pay {money(3_000_000)}"
    )
    choose(dlg.combo("action"), "refund")
    type_text(dlg.line("amount"), "30000")
    dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
    assert "has paid only" in error(dlg, "amount")
    dlg.done(0)

    # the member register's share capital is the books' (not the register's loose field)
    members = window.show_area("members")
    by_member = shares.share_capital_by_member(actor)
    column = [c.key for c in members.model.columns].index("share_capital")
    shown = {members.model.row_id(r): members.model.data(members.model.index(r, column))
             for r in range(members.model.rowCount())}  # fmt: skip
    assert shown[coop.members[0]] == fmt.amount_text(by_member[coop.members[0]].paid_minor) == "100,000.00"
    assert shown[member] == fmt.amount_text(2_000_000)
    assert shown[coop.members[2]] == fmt.amount_text(0)


def test_manager_previews_and_closes_the_year(start, demo_db, tmp_path):
    window = start(tmp_path / "demo.sqlite", "manager")
    page = books(window)
    if yearclose.is_closed(2025):
        pytest.skip("the demo's 2025 is closed already")
    press(page, page.entries_tab, "year_close")
    dlg = dialog(page, YearCloseDialog)
    dlg.widgets["year"].setValue(2025)
    dlg.widgets["day"].setDate(date(2026, 3, 20))
    # less than the law's 20 % to the general reserve: refused next to it
    dlg.line("legal_reserve").setText("10")
    dlg.preview_button.click()
    assert "at least 20 percent" in error(dlg, "legal_reserve")
    assert dlg.figures.text() == ""
    dlg.line("legal_reserve").setText("20")
    dlg.line("ristourne").setText("30")
    dlg.preview_button.click()
    inp = yearclose.AllocationInput(
        day=date(2026, 3, 20), percent={"legal_reserve": "20", "education_reserve": "20", "ristourne": "30"}
    )
    plan = yearclose.plan(window.actor, 2025, inp)
    assert "Result of the year: " + money(plan.result_minor) in dlg.figures.text()
    assert "Retained earnings: " + money(plan.retained_minor) in dlg.figures.text()
    dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
    assert not dlg.isVisible(), dlg.top_error.text()
    closed = yearclose.closed_year(window.actor, 2025)
    assert closed is not None and closed.ristourne_minor == plan.ristourne_minor
    # nothing more can be dated in 2025: an expense of June is refused next to its date
    press(page, page.entries_tab, "new_expense")
    dlg = dialog(page, MoneyDialog)
    dlg.widgets["day"].setDate(date(2025, 6, 1))
    type_text(dlg.line("amount"), "1000")
    dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
    assert error(dlg, "day").startswith("The books are closed up to 2025-12-31")
    dlg.done(0)
    # the income statement of 2025 still shows the year's result (the carrying entry is left out)
    page.setCurrentWidget(page.tabs[5])
    assert page.tabs[5].summary.text() == "Surplus: " + money(plan.result_minor)


def test_auditor_reads_every_view_without_a_write_button(start, demo_db, tmp_path):
    page = books(start(tmp_path / "demo.sqlite", "auditor"))
    for i in range(page.count()):
        page.setCurrentIndex(i)
        assert page.widget(i).model.rowCount() > 0
    names = {b.objectName(): b for b in page.findChildren(QPushButton)}
    for name in WRITE_BUTTONS:
        assert not names[name].isVisibleTo(page) and not names[name].isEnabled(), name
    page.setCurrentWidget(page.tabs[4])
    assert names["pdf_trial-balance"].isVisibleTo(page)


@pytest.mark.parametrize("role", ["clerk", "member"])
def test_no_books_area_for_clerk_or_member(role, start, demo_db, tmp_path):
    window = start(tmp_path / "demo.sqlite", role)
    assert "books" not in window.areas
    assert not window.findChildren(BooksPage)


def test_trial_balance_prints_what_the_table_shows(start, demo_db, tmp_path, qtbot):
    window = start(tmp_path / "demo.sqlite", "treasurer")
    page = books(window)
    tab = page.tabs[4]
    press(page, tab, "pdf_trial-balance")
    preview = clickkit.preview(qtbot, tab)
    text = clickkit.pdf_text(preview.pdf)
    tb = reports.trial_balance(window.actor, since=page.period[0], until=page.period[1])
    shown = tab.model.text(tab.model.rowCount() - 1, 3)  # the table's total of the debits
    assert shown == fmt.amount_text(tb.total_debit_minor)
    # the document is in the same language and formats as the window (words broken across lines aside)
    assert shown.replace("\u202f", "") in re.sub(r"\s", "", text)
    for line in tb.lines[:5]:
        assert line.number in text
    preview.reject()


def test_trial_balance_exports_as_csv(start, demo_db, tmp_path):
    import csv
    from decimal import Decimal

    window = start(tmp_path / "demo.sqlite", "auditor")
    page = books(window)
    tab = page.tabs[4]
    press(page, tab, "csv_trial-balance")
    saved = window.answers.saved[-1]
    with saved.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    tb = reports.trial_balance(window.actor, since=page.period[0], until=page.period[1])
    assert [r["account"] for r in rows] == [x.number for x in tb.lines]
    assert sum(Decimal(r["debit"]) for r in rows) == Decimal(tb.total_debit_minor) / 100
    assert sum(Decimal(r["debit"]) - Decimal(r["credit"]) for r in rows) == 0
