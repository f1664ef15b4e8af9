"""Baseline for case 1: a bare PySide6 QMainWindow shown and painted by a one-file script, then exit."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(800, 600)
window.show()
window.repaint()  # paint synchronously, as a login window must be painted before it counts
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
