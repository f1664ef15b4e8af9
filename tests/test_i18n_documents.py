"""Printed documents under pseudo-localization: every label goes through gettext (no raw English left)."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

import reports
from coop.permissions import SYSTEM
from tests.reports.conftest import DEMO_PARAMS, flat, pdf_text
from tests.test_i18n import LOCALES

PARAMS = DEMO_PARAMS


def _english_phrases() -> list[str]:
    """Msgids of two words or more without placeholders: text that must never print verbatim in `xx`."""
    with open(LOCALES / "coop.pot", "rb") as fh:
        ids = [m.id for m in read_po(fh) if m.id and isinstance(m.id, str)]
    return [i for i in ids if "{" not in i and len(i.split()) >= 2 and re.search("[a-z]", i)]


def test_documents_in_pseudo_language_show_no_raw_english(demo_db):
    assert set(PARAMS) == set(reports.KINDS)
    phrases = _english_phrases()
    leaks = {}
    for kind, kw in PARAMS.items():
        text = flat(pdf_text(reports.build(kind, SYSTEM, lang="xx", **kw)))
        assert text.count("[") >= 5, kind  # labels are pseudo-localized
        found = [p for p in phrases if p in text]
        if found:
            leaks[kind] = found
    assert leaks == {}
