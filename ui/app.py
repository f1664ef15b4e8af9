"""Application start: the sign-in window painted from a plain read of the database, the rest loaded behind it
(database, formats, services), then the main window with its language."""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING


def _process_age() -> float:
    """Seconds since the process started (Linux /proc; elsewhere since this module was imported)."""
    try:
        ticks = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19])
        uptime = float(open("/proc/uptime").read().split()[0])
        import os

        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


START = time.perf_counter() - _process_age()

# Only what the sign-in window needs is imported here: peewee, the models, the services, babel and argon2
# load once it is painted, while the user types, so the window appears about as fast as a bare Qt window.
from PySide6.QtCore import QLocale, QSize, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication, QIcon  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog  # noqa: E402

from coop import i18n, peek  # noqa: E402
from coop.errors import CoopError  # noqa: E402
from coop.i18n import _  # noqa: E402
from ui import qt_i18n  # noqa: E402
from ui.login import LoginDialog  # noqa: E402

if TYPE_CHECKING:
    import argparse

    from peewee import SqliteDatabase

    from coop.permissions import Actor
    from ui.session import Session


def apply_texts(app: QApplication, lang: str) -> None:
    """gettext language, Qt's own strings (qtbase_<lang> where Qt ships one) and the text direction."""
    i18n.set_language(lang)
    qt_i18n.install(lang)  # qtbase_<lang>.qm where Qt ships one, else our catalogue (Swahili buttons)
    rtl = i18n.is_rtl(lang)
    if rtl != QGuiApplication.isRightToLeft():  # (touching Qt.* builds PySide's Qt enums: not at start-up)
        from PySide6.QtCore import Qt

        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)


def apply_formats() -> None:
    """Number and date formats: the cooperative's locale adapted to the language (needs the database)."""
    from ui import fmt

    fmt.Context.refresh()
    QLocale.setDefault(QLocale(i18n.babel_locale(fmt.Context.locale)))


def apply_language(app: QApplication, lang: str) -> None:
    """Texts and formats of a language (start-up after sign-in, and the runtime language menu)."""
    apply_texts(app, lang)
    apply_formats()


def install_excepthook() -> None:
    """An unexpected exception: a dialog with details to copy; transactions already rolled back."""

    def hook(kind, value, tb) -> None:
        from PySide6.QtWidgets import QMessageBox  # not at start-up: each Qt class builds its enums

        from ui import logs, msgbox

        details = "".join(traceback.format_exception(kind, value, tb))
        if sys.stderr is not None:  # a windowed program on Windows has none: the log file has it all
            sys.stderr.write(details)
        if isinstance(value, CoopError):
            msgbox.warning(None, _("Cannot do this"), value.message())
            return
        import logging

        logging.getLogger("coopledger").error("unexpected error\n%s", details)
        text = _(
            "Something went wrong inside CoopLedger. Your saved data is safe: unfinished changes were not "
            "written. Please copy the details below and send them to your support contact."
        )
        log = logs.log_path()
        if log is not None:
            text += "\n\n" + _("The details are also written to the log file {path}.").format(path=log)
        msgbox.msgbox(None, _("Unexpected error"), text, QMessageBox.Icon.Critical, details)

    sys.excepthook = hook


def user_language(actor: Actor, default: str) -> str:
    from coop.services import users

    return users.preferred_locale(actor) or default or "en"


ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_folders() -> list[Path]:
    """Where installer/icons/ ends up: the bundle (icons/), the source tree, or a pip install (share/)."""
    root = Path(__file__).resolve().parent.parent
    bundle = Path(getattr(sys, "_MEIPASS", root))
    return [
        bundle / "icons",
        root / "installer" / "icons",
        Path(sys.prefix) / "share" / "coopledger" / "icons",
    ]


def app_icon() -> QIcon:
    """CoopLedger's icon at every size (window, taskbar); the desktop theme's copy if no file is found."""
    icon = QIcon()
    for folder in icon_folders():
        for size in ICON_SIZES:
            if (folder / f"coopledger-{size}.png").is_file():
                icon.addFile(str(folder / f"coopledger-{size}.png"), QSize(size, size))
        if not icon.isNull():
            return icon
    return QIcon.fromTheme("coopledger")


def make_app(argv: list[str]) -> QApplication:
    if sys.platform == "win32":  # group the taskbar button with the start-menu shortcut (coopledger.iss)
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID("CoopLedger.CoopLedger")
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("CoopLedger")
    app.setOrganizationName("CoopLedger")
    QGuiApplication.setDesktopFileName("coopledger")  # = installer/linux/coopledger.desktop
    app.setWindowIcon(app_icon())
    return app  # type: ignore[return-value]


