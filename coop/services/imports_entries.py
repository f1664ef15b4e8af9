"""Import of the entries a treasurer records (expense, other income, transfer), posted through the books' services."""

from __future__ import annotations

import os
from datetime import date

from coop import i18n
from coop.changes import Changes
from coop.errors import ValidationError
from coop.i18n import N_
from coop.permissions import Actor
from coop.services import imports, imports_more
from coop.services.books import entries, treasury
from coop.services.imports import ImportResult, Watch, _Row, _run

ENTRY_COLUMNS = [
    "date",
    "kind",
    "treasury",
    "amount",
    "account",
    "to_treasury",
    "party",
    "document_ref",
    "note",
]
COLUMNS = {"entries": ENTRY_COLUMNS}
REQUIRED = {"entries": ["date", "kind", "treasury", "amount"]}
NUMBERS: dict[str, dict[str, int | str | None]] = {"entries": {"amount": imports.LOCAL_DIGITS}}
TOUCHES = {"entries": Changes.of(books=None, ledger=None, treasury=None)}
ROW_KINDS = ("expense", "income", "transfer")
ACCOUNT_NEEDED = N_("An expense or an income needs the account of the chart it goes to.")
TO_TREASURY_NEEDED = N_("A transfer needs the treasury account the money goes to.")
TRANSFER_PARTY = N_("A transfer has no payee or payer: leave the column empty, or write it in the note.")
NOT_A_KIND = N_("“{value}” is not expense, income or transfer.")


def _kinds() -> dict[str, str]:
    """Every word a kind cell may hold: the English key and the kind's name in every shipped language."""
    words = {k: k for k in ROW_KINDS}
    for lang in i18n.LANGUAGES:
        with i18n.language(lang):
            for k in ROW_KINDS:
                words.setdefault(i18n._(entries.KINDS[k]).casefold(), k)
    return words


def _find(text: str, column: str) -> treasury.Treasury:
    """A treasury account named in the file; its refusal names the column it was read from."""
    try:
        return treasury.find(text)
    except ValidationError as exc:
        exc.field = column
        raise


def import_entries(
    actor: Actor, path: str | os.PathLike, watch: Watch | None = None, *, sheet: str | None = None
) -> ImportResult:
    """Post each row as an expense, an other income or a transfer through coop.services.books.entries
    (permissions, closed periods, the funds check with the file's earlier rows, chain and audit hold)."""
    actor.require("data.import")
    actor.require("books.post")
    kinds = _kinds()

    def handle(rowno: int, r: dict[str, str]) -> None:
        row = _Row()
        day: date | None = row.cell(imports_more._date, r["date"], "date")
        kind = kinds.get(r["kind"].strip().casefold())
        if kind is None:
            row.refuse(ValidationError("kind", NOT_A_KIND, value=r["kind"]))
        source = row.cell(_find, r["treasury"], "treasury")
        account = r.get("account", "").strip()
        target = None
        if kind in ("expense", "income") and not account:
            row.refuse(ValidationError("account", ACCOUNT_NEEDED))
        if kind == "transfer":
            if r.get("to_treasury", "").strip():
                target = row.cell(_find, r["to_treasury"], "to_treasury")
            else:
                row.refuse(ValidationError("to_treasury", TO_TREASURY_NEEDED))
            if r.get("party", "").strip():  # the books keep no party on a transfer: refused, not dropped
                row.refuse(ValidationError("party", TRANSFER_PARTY))
        row.check()
        assert day is not None and source is not None
        ref, note = r.get("document_ref", ""), r.get("note", "")
        try:
            if kind == "transfer":
                assert target is not None
                entries.transfer(
                    actor,
                    day=day,
                    from_id=source.id,
                    to_id=target.id,
                    amount=r["amount"],
                    document_ref=ref,
                    note=note,
                )
            elif kind == "expense":
                entries.record_expense(
                    actor,
                    day=day,
                    treasury_id=source.id,
                    account=account,
                    amount=r["amount"],
                    payee=r.get("party", ""),
                    document_ref=ref,
                    note=note,
                )
            else:
                entries.record_income(
                    actor,
                    day=day,
                    treasury_id=source.id,
                    account=account,
                    amount=r["amount"],
                    payer=r.get("party", ""),
                    document_ref=ref,
                    note=note,
                )
        except ValidationError as exc:  # the services name their fields, the file has its own columns
            exc.field = {"to": "to_treasury"}.get(exc.field, exc.field)
            if exc.field == "treasury" and target is not None and exc.params.get("name") == target.name:
                exc.field = "to_treasury"  # the closed account is the transfer's target
            raise

    return _run(actor, "entries", path, handle, lambda: None, watch, sheet=sheet)


imports.IMPORTERS["entries"] = import_entries
imports.REQUIRED.update(REQUIRED)
imports.NUMBERS.update(NUMBERS)
imports.TOUCHES.update(TOUCHES)
