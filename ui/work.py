"""Long work (backup, import, batch statements) on a QThread with a progress dialog and cancel.

peewee keeps one connection per thread, so the worker uses its own SQLite connection (WAL allows a
reader and a writer) and closes it when done: the UI thread's connection is never shared.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from coop.errors import CoopError
from coop.i18n import _
from ui import msgbox

Job = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class _Worker(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str, str)
    refused = Signal(object)  # a CoopError, for a caller that shows it itself

    def __init__(self, job: Job, hand_over: bool) -> None:
        super().__init__()
        self.job = job
        self.hand_over = hand_over  # domain errors go to `refused` (the exception) rather than `failed`
        self.cancel = threading.Event()

    def run(self) -> None:
        from coop.services import session

        try:
            result = self.job(lambda done, total: self.progress.emit(done, total), self.cancel.is_set)
        except CoopError as exc:
            if self.hand_over:
                self.refused.emit(exc)
            else:
                self.failed.emit(exc.message(), "")
        except Exception as exc:  # a bug in background work: shown with details, never swallowed
            self.failed.emit(str(exc), traceback.format_exc())
        else:
            self.finished.emit(result)
        finally:
            session.close_thread_connection()


class _Receiver(QObject):
    """Lives in the UI thread so the worker's signals arrive queued (never run on the worker)."""

    def __init__(
        self,
        parent: QWidget,
        dialog: QProgressDialog | None,
        done: Callable[[Any], None] | None,
        refused: Callable[[CoopError], None] | None,
    ) -> None:
        super().__init__(parent)
        self.parent_widget, self.dialog, self.done, self.on_refused = parent, dialog, done, refused
        self.cancelled = False

    @Slot(int, int)
    def progress(self, done: int, total: int) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)

    @Slot(object)
    def finished(self, result: Any) -> None:
        if self.dialog is not None:
            self.dialog.reset()
        if self.done is not None and not self.cancelled:
            self.done(result)

    @Slot(str, str)
    def failed(self, message: str, details: str) -> None:
        if self.dialog is not None:
            self.dialog.reset()
        msgbox.warning(self.parent_widget, _("The work stopped"), message, details)

    @Slot(object)
    def refused(self, exc: CoopError) -> None:
        if self.dialog is not None:
            self.dialog.reset()
        if self.on_refused is not None:
            self.on_refused(exc)


def run_in_background(
    parent: QWidget,
    label: str,
    job: Job,
    done: Callable[[Any], None] | None = None,
    *,
    quiet: bool = False,
    refused: Callable[[CoopError], None] | None = None,
) -> tuple[QThread, QProgressDialog | None]:
    """Start `job(progress, cancelled)` on a thread; a window-modal progress dialog offers Cancel, unless
    `quiet` (work the user did not ask for, e.g. the dashboard's figures: the window stays usable).

    A domain error (CoopError) is shown in a message box, or handed to `refused` when given (the operation
    runner, ui/ops.py, shows it in its one place); a bug always shows its details."""
    dialog = None
    if not quiet:
        dialog = QProgressDialog(label, _("Cancel"), 0, 0, parent)
        dialog.setMinimumDuration(300)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
    thread = QThread()  # no parent: a window closed during the work must not destroy a running thread
    _RUNNING.add(thread)
    if not _RUNNING_HOOKED:
        _hook_quit()
    worker = _Worker(job, hand_over=refused is not None)
    worker.moveToThread(thread)
    receiver = _Receiver(parent, dialog, done, refused)
    thread.started.connect(worker.run)
    worker.progress.connect(receiver.progress)
    worker.finished.connect(receiver.finished)
    worker.failed.connect(receiver.failed)
    worker.refused.connect(receiver.refused)
    if dialog is not None:
        dialog.canceled.connect(worker.cancel.set)
        dialog.canceled.connect(lambda: setattr(receiver, "cancelled", True))
    worker.finished.connect(thread.quit)
    worker.failed.connect(thread.quit)
    worker.refused.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.finished.connect(lambda: _RUNNING.discard(thread))
    thread.finished.connect(thread.deleteLater)
    thread._worker = worker  # type: ignore[attr-defined]  # keep alive with the thread
    thread.start()
    return thread, dialog


_RUNNING: set[QThread] = set()  # started and not finished: kept alive here, whatever happens to their window
_RUNNING_HOOKED = False


def _hook_quit() -> None:
    """At quit, let running work end: Qt aborts the process when a running QThread is destroyed."""
    global _RUNNING_HOOKED
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(wait_for_work)
        _RUNNING_HOOKED = True


def wait_for_work() -> None:
    for thread in list(_RUNNING):
        thread.wait()