def open_main(app: QApplication, actor: Actor, lang: str | None, session: Session | None = None):
    """The main window of `actor`; `session` (ui/session.py) gives it sign out, lock and other files."""
    from ui.mainwindow import MainWindow

    apply_language(app, lang or user_language(actor, i18n.current_language()))
    window = MainWindow(actor, session=session)

    def switch(code: str) -> None:
        from coop.services import users
        from ui.ops import OPS

        apply_language(app, code)
        window.retranslate()
        if actor.user_id is not None:
            OPS.run(window, users.set_locale, actor, actor.user_id, code)

    window.language_changed.connect(switch)
    return window


def _heavy() -> list[str]:
    return sorted(m for m in ("matplotlib", "reportlab") if m in sys.modules)


def _parse(argv: list[str]) -> argparse.Namespace:
    from coop import options

    args = options.desktop(argv)
    if args is None:  # e.g. an abbreviated option: argparse knows it
        import argparse

        parser = argparse.ArgumentParser(add_help=False)
        options.add_to(parser)
        args, _rest = parser.parse_known_args(argv)
    return args


def _open(path: Path) -> SqliteDatabase:
    from coop.services import session

    return session.open_file(path)


def _daily_backup(database: SqliteDatabase, parent: QDialog) -> None:
    """The first start of a day backs the file up (as the command line does); a failure only warns."""
    from coop import backups

    try:
        backups.start_of_day(database)
    except CoopError as exc:
        from ui import msgbox

        msgbox.warning(parent, _("Today's backup was not made"), exc.message())


def _start_log(path: Path) -> None:
    """The log file beside the database (its data directory); a folder that cannot be written only warns."""
    from ui import logs

    try:
        logs.setup(path.parent)
    except OSError as exc:
        if sys.stderr is not None:
            print(
                _("No log file in {folder}: {error}").format(folder=path.parent, error=exc), file=sys.stderr
            )


def run_app(argv: list[str], args: argparse.Namespace | None = None) -> int:
    """Sign-in window painted from a plain read of the file, then the rest loads; after sign-in, the main
    window. `args`: `argv` already parsed. Exit code 0, or 2 when the database cannot be opened (said on
    stderr or in a dialog)."""
    from coop import paths

    args = args or _parse(argv)
    path = paths.database_path(args.db, args.data_dir, args.portable)
    opened: list[SqliteDatabase] = []
    status = [0]
    look = peek.peek(path)
    if (
        look is None
    ):  # new, older or newer schema, or unreadable: create / upgrade / say why, before any window
        try:
            opened.append(_open(path))
        except CoopError as exc:
            print(exc.message(), file=sys.stderr)
            return 2
        look = peek.look(opened[0].execute_sql)
    app = make_app(sys.argv[:1])
    apply_texts(app, args.lang or i18n.language_of(look.locale))

    def prepare() -> bool:
        """The rest of the start, once the window is painted: database, formats, services, error dialog."""
        from ui.none_guard import keep_none_alive

        keep_none_alive()  # (a few hundred void Qt calls happen before this: far from the ~5,000 that abort)
        _start_log(path)
        try:
            if not opened:
                opened.append(_open(path))
        except CoopError as exc:
            from ui import msgbox

            msgbox.warning(login, _("CoopLedger cannot start"), exc.message())
            status[0] = 2
            login.reject()
            return False
        apply_formats()
        if look.coop_name is not None:
            _daily_backup(opened[0], login)
        from coop.services import users  # noqa: F401  (argon2: ready for the first sign-in)

        return True

    install_excepthook()  # (the hook imports its dialog only when something goes wrong)
    login = LoginDialog(look=look, prepare=prepare)
    login.show()
    QGuiApplication.processEvents()
    login.repaint()  # painted now, before the rest loads
    try:
        if args.measure_startup:  # read by bench/run.py, which also times the first line's arrival
            heavy = _heavy()
            print(f"{time.perf_counter() - START:.3f}", flush=True)

            def measured() -> None:
                import json

                ok = False
                try:
                    ok = login.prepare()
                    ready = time.perf_counter() - START
                    report = {"heavy_modules": heavy, "ready": round(ready, 3), "heavy_ready": _heavy()}
                    print(json.dumps(report))
                finally:  # a bug in the loading must not leave a measuring process waiting forever
                    app.exit(0 if ok else 2)

            QTimer.singleShot(0, measured)
            return app.exec()
        QTimer.singleShot(0, login.prepare)
        if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
            return status[0]
        from ui.session import Session, remember_database

        chosen = Path(login.opened_path) if login.opened_path else path  # the demo's own file, if chosen
        remember_database(chosen)
        if chosen != path:
            remember_database(path)  # the real file stays first among the recent files: the default
        session = Session(app, chosen, args.lang)
        session.start(login.actor)
        code = app.exec()
        return status[0] or code
    finally:
        for database in opened:
            database.close()
        if "coop.models" in sys.modules:  # another file opened from the File menu
            from coop.services import session as files

            files.close_database()
