"""The one path of every write from the widgets (Anki's CollectionOp): call the service — on a worker thread
when it can take long — show what it refused in one place, then emit one `changed(Changes)` signal.

The service says what it touched (coop/changes.py); each view declares the areas it shows and refreshes
only when `changes.affects(...)` them. A form that shows a problem next to its field passes `failure`: it
gets the error first and returns True when it has shown it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from coop.changes import changes_of
from coop.errors import CoopError
from coop.i18n import _
from ui import msgbox

Failure = Callable[[CoopError], bool]  # True: the caller showed the error itself
Success = Callable[[Any], None]


class Operations(QObject):
    """Runs the widgets' writes; `changed` carries the Changes of each one that succeeded."""

    changed = Signal(object)  # coop.changes.Changes

    def run(
        self,
        parent: QWidget | None,
        fn: Callable[..., Any],
        *args: Any,
        success: Success | None = None,
        failure: Failure | None = None,
        **kw: Any,
    ) -> Any | None:
        """A quick write, on the UI thread: `fn(*args, **kw)`; its result (None when refused)."""
        try:
            result = fn(*args, **kw)
        except CoopError as exc:
            self._refused(parent, exc, failure, _("Cannot do this"))
            return None
        self._succeeded(result, success)
        return result

    def run_in_background(
        self,
        parent: QWidget,
        label: str,
        job: Callable[[Callable[[int, int], None], Callable[[], bool]], Any],
        *,
        success: Success | None = None,
        failure: Failure | None = None,
    ) -> None:
        """Long work (imports, batch writes): `job(progress, cancelled)` on a worker thread behind a progress
        dialog with Cancel; the outcome is handled here on the UI thread, as for `run`."""
        from ui.work import run_in_background

        run_in_background(
            parent,
            label,
            job,
            lambda result: self._succeeded(result, success),
            refused=lambda exc: self._refused(parent, exc, failure, _("The work stopped")),
        )

    def _refused(self, parent: QWidget | None, exc: CoopError, failure: Failure | None, title: str) -> None:
        if failure is not None and failure(exc):
            return
        msgbox.warning(parent, title, exc.message())

    def _succeeded(self, result: Any, success: Success | None) -> None:
        changes = changes_of(result)
        if changes:
            self.changed.emit(changes)
        if success is not None:
            success(result)


OPS = Operations()
