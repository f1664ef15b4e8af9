"""Application start: global options, database, QApplication (translator, locale, direction), login, main window."""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path


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

from PySide6.QtCore import QLocale, QSize, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication, QIcon  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from coop import i18n  # noqa: E402
from coop.errors import CoopError, ValidationError  # noqa: E402
from coop.i18n import _  # noqa: E402
from coop.permissions import Actor  # noqa: E402
from coop.services import settings, users  # noqa: E402
from ui import fmt, qt_i18n  # noqa: E402


def apply_language(app: QApplication, lang: str) -> None:
    """gettext language, Qt's own strings (qtbase_<lang> where Qt ships one), QLocale and direction."""
    i18n.set_language(lang)
    qt_i18n.install(lang)  # qtbase_<lang>.qm where Qt ships one, else our catalogue (Swahili buttons)
    fmt.Context.refresh()
    QLocale.setDefault(QLocale(i18n.babel_locale(fmt.Context.locale)))
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if i18n.is_rtl(lang) else Qt.LayoutDirection.LeftToRight
    )


class LoginDialog(QDialog):
    """User name + password; on first run (no accounts) it creates the first manager account."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_run = users.count_users() == 0
        self.actor: Actor | None = None
        self.needs_coop = _coop_name() is None
        name = _coop_name() or ""
        self.setWindowTitle(_("Sign in — {name}").format(name=name or "CoopLedger"))
        self.intro = QLabel(self, wordWrap=True)
        self.username = QLineEdit(self, objectName="username")
        self.password = QLineEdit(self, objectName="password", echoMode=QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self, objectName="confirm", echoMode=QLineEdit.EchoMode.Password)
        self.error = QLabel(self, objectName="login_error", wordWrap=True)
        self.error.setStyleSheet("color: #b00020;")
        self.coop_name = QLineEdit(self, objectName="coop_name")
        self.currency = QLineEdit("CDF", self, objectName="currency")
        self.locale = QLineEdit("fr_CD", self, objectName="locale")
        form = QFormLayout()
        if self.needs_coop:
            form.addRow(_("Cooperative name"), self.coop_name)
            form.addRow(_("Ledger currency"), self.currency)
            form.addRow(_("Number and date format (e.g. fr_CD)"), self.locale)
        else:
            for unused in (self.coop_name, self.currency, self.locale):
                unused.hide()
        form.addRow(_("User name"), self.username)
        form.addRow(_("Password"), self.password)
        if self.first_run:
            form.addRow(_("Password again"), self.confirm)
            self.intro.setText(_("No account exists yet. Create the first manager account."))
        else:
            self.confirm.hide()
            self.intro.setText(_("Sign in to {name}.").format(name=name or "CoopLedger"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            _("Create account") if self.first_run else _("Sign in")
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.setMinimumWidth(380)

    def submit(self) -> None:
        name, password = self.username.text().strip(), self.password.text()
        try:
            if self.first_run:
                if password != self.confirm.text():
                    raise ValidationError("confirm", "The two passwords differ.")
                if self.needs_coop:
                    settings.validate(
                        {
                            "name": self.coop_name.text(),
                            "currency": self.currency.text().upper(),
                            "locale": self.locale.text(),
                        }
                    )
                users.add_user(None, name, password, "manager")
            self.actor = users.login(name, password)
            if self.needs_coop:
                settings.save(
                    self.actor,
                    name=self.coop_name.text(),
                    currency=self.currency.text(),
                    locale=self.locale.text(),
                )
                fmt.Context.refresh()
        except CoopError as exc:
            self.error.setText(exc.message())
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()


def _coop_name() -> str | None:
    from coop.models import Cooperative

    row = Cooperative.select().first()
    return row.name if row else None


def install_excepthook() -> None:
    """An unexpected exception: a dialog with details to copy; transactions already rolled back."""

    def hook(kind, value, tb) -> None:
        from PySide6.QtWidgets import QMessageBox  # not at start-up: each Qt class builds its enums

        from ui import msgbox

        details = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(details)
        if isinstance(value, CoopError):
            msgbox.warning(None, _("Cannot do this"), value.message())
            return
        text = _(
            "Something went wrong inside CoopLedger. Your saved data is safe: unfinished changes were not "
            "written. Please copy the details below and send them to your support contact."
        )
        msgbox.msgbox(None, _("Unexpected error"), text, QMessageBox.Icon.Critical, details)

    sys.excepthook = hook


def user_language(actor: Actor, default: str) -> str:
    from coop.models import User

    row = User.get_or_none(User.id == actor.user_id) if actor.user_id else None
    return (row.locale if row and row.locale else default) or "en"


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


def open_main(app: QApplication, actor: Actor, lang: str | None):
    from ui.mainwindow import MainWindow

    apply_language(app, lang or user_language(actor, i18n.current_language()))
    window = MainWindow(actor)

    def switch(code: str) -> None:
        apply_language(app, code)
        window.retranslate()
        if actor.user_id is not None:
            users.set_locale(actor, actor.user_id, code)

    window.language_changed.connect(switch)
    return window


def _print_startup() -> None:
    """`--measure-startup`: seconds since the process started, then the heavy modules already imported."""
    import json

    heavy = sorted(m for m in ("matplotlib", "reportlab") if m in sys.modules)
    print(f"{time.perf_counter() - START:.3f}")
    print(json.dumps({"heavy_modules": heavy}))  # machine-read by bench/run.py


def run_app(argv: list[str]) -> int:
    from coop import cli, db, paths

    args, _rest = cli.build_parser().parse_known_args(argv)
    try:
        database = db.open_database(paths.database_path(args.db, args.data_dir, args.portable))
    except CoopError as exc:
        print(exc.message(), file=sys.stderr)
        return 2
    app = make_app(sys.argv[:1])
    fmt.Context.refresh()
    lang = args.lang or fmt.Context.locale.split("_")[0]
    apply_language(app, lang)
    install_excepthook()
    login = LoginDialog()
    if getattr(args, "measure_startup", False):
        login.show()
        QGuiApplication.processEvents()
        login.repaint()
        QTimer.singleShot(0, lambda: (_print_startup(), app.exit(0)))
        code = app.exec()
        database.close()
        return code
    if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
        database.close()
        return 0
    window = open_main(app, login.actor, args.lang)
    window.show()
    code = app.exec()
    database.close()
    return code
