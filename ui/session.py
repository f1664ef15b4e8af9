"""Who is at the shared laptop: sign out / switch user, the automatic lock after idle time, another database
file (open, recent files) and restore from a backup — each goes back to the sign-in window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from coop.errors import CoopError
from coop.i18n import _
from ui import msgbox

if TYPE_CHECKING:
    from coop.permissions import Actor
    from ui.login import LoginDialog
    from ui.mainwindow import MainWindow

IDLE_KEY = "idle_lock_minutes"  # QSettings: minutes without input before the window locks; 0 = never
IDLE_DEFAULT = 10
RECENT_KEY = "recent_databases"
RECENT_MAX = 8
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)

# Tests answer the confirmation questions here (a callable (title, text) -> bool) instead of a modal box.
ASK_CONFIRM: Callable[[str, str], bool] | None = None


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """A Yes/No question (blocking: what follows depends on the answer)."""
    if ASK_CONFIRM is not None:
        return ASK_CONFIRM(title, text)
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def idle_minutes() -> int:
    try:
        return max(0, int(QSettings().value(IDLE_KEY, IDLE_DEFAULT)))
    except (TypeError, ValueError):
        return IDLE_DEFAULT


def recent_databases() -> list[str]:
    value = QSettings().value(RECENT_KEY, [])
    items = [value] if isinstance(value, str) else list(value or [])
    return [str(p) for p in items if p]


def remember_database(path: str | Path) -> None:
    """Put `path` first in the recent files (the File menu's Open recent)."""
    text = str(Path(path).resolve())
    items = [text] + [p for p in recent_databases() if p != text]
    QSettings().setValue(RECENT_KEY, items[:RECENT_MAX])


class IdleLock(QObject):
    """Watches the application's input; after `idle_minutes()` without any, calls `on_idle`."""

    def __init__(self, on_idle: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on_idle = on_idle
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self._timeout)
        self.interval_ms: int | None = None  # tests set a short time; else the setting is read at each start
        self.active = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def start(self) -> None:
        self.active = True
        ms = self.interval_ms if self.interval_ms is not None else idle_minutes() * 60_000
        if ms > 0:
            self.timer.start(ms)
        else:
            self.timer.stop()

    def stop(self) -> None:
        self.active = False
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.active and event.type() in INPUT_EVENTS:
            self.timer.start()  # the same interval, counted again from this input
        return False

    def _timeout(self) -> None:
        if self.active:
            self.stop()
            self.on_idle()


class Session(QObject):
    """The signed-in user's main window on one database file, and the ways back to the sign-in window."""

    def __init__(self, app: QApplication, path: str | Path, lang: str | None = None) -> None:
        super().__init__(app)
        self.app, self.path, self.lang = app, Path(path), lang
        self.window: MainWindow | None = None
        self.login: LoginDialog | None = None
        self.locked = False
        self._hidden: list[QWidget] = []  # windows hidden by the lock, shown again to the same user
        self.idle = IdleLock(self.lock, self)

    def end(self) -> None:
        """Stop watching the input (the application outlives a session in tests)."""
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)

    # --- the main window ---------------------------------------------------------------------
    def start(self, actor: Actor) -> MainWindow:
        """The main window of `actor` (its language, its last page), shown; the idle watch starts."""
        from ui.app import open_main

        window = open_main(self.app, actor, self.lang, session=self)
        self.window = window
        window.show()
        self.idle.start()
        return window

    def _close_window(self) -> None:
        for widget in self._hidden:
            if widget is not self.window:
                widget.close()
        self._hidden = []
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None

    def _ask_sign_in(self, done: Callable[[Actor], None]) -> LoginDialog:
        """A sign-in window for the open file (non-modal); closing it without signing in quits."""
        from ui.login import LoginDialog

        login = LoginDialog()
        self.login = login

        def accepted() -> None:
            self.login = None
            if login.opened_path:  # the demo was chosen on a new file: the session is on the demo's file now
                self.path = Path(login.opened_path)
            if login.actor is not None:
                done(login.actor)

        login.accepted.connect(accepted)
        login.rejected.connect(self._quit)
        login.show()
        return login

    def _quit(self) -> None:
        self.login = None
        self._close_window()
        self.app.quit()

    # --- sign out, lock ------------------------------------------------------------------------
    def sign_out(self) -> LoginDialog:
        """Back to the sign-in window; whoever signs in next gets their own window."""
        self.idle.stop()
        login = self._ask_sign_in(self.start)
        self._close_window()
        return login

    def lock(self) -> LoginDialog | None:
        """Hide every window and ask for the sign-in again: the same user continues where they were,
        another user starts with their own window."""
        if self.locked or self.window is None:
            return None
        self.locked = True
        self.idle.stop()
        self._hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not self.login]
        login = self._ask_sign_in(self._unlocked)
        for widget in self._hidden:
            widget.hide()
        return login

    def _unlocked(self, actor: Actor) -> None:
        self.locked = False
        window = self.window
        if window is not None and actor.username == window.actor.username:
            for widget in self._hidden:
                widget.show()
            self._hidden = []
            self.idle.start()
            return
        self._close_window()
        self.start(actor)

    # --- another file -----------------------------------------------------------------------------
    def open_database(self, path: str | Path) -> LoginDialog | None:
        """Close this file, open `path` (created or upgraded as at start-up, backed up for the day) and ask
        for the sign-in there; when it cannot be opened, the current file stays open and nothing changes."""
        from coop.services import session
        from ui.app import _daily_backup, _open

        path = Path(path).expanduser().resolve()
        parent = self.window
        session.close_database()
        try:
            database = _open(path)
        except CoopError as exc:
            _open(self.path)
            msgbox.warning(parent, _("Cannot open this file"), exc.message())
            return None
        self.path = path
        remember_database(path)
        self.idle.stop()
        login = self._ask_sign_in(self.start)
        self._close_window()
        _daily_backup(database, login)
        return login

    def restore(self, backup: str | Path) -> LoginDialog | None:
        """Replace this file by a verified backup (managers; asked first), then sign in again."""
        from coop.services import session

        window = self.window
        if window is None:
            return None
        aside = self.path.with_name(f"{self.path.stem}.before-restore-…{self.path.suffix}")
        question = _(
            "Replace the database {current} by the backup {backup}? The backup is verified first. The "
            "current database is kept aside as {aside}. Everyone signs in again afterwards."
        ).format(current=self.path, backup=backup, aside=aside.name)
        if not confirm(window, _("Restore a backup"), question):
            return None
        from ui.ops import OPS

        result = OPS.run(window, session.restore, window.actor, str(backup))
        if result is None:
            return None  # refused (said by the runner); the database was opened again as it was
        text = _("Restored {file}: {n} records verified.").format(file=backup, n=result.records)
        if result.aside is not None:
            text += "\n" + _("The previous database was kept as {path}.").format(path=result.aside)
        self.idle.stop()
        login = self._ask_sign_in(self.start)
        self._close_window()
        msgbox.information(login, _("Restore a backup"), text)
        return login
