"""Lists through their widgets: accent-blind search, owners with shares, grade units, remembered columns, widths."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from coop.permissions import SYSTEM, Actor
from coop.services import production, registry
from tests.ui.helpers import type_text
from ui.listview import ListPage

CLERK = Actor("clerk", "clerk")


def _page(qtbot, name: str, width: int = 1000) -> ListPage:
    page = ListPage(CLERK, name)
    qtbot.addWidget(page)
    page.resize(width, 500)
    page.show()
    qtbot.waitExposed(page)
    return page


def _column(page: ListPage, key: str) -> int:
    return [c.key for c in page.model.columns].index(key)


def _names(page: ListPage) -> list[str]:
    col = _column(page, "full_name")
    return [page.model.data(page.model.index(r, col)) for r in range(page.model.rowCount())]


def test_search_ignores_accents_and_case(qtbot, ctx):
    for name in ("Léonie Furaha", "ÉLODIE BAHATI", "Leonard Mwamba"):
        registry.save_member(
            SYSTEM, None, member_no=f"X{len(name)}{name[0]}", full_name=name, join_date=date(2025, 1, 1)
        )
    page = _page(qtbot, "members")
    qtbot.keyClicks(page.search, "Leonie")
    qtbot.waitUntil(lambda: _names(page) == ["Léonie Furaha"])
    page.search.clear()
    type_text(page.search, "élodie")
    qtbot.waitUntil(lambda: _names(page) == ["ÉLODIE BAHATI"])
    page.search.clear()
    type_text(page.search, "léon")  # an accent typed finds the names written without it too
    qtbot.waitUntil(lambda: sorted(_names(page)) == ["Leonard Mwamba", "Léonie Furaha"])
    page.search.clear()
    qtbot.keyClicks(page.search, "50%_")  # LIKE's wildcards are plain characters
    qtbot.waitUntil(lambda: _names(page) == [])


def _lot(ctx, owners, grade: str, mineral: int) -> None:
    production.create_lot(
        SYSTEM,
        production.LotInput(
            site_id=ctx.site,
            mineral_id=mineral,
            date=date(2026, 1, 5),
            quantity="12.5",
            owners=owners,
            grade=grade,
        ),
    )


def test_lots_list_owners_with_shares_and_grades_with_their_unit(qtbot, ctx):
    _lot(ctx, [(ctx.members[0], 6000), (ctx.members[1], 4000)], "916", ctx.gold)
    _lot(ctx, [(ctx.members[2], 10000)], "65.5", ctx.cassiterite)
    page = _page(qtbot, "lots")
    rows = {
        page.model.data(page.model.index(r, _column(page, "mineral"))): r
        for r in range(page.model.rowCount())
    }
    owners = page.model.data(page.model.index(rows["Gold"], _column(page, "owners")))
    assert owners == "M001 60\u00a0%, M002 40\u00a0%"
    assert page.model.data(page.model.index(rows["Gold"], _column(page, "grade"))) == "916,000\u00a0‰"
    assert page.model.data(page.model.index(rows["Cassiterite"], _column(page, "grade"))) == "65,500\u00a0%"


def test_column_widths_and_order_are_remembered_per_list(qtbot, ctx):
    page = _page(qtbot, "members")
    header = page.view.horizontalHeader()
    phone = _column(page, "phone")
    header.resizeSection(phone, 211)
    header.moveSection(header.visualIndex(phone), 0)
    qtbot.waitUntil(lambda: not page._save_timer.isActive())
    page.close()
    again = _page(qtbot, "members")
    header = again.view.horizontalHeader()
    assert header.sectionSize(phone) == 211
    assert header.logicalIndex(0) == phone
    other = _page(qtbot, "sites")  # another list keeps its own columns
    assert other.view.horizontalHeader().logicalIndex(0) == 0


def test_the_name_column_takes_the_spare_width_not_the_last_one(qtbot, ctx):
    page = _page(qtbot, "members", width=1300)
    view, header = page.view, page.view.horizontalHeader()
    name, last = _column(page, "full_name"), len(page.model.columns) - 1
    assert header.sectionSize(name) >= view.sizeHintForColumn(name)  # names are not cut
    assert (
        header.sectionSize(last)
        <= max(view.sizeHintForColumn(last), header.sectionSizeFromContents(last).width()) + 40
    )
    assert header.sectionResizeMode(name) == header.ResizeMode.Stretch


def test_filter_dates_are_typed_and_tab_goes_on(qtbot, ctx):
    page = _page(qtbot, "members")
    page.use_dates.setChecked(True)
    start = page.date_from
    start.setFocus()
    start.selectAll()
    qtbot.keyClicks(start, "02/01/2024")
    assert start.date().toPython() == date(2024, 1, 2)
    qtbot.keyClick(start, Qt.Key.Key_Tab)
    assert page.focusWidget() is page.date_to
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)  # every member joined on 1 January 2024
