"""Comparison keys of identifiers (user names, member numbers, site codes, mineral names), stored beside them.

SQLite's lower() folds ASCII letters only, so "ÉLISE" and "élise" would be two names in SQL; the key is
folded here, in Python, the same way on every backend, and looked up with a plain `=` (portable SQL)."""

from __future__ import annotations

import unicodedata


def fold(text: object) -> str:
    """NFKC, trimmed, case-folded (full Unicode: "ÉLISE" is "élise", "Straße" is "strasse"), NFKC again.

    Accents are kept: "Élise" and "Elise" stay two names (a cooperative may have both members)."""
    value = unicodedata.normalize("NFKC", str(text or "")).strip().casefold()
    return unicodedata.normalize("NFKC", value)
