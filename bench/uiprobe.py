"""Case 3 probe: find the UI's lots table model (once ui/ is merged) and time its first and last pages."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import resource
import time
from collections.abc import Callable

CANDIDATES = ("LotsModel", "LotModel", "ProductionLotsModel", "LotsTableModel")


def find_lots_model() -> tuple[Callable[[], object] | None, str]:
    """A zero-argument factory for the lots table model, or None and the reason it is not available."""
    spec = importlib.util.find_spec("ui")
    if spec is None or spec.origin in (None, "namespace"):
        return None, "ui not present"
    import ui  # type: ignore[import-not-found]

    for info in pkgutil.walk_packages(ui.__path__, "ui."):
        try:
            module = importlib.import_module(info.name)
        except ImportError:
            continue
        for name in CANDIDATES:
            cls = getattr(module, name, None)
            if cls is not None:
                return cls, ""
    return None, f"no lots table model in ui (looked for {', '.join(CANDIDATES)})"


def _rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(factory: Callable[[], object], page: int = 50) -> tuple[float, float, float]:
    """Seconds to build the model and read its first page, to read its last row, and RSS growth in MB."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    before = _rss_mb()
    t0 = time.perf_counter()
    model = factory()
    rows, cols = model.rowCount(), model.columnCount()  # type: ignore[attr-defined]
    for r in range(min(page, rows)):
        for c in range(cols):
            model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)  # type: ignore[attr-defined]
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    for r in range(max(0, rows - page), rows):
        for c in range(cols):
            model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)  # type: ignore[attr-defined]
    last = time.perf_counter() - t0
    return first, last, _rss_mb() - before
