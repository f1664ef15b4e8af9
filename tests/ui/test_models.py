"""The generic list model: qtmodeltester on every list, paging, sorting, filters, totals, CSV export."""

from __future__ import annotations

import csv
import os
import resource
import time
from datetime import date

import pytest
from PySide6.QtCore import Qt

from coop.models import ProductionLot, database
from coop.permissions import SYSTEM
from coop.services import demo, tables, users
from ui import fmt
from ui.listview import ListPage
from ui.tablemodel import PAGE, ListModel


@pytest.mark.parametrize("name", sorted(tables.SPECS))
# Qt's C++ QAbstractItemModelTester (pytest-qt's default), not force_py=True: PySide6 6.12 hands Python
# an invalid QVariant as None without a reference, and the pure-Python tester's thousands of index.data()
# calls drained None/True until the interpreter aborted at exit ("bool_dealloc"). The C++ tester runs the
# same checks without crossing into Python; its warnings fail the test (qt_log_level_fail = WARNING).
def test_every_list_model_passes_qtmodeltester(qtmodeltester, demo_db, name):
    fmt.Context.refresh()
    model = ListModel(SYSTEM, name)
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    model.sort(len(model.columns) - 1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


@pytest.mark.parametrize("name", ["members", "lots", "sales", "my_sales", "payouts"])
def test_member_scoped_models_pass_qtmodeltester(qtmodeltester, demo_db, name):
    fmt.Context.refresh()
    member = users.login("member", demo.DEMO_PASSWORD)
    model = ListModel(member, name)
    assert 0 < model.rowCount() < tables.count(SYSTEM, name, tables.Query())
    qtmodeltester.check(model)


def test_paging_loads_only_visited_pages(demo_db):
    fmt.Context.refresh()
    model = ListModel(SYSTEM, "payouts")
    assert model.rowCount() > 2 * PAGE
    assert model.cached_pages() == 0
    model.data(model.index(0, 0))
    model.data(model.index(model.rowCount() - 1, 0))
    assert model.cached_pages() == 2


def test_sort_filter_totals_and_export(qtbot, demo_db, tmp_path):
    fmt.Context.refresh()
    page = ListPage(SYSTEM, "sales")
    qtbot.addWidget(page)
    gross_col = [c.key for c in page.model.columns].index("gross_local")
    page.model.sort(gross_col, Qt.SortOrder.DescendingOrder)
    first, second = page.model.raw(0)["gross_local"], page.model.raw(1)["gross_local"]
    assert first >= second
    page.state.setCurrentIndex(page.state.findData("posted"))
    page.use_dates.setChecked(True)
    page.date_from.setDate(date(2025, 3, 1))
    page.date_to.setDate(date(2025, 3, 31))
    n = page.model.rowCount()
    assert 0 < n < 78
    expected = sum(
        s
        for (s,) in database.execute_sql(
            "SELECT gross_local_minor FROM sale WHERE state='posted' AND date BETWEEN '2025-03-01' AND '2025-03-31'"
        ).fetchall()
    )
    assert page.model.totals["gross_local"] == expected
    qtbot.waitUntil(lambda: fmt.amount_text(expected) in page.totals_label.text())
    out = tmp_path / "sales.csv"
    assert page.export_csv(str(out)) == n
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Receipt" and len(rows) == n + 1


def test_search_box_filters(qtbot, demo_db):
    fmt.Context.refresh()
    page = ListPage(SYSTEM, "members")
    qtbot.addWidget(page)
    name = page.model.raw(0)["full_name"]
    page.search.setText(name)
    qtbot.waitUntil(lambda: page.model.rowCount() < 120)
    assert all(name in page.model.raw(r)["full_name"] for r in range(page.model.rowCount()))


def _many_lots(count: int) -> None:
    """Bulk lots with executemany (peewee insert_many is much slower for a million rows)."""
    site = database.execute_sql("SELECT id FROM site LIMIT 1").fetchone()[0]
    mineral = database.execute_sql("SELECT id FROM mineral LIMIT 1").fetchone()[0]
    cur = database.cursor()
    with database.atomic():
        cur.executemany(
            "INSERT INTO production_lot (reference, date, site_id, mineral_id, qty_milli, grade_milli,"
            " mercury_milli, retort_used, notes, status) VALUES (?, ?, ?, ?, ?, 0, 0, 0, '', 'in_stock')",
            (
                (
                    f"BULK-{i:07d}",
                    f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    site,
                    mineral,
                    1000 + i % 5000,
                )
                for i in range(count)
            ),
        )


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("COOP_SLOW"), reason="1M-row benchmark: set COOP_SLOW=1")
def test_million_lots_open_fast_and_jump_to_end(qtbot, demo_db):
    """1,000,000 lots: first page < 100 ms, last row < 200 ms, < 50 MB growth (run with -m slow)."""
    fmt.Context.refresh()
    _many_lots(1_000_000 - ProductionLot.select().count())
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    model = ListModel(SYSTEM, "lots")
    model.data(model.index(0, 0))
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    model.data(model.index(model.rowCount() - 1, 0))
    last = time.perf_counter() - t0
    growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
    print(f"first page {first * 1000:.0f} ms, last row {last * 1000:.0f} ms, growth {growth_mb:.1f} MB")
    assert model.rowCount() == 1_000_000
    assert first < 0.1 and last < 0.2 and growth_mb < 50


def test_lot_quantity_total_only_within_one_mineral(qtbot, demo_db):
    fmt.Context.refresh()
    page = ListPage(SYSTEM, "lots")
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: "Mercury" in page.totals_label.text())
    assert "Quantity" not in page.totals_label.text()  # grams and kilograms are not added together
    page.mineral.setCurrentIndex(page.mineral.findText("Gold"))
    qtbot.waitUntil(lambda: "Quantity" in page.totals_label.text())
    assert "\u00a0g" in page.totals_label.text()


@pytest.mark.parametrize("name", sorted(tables.SPECS))
def test_no_stray_widgets_outside_the_layout(qtbot, demo_db, name):
    """Every visible child of a list page sits in its layout (no widget left floating at 0,0)."""
    from PySide6.QtWidgets import QWidget

    fmt.Context.refresh()
    page = ListPage(SYSTEM, name)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    laid_out = set()
    stack = [page.layout()]
    while stack:
        lay = stack.pop()
        for i in range(lay.count()):
            item = lay.itemAt(i)
            if item.widget() is not None:
                laid_out.add(item.widget())
            elif item.layout() is not None:
                stack.append(item.layout())
    direct = [w for w in page.findChildren(QWidget) if w.parentWidget() is page and not w.isWindow()]
    stray = [w for w in direct if w.isVisible() and w not in laid_out]
    assert stray == []
