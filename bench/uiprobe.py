"""Case 3 probe: the real Production lots list (ui.tablemodel.ListModel over the "lots" spec of
coop.services.tables) in a QTableView, driven headless; times the first page painted and the jump to the end."""

from __future__ import annotations

import importlib.util
import os
import resource
import time
from collections.abc import Callable
from typing import Any


def find_lots_model() -> tuple[Callable[[], Any] | None, str]:
    """A zero-argument factory for the lots list model as the Production view builds it, or None and why."""
    spec = importlib.util.find_spec("ui")
    if spec is None or spec.origin in (None, "namespace"):
        return None, "ui not present"
    _prepare_qt()
    from coop.permissions import SYSTEM
    from ui.tablemodel import ListModel

    return (lambda: ListModel(SYSTEM, "lots")), ""


def _prepare_qt() -> None:
    """Headless Qt, and the None guard the application applies (PySide6 6.12.0 drops a reference per void call)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.none_guard import keep_none_alive

    keep_none_alive()


def _rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pump_until(app: Any, done: Callable[[], bool], limit: float = 10.0) -> None:
    """Process events (layout, paint) until `done()`; the paint that asks for the rows happens in here."""
    deadline = time.perf_counter() + limit
    app.processEvents()
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the view never asked for the rows")
        app.processEvents()


def measure(factory: Callable[[], Any]) -> tuple[float, float, float, int]:
    """(seconds from building the model to its first page painted in a shown QTableView, seconds for
    scrollToBottom() until the last row's page is served and painted, RSS growth in MB, row count)."""
    from PySide6.QtWidgets import QApplication, QTableView

    from ui import tablemodel

    app = QApplication.instance() or QApplication([])
    view = QTableView()
    view.resize(1100, 700)
    app.processEvents()
    before = _rss_mb()
    t0 = time.perf_counter()
    model = factory()  # counts the rows (one COUNT(*)), fetches nothing yet
    view.setModel(model)
    view.show()
    _pump_until(app, lambda: model.cached_pages() > 0)
    first = time.perf_counter() - t0
    rows = model.rowCount()
    last_page = (rows - 1) // tablemodel.PAGE

    def last_served() -> bool:
        return last_page in model._pages

    t0 = time.perf_counter()
    view.scrollToBottom()
    _pump_until(app, last_served)
    last = time.perf_counter() - t0
    assert model.data(model.index(rows - 1, 0)) is not None
    growth = _rss_mb() - before
    view.close()
    return first, last, growth, rows


def measure_main_window() -> tuple[float, float]:
    """Case 8: (seconds from building a manager's main window to it painted on the dashboard page, seconds
    until the dashboard's charts are drawn — its figures are computed on a worker thread meanwhile)."""
    _prepare_qt()
    from PySide6.QtWidgets import QApplication

    from coop.permissions import Actor
    from ui import fmt
    from ui.mainwindow import MainWindow
    from ui.work import wait_for_work

    app = QApplication.instance() or QApplication([])
    fmt.Context.refresh()
    t0 = time.perf_counter()
    window = MainWindow(Actor("manager", "manager"))
    page = window.show_area("dashboard")
    window.resize(1360, 820)
    window.show()
    app.processEvents()
    window.repaint()
    painted = time.perf_counter() - t0
    _pump_until(app, lambda: page.canvas is not None and not page.pending, limit=60.0)
    # the charts are drawn at matplotlib's next idle moment (draw_idle): wait for that drawing
    _pump_until(app, lambda: not getattr(page.canvas, "_draw_pending", False), limit=60.0)
    charts = time.perf_counter() - t0
    wait_for_work()
    window.close()
    window.deleteLater()
    app.processEvents()
    return painted, charts
