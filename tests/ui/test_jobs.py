"""The jobs of the five users, end to end through the widgets of the main window on the demo cooperative:
the treasurer sells, prints and voids; the clerk registers a member and a lot with two owners and imports a
CSV with errors; a member reads their own statement; the manager prints a quarter's tax filing; the auditor
verifies the books. Printed documents are read back from the PDF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

import reports
from coop import i18n
from coop import report_periods as periods
from coop.i18n import _
from coop.models import LotOwner, Member, Mineral, ProductionLot, Sale
from coop.permissions import SYSTEM
from coop.services import ledger, production, sales, taxes
from tests.ui import clickkit
from tests.ui.helpers import main_windows, type_text
from ui import dialogs, msgbox
from ui.forms import VoidDialog
from ui.sale import SaleDialog


@pytest.fixture
def main(qapp, qtbot, demo_db, tmp_path, monkeypatch):
    """`main(role, lang)`: that user's main window, signed in on the demo file; every dialog answered."""
    answers = clickkit.install(monkeypatch, tmp_path / "out")
    with main_windows(qapp, qtbot, answers) as open_window:

        def open_as(role: str, lang: str = "en"):
            return open_window(tmp_path / "demo.sqlite", lambda: clickkit.sign_in(role), lang)

        yield open_as


def _press(page, label: str) -> None:
    """The page's action button with this (translated) label."""
    [button] = [b for b, text in page._actions if text() == label]
    assert button.isEnabled() and button.isVisible(), label
    button.click()


def _row_of(page, ident: int) -> int:
    return next(r for r in range(page.model.rowCount()) if page.model.row_id(r) == ident)


def _saved_text(qtbot, parent, answers) -> tuple[str, object]:
    """Print the preview opened under `parent` to a PDF file and save it; the saved PDF's text."""
    preview = clickkit.preview(qtbot, parent)
    preview.print_button.click()
    assert answers.printed and answers.printed[-1].read_bytes().startswith(b"%PDF")
    preview.save_button.click()
    saved = answers.saved[-1].read_bytes()
    assert saved == preview.pdf
    return clickkit.pdf_text(saved), preview


