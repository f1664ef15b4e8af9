"""One operation helper: call a service, show domain errors, then emit one changed(ChangeSet) signal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from coop.errors import CoopError
from coop.i18n import _
from ui import msgbox

T = TypeVar("T")


@dataclass(frozen=True)
class ChangeSet:
    """Which lists an operation touched; views refresh only when one of theirs is in it."""

    tables: frozenset[str]

    def affects(self, name: str) -> bool:
        return name in self.tables


# what each kind of write changes (balances live on the members list)
AFFECTS = {
    "sale": {"sales", "my_sales", "lots", "members", "dashboard"},
    "payout": {"payouts", "members", "dashboard"},
    "tax_payment": {"tax_payments", "dashboard"},
    "member": {"members"},
    "site": {"sites"},
    "lot": {"lots", "dashboard"},
    "incident": {"incidents", "dashboard"},
    "mercury": {"mercury", "dashboard"},
    "mineral": {"minerals"},
    "buyer": {"buyers"},
    "tax_rule": {"tax_rules"},
    "user": {"users"},
    "settings": {"settings"},
    "import": {"members", "lots", "sales", "dashboard"},
}


class Operations(QObject):
    """The one place that runs writes for the widgets."""

    changed = Signal(object)  # ChangeSet

    def run(self, parent: QWidget | None, kind: str, fn: Callable[..., T], *args: Any, **kw: Any) -> T | None:
        """Call the service; on a CoopError show its message and return None; else emit changed."""
        try:
            result = fn(*args, **kw)
        except CoopError as exc:
            msgbox.warning(parent, _("Cannot do this"), exc.message())
            return None
        self.changed.emit(ChangeSet(frozenset(AFFECTS.get(kind, {kind}))))
        return result


OPS = Operations()


def notify(kind: str) -> None:
    """Announce a write done elsewhere (a form that handled its own field errors)."""
    OPS.changed.emit(ChangeSet(frozenset(AFFECTS.get(kind, {kind}))))
