"""Amounts in words, Swahili and Portuguese details beyond tests/reports/test_words.py (checked by hand)."""

from __future__ import annotations

import pytest

from coop.words import amount_words, number_words


@pytest.mark.parametrize(
    ("minor", "currency", "lang", "words"),
    [
        # Swahili: the currency name comes first and agrees in number (ya = one, za = several).
        (100, "TZS", "sw", "shilingi ya Tanzania moja"),
        (123450, "TZS", "sw", "shilingi za Tanzania elfu moja mia mbili thelathini na nne na senti hamsini"),
        (2500000, "CDF", "sw", "faranga za Kongo elfu ishirini na tano"),
        (150, "USD", "sw", "dola ya Marekani moja na senti hamsini"),
        # Portuguese: Mozambique writes dezassete/dezanove, Brazil dezessete/dezenove; "de" before a round million.
        (150075, "MZN", "pt_MZ", "mil e quinhentos meticais moçambicanos e setenta e cinco centavos"),
        (1700, "MZN", "pt_MZ", "dezassete meticais moçambicanos"),
        (1900, "MZN", "pt_BR", "dezenove meticais moçambicanos"),
        (100000000, "MZN", "pt_MZ", "um milhão de meticais moçambicanos"),
    ],
)
def test_amount_words_sw_pt(minor, currency, lang, words):
    assert amount_words(minor, currency, lang) == words


@pytest.mark.parametrize(
    ("n", "lang", "words"),
    [
        (110, "sw", "mia moja na kumi"),
        (2025, "sw", "elfu mbili ishirini na tano"),
        (125000, "sw", "elfu mia moja ishirini na tano"),
        (2000000, "sw", "milioni mbili"),
        (1000001, "pt_MZ", "um milhão e um"),
        (19, "pt_MZ", "dezanove"),
        (17, "pt", "dezessete"),
    ],
)
def test_number_words_sw_pt(n, lang, words):
    assert number_words(n, lang) == words


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt", "sw", "fr_CD", "es_BO", "pt_MZ", "sw_TZ", "en_GH"])
def test_every_language_and_locale_spells_amounts(lang):
    text = amount_words(1234567, "USD", lang)
    assert text and not any(ch.isdigit() for ch in text)
