"""Keeps Python's None alive under PySide6 6.12.0, which drops a reference to None on every call of a C++
method returning void and on every empty QVariant it returns (measured in tests/ui/test_none_guard.py), and
True and False, since every `signal.emit(...)` drops a reference to the True it returns (tests/ui/test_ops.py)."""

from __future__ import annotations

import sys

# None is never deallocated legitimately (CPython aborts with "none_dealloc" when its count reaches 0), so
# raising its count by far more than any session can drop is harmless; a fresh process aborted after
# ~5,000 `setWindowTitle` calls. Python 3.12+ makes None immortal and needs none of this.
RESERVE = 1 << 40


def keep_none_alive() -> None:
    """Raise the reference counts of None, True and False by RESERVE (once; CPython before 3.12 only)."""
    global RESERVE
    if RESERVE == 0 or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for singleton in (None, True, False):  # (bool_dealloc aborts like none_dealloc; ~1,000 emits sufficed)
        ctypes.c_ssize_t.from_address(id(singleton)).value += RESERVE  # ob_refcnt: PyObject's first field
    RESERVE = 0
