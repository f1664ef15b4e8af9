"""The sign-in window (on the first run it creates the first manager and the cooperative): built from a
`peek.Look`, so it paints before the services are imported; they load when the user signs in."""

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
from coop.errors import CoopError, ValidationError
from coop.i18n import _
from ui.screen import fit_on_first_show

if TYPE_CHECKING:
    from coop.changes import Changes
    from coop.permissions import Actor


def _open_look() -> peek.Look:
    from coop.services import session

    return session.look()


class LoginDialog(QDialog):
    """User name + password; on first run (no accounts) it creates the first manager account.

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
        name = look.coop_name or ""
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
        # One plain button (Escape or closing the window cancels) rather than a QDialogButtonBox: building
        # one makes PySide create its whole Qt namespace (all its Python enums), and asking the style for
        # the platform's button order builds QStyle's, both before this window could paint.
        self.ok = QPushButton(_("Create account") if self.first_run else _("Sign in"), self, objectName="ok")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addLayout(buttons)
        self.setMinimumWidth(380)
        fit_on_first_show(self)
        (self.coop_name if self.needs_coop else self.username).setFocus()  # the first field shown

    def prepare(self) -> bool:
        """Run the start-up's deferred loading now, once; False when it failed (it has said why)."""
        prepare, self._prepare = self._prepare, None
        return prepare() if prepare is not None else True

    def submit(self) -> None:
        from ui.ops import OPS  # the one path of writes (the first account, the cooperative)

        if not self.prepare():
            return
        OPS.run(self, self._sign_in, success=lambda _changes: self.accept(), failure=self._refused)

    def _sign_in(self) -> Changes:
        """Create the first account and the cooperative when needed, then sign in; what was written."""
        from coop.changes import NOTHING
        from coop.services import settings, users
        from ui import fmt

        name, password = self.username.text().strip(), self.password.text()
        changes = NOTHING
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
            changes |= users.add_user(None, name, password, "manager").changes
        self.actor = users.login(name, password)
        if self.needs_coop:
            changes |= settings.save(
                self.actor,
                name=self.coop_name.text(),
                currency=self.currency.text(),
                locale=self.locale.text(),
            )
            fmt.Context.refresh()
        return changes

    def _refused(self, exc: CoopError) -> bool:
        """Every refusal (a wrong password, a locked account, a bad currency) is said in this window."""
        self.error.setText(exc.message())
        self.password.selectAll()
        self.password.setFocus()
        return True
