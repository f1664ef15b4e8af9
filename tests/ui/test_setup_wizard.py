"""The first window of a new file, clicked as a new user would: set up a Congolese, a Bolivian and a Tanzanian
cooperative through the setup window (stored currency, formats, presets, minerals), wrong input refused with a
message on its page, and the demo opened in its own file beside the real one."""

from __future__ import annotations

import gettext
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from coop import i18n
from coop.services import session, settings, setup, users
from tests.ui import clickkit
from tests.ui.helpers import type_text
from ui import msgbox
from ui.checklist import ChecklistPage
from ui.login import LoginDialog
from ui.setup import SetupWizard

PASSWORD = "Kamituga-ledger-2026!"


class _Catalogue(gettext.NullTranslations):
    """A stand-in catalogue for one language: the names the setup stores, whatever the shipped .po holds."""

    def __init__(self, table: dict[str, str]) -> None:
        super().__init__()
        self.table = table

    def gettext(self, message: str) -> str:
        return self.table.get(message, message)


SPANISH = {"Gold": "Oro", "Silver": "Plata", "Mining royalty": "Regalía minera"}


@pytest.fixture
def new_file(tmp_path, monkeypatch):
    """A brand-new database file, opened as the start-up opens it; the file dialogs and screen answered."""
    answers = clickkit.install(monkeypatch, tmp_path / "answers")
    path = tmp_path / "data" / "coopledger.sqlite"
    path.parent.mkdir()
    handle = session.open_file(path)
    yield path, answers
    handle.close()
    session.close_database()


def _wizard(qtbot) -> tuple[LoginDialog, SetupWizard]:
    login = LoginDialog()
    qtbot.addWidget(login)
    login.show()
    assert login.setup_button.isVisible() and login.demo_button.isVisible()
    assert not login.username.isVisible() and not login.password.isVisible()
    qtbot.mouseClick(login.setup_button, Qt.MouseButton.LeftButton)
    wizard = login.wizard
    qtbot.waitUntil(wizard.isVisible)
    return login, wizard


def _pick(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def _next(qtbot, wizard: SetupWizard) -> None:
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)


def _fill_details(qtbot, wizard: SetupWizard, name: str, levy: str) -> None:
    type_text(wizard.name, name)
    qtbot.keyClicks(wizard.registration_no, "RC-2026-0457")
    qtbot.keyClicks(wizard.tax_id, "A1901234X")
    qtbot.keyClicks(wizard.address, "Main road 12")
    wizard.levy.clear()
    qtbot.keyClicks(wizard.levy, levy)


def _fill_account(qtbot, wizard: SetupWizard, password: str = PASSWORD, again: str = PASSWORD) -> None:
    wizard.username.clear()
    qtbot.keyClicks(wizard.username, "amina")
    qtbot.keyClicks(wizard.password, password)
    qtbot.keyClicks(wizard.confirm, again)


def _stored(path: Path) -> tuple[tuple, list, list]:
    conn = sqlite3.connect(path)
    try:
        coop = conn.execute(
            "SELECT country, currency, locale, fiscal_year_start, levy_bp, name, tax_id FROM cooperative"
        ).fetchone()
        minerals = conn.execute("SELECT name, unit, hs_code FROM mineral ORDER BY id").fetchall()
        rules = conn.execute(
            "SELECT t.name, t.rate_bp, m.hs_code, t.note FROM tax_rule t LEFT JOIN mineral m ON m.id = t.mineral_id"
            " ORDER BY t.id"
        ).fetchall()
    finally:
        conn.close()
    return coop, minerals, rules


