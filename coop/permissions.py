"""Role × action permission matrix, deny by default, and the acting user's context passed to services."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from coop.errors import PermissionDenied
from coop.i18n import N_

ROLES = ("manager", "treasurer", "clerk", "member", "auditor")
ROLE_LABELS = {
    "manager": N_("Manager"),
    "treasurer": N_("Treasurer"),
    "clerk": N_("Clerk"),
    "member": N_("Member"),
    "auditor": N_("Auditor"),
}

ACTIONS = (
    "read.all",
    "read.own",
    "members.write",
    "sites.write",
    "lots.write",
    "buyers.write",
    "minerals.write",
    "sales.post",
    "sales.void",
    "payouts.post",
    "payouts.void",
    "taxes.pay",
    "taxes.void",
    "taxrules.write",
    "incidents.write",
    "mercury.write",
    "reports.read",
    "balances.read",
    "settings.write",
    "users.manage",
    "ledger.verify",
    "data.import",
    "data.export",
    "backup",
    "periods.close",
    "books.post",  # expenses, other income, transfers, share capital, cash counts
    "books.void",
    "books.opening",  # the opening balances, once
    "treasury.write",  # treasury accounts and sub-accounts of the chart
)

_TREASURER = {
    "read.all",
    "sales.post",
    "sales.void",
    "payouts.post",
    "payouts.void",
    "taxes.pay",
    "taxes.void",
    "books.post",
    "books.void",
    "treasury.write",
    "buyers.write",
    "reports.read",
    "balances.read",
    "data.import",  # sales only: importing members or lots also needs members.write / lots.write
    "data.export",
    "backup",
}
_CLERK = {
    "read.all",
    "members.write",
    "sites.write",
    "lots.write",
    "incidents.write",
    "mercury.write",
    "data.import",  # members and lots: importing sales also needs sales.post
    "data.export",
}
MATRIX: dict[str, frozenset[str]] = {
    "manager": frozenset(ACTIONS) - {"read.own"},
    "treasurer": frozenset(_TREASURER),
    "clerk": frozenset(_CLERK),
    "member": frozenset({"read.own"}),
    "auditor": frozenset({"read.all", "reports.read", "balances.read", "ledger.verify", "data.export"}),
}


def allowed(role: str, action: str) -> bool:
    """Deny by default: unknown roles and unknown actions are refused."""
    return action in MATRIX.get(role, frozenset())


@dataclass(frozen=True)
class Actor:
    """Who is acting: passed to every service that reads scoped data or writes."""

    username: str
    role: str
    user_id: int | None = None
    member_id: int | None = None

    def can(self, action: str) -> bool:
        return allowed(self.role, action)

    def require(self, action: str) -> None:
        if not self.can(action):
            raise PermissionDenied(
                "Your role ({role}) may not do this: {action}.", role=self.role, action=action
            )

    def record_scope(self, all_action: str = "read.all", *, owned: bool = True) -> int | None:
        """Whose records this actor may see: None for all (it may `all_action`), else its own member's id.

        A member account (read.own) sees only records tied to its member, and none of a kind that belongs to
        no member (`owned=False`); anyone else is refused."""
        if self.can(all_action):
            return None
        if owned and self.can("read.own") and self.member_id is not None:
            return self.member_id
        raise PermissionDenied("You may only see your own records.")

    def require_record(self, owners: Collection[int], all_action: str = "read.all") -> None:
        """May this actor see a record that belongs to the members `owners` (a lot, sale, statement)?"""
        self.record_scope(all_action, owned=self.member_id in owners)


SYSTEM = Actor(username="system", role="manager")
