"""Through the real widgets: Verify, the ledger and audit-log page with the position, sign out / switch user,
the idle lock, the Help menu (About, user guide, log file), other database files and restore."""

from __future__ import annotations

import shutil
import sys
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from coop.services import demo, payouts, session, users
from coop.services import journal as journal_vocab
from ui import fmt, help, logs, msgbox
from ui import session as ui_session
from ui.none_guard import keep_none_alive

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("en", "fr", "es", "pt", "sw")


@pytest.fixture
def desk(qapp, demo_db):
    """A Session on the demo file; every window it opened is closed afterwards."""
    keep_none_alive()
    fmt.Context.refresh()
    desk = ui_session.Session(qapp, Path(demo_db.database), "en")
    yield desk
    desk.end()
    for widget in QApplication.topLevelWidgets():
        widget.close()
    ui_session.ASK_CONFIRM = None
    session.close_database()


def sign_in(qtbot, login, username: str) -> None:
    assert login is not None and login.isVisible()
    qtbot.keyClicks(login.username, username)
    qtbot.keyClicks(login.password, demo.DEMO_PASSWORD)
    qtbot.mouseClick(login.ok, Qt.MouseButton.LeftButton)


def actor(name: str):
    return users.login(name, demo.DEMO_PASSWORD)


def wait_for_box(qtbot, title: str) -> tuple[str, str]:
    qtbot.waitUntil(lambda: any(t == title for t, _x in msgbox.SHOWN), timeout=20000)
    return [box for box in msgbox.SHOWN if box[0] == title][-1]


# --- 1. auditor: verify, journal, audit log, position ------------------------------------------------------
def test_verify_from_the_tools_menu_says_ok_with_the_chain_head(qtbot, desk):
    window = desk.start(actor("auditor"))
    assert window.verify_action.isEnabled()
    window.verify_action.trigger()
    _title, text = wait_for_box(qtbot, "Verification")
    assert text.startswith("OK: ") and "chain head" in text
    head = text.rsplit(" ", 1)[1].rstrip(".")
    assert len(head) == 16 and int(head, 16) >= 0


def test_verify_button_lists_the_problems(qtbot, desk, demo_db):
    window = desk.start(actor("auditor"))
    page = window.show_area("ledger")
    demo_db.execute_sql("DROP TRIGGER journal_entry_no_update")
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    _title, text = wait_for_box(qtbot, "Verification")
    assert "found 1 problem" in text and "finality trigger missing: journal_entry_no_update" in text


def test_ledger_page_shows_journal_audit_log_and_a_live_position(qtbot, desk):
    window = desk.start(actor("auditor"))
    assert "ledger" in window.areas
    page = window.show_area("ledger")
    journal = page.journal.model
    assert journal.rowCount() > 100
    headers = [journal.headerData(c, Qt.Orientation.Horizontal) for c in range(journal.columnCount())]
    assert headers[:7] == ["Entry", "Date", "Kind", "Source", "Account", "Member", "Amount"]
    kinds = {journal.data(journal.index(r, 2)) for r in range(50)}
    assert kinds and kinds <= set(
        journal_vocab.ENTRY_KINDS.values()
    )  # labels, never a raw kind like book_entry
    log = page.audit_log.model
    log_headers = [log.headerData(c, Qt.Orientation.Horizontal) for c in range(log.columnCount())]
    assert log_headers == ["When", "User", "Action", "Entity", "Id", "Changes"]
    assert log.data(log.index(0, 1)) == "auditor" and log.data(log.index(0, 2)) == "login"
    cash_before = page.position.values["cash"].text()
    owed_before = page.position.values["members_payable"].text()
    rows_before = journal.rowCount()
    # a payout by the treasurer through the one write path: the open page follows the ledger
    from ui.ops import OPS

    member = next(m for m, _l in __import__("coop.services.tables", fromlist=["x"]).choices("members"))
    OPS.run(window, payouts.pay_member, actor("treasurer"), member, Decimal("1"), date.today(), "cash")
    assert page.position.values["cash"].text() != cash_before
    assert page.position.values["members_payable"].text() != owed_before
    assert journal.rowCount() == rows_before + 2


def test_clerk_has_no_ledger_page_and_no_verify(qtbot, desk):
    window = desk.start(actor("clerk"))
    assert "ledger" not in window.areas
    assert not window.verify_action.isEnabled()
    assert not window.restore_action.isEnabled()


# --- 2. shared laptop ------------------------------------------------------------------------------------
def test_sign_out_and_the_next_user_lands_on_their_own_page(qtbot, desk):
    window = desk.start(actor("manager"))
    window.show_area("sales")
    window.sign_out_action.trigger()
    assert not window.isVisible() and desk.window is None
    sign_in(qtbot, desk.login, "clerk")
    clerk_window = desk.window
    assert clerk_window is not None and clerk_window.actor.username == "clerk"
    assert clerk_window.stack.currentWidget() is clerk_window.pages["dashboard"]
    clerk_window.sign_out_action.trigger()
    sign_in(qtbot, desk.login, "manager")
    assert desk.window.stack.currentWidget() is desk.window.pages["sales"]