def test_treasurer_sells_prints_the_receipt_and_voids_it(main, qtbot):
    lot = production.create_lot(
        SYSTEM,
        production.LotInput(
            site_id=1,
            mineral_id=1,
            date=date(2026, 1, 5),
            quantity=Decimal("10"),
            grade=Decimal("850"),
            owners=[(1, 6000), (2, 4000)],
        ),
    ).id
    window = main("treasurer")
    window.show()
    page = window.show_area("sales")
    _press(page, _("New sale…"))
    [dlg] = [d for d in page.findChildren(SaleDialog) if d.isVisible()]
    dlg.buyer.setCurrentIndex(1)
    dlg.check_lot(lot)
    dlg.day.setDate(QDate(2026, 1, 6))
    qtbot.keyClicks(dlg.price, "90")
    qtbot.keyClicks(dlg.rate, "2850")
    assert "Net" in dlg.preview.toPlainText()
    expected = sales.compute(dlg.sale_input())
    qtbot.mouseClick(dlg.post_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible(), dlg.error.text()
    sale = Sale.get_by_id(dlg.sale_id)
    assert sale.state == "posted" and sale.net_minor == expected.net_minor
    text, preview = _saved_text(qtbot, page, window.answers)
    locale = reports.make_ctx("en").locale
    assert f"{sale.series}/{sale.receipt_no}" in text
    for minor in (sale.gross_local_minor, sale.levy_minor, sale.net_minor):
        assert clickkit.as_extracted(i18n.format_money(minor, "CDF", locale)) in text
    assert clickkit.as_extracted(i18n.format_money(sale.gross_minor, "USD", locale)) in text
    preview.reject()
    page.view.selectRow(_row_of(page, sale.id))
    _press(page, _("Void…"))
    [void] = [d for d in page.findChildren(VoidDialog) if d.isVisible()]
    assert f"{sale.series}/{sale.receipt_no}" in void.subject.text()
    type_text(void.widgets["reason"], "Wrong buyer")
    void.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not void.isVisible(), void.top_error.text()
    assert Sale.get_by_id(sale.id).state == "voided"
    assert ProductionLot.get_by_id(lot).status == "in_stock"


def test_clerk_registers_a_member_and_a_lot_with_two_owners(main, qtbot):
    window = main("clerk", "fr")  # numbers typed as in the DRC: decimal comma
    window.show()
    members = window.show_area("members")
    before = members.model.rowCount()
    _press(members, _("New member…"))
    [dlg] = [d for d in members.findChildren(dialogs.ServiceDialog) if d.isVisible()]
    dlg.widgets["member_no"].clear()  # (the next free number is proposed)
    qtbot.keyClicks(dlg.widgets["member_no"], "M950")
    type_text(dlg.widgets["full_name"], "Espérance Mwamini")
    dlg.widgets["join_date"].setDate(QDate(2025, 3, 1))
    dlg.widgets["birth_year"].setValue(1990)
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not dlg.isVisible(), (dlg.top_error.text(), [e.text() for e in dlg.errors.values() if e.text()])
    new = Member.get(Member.member_no == "M950")
    assert new.full_name == "Espérance Mwamini" and members.model.rowCount() == before + 1
    lots = window.show_area("lots")
    _press(lots, _("New lot…"))
    [lot_dlg] = [d for d in lots.findChildren(dialogs.LotDialog) if d.isVisible()]
    gold = Mineral.get(Mineral.grade_kind == "fineness")
    lot_dlg.widgets["mineral_id"].setCurrentIndex(lot_dlg.widgets["mineral_id"].findData(gold.id))
    lot_dlg.widgets["date"].setDate(QDate(2026, 1, 5))
    qtbot.keyClicks(lot_dlg.widgets["quantity"], "12,5")
    qtbot.keyClicks(lot_dlg.widgets["grade"], "850")
    for (combo, share), (member, pct) in zip(lot_dlg.owner_rows, [(new.id, 70), (1, 30)], strict=False):
        combo.setCurrentIndex(combo.findData(member))
        share.setValue(pct)
    lot_dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not lot_dlg.isVisible(), [
        e.text() for e in [*lot_dlg.errors.values(), lot_dlg.top_error] if e.text()
    ]
    lot = ProductionLot.get_by_id(lot_dlg.result_id)
    assert lot.qty_milli == 12_500
    owners = {o.member_id: o.share_bp for o in LotOwner.select().where(LotOwner.lot == lot.id)}
    assert owners == {new.id: 7000, 1: 3000}


def test_clerk_imports_a_csv_with_errors_and_sees_each_one(main, qtbot, tmp_path):
    window = main("clerk")
    window.show()
    bad = tmp_path / "members.csv"
    bad.write_text(
        "member_no,full_name,join_date\n,No number,2025-01-01\nM9001,Bad date,31/02/2025\n", encoding="utf-8"
    )
    window.answers.opened_csv = bad
    count = Member.select().count()
    window.import_actions["members"].trigger()  # the import dialog: choose the file, then Import
    dialog = window.import_dialog
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    clickkit.settle(qtbot)
    title, text = msgbox.SHOWN[-1]
    assert "2" in title  # the count of problems
    assert "Row 2" in text and "member_no" in text and "Row 3" in text and "31/02/2025" in text
    assert Member.select().count() == count  # all or nothing


def test_member_reads_their_own_statement(main, qtbot):
    window = main("member")
    window.show()
    page = window.show_area("members")
    actor = window.actor
    me = Member.get_by_id(actor.member_id)
    balance = ledger.member_balance(actor, me.id)
    _press(page, _("Statement…"))
    text, _preview = _saved_text(qtbot, page, window.answers)
    locale = reports.make_ctx("en").locale
    assert me.full_name in text and me.member_no in text
    assert clickkit.as_extracted(i18n.format_money(balance, "CDF", locale)) in text
    others = Member.select().where(Member.id != me.id).limit(20)
    assert not any(m.full_name in text for m in others)


def test_manager_prints_a_quarters_tax_filing(main, qtbot):
    window = main("manager", "fr")
    window.show()
    page = window.show_area("reports")
    page.list.setCurrentRow(
        [page.list.item(i).data(256) for i in range(page.list.count())].index("tax-filing")
    )
    page.period_kind.setCurrentIndex(page.period_kind.findData("quarter"))
    page.year.setValue(2025)
    page.quarter.setCurrentIndex(page.quarter.findData(2))
    page.open_button.click()
    text, _preview = _saved_text(qtbot, page, window.answers)
    start, end = periods.quarter(2025, 2)
    with i18n.language("fr", "fr_CD"):
        named = _("Quarter {quarter} of {year}").format(quarter=2, year=2025)
        due = taxes.summary(window.actor, start, end).due_minor
        assert named in text
        assert i18n.format_date(end, "fr_CD") in text
        assert clickkit.as_extracted(i18n.format_amount(due, "CDF", "fr_CD")) in text
    year_due = taxes.summary(window.actor, *periods.year(2025)).due_minor
    assert clickkit.as_extracted(i18n.format_amount(year_due, "CDF", "fr_CD")) not in text


def test_auditor_verifies_the_books(main, qtbot):
    window = main("auditor")
    window.show()
    action = window.findChild(type(window.quit_action), "action_verify")
    assert action is not None and action.isEnabled()
    action.trigger()
    clickkit.settle(qtbot)
    title, text = msgbox.SHOWN[-1]
    assert title == _("Verification") and text.startswith("OK")
