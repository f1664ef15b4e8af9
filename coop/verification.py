"""Verification of a database file as one list of checks, each returning the problems it finds.

Used alike by the `verify` command, the self-test and restore (which refuses a backup with any problem).
A check is a function `(Scope) -> list[Problem]`, in the manner of Beancount's `ops/validation.py`;
a Problem carries an untranslated message id and its parameters and is translated where it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from peewee import SqliteDatabase

from coop import chain, db
from coop.errors import StorageError
from coop.i18n import N_

DATABASE_PROBLEM = N_("Database problem: {detail}")
FOREIGN_KEY_BROKEN = N_("Database problem: foreign key: {detail}")
TRIGGER_MISSING = N_("Database problem: finality trigger missing: {detail}")
UNBALANCED = N_("Unbalanced journal entries: {seqs}")
CHAIN_BROKEN = N_("Chain broken at {record}: {reason}")
BACKUP_REJECTED = N_("The backup {path} fails verification ({problems}). It was not restored.")


class MessageId(str):
    """A parameter of a Problem that is itself a message id (the chain's reason): translated when shown."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong: the record at fault ("" for the file as a whole), an untranslated message id and
    the parameters of its {placeholders} ({record} is filled from `record`)."""

    record: str
    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        """The problem in the current language."""
        from coop.i18n import _

        values = {k: _(v) if isinstance(v, MessageId) else v for k, v in self.params.items()}
        return _(self.msgid).format(record=self.record, **values)

    def __str__(self) -> str:
        return self.msgid.format(record=self.record, **self.params)


@dataclass
class Scope:
    """What the checks look at: the database handle and the options of the run; the chain check leaves
    its walk (links counted, head) here for the report."""

    handle: SqliteDatabase
    full: bool = False  # SQLite integrity_check (every index against its table) instead of quick_check
    jobs: int | None = None  # processes walking the chain at once (None: chain.verify decides)
    walk: chain.VerifyResult | None = None


Check = Callable[[Scope], list[Problem]]


def sqlite_integrity(scope: Scope) -> list[Problem]:
    """Pages and records readable (quick_check; integrity_check with `full`)."""
    return [
        Problem("", DATABASE_PROBLEM, {"detail": d}) for d in db.sqlite_check(scope.handle, full=scope.full)
    ]


def foreign_keys(scope: Scope) -> list[Problem]:
    """Every reference points at an existing row."""
    return [
        Problem(f"{row[0]} {row[1]}", FOREIGN_KEY_BROKEN, {"detail": str(row)})
        for row in db.foreign_key_violations(scope.handle)
    ]


def finality_triggers(scope: Scope) -> list[Problem]:
    """The triggers that make posted records and the journal final are all present."""
    return [Problem("", TRIGGER_MISSING, {"detail": name}) for name in db.missing_triggers(scope.handle)]


def balanced_entries(scope: Scope) -> list[Problem]:
    """Every journal entry's postings sum to zero (one problem naming all that do not)."""
    from coop.services import ledger

    seqs = ledger.unbalanced_entries()
    return [Problem("", UNBALANCED, {"seqs": ", ".join(map(str, seqs))})] if seqs else []


def hash_chain(scope: Scope) -> list[Problem]:
    """The tamper-evidence chain: each link, then each record's state against the journal."""
    scope.walk = chain.verify(scope.jobs)
    if scope.walk.ok:
        return []
    return [Problem(scope.walk.broken_source, CHAIN_BROKEN, {"reason": MessageId(scope.walk.reason)})]


CHECKS: tuple[Check, ...] = (sqlite_integrity, foreign_keys, finality_triggers, balanced_entries, hash_chain)
# restore has run SQLite's full integrity_check on the raw file before it could open it
RESTORE_CHECKS: tuple[Check, ...] = tuple(c for c in CHECKS if c is not sqlite_integrity)


@dataclass(frozen=True)
class Report:
    problems: list[Problem]
    links: int  # chain links verified (0 when the chain was not checked)
    head: str  # hash of the last link verified

    @property
    def ok(self) -> bool:
        return not self.problems


def _beside_the_chain(scope: Scope, checks: Sequence[Check]) -> dict[Check, list[Problem]]:
    try:
        return {check: check(scope) for check in checks}
    finally:
        scope.handle.close()  # this thread's own connection (peewee keeps one per thread)


def run(
    handle: SqliteDatabase, *, full: bool = False, jobs: int | None = None, checks: Sequence[Check] = CHECKS
) -> Report:
    """Run `checks` on `handle` with the models bound to it for the run only (the open database, or a
    second file such as a restore candidate); problems in the order of `checks`."""
    scope = Scope(handle, full, jobs)
    walkers = [c for c in checks if c is hash_chain]
    others = [c for c in checks if c is not hash_chain]
    with db.bound(handle):
        if handle.database == ":memory:" or not walkers or not others:
            found = {check: check(scope) for check in checks}  # another thread would see another :memory:
        else:
            # SQLite releases the GIL while it checks, so the file checks run beside the chain walk
            with ThreadPoolExecutor(1) as pool:
                side = pool.submit(_beside_the_chain, scope, others)
                found = {check: check(scope) for check in walkers}
                found.update(side.result())
    walk = scope.walk
    return Report(
        [p for check in checks for p in found[check]],
        walk.checked if walk else 0,
        walk.head if walk else chain.GENESIS,
    )


class BackupRejected(StorageError):
    """A backup that fails verification: restore refuses it, naming its problems."""

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        super().__init__(BACKUP_REJECTED, path=path, problems="; ".join(map(str, problems)))
        self.problems = list(problems)

    def message(self) -> str:
        from coop.i18n import _

        shown = "; ".join(p.message() for p in self.problems)
        return _(self.msgid).format(path=self.params["path"], problems=shown)
