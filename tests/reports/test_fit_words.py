"""Printed Swahili documents break lines between words only (a narrow column once printed "Kiwang / o cha")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import reports
from coop.permissions import SYSTEM
from tests.reports.conftest import pdf_text

ROOT = Path(__file__).resolve().parents[2]


def _vocabulary(lang: str) -> set[str]:
    with open(ROOT / "locales" / lang / "LC_MESSAGES" / "coop.po", "rb") as f:
        catalog = read_po(f)
    words: set[str] = set()
    for message in catalog:
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            words |= {w.lower() for w in re.findall(r"[^\W\d_]+", text or "")}
    return words


def broken_words(text: str, words: set[str]) -> list[str]:
    """Pairs of line ends and starts that are one catalogue word cut in two (the first part no word itself)."""
    lines = [line.split() for line in text.splitlines() if line.split()]
    out = []
    for a, b in zip(lines, lines[1:], strict=False):
        head, tail = a[-1], b[0]
        if head.isalpha() and tail.isalpha() and tail[0].islower():
            whole = (head + tail).lower()
            if whole in words and head.lower() not in words:
                out.append(f"{head}|{tail}")
    return out


def test_the_check_finds_a_word_cut_in_two():
    assert broken_words("Kiasi\n Kiwang\n o cha\nmadini", {"kiasi", "kiwango", "cha", "madini"}) == [
        "Kiwang|o"
    ]
    assert broken_words("Kiwango\ncha madini", {"kiwango", "cha", "madini"}) == []


@pytest.mark.parametrize("fmt", ["a5", "80mm", "58mm"])
def test_swahili_receipt_wraps_between_words_only(demo_db, fmt):
    text = pdf_text(reports.build("receipt", SYSTEM, sale_id=1, fmt=fmt, lang="sw"))
    assert "kubadilisha" in text  # a long label in every format: "Bei ya kubadilisha fedha" (exchange rate)
    assert broken_words(text, _vocabulary("sw")) == []


def test_swahili_voucher_wraps_between_words_only(demo_db):
    text = pdf_text(reports.build("voucher", SYSTEM, payout_id=1, lang="sw"))
    assert broken_words(text, _vocabulary("sw")) == []