def test_idle_lock_hides_the_window_and_the_same_user_continues(qtbot, desk):
    desk.idle.interval_ms = 150
    window = desk.start(actor("treasurer"))
    window.show_area("payouts")
    qtbot.waitUntil(lambda: desk.locked, timeout=5000)
    assert not window.isVisible() and desk.login.isVisible()
    sign_in(qtbot, desk.login, "treasurer")
    assert desk.window is window and window.isVisible() and not desk.locked
    assert window.stack.currentWidget() is window.pages["payouts"]


def test_idle_lock_another_user_starts_fresh(qtbot, desk):
    desk.idle.interval_ms = 150
    window = desk.start(actor("treasurer"))
    window.show_area("payouts")
    qtbot.waitUntil(lambda: desk.locked, timeout=5000)
    sign_in(qtbot, desk.login, "auditor")
    assert desk.window is not window and desk.window.actor.username == "auditor"
    assert desk.window.stack.currentWidget() is desk.window.pages["dashboard"]
    assert not window.isVisible()


def test_input_postpones_the_lock_and_the_setting_defaults_to_ten_minutes(qtbot, desk):
    assert ui_session.idle_minutes() == 10
    QSettings().setValue("last_view/clerk", "sites")  # a light page: no chart drawing stalls the event loop
    window = desk.start(actor("clerk"))
    assert desk.idle.timer.interval() == 10 * 60_000
    window.set_idle_minutes(3)
    assert QSettings().value(ui_session.IDLE_KEY) in (3, "3")
    assert desk.idle.timer.interval() == 3 * 60_000 and desk.idle.timer.isActive()
    desk.idle.interval_ms = 600
    desk.idle.start()
    for _round in range(10):  # input every 100 ms keeps the window unlocked past the idle time
        qtbot.wait(100)
        qtbot.mouseMove(window.nav)
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert not desk.locked
    qtbot.waitUntil(lambda: desk.locked, timeout=5000)
    window.set_idle_minutes(5)
    assert not desk.idle.timer.isActive()  # locked: the watch starts again at the next sign-in
    desk.idle.interval_ms = None
    sign_in(qtbot, desk.login, "clerk")
    assert desk.idle.timer.interval() == 5 * 60_000 and desk.idle.timer.isActive()
    window.set_idle_minutes(0)
    assert not desk.idle.timer.isActive()


def test_lock_now_action(qtbot, desk):
    window = desk.start(actor("clerk"))
    window.lock_action.trigger()
    assert desk.locked and not window.isVisible()


# --- 3. help --------------------------------------------------------------------------------------------
def test_about_names_version_licences_and_database(qtbot, desk):
    window = desk.start(actor("member"))
    window.about_action.trigger()
    title, text = msgbox.SHOWN[-1]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert title == "About CoopLedger"
    assert f"CoopLedger {version}" in text and "GPL-3.0-or-later" in text and "LGPL" in text
    import PySide6

    assert PySide6.__version__ in text and str(desk.path) in text
    assert __import__("coop").__version__ == version


@pytest.mark.parametrize("lang", LANGS)
def test_the_user_guide_exists_in_each_language_and_covers_the_topics(lang):
    text = (ROOT / "docs" / "guide" / f"{lang}.md").read_text(encoding="utf-8")
    assert text.count("\n## ") == 6 and len(text) < 6000


def test_f1_opens_the_guide_in_the_interface_language(qtbot, desk):
    window = desk.start(actor("clerk"))
    window.language_changed.emit("fr")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.nav, Qt.Key.Key_F1)
    guide = window.findChild(help.GuideDialog)
    assert guide is not None and guide.isVisible()
    assert "Enregistrer une vente" in guide.browser.toPlainText()
    window.language_changed.emit("en")


def test_the_bundle_and_pip_install_ship_the_guide():
    spec = (ROOT / "installer" / "coopledger.spec").read_text()
    assert 'ROOT.glob("docs/guide/*.md")' in spec and '"docs/guide"' in spec
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "docs/guide/*.md" in pyproject["tool"]["setuptools"]["data-files"]["share/coopledger/guide"]
    assert Path(sys.prefix) / "share" / "coopledger" / "guide" in help.guide_folders()


def test_log_file_and_the_error_dialog_points_to_it(qtbot, tmp_path):
    from ui.app import install_excepthook

    path = logs.setup(tmp_path / "data")
    assert path == tmp_path / "data" / "coopledger.log" and logs.log_path() == path
    previous = sys.excepthook
    install_excepthook()
    try:
        try:
            raise RuntimeError("boom in a slot")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    title, text = msgbox.SHOWN[-1]
    assert title == "Unexpected error" and str(path) in text
    for handler in __import__("logging").getLogger().handlers:
        handler.flush()
    assert "boom in a slot" in path.read_text(encoding="utf-8")
    assert (tmp_path / "data" / "coopledger-crash.log").exists()


