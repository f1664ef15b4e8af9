"""Every click works on a brand-new cooperative too (no sites, members, lots or sales): each staff role signs in,
opens every page, presses every button and menu action (tests/ui/test_clickthrough.py's robot); every empty list
says what it would hold, its New… / Import… buttons open the same dialog as the list's own buttons, and the
dashboard shows one message per chart instead of empty axes."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from coop import i18n
from coop.permissions import SYSTEM
from coop.services import settings, users
from tests.ui import clickkit, test_clickthrough
from tests.ui.test_clickthrough import BAD_CSV, Robot
from ui.app import apply_language, apply_texts
from ui.dashboard import EMPTY_NOW, DashboardPage
from ui.listview import EMPTY, ListPage
from ui.session import Session

bug_boxes = test_clickthrough.bug_boxes  # the fixture: message boxes showing a traceback
STAFF = ("manager", "treasurer", "clerk", "auditor")  # a member account needs a member in the register
PASSWORD = "Kamituga-ore-2026!"


@pytest.fixture
def new_coop(db, tmp_path):
    """What the first window leaves behind: the cooperative's details and one account per staff role."""
    settings.save(SYSTEM, name="Nouvelle coopérative", currency="CDF", locale="fr_CD", country="CD")
    users.add_user(None, "manager", PASSWORD, "manager")
    boss = users.login("manager", PASSWORD)
    for role in STAFF[1:]:
        users.add_user(boss, role, PASSWORD, role)
    return tmp_path / "coop.sqlite"


def _opened(qtbot, trigger) -> list[tuple[str, str]]:
    """(class, title) of the windows a click opened; they are closed again."""
    before = set(map(id, clickkit.visible_windows()))
    trigger()
    clickkit.settle(qtbot)
    new = [w for w in clickkit.visible_windows() if id(w) not in before]
    seen = [(type(w).__name__, w.windowTitle()) for w in new]
    for w in new:
        w.reject() if isinstance(w, QDialog) else w.close()
    clickkit.settle(qtbot)
    return seen


def check_empty_lists(qtbot, window) -> list[str]:
    """Each empty list shows its own text; its create button opens what the list's first button opens.
    Returns the lists checked."""
    checked = []
    for key in window.areas:
        page = window.show_area(key)
        clickkit.settle(qtbot)
        lists = [page] if isinstance(page, ListPage) else page.findChildren(ListPage)
        for lst in lists:
            if lst.model.rowCount() or not lst.isVisibleTo(window):
                continue
            assert lst.empty.isVisibleTo(window), lst.name
            assert lst.empty.label.text() == i18n._(EMPTY[lst.name]), lst.name
            if lst.empty.create.isVisibleTo(window):
                first = lst._actions[0][0]
                expected = _opened(qtbot, first.click)
                assert expected, f"{lst.name}: {first.text()} opened nothing"
                assert _opened(qtbot, lst.empty.create.click) == expected, lst.name
            if lst.empty.importer.isVisibleTo(window):
                assert lst.empty.importer.isEnabled()
            checked.append(lst.name)
    return checked


@pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("role", STAFF)
def test_every_click_works_on_a_new_cooperative(
    role, lang, qtbot, qapp, new_coop, tmp_path, monkeypatch, bug_boxes
):
    answers = clickkit.install(monkeypatch, tmp_path / "out")
    answers.opened_csv = tmp_path / "members.csv"
    answers.opened_csv.write_text(BAD_CSV, encoding="utf-8")
    session = Session(qapp, new_coop, lang)
    window = session.start(users.login(role, PASSWORD))
    qtbot.addWidget(window)
    robot = Robot(qtbot, window, answers)
    try:
        window.show()
        checked = check_empty_lists(qtbot, window)
        if "dashboard" in window.areas:
            dashboard = window.show_area("dashboard")
            assert isinstance(dashboard, DashboardPage)
            qtbot.waitUntil(lambda: dashboard._shown is not None and not dashboard.pending, timeout=30_000)
            year = dashboard.year.currentData()
            assert dashboard.messages == {k: i18n._(v).format(year=year) for k, v in EMPTY_NOW.items()}
        robot.visit_pages()
        robot.menu_actions(lang)
        clickkit.check_window(window, answers)
    finally:
        robot.modal.stop()
        session.end()
        apply_texts(qapp, "en")
        apply_language(qapp, "en")
    assert not answers.exceptions, answers.exceptions[0]
    assert not bug_boxes, bug_boxes[0]
    assert not answers.problems, answers.problems
    assert {"members", "lots", "sales"} <= set(checked) or role == "auditor" and "members" in checked, checked
    assert len(robot.pressed) > 10, robot.pressed
    assert QApplication.activeModalWidget() is None