def test_a_congolese_cooperative_from_the_first_window(qtbot, new_file):
    path, answers = new_file
    login, wizard = _wizard(qtbot)
    clickkit.check_window(wizard, answers)
    _pick(wizard.country, "CD")
    assert (
        wizard.currency.currentText() == "Franc congolais (CDF)" or "(CDF)" in wizard.currency.currentText()
    )
    assert wizard.currency.currentData() == "CDF" and wizard.locale.currentData() == "fr_CD"
    assert wizard.locale.currentText() == "French (DRC)"  # readable, in the interface language
    assert wizard.language.currentData() == "fr"
    assert "DGRAD" in wizard.presets_info.text() and "check" in wizard.presets_info.text()
    _next(qtbot, wizard)
    _fill_details(qtbot, wizard, "Coopérative Minière de Kamituga", "5")
    _next(qtbot, wizard)
    assert wizard.pages.currentIndex() == 2, wizard.error.text()
    _fill_account(qtbot, wizard)
    qtbot.mouseClick(wizard.finish, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible() and login.result() == LoginDialog.DialogCode.Accepted
    assert login.actor is not None and login.actor.role == "manager"
    assert users.preferred_locale(login.actor) == "fr"  # the manager's interface language
    coop, minerals, rules = _stored(path)
    assert coop == ("CD", "CDF", "fr_CD", 1, 500, "Coopérative Minière de Kamituga", "A1901234X")
    hs = {m[2] for m in minerals}
    assert {"7108.12", "2609.00", "2615.90", "2605.00"} <= hs  # gold, cassiterite, coltan, cobalt
    assert {(r[1], r[2]) for r in rules} == {
        (350, None),
        (1000, "2605.00"),
    }  # cobalt's rule found its mineral
    assert all(
        r[3].endswith("auprès de votre autorité.") for r in rules
    )  # "check with your authority", in French
    assert not answers.problems and not answers.exceptions


def test_a_bolivian_cooperative_gets_its_gold_royalty_named_in_spanish(qtbot, new_file, monkeypatch):
    path, answers = new_file
    monkeypatch.setitem(i18n._cache, "es", _Catalogue(SPANISH))  # English interface, Spanish records
    login, wizard = _wizard(qtbot)
    _pick(wizard.country, "BO")
    assert (wizard.currency.currentData(), wizard.locale.currentData()) == ("BOB", "es_BO")
    assert wizard.fiscal_year_start.currentData() == 10  # mining companies close on 30 September
    assert wizard.locale.currentText() == "Spanish (Bolivia)"
    _next(qtbot, wizard)
    _fill_details(qtbot, wizard, "Cooperativa Minera Aurífera Huayna Potosí", "2,5")  # es_BO decimal comma
    _next(qtbot, wizard)
    _fill_account(qtbot, wizard)
    qtbot.mouseClick(wizard.finish, Qt.MouseButton.LeftButton)
    assert login.actor is not None, wizard.error.text()
    coop, minerals, rules = _stored(path)
    assert coop[:5] == ("BO", "BOB", "es_BO", 10, 250)
    assert ("Oro", "g", "7108.12") in minerals and ("Plata", "g", "7106.91") in minerals
    assert [(r[0], r[1], r[2]) for r in rules] == [
        ("Regalía minera", 250, "7108.12")
    ]  # gold found: not skipped


def test_a_tanzanian_cooperative_with_its_currency_changed(qtbot, new_file):
    path, answers = new_file
    login, wizard = _wizard(qtbot)
    _pick(wizard.country, "TZ")
    assert (wizard.currency.currentData(), wizard.locale.currentData()) == ("TZS", "sw_TZ")
    assert wizard.language.currentData() == "sw"
    _pick(wizard.language, "en")  # overrides of the country's proposals are kept
    _pick(wizard.currency, "USD")
    assert wizard.currency.currentText() == "US Dollar (USD)"
    _next(qtbot, wizard)
    _fill_details(qtbot, wizard, "Geita Small Miners Cooperative", "3")
    _next(qtbot, wizard)
    _fill_account(qtbot, wizard)
    qtbot.mouseClick(wizard.finish, Qt.MouseButton.LeftButton)
    assert login.actor is not None, wizard.error.text()
    coop, minerals, rules = _stored(path)
    assert coop[:5] == ("TZ", "USD", "sw_TZ", 1, 300)
    assert [r[0] for r in minerals][0] == "Gold"  # English chosen: names in English
    assert sorted((r[0], r[1], r[2]) for r in rules) == [
        ("Inspection fee", 100, None),
        ("Royalty", 400, "7108.12"),
        ("Royalty", 600, None),
    ]


def test_wrong_input_is_refused_on_its_page_and_nothing_is_written(qtbot, new_file):
    path, answers = new_file
    login, wizard = _wizard(qtbot)
    _pick(wizard.country, "CD")
    _next(qtbot, wizard)
    _next(qtbot, wizard)  # no name
    assert wizard.pages.currentIndex() == 1 and "needs a name" in wizard.error.text()
    assert wizard.focusWidget() is wizard.name
    _fill_details(qtbot, wizard, "Coop", "60")
    _next(qtbot, wizard)
    assert wizard.pages.currentIndex() == 1 and "between 0% and 50%" in wizard.error.text()
    wizard.levy.clear()
    qtbot.keyClicks(wizard.levy, "2,125")  # fr_CD: more decimals than a rate keeps (never rounded)
    _next(qtbot, wizard)
    assert "too many decimals" in wizard.error.text()
    wizard.levy.clear()
    qtbot.keyClicks(wizard.levy, "5")
    _next(qtbot, wizard)
    _fill_account(qtbot, wizard, again="something-else-2026")
    qtbot.mouseClick(wizard.finish, Qt.MouseButton.LeftButton)
    assert wizard.isVisible() and "differ" in wizard.error.text()
    wizard.password.clear()
    wizard.confirm.clear()
    _fill_account(qtbot, wizard, password="password", again="password")
    qtbot.mouseClick(wizard.finish, Qt.MouseButton.LeftButton)
    assert wizard.isVisible() and "at least 10 characters" in wizard.error.text()
    assert users.count_users() == 0 and settings.current() is None  # refused whole: no half-made file
    wizard.password.clear()
    wizard.confirm.clear()
    _fill_account(qtbot, wizard)
    qtbot.mouseClick(wizard.finish, Qt.MouseButton.LeftButton)
    assert login.actor is not None and settings.get().name == "Coop"


def test_the_demo_opens_in_its_own_file_beside_the_real_one(qtbot, new_file):
    path, answers = new_file
    login = LoginDialog()
    qtbot.addWidget(login)
    login.show()
    qtbot.mouseClick(login.demo_button, Qt.MouseButton.LeftButton)
    clickkit.settle(qtbot)
    demo_file = path.parent / "demo.coopledger"
    assert login.opened_path == str(demo_file) and demo_file.is_file()
    assert session.database_path() == str(demo_file)
    conn = sqlite3.connect(path)  # the real file: still without a cooperative, members or accounts
    try:
        assert conn.execute("SELECT COUNT(*) FROM cooperative").fetchone() == (0,)
        assert conn.execute("SELECT COUNT(*) FROM member").fetchone() == (0,)
        assert conn.execute('SELECT COUNT(*) FROM "user"').fetchone() == (0,)
    finally:
        conn.close()
    assert login.username.isVisible() and login.username.text() == "manager", (
        login.intro.text(),
        answers.exceptions,
        __import__("ui.msgbox").msgbox.SHOWN,
    )
    assert not login.setup_button.isVisible()
    from coop.services import demo

    qtbot.keyClicks(login.password, demo.DEMO_PASSWORD)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    assert login.actor is not None and login.actor.username == "manager", login.error.text()
    assert "demo.coopledger" in str(login.opened_path)
    assert not answers.exceptions


# --- the checklist of a new cooperative ---------------------------------------------------------------


@pytest.fixture
def new_coop(new_file, qapp):
    """A cooperative just set up (as the window does) and its manager's main window."""
    from ui.app import open_main

    path, answers = new_file
    made = setup.first_run(
        "amina", PASSWORD, PASSWORD, country="CD", name="Coopérative de Kamituga", levy_bp=500
    )
    window = open_main(qapp, made.actor, "en")
    window.show()
    yield window, answers, path
    window.close()


def _save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)  # Save (the default button)


