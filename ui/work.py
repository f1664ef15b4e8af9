"""Long work (backup, import, batch statements) on a QThread with a progress dialog and cancel.

peewee keeps one connection per thread, so the worker uses its own SQLite connection (WAL allows a
reader and a writer) and closes it when done: the UI thread's connection is never shared.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from coop.errors import CoopError
from coop.i18n import _
from ui import msgbox

Job = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class _Worker(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str, str)

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.cancel = threading.Event()

    def run(self) -> None:
        from coop.models import database

        try:
            result = self.job(lambda done, total: self.progress.emit(done, total), self.cancel.is_set)
        except CoopError as exc:
            self.failed.emit(exc.message(), "")
        except Exception as exc:  # a bug in background work: shown with details, never swallowed
            self.failed.emit(str(exc), traceback.format_exc())
        else:
            self.finished.emit(result)
        finally:
            database.close()


def run_in_background(
    parent: QWidget, label: str, job: Job, done: Callable[[Any], None] | None = None
) -> tuple[QThread, QProgressDialog]:
    """Start `job(progress, cancelled)` on a thread; a window-modal progress dialog offers Cancel."""
    dialog = QProgressDialog(label, _("Cancel"), 0, 0, parent)
    dialog.setMinimumDuration(300)
    thread = QThread(parent)
    worker = _Worker(job)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.progress.connect(lambda d, t: (dialog.setMaximum(t), dialog.setValue(d)))
    dialog.canceled.connect(worker.cancel.set)

    def finish(result: Any) -> None:
        dialog.reset()
        if done is not None and not worker.cancel.is_set():
            done(result)

    def fail(message: str, details: str) -> None:
        dialog.reset()
        msgbox.warning(parent, _("The work stopped"), message, details)

    worker.finished.connect(finish)
    worker.failed.connect(fail)
    worker.finished.connect(thread.quit)
    worker.failed.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread._worker = worker  # type: ignore[attr-defined]  # keep alive
    dialog.setWindowModality(dialog.windowModality().WindowModal)
    thread.start()
    return thread, dialog
