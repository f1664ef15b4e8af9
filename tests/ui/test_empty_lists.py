"""Every list with no rows says what it would hold and offers the action that fills it; a search that hides
every row says so and offers to clear it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from coop import i18n
from coop.permissions import SYSTEM, Actor
from coop.services import settings, tables
from ui import listview
from ui.listview import EMPTY, NO_MATCH, ListPage

# whoever looks at the accounts list is signed in with one; saving the cooperative's details is audited
NEVER_EMPTY = {"users", "audit_log"}


@pytest.fixture
def empty_coop(db):
    settings.save(SYSTEM, name="New Coop", currency="CDF", locale="fr_CD", country="CD")
    return db


def _shown(page: ListPage) -> bool:
    return page.empty.isVisibleTo(page)


@pytest.mark.parametrize("name", sorted(set(tables.SPECS) - NEVER_EMPTY))
def test_an_empty_list_says_what_it_would_hold(qtbot, empty_coop, name):
    page = ListPage(SYSTEM, name)
    qtbot.addWidget(page)
    page.show()
    assert page.model.rowCount() == 0
    assert _shown(page)
    assert page.empty.label.text() == EMPTY[name]
    assert page.empty.geometry() == page.view.viewport().rect()  # over the table, not beside it
    label = page.empty.label
    assert label.height() >= label.heightForWidth(label.width()) > label.fontMetrics().height()  # not cut


def test_every_list_has_its_own_text():
    assert set(tables.SPECS) <= set(EMPTY)
    assert len(set(EMPTY.values())) == len(EMPTY)
    assert all(isinstance(text, str) and text.endswith(".") for text in EMPTY.values())


def test_the_empty_members_list_offers_new_member_and_opens_its_dialog(qtbot, empty_coop):
    from ui import pages

    page = pages.members_page(SYSTEM, None)
    qtbot.addWidget(page)
    page.show()
    assert page.empty.create.isVisibleTo(page)
    assert page.empty.create.text() == "New member…"
    qtbot.mouseClick(page.empty.create, Qt.MouseButton.LeftButton)
    dialogs = [w for w in page.findChildren(QDialog) if w.isVisible()]
    assert [d.windowTitle() for d in dialogs] == ["New member"]
    for d in dialogs:
        d.reject()


def test_a_role_that_cannot_add_sees_the_text_without_the_button(qtbot, empty_coop):
    from ui import pages

    page = pages.members_page(Actor("auditor", "auditor"), None)
    qtbot.addWidget(page)
    page.show()
    assert _shown(page) and not page.empty.create.isVisibleTo(page)
    assert not page.empty.importer.isVisibleTo(page)


def test_the_main_window_offers_the_import_on_an_empty_list(qtbot, empty_coop, monkeypatch):
    from ui.mainwindow import MainWindow

    window = MainWindow(SYSTEM)
    qtbot.addWidget(window)
    window.show()
    asked: list[str] = []
    monkeypatch.setattr(window, "import_csv", lambda kind, path=None: asked.append(kind))
    for key in ("members", "lots", "sales"):
        page = window.show_area(key)
        assert page.empty.importer.isVisibleTo(page), key
        assert page.empty.importer.text() == listview.plain(window.import_actions[key].text())
        qtbot.mouseClick(page.empty.importer, Qt.MouseButton.LeftButton)
    assert asked == ["members", "lots", "sales"]


def test_a_search_that_hides_every_row_says_so_and_clears(qtbot, ctx):
    page = ListPage(SYSTEM, "members")
    qtbot.addWidget(page)
    page.show()
    assert not _shown(page)
    page.search.setText("nobody by this name")
    page.apply_filters()
    assert _shown(page) and page.empty.label.text() == NO_MATCH
    assert page.empty.clear.isVisibleTo(page) and not page.empty.create.isVisibleTo(page)
    qtbot.mouseClick(page.empty.clear, Qt.MouseButton.LeftButton)
    assert page.search.text() == "" and page.model.rowCount() == 4 and not _shown(page)


def test_the_text_follows_a_language_switch(qtbot, empty_coop):
    page = ListPage(SYSTEM, "lots")
    qtbot.addWidget(page)
    with i18n.language(i18n.PSEUDO):  # every string changed: shows the text is looked up again
        page.retranslate()
        pseudo = page.empty.label.text()
    page.retranslate()
    assert page.empty.label.text() == EMPTY["lots"]
    assert pseudo == i18n.pseudo(EMPTY["lots"])