def test_the_checklist_is_the_first_page_and_each_item_opens_its_dialog_and_ticks(qtbot, new_coop, tmp_path):
    window, answers, path = new_coop
    assert window.areas[0] == "start" and window.nav.item(0).text() == "Getting started"
    page = window.stack.currentWidget()
    assert isinstance(page, ChecklistPage)
    clickkit.check_window(window, answers)
    assert [page.done(k) for k in ("sites", "buyers", "members", "accounts", "opening")] == [False] * 5

    qtbot.mouseClick(page.rows["sites"][2], Qt.MouseButton.LeftButton)
    site = page.dialog
    assert site.isVisible() and site.windowTitle() == "New site"
    qtbot.keyClicks(site.widgets["code"], "KAM")
    qtbot.keyClicks(site.widgets["name"], "Kamituga")
    _save(qtbot, site)
    assert not site.isVisible() and page.done("sites") and "Mine sites: 1" in page.rows["sites"][1].text()

    qtbot.mouseClick(page.rows["buyers"][2], Qt.MouseButton.LeftButton)
    buyer = page.dialog
    assert buyer.windowTitle() == "New buyer"
    qtbot.keyClicks(buyer.widgets["name"], "Comptoir Muungano")
    _save(qtbot, buyer)
    assert page.done("buyers") and not page.done("members")

    register = tmp_path / "register.csv"
    register.write_text(
        "member_no,full_name,join_date,site_code\nM0001,Neema Bisimwa,2024-03-01,KAM\n", encoding="utf-8"
    )
    qtbot.mouseClick(page.rows["members"][2], Qt.MouseButton.LeftButton)  # the import of the register
    importing = window.import_dialog
    assert importing.isVisible() and importing.kind == "members"
    importing.choose(str(register))
    qtbot.mouseClick(importing.import_button, Qt.MouseButton.LeftButton)
    clickkit.settle(qtbot)
    assert page.done("members"), msgbox.SHOWN

    qtbot.mouseClick(page.rows["accounts"][2], Qt.MouseButton.LeftButton)
    account = page.dialog
    assert account.windowTitle() == "New user"
    qtbot.keyClicks(account.widgets["username"], "treasurer")
    qtbot.keyClicks(account.widgets["password"], "Treasurer-of-Kamituga-26")
    role = account.widgets["role"]
    role.setCurrentIndex(role.findData("treasurer"))
    _save(qtbot, account)
    assert page.done("accounts") and not page.done("opening")
    assert setup.progress(window.actor).started

    answers.opened_csv = tmp_path / "opening.csv"
    answers.opened_csv.write_text("account,debit,credit\n5711,250000,\n", encoding="utf-8")  # cash in hand
    qtbot.mouseClick(page.rows["opening"][2], Qt.MouseButton.LeftButton)
    assert page.done("opening"), msgbox.SHOWN
    assert not answers.exceptions and not answers.problems


def test_the_checklist_can_be_dismissed_and_an_older_cooperative_never_sees_it(qtbot, new_coop, qapp):
    from ui.app import open_main

    window, answers, path = new_coop
    page = window.page("start")
    qtbot.mouseClick(page.dismiss_button, Qt.MouseButton.LeftButton)
    assert "start" not in window.areas and window.nav.count() == len(window.areas)
    assert window.areas[window.nav.currentRow()] == "dashboard"
    again = open_main(qapp, window.actor, "en")  # the next start: not shown again for this file
    assert "start" not in again.areas
    again.close()
