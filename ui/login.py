"""The sign-in window (on the first run: "Set up my cooperative" or "Explore the demo cooperative"): built from
a `peek.Look`, so it paints before the services are imported; they load when the user signs in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coop import peek
from coop.errors import CoopError
from coop.i18n import _
from ui.screen import fit_on_first_show

if TYPE_CHECKING:
    from coop.permissions import Actor


def _open_look() -> peek.Look:
    from coop.services import session

    return session.look()


class LoginDialog(QDialog):
    """User name + password. A file without a cooperative shows, instead, "Set up my cooperative" (the setup
    window, which also creates the first manager account) beside "Explore the demo cooperative" (a separate
    file beside this one, so that the demo never mixes with real books).

    `look` is what the window shows (default: read from the open database); `prepare`, when given, is run
    once before the first sign-in is checked (the start-up hands over the rest of its loading there)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        look: peek.Look | None = None,
        prepare: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        look = look or _open_look()
        self._prepare = prepare
        self.first_run = not look.has_users
        self.actor: Actor | None = None
        self.needs_coop = look.coop_name is None
        self.opened_path: str | None = None  # the demo's file once it replaced the one this window opened on
        name = look.coop_name or ""
        self.setWindowTitle(_("Sign in — {name}").format(name=name or "CoopLedger"))
        self.intro = QLabel(self, wordWrap=True)
        self.username = QLineEdit(self, objectName="username")
        self.password = QLineEdit(self, objectName="password", echoMode=QLineEdit.EchoMode.Password)
        self.error = QLabel(self, objectName="login_error", wordWrap=True)
        self.error.setStyleSheet("color: #b00020;")
        self.form = QFormLayout()
        self.form.addRow(_("User name"), self.username)
        self.form.addRow(_("Password"), self.password)
        self.setup_button = QPushButton(_("Set up my cooperative"), self, objectName="setup")
        self.demo_button = QPushButton(_("Explore the demo cooperative"), self, objectName="demo")
        for button in (self.setup_button, self.demo_button):
            button.setAutoDefault(False)  # focused, it would take Enter from the sign-in
        self.setup_button.clicked.connect(self.set_up)
        self.demo_button.clicked.connect(self.explore_demo)
        # One plain button (Escape or closing the window cancels) rather than a QDialogButtonBox: building
        # one makes PySide create its whole Qt namespace (all its Python enums), and asking the style for
        # the platform's button order builds QStyle's, both before this window could paint.
        self.ok = QPushButton(_("Sign in"), self, objectName="ok")
        self.ok.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.setup_button)
        buttons.addWidget(self.ok)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addLayout(self.form)
        lay.addWidget(self.error)
        lay.addLayout(buttons)
        self.setMinimumWidth(420)
        fit_on_first_show(self)
        if self.needs_coop and self.first_run:
            self._show_welcome()
        else:
            self._show_sign_in(name)

    def _show_welcome(self) -> None:
        """A new file: set up the cooperative, or look at the demo first."""
        self.intro.setText(
            _(
                "Welcome to CoopLedger. Set up your cooperative: the country proposes the currency, the "
                "formats and the tax rules, and you create the first manager account. Or explore the demo "
                "cooperative first: it opens in a separate file and never mixes with your books."
            )
        )
        for row in range(self.form.rowCount()):
            self.form.setRowVisible(row, False)
        self.ok.hide()
        self.setup_button.setDefault(True)
        self.setup_button.setFocus()

    def _show_sign_in(self, name: str) -> None:
        for row in range(self.form.rowCount()):
            self.form.setRowVisible(row, True)
        self.username.setFocus()  # before the buttons change: a focused button would take Enter for itself
        self.setup_button.hide()
        self.demo_button.hide()
        self.ok.show()
        self.setup_button.setDefault(False)
        self.ok.setDefault(True)
        if self.needs_coop:  # accounts but no cooperative yet (made on the command line)
            self.intro.setText(_("Sign in, then set up the cooperative."))
        else:
            self.intro.setText(_("Sign in to {name}.").format(name=name or "CoopLedger"))

    def prepare(self) -> bool:
        """Run the start-up's deferred loading now, once; False when it failed (it has said why)."""
        prepare, self._prepare = self._prepare, None
        return prepare() if prepare is not None else True

    # --- a new file ----------------------------------------------------------------------------------
    def set_up(self) -> None:
        """The setup window; when it has created the cooperative and its manager, that manager is signed in."""
        if not self.prepare():
            return
        from ui.setup import SetupWizard

        wizard = SetupWizard(self)
        self.wizard = wizard

        def created() -> None:
            from ui import fmt

            fmt.Context.refresh()
            self.actor = wizard.actor
            self.accept()

        wizard.accepted.connect(created)
        wizard.open()

    def explore_demo(self) -> None:
        """Open the demo file beside this one (built the first time, on a worker thread), then sign in there."""
        if not self.prepare():
            return
        from coop.services import session, setup
        from ui.ops import OPS

        demo = OPS.run(self, setup.open_demo, session.database_path())
        if demo is None:
            return
        self.opened_path = str(demo.path)

        def ready(_result: object = None) -> None:
            from ui import fmt

            fmt.Context.refresh()
            self.first_run = self.needs_coop = False
            self.setWindowTitle(_("Sign in — {name}").format(name=_("Demo cooperative")))
            self._show_sign_in("")
            self.intro.setText(
                _(
                    "The demo cooperative is in its own file, {path}. Sign in as “{user}” with the password "
                    "{password} (or treasurer, clerk, auditor, member)."
                ).format(path=demo.path, user=demo.username, password=demo.password)
            )
            self.username.setText(demo.username)
            self.password.setFocus()

        if demo.needs_building:
            OPS.run_in_background(
                self, _("Building the demo cooperative…"), lambda _p, _c: setup.build_demo(), success=ready
            )
        else:
            ready()

    # --- signing in ------------------------------------------------------------------------------------
    def submit(self) -> None:
        from ui.ops import OPS  # the one path of writes (the sign-in is recorded)

        if not self.prepare():
            return
        OPS.run(self, self._sign_in, success=lambda _actor: self._signed_in(), failure=self._refused)

    def _sign_in(self) -> Actor:
        from coop.services import users

        self.actor = users.login(self.username.text().strip(), self.password.text())
        return self.actor

    def _signed_in(self) -> None:
        if not self.needs_coop:
            self.accept()
            return
        from ui.setup import SetupWizard  # an account exists but no cooperative: set it up now

        wizard = SetupWizard(self, actor=self.actor)
        self.wizard = wizard
        wizard.accepted.connect(self.accept)
        wizard.open()

    def _refused(self, exc: CoopError) -> bool:
        """Every refusal (a wrong password, a locked account) is said in this window."""
        self.error.setText(exc.message())
        self.password.selectAll()
        self.password.setFocus()
        return True