# --- 4. other files, restore ---------------------------------------------------------------------------
def test_open_another_database_asks_the_sign_in_there_and_is_remembered(qtbot, desk, tmp_path):
    other = tmp_path / "other" / "second.sqlite"
    other.parent.mkdir()
    shutil.copyfile(desk.path, other)
    window = desk.start(actor("manager"))
    window.open_database(str(other))
    assert desk.path == other.resolve() and session.database_path() == str(other.resolve())
    assert not window.isVisible()
    sign_in(qtbot, desk.login, "clerk")
    assert desk.window.actor.username == "clerk"
    assert ui_session.recent_databases()[0] == str(other.resolve())
    desk.window.recent_menu.aboutToShow.emit()
    recent = [a for a in desk.window.recent_menu.actions() if a.objectName() == "action_recent"]
    assert [a.text() for a in recent] == [str(other.resolve())]


def test_a_file_that_cannot_be_opened_keeps_the_current_one(qtbot, desk, tmp_path):
    bad = tmp_path / "not-a-db.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    window = desk.start(actor("manager"))
    before = session.database_path()
    window.open_database(str(bad))
    assert msgbox.SHOWN[-1][0] == "Cannot open this file"
    assert session.database_path() == before and window.isVisible() and desk.window is window
    assert window.page("members") is not None  # the file in place still answers


def test_restore_a_backup_after_confirmation_then_sign_in_again(qtbot, desk, tmp_path):
    from coop.services import backup, registry, tables

    manager = actor("manager")
    copy = backup.back_up(manager, tmp_path / "copy.sqlite")
    registry.save_member(
        manager,
        None,
        member_no="X-9999",
        full_name="Added After Backup",
        sex="F",
        role="digger",
        join_date=date.today(),
        status="active",
    )
    assert any(label.startswith("X-9999") for _i, label in tables.choices("members"))
    window = desk.start(manager)
    asked: list[str] = []
    ui_session.ASK_CONFIRM = lambda title, text: asked.append(text) or False
    window.restore_backup(str(copy))
    assert asked and str(copy) in asked[0] and "kept aside" in asked[0] and window.isVisible()
    ui_session.ASK_CONFIRM = lambda title, text: True
    window.restore_backup(str(copy))
    assert not window.isVisible() and desk.login.isVisible()
    assert msgbox.SHOWN[-1][0] == "Restore a backup" and "kept as" in msgbox.SHOWN[-1][1]
    assert not any(label.startswith("X-9999") for _i, label in tables.choices("members"))
    assert list(desk.path.parent.glob("demo.before-restore-*.sqlite"))
    sign_in(qtbot, desk.login, "manager")
    assert desk.window.actor.username == "manager"


def test_restore_is_for_managers_only(qtbot, desk, tmp_path):
    from coop.errors import PermissionDenied

    window = desk.start(actor("treasurer"))
    assert not window.restore_action.isEnabled()
    with pytest.raises(PermissionDenied):
        session.restore(actor("treasurer"), tmp_path / "x.sqlite")
    assert session.database_path() == str(desk.path)


APP_SCRIPT = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import ui.app
from ui import msgbox
from ui.login import LoginDialog
msgbox.SUPPRESS = True
seen = {}

def login_window():
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible())

def sign_in(then):
    dlg = login_window()
    dlg.username.setText("boss")
    dlg.password.setText("long-enough-password")
    dlg.ok.click()
    QTimer.singleShot(50, then)

def signed_in():
    from ui.mainwindow import MainWindow
    from ui import logs
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    seen["windows"] = len(windows)
    seen["log"] = str(logs.log_path())
    windows[0].sign_out_action.trigger()
    QTimer.singleShot(50, lambda: sign_in(again))

def again():
    from ui.mainwindow import MainWindow
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    seen["after_sign_out"] = [w.actor.username for w in windows]
    windows[0].quit_action.trigger()

real_make_app = ui.app.make_app

def make_app(argv):
    app = real_make_app(argv)
    QTimer.singleShot(300, lambda: sign_in(signed_in))  # runs in the sign-in window's event loop
    return app

ui.app.make_app = make_app
code = ui.app.run_app(sys.argv[1:])
print("SEEN", json.dumps(seen))
sys.exit(code)
"""


def test_the_app_signs_in_logs_beside_the_file_signs_out_and_quits(db, tmp_path):
    import json
    import os
    import subprocess

    from coop.permissions import SYSTEM
    from coop.services import settings

    settings.save(SYSTEM, name="Startup Coop", currency="CDF", locale="fr_CD")
    users.add_user(None, "boss", "long-enough-password", "manager")
    db.close()
    folder = Path(db.database).parent
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", APP_SCRIPT, "--db", db.database, "--lang", "en"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.split("SEEN ", 1)[1])
    assert seen == {"windows": 1, "log": str(folder / "coopledger.log"), "after_sign_out": ["boss"]}
    assert "log opened" in (folder / "coopledger.log").read_text(encoding="utf-8")
