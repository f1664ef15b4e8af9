"""Amounts in words beyond the tables of tests/reports/test_words.py: regions, agreement, an independent
spelling (num2words) for English and French, and Swahili that reads back one way only."""

from __future__ import annotations

import random

import pytest
from num2words import num2words

from coop import money
from coop.words import MAX_WORDS, amount_words, number_words


@pytest.mark.parametrize(
    ("minor", "currency", "lang", "words"),
    [
        # Swahili: the noun first, then the number, then "of Tanzania" agreeing with it (ya = one, za = several).
        (
            123450,
            "TZS",
            "sw",
            "shilingi elfu moja na mia mbili thelathini na nne za Tanzania na senti hamsini",
        ),
        (2500000, "CDF", "sw", "faranga elfu ishirini na tano za Kongo"),
        (150, "USD", "sw", "dola moja ya Marekani na senti hamsini"),
        (100000, "XOF", "sw", "faranga laki moja za Afrika Magharibi CFA"),
        # Portuguese: Mozambique writes dezassete/dezanove, Brazil dezessete/dezenove; "de" before a round million.
        (150075, "MZN", "pt_MZ", "mil e quinhentos meticais moçambicanos e setenta e cinco centavos"),
        (1700, "MZN", "pt_MZ", "dezassete meticais moçambicanos"),
        (1900, "MZN", "pt_BR", "dezenove meticais moçambicanos"),
        (100000000, "MZN", "pt_MZ", "um milhão de meticais moçambicanos"),
        # The locale's own currency names: Portugal's for Mozambique, Brazil's for plain "pt".
        (150, "USD", "pt_MZ", "um dólar dos Estados Unidos e cinquenta centavos"),
        (150, "USD", "pt", "um dólar americano e cinquenta centavos"),
        (150, "USD", "pt-PT", "um dólar dos Estados Unidos e cinquenta centavos"),
        # Feminine currency nouns: the number agrees below a million, the million noun keeps its gender.
        (100, "GBP", "es", "una libra esterlina"),
        (2100, "GBP", "es", "veintiuna libras esterlinas"),
        (20_000_000, "GBP", "es", "doscientas mil libras esterlinas"),
        (200_000_000, "GBP", "es", "dos millones de libras esterlinas"),
        (20100, "GBP", "pt", "duzentas e uma libras esterlinas"),
        (200, "GBP", "pt", "duas libras esterlinas"),
        (255, "GBP", "en", "two British pounds and fifty-five pence"),
        (12345, "NGN", "en", "one hundred and twenty-three Nigerian nairas and forty-five kobo"),
    ],
)
def test_amount_words_regions_and_agreement(minor, currency, lang, words):
    assert amount_words(minor, currency, lang) == words


@pytest.mark.parametrize(
    ("n", "lang", "words"),
    [
        (2025, "sw", "elfu mbili na ishirini na tano"),
        (360, "sw", "mia tatu na sitini"),
        (365, "sw", "mia tatu sitini na tano"),
        (10_000_005, "sw", "milioni kumi, na tano"),  # not "milioni kumi na tano", which is 15,000,000
        (15_000_000, "sw", "milioni kumi na tano"),
        (1_000_000_005, "sw", "bilioni moja na tano"),
        (1000001, "pt_MZ", "um milhão e um"),
        (19, "pt_MZ", "dezanove"),
        (17, "pt", "dezessete"),
        (2_000_000_000, "pt_AO", "dois mil milhões"),
        (2_000_000_000, "pt-BR", "dois bilhões"),
        (21, "es_BO", "veintiuno"),
        (81, "fr_CD", "quatre-vingt-un"),
    ],
)
def test_number_words_details(n, lang, words):
    assert number_words(n, lang) == words


def _sample() -> list[int]:
    rng = random.Random(20260)
    edges = [
        k * 10**e + d for k in (1, 2, 21, 71, 80, 81, 100, 200, 999) for e in range(0, 16) for d in (0, 1)
    ]
    return list(range(2100)) + edges + [rng.randrange(10**k) for k in range(3, 16) for _ in range(150)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_english_and_french_agree_with_num2words(lang):
    """num2words writes English groups with commas; the words are the same."""
    for n in _sample():
        if n < 10**15 + 10:
            assert number_words(n, lang) == num2words(n, lang=lang).replace(",", ""), n


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt_BR", "pt_PT", "sw"])
def test_different_numbers_never_share_words(lang):
    seen: dict[str, int] = {}
    for n in list(range(50_000)) + [
        k * 10**e + r for k in (1, 10, 20, 45) for e in (6, 9, 12) for r in (0, 5, 5000)
    ]:
        words = number_words(n, lang)
        assert seen.setdefault(words, n) == n, (words, seen[words], n)


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt", "pt_PT", "sw"])
def test_every_amount_a_record_can_hold_is_spelled(lang):
    largest = money.MAX_MINOR - 1
    for currency in ("USD", "XOF", "KWD"):
        text = amount_words(largest, currency, lang)
        assert text and not any(ch.isdigit() for ch in text)
    assert MAX_WORDS > largest
    with pytest.raises(ValueError):
        number_words(MAX_WORDS, lang)


@pytest.mark.parametrize(
    "lang", ["en", "fr", "es", "pt", "sw", "fr_CD", "es_BO", "pt_MZ", "sw_TZ", "en_GH", "xx"]
)
def test_every_language_and_locale_spells_amounts(lang):
    text = amount_words(1234567, "USD", lang)
    assert text and not any(ch.isdigit() for ch in text)


def test_currencies_without_cldr_names_in_a_region_fall_back_to_the_language():
    assert amount_words(100, "TZS", "sw_ZZ") == amount_words(100, "TZS", "sw")
    assert amount_words(100, "CDF", "fr-CD") == "un franc congolais"


def test_an_unknown_language_gets_english_words_and_names():
    assert amount_words(100, "EUR", "de_DE") == "one euro"
