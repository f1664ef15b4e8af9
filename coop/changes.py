"""What a write touched: the `Changes` value every write service returns (in the spirit of Anki's OpChanges).

A write service knows what it wrote, so it says so: `post_sale` returns the sale's id together with
`Changes.of(sales=[id], lots=lot_ids, ledger=[entry id])`. The UI's one operation runner emits that value
and each view refreshes only when `changes.affects(<the areas it shows>)`: the members list shows balances,
derived from postings, so it declares ("members", "ledger") and refreshes after a sale without the sale
having to know who shows balances.

Return shapes of the write services:

- `Changes` — services that used to return nothing (voids, updates, settings, account changes).
- `Saved(id, changes)` — services that create or update one record and used to return its id.
- `SavedMany(ids, changes)` — services that create several records (tax rule presets).
- results of bulk work carry a `changes` field too (`imports.ImportResult`).

`changes_of(result)` reads the Changes out of any of these. Ids are a hint for views that show one record:
bulk work (an import of a million lots) names its areas with no ids, which means "any row of it".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# The areas of the domain a write can touch (one per table or group of tables a view shows).
AREAS = frozenset(
    {
        "settings",  # the cooperative's single row: name, currency, locale, levy
        "users",  # accounts: roles, linked member, language, failed sign-ins
        "sites",
        "members",  # the register (a member's balance is in "ledger")
        "minerals",
        "buyers",
        "tax_rules",
        "lots",  # production lots, their owners and their stock status
        "sales",  # sales and the lots they list
        "payouts",
        "tax_payments",
        "ledger",  # journal entries and postings: balances, cash, tax due
        "incidents",
        "mercury",
        "periods",  # closings of periods (nothing may be dated in a closed period)
        "books",  # entries of the books (expenses, income, transfers, opening balances, shares, cash counts)
        "treasury",  # the chart of accounts and the treasury accounts (cash boxes, wallets, bank accounts)
    }
)


def _check(areas: Iterable[str]) -> frozenset[str]:
    names = frozenset(areas)
    unknown = names - AREAS
    if unknown:  # a misspelt area would silently never refresh: a bug, refused loudly
        raise ValueError(f"unknown change areas: {sorted(unknown)}")
    return names


@dataclass(frozen=True)
class Changes:
    """The areas a write touched and, where it knows them, the ids of the rows touched in each area."""

    areas: frozenset[str] = frozenset()
    touched: frozenset[tuple[str, int]] = frozenset()  # (area, id) pairs

    def __post_init__(self) -> None:
        _check(self.areas)
        if any(area not in self.areas for area, _id in self.touched):
            raise ValueError("an id is listed under an area the changes do not name")

    @classmethod
    def of(cls, **areas: Iterable[int] | int | None) -> Changes:
        """`Changes.of(sales=[5], lots=[1, 2], ledger=None)`: each keyword names an area, with its ids
        (an int, several ints, or None / an empty list for "the area, ids unknown")."""
        touched: set[tuple[str, int]] = set()
        for area, ids in areas.items():
            if ids is None:
                continue
            for ident in [ids] if isinstance(ids, int) else ids:
                touched.add((area, int(ident)))
        return cls(_check(areas), frozenset(touched))

    def __or__(self, other: Changes) -> Changes:
        if not isinstance(other, Changes):
            return NotImplemented
        return Changes(self.areas | other.areas, self.touched | other.touched)

    def __bool__(self) -> bool:
        return bool(self.areas)

    def affects(self, *areas: str) -> bool:
        """Whether any of `areas` was touched (a view passes the areas it shows)."""
        return not _check(areas).isdisjoint(self.areas)

    def ids(self, area: str) -> frozenset[int]:
        """The ids touched in `area` (empty: none, or not listed by bulk work; see `affects`)."""
        _check([area])
        return frozenset(ident for name, ident in self.touched if name == area)


NOTHING = Changes()


@dataclass(frozen=True)
class Saved:
    """One record created or updated: its id and what the write touched."""

    id: int
    changes: Changes


@dataclass(frozen=True)
class SavedMany:
    """Several records created (in order) and what the write touched."""

    ids: tuple[int, ...]
    changes: Changes


def changes_of(result: Any) -> Changes:
    """The Changes of a write's result: a Changes itself, anything carrying `.changes`, else NOTHING."""
    if isinstance(result, Changes):
        return result
    found = getattr(result, "changes", None)
    return found if isinstance(found, Changes) else NOTHING
