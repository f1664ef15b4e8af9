"""Typed domain errors: each carries an untranslated message id and named parameters."""

from __future__ import annotations

from typing import Any


class CoopError(Exception):
    """A user-fixable error. `msgid` is an English gettext id; `params` fill its {placeholders}."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def message(self) -> str:
        """The message translated into the current language, placeholders filled."""
        from coop.i18n import _

        return _(self.msgid).format(**self.params)

    def __str__(self) -> str:
        return self.msgid.format(**self.params)


class ValidationError(CoopError):
    """Bad input in one named field (optionally in a numbered CSV row)."""

    def __init__(self, field_name: str, msgid: str, *, row: int | None = None, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.field = field_name
        self.row = row

    def message(self) -> str:
        from coop.i18n import _

        text = super().message()
        if self.row is not None:
            return _("Row {row}, column “{column}”: {message}").format(
                row=self.row, column=self.field, message=text
            )
        return text


class UnusualValue(ValidationError):
    """A value that is possible but so rare it is most likely mistyped (e.g. three zeros too many).

    The form asks the user to confirm it and calls the service again with `confirm_unusual=True`; a CSV
    import reports it as a row error unless it is run with `confirm_unusual=True`."""


class NotFound(CoopError):
    """A referenced record does not exist."""


class StateError(CoopError):
    """A workflow transition that is not allowed from the record's current state."""


class PermissionDenied(CoopError):
    """The logged-in user's role may not do this."""


class AuthError(CoopError):
    """Login failed or the account is locked."""


class Cancelled(CoopError):
    """The user cancelled long work; what it had done was rolled back."""


class StorageError(CoopError):
    """The database file cannot be used (disk full, read-only, locked, missing, newer version)."""


class ErrorList(CoopError):
    """Many validation problems reported at once (e.g. a whole CSV file)."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__("{count} problems found.", count=len(errors))
        self.errors = errors

    def message(self) -> str:
        from coop.i18n import ngettext

        head = ngettext("{count} problem found:", "{count} problems found:", len(self.errors))
        lines = [head.format(count=len(self.errors))] + [e.message() for e in self.errors[:50]]
        return "\n".join(lines)

    def __str__(self) -> str:
        return "; ".join(str(e) for e in self.errors)
