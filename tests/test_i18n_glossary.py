"""One term per concept: every catalogue entry whose English holds a glossary term uses the chosen translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "locales" / "GLOSSARY.md"
LANGS = ["fr", "es", "pt", "sw"]

# (language, English term) -> msgids that may differ, each with its reason.
EXCEPTIONS: dict[tuple[str, str], set[str]] = {
    # Role names listed as the demo's account names: identifiers typed at sign-in, never translated.
    **{
        (lang, "member"): {"Demo accounts: manager, treasurer, clerk, auditor, member; password: {password}"}
        for lang in LANGS
    },
    # "payout/N" is a command-line code (receipt numbers of payouts), printed as is in every language.
    **{
        (lang, "payout"): {
            "a record's hash as printed on paper (receipt 2025/12, payout/N, tax/N, or a filing's period), "
            "at least 16 hex characters; repeatable"
        }
        for lang in LANGS
    },
}
# Account headings of the chart of accounts keep the official SYSCOHADA wording ("Associés", class 46).
EXCEPTIONS[("fr", "member")] |= {"Contributors, members and group", "Members, current accounts"}


def glossary() -> dict[str, dict[str, list[str]]]:
    """English term -> language -> accepted forms, from the table between the glossary markers."""
    text = GLOSSARY.read_text(encoding="utf-8")
    body = text.split("<!-- glossary:start -->")[1].split("<!-- glossary:end -->")[0]
    rows = [r for r in body.strip().splitlines() if r.startswith("|")][2:]  # header and rule
    out = {}
    for row in rows:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        out[cells[0].lower()] = {
            lang: [f.strip().lower() for f in cells[1 + i].split(",") if f.strip()]
            for i, lang in enumerate(LANGS)
        }
    return out


def _english(text: str) -> str:
    """The English words of a msgid: placeholders left out ({buyer} is not the word "buyer")."""
    return re.sub(r"\{[^{}]*\}", " ", text)


def inconsistencies(entries, terms: dict[str, dict[str, list[str]]], lang: str) -> list[str]:
    """(msgid forms, msgstr forms) pairs whose English holds a term and whose translation uses none of its
    forms. Longer terms are matched first and their words are not matched again ("exchange rate")."""
    ordered = sorted(terms, key=len, reverse=True)
    found = []
    for ids, strings in entries:
        english = _english(" ".join(ids))
        taken: list[tuple[int, int]] = []
        for term in ordered:
            spans = [
                m.span()
                for m in re.finditer(r"\b" + re.escape(term) + r"(?:s|es)?\b", english, re.I)
                if not any(a <= m.start() < b for a, b in taken)
            ]
            if not spans:
                continue
            taken += spans
            forms = terms[term][lang]
            if ids[0] in EXCEPTIONS.get((lang, term), set()):
                continue
            if not all(any(f in s.lower() for f in forms) for s in strings):
                found.append(f"{term!r} → {forms}: {ids[0]!r} = {strings[0]!r}")
    return found


def _entries(lang: str):
    with open(ROOT / "locales" / lang / "LC_MESSAGES" / "coop.po", "rb") as fh:
        catalog = read_po(fh, locale=lang)
    for m in catalog:
        if m.id:
            ids = [m.id] if isinstance(m.id, str) else list(m.id)
            strings = [m.string] if isinstance(m.string, str) else list(m.string)
            yield ids, strings


def test_glossary_has_every_language_for_the_key_terms():
    terms = glossary()
    for key in (
        "near miss",
        "hash",
        "grade",
        "exchange rate",
        "rate",
        "backup",
        "chain of custody",
        "comptoir",
    ):
        assert key in terms
        assert all(terms[key][lang] for lang in LANGS), key


def test_the_check_finds_a_synonym():
    terms = {
        "near miss": {"fr": ["quasi-accident"]},
        "rate": {"fr": ["taux"]},
        "exchange rate": {"fr": ["change"]},
    }
    entries = [
        (["Near miss"], ["Presque-accident"]),
        (["Near misses"], ["Quasi-accidents"]),
        (["Exchange rate"], ["Cours de change"]),  # "rate" inside "exchange rate" is that term's concern
        (["Sale to {rate}"], ["Vente"]),  # a placeholder is no word
    ]
    assert inconsistencies(entries, terms, "fr") == [
        "'near miss' → ['quasi-accident']: 'Near miss' = 'Presque-accident'"
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_uses_the_glossary_terms(lang):
    assert inconsistencies(_entries(lang), glossary(), lang) == []
