"""Moving an incident along its workflow from the list: closing asks for the findings, reopening for the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QWidget

from coop.i18n import N_, _
from coop.permissions import Actor
from coop.services import safety
from ui.forms import Field, FormDialog
from ui.ops import OPS


class NoteDialog(FormDialog):
    """One required text (the findings, or the reason for reopening) handed to `fn(text)`; the service refuses
    an empty one and its message shows under the field."""

    def __init__(
        self, title: str, name: str, label: str, button: str, fn: Callable[[str], Any], parent: QWidget | None
    ) -> None:
        super().__init__(title, [Field(name, label, "multiline")], parent)
        self.setObjectName(f"incident_{name}")
        self._name, self._fn = name, fn
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(button)

    def submit(self, values: dict[str, Any]) -> Any:
        return self._fn(values[self._name] or "")


def move(actor: Actor, page: QWidget, ident: int, current: str, target: str) -> NoteDialog | None:
    """Close (findings), reopen a closed incident (reason), or move it straight on; returns the dialog opened."""
    if target == "closed":
        dlg = NoteDialog(
            _("Close incident"),
            "findings",
            N_("Findings"),
            _("Close incident"),
            lambda text: safety.move_incident(actor, ident, target, text),
            page,
        )
    elif current == "closed":
        dlg = NoteDialog(
            _("Reopen incident"),
            "reason",
            N_("Reason for reopening"),
            _("Reopen incident"),
            lambda text: safety.move_incident(actor, ident, target, text),
            page,
        )
    else:
        OPS.run(page, safety.move_incident, actor, ident, target)
        return None
    dlg.open()
    return dlg
