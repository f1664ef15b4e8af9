"""PySide6 6.12.0 drops a reference to None per void call: the guard keeps a long session alive."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
if sys.argv[1] == "guard":
    from ui.none_guard import keep_none_alive
    keep_none_alive()
widget = QWidget()
before = sys.getrefcount(None)
for _ in range(1000):
    widget.setWindowTitle("x")
print(before - sys.getrefcount(None))
for _ in range(int(sys.argv[2])):
    widget.setWindowTitle("x")
print("survived")
"""


def run(mode: str, calls: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", SCRIPT, mode, str(calls)], capture_output=True, text=True,
                          env=env, timeout=120, cwd=os.getcwd())  # fmt: skip


def test_a_long_session_of_void_calls_survives_with_the_guard():
    # 100,000 void calls: twenty times what aborted an unguarded fresh process with PySide6 6.12.0
    out = run("guard", 100_000)
    assert out.returncode == 0, out.stderr[-500:]
    dropped, survived = out.stdout.split()
    assert survived == "survived"
    assert int(dropped) > 900 or abs(int(dropped)) < 50  # ~1 a call while PySide drops them; ~0 once fixed


def test_the_guard_is_applied_once_and_holds_in_the_test_process():
    from ui import none_guard

    none_guard.keep_none_alive()  # (tests/conftest.py has applied it already)
    after_first = sys.getrefcount(None)
    none_guard.keep_none_alive()
    assert none_guard.RESERVE == 0 and abs(sys.getrefcount(None) - after_first) < 100
    assert sys.getrefcount(None) > 1 << 39
