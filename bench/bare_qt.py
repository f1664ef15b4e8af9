"""Baseline for case 1: a bare PySide6 QMainWindow shown and painted by a one-file script, then exit.

Prints, like `main.py --measure-startup`, the seconds from process start to the window painted."""

import sys
import time


def _process_age() -> float:
    """Seconds since the process started (Linux /proc), as ui.app measures it."""
    import os

    ticks = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19])
    uptime = float(open("/proc/uptime").read().split()[0])
    return uptime - ticks / os.sysconf("SC_CLK_TCK")


START = time.perf_counter() - _process_age()

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(800, 600)
window.show()
QGuiApplication.processEvents()
window.repaint()  # paint synchronously, as a login window must be painted before it counts
print(f"{time.perf_counter() - START:.3f}", flush=True)  # bench/run.py times this line's arrival
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
