"""The dashboard of a cooperative with nothing recorded says so per chart instead of drawing empty axes; axes
never show float artefacts and are labelled in the user's locale with compact units; month labels never
overlap, also at 1280 and 1366 pixels wide."""

from __future__ import annotations

from datetime import date

import pytest

from coop.permissions import SYSTEM
from coop.services import dashboard, settings
from ui import fmt
from ui.dashboard import DashboardPage


def _page(qtbot, width: int = 1366, height: int = 700) -> DashboardPage:
    fmt.Context.refresh()
    page = DashboardPage(SYSTEM)
    qtbot.addWidget(page)
    page.resize(width, height)
    page.show()
    qtbot.waitUntil(lambda: page._shown is not None and not page.pending, timeout=30_000)
    page.canvas.draw()
    return page


def _tick_texts(ax, axis: str = "y") -> list[str]:
    return [t.get_text() for t in getattr(ax, f"get_{axis}ticklabels")() if t.get_visible() and t.get_text()]


def test_an_empty_cooperative_shows_a_message_per_chart_and_no_axes(qtbot, db):
    settings.save(SYSTEM, name="New Coop", currency="CDF", locale="fr_CD", country="CD")
    page = _page(qtbot)
    year = date.today().year
    assert page.messages == {
        "production": f"No production recorded in {year} yet.",
        "sales": f"No sales recorded in {year} yet.",
        "taxes": f"No tax due or paid in {year} yet.",
        "incidents": f"No incidents recorded in {year} yet.",
        "mercury": f"No mercury or gold recorded in {year} yet.",
    }
    shown = [" ".join(t.get_text().split()) for ax in page.figure.axes for t in ax.texts]
    assert sorted(shown) == sorted(page.messages.values())
    assert not any(ax.axison for ax in page.figure.axes if ax.get_visible())  # no 0.04000000000000001 axes


def test_a_past_year_without_figures_says_so_without_yet(qtbot, db):
    settings.save(SYSTEM, name="New Coop", currency="CDF", locale="fr_CD", country="CD")
    page = _page(qtbot)
    page.year.setCurrentIndex(page.year.count() - 1)
    past = page.year.currentData()
    assert past < date.today().year
    qtbot.waitUntil(lambda: not page.pending and str(past) in page.messages.get("sales", ""), timeout=30_000)
    assert page.messages["sales"] == f"No sales recorded in {past}."


@pytest.mark.parametrize("width", [1280, 1366])
def test_axes_have_clean_locale_labels_and_month_labels_do_not_overlap(qtbot, ctx, width):
    for month in range(1, 13):  # a lot and a sale every month of the year, small and large amounts
        lot = ctx.lot(qty=str(month * 7), day=date(2025, month, 3))
        ctx.sell([lot], price=str(month * 3), day=date(2025, month, 4))
    page = _page(qtbot, width)
    assert page.year.currentData() == 2025
    assert page.messages.get("production") is None
    renderer = page.canvas.get_renderer()
    for ax in page.figure.axes:
        if not ax.get_visible() or not ax.axison:
            continue
        for label in _tick_texts(ax, "y") + _tick_texts(ax, "x"):
            assert "000000" not in label and "e+" not in label and "99999" not in label, label
        boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
        for left, right in zip(boxes, boxes[1:], strict=False):
            assert left.x1 < right.x0, (ax.get_title(), [t.get_text() for t in ax.get_xticklabels()])


@pytest.mark.parametrize(
    ("ticks", "locale", "expected"),
    [
        ([0, 0.02, 0.04000000000000001, 0.06], "en", ["0", "0.02", "0.04", "0.06"]),
        ([-0.019999999999999997, 0, 0.02], "fr_CD", ["-0,02", "0", "0,02"]),
        ([0, 500, 1000, 1500], "sw_TZ", ["0", "500", "1,000", "1,500"]),
        ([0, 50_000, 100_000, 250_000], "sw_TZ", ["0", "elfu\xa050", "elfu\xa0100", "elfu\xa0250"]),
        ([0, 2.5e8, 5e8], "fr_CD", ["0", "250\xa0M", "500\xa0M"]),
        ([0, 5e8, 1e9, 1.5e9], "en", ["0", "0.5B", "1B", "1.5B"]),
        ([0, 1e9, 2e9], "sw_TZ", ["0", "1B", "2B"]),
        ([0, 1e9, 2e9], "es_BO", ["0", "1.000\xa0M", "2.000\xa0M"]),
        ([0, 1_000_000, 2_000_000], "pt_MZ", ["0", "1\xa0M", "2\xa0M"]),
    ],
)
def test_compact_labels_equal_the_plain_value_in_every_language(ticks, locale, expected):
    assert dashboard.axis_labels(ticks, locale) == expected
