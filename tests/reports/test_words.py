"""Amounts in words in every shipped language: whole numbers, scales, and minor units."""

from __future__ import annotations

import pytest

from coop.words import amount_words, number_words

NUMBERS = {
    "en": {
        0: "zero",
        1: "one",
        21: "twenty-one",
        80: "eighty",
        100: "one hundred",
        101: "one hundred and one",
        1000: "one thousand",
        1_000_000: "one million",
        2_501_317: "two million five hundred and one thousand three hundred and seventeen",
    },
    "fr": {
        0: "zéro",
        1: "un",
        21: "vingt et un",
        71: "soixante et onze",
        80: "quatre-vingts",
        81: "quatre-vingt-un",
        91: "quatre-vingt-onze",
        100: "cent",
        200: "deux cents",
        201: "deux cent un",
        1000: "mille",
        80_000: "quatre-vingt mille",
        200_000: "deux cent mille",
        1_000_000: "un million",
        2_000_000: "deux millions",
    },
    "es": {
        0: "cero",
        1: "uno",
        21: "veintiuno",
        80: "ochenta",
        100: "cien",
        101: "ciento uno",
        500: "quinientos",
        1000: "mil",
        21_000: "veintiún mil",
        1_000_000: "un millón",
        3_000_000: "tres millones",
    },
    "pt": {
        0: "zero",
        1: "um",
        21: "vinte e um",
        80: "oitenta",
        100: "cem",
        101: "cento e um",
        1000: "mil",
        1001: "mil e um",
        1100: "mil e cem",
        1234: "mil duzentos e trinta e quatro",
        1_000_000: "um milhão",
        2_000_000: "dois milhões",
    },
    "sw": {
        0: "sifuri",
        1: "moja",
        21: "ishirini na moja",
        80: "themanini",
        100: "mia moja",
        125: "mia moja ishirini na tano",
        1000: "elfu moja",
        1100: "elfu moja na mia moja",
        1_000_000: "milioni moja",
    },
}


@pytest.mark.parametrize(
    "lang,n,words", [(lang, n, w) for lang, table in NUMBERS.items() for n, w in table.items()]
)
def test_number_words(lang, n, words):
    assert number_words(n, lang) == words


@pytest.mark.parametrize(
    "minor,currency,lang,words",
    [
        (255061, "USD", "en", "two thousand five hundred and fifty US dollars and sixty-one cents"),
        (100, "USD", "en", "one US dollar"),
        (0, "GHS", "en", "zero Ghanaian cedis"),
        (2101, "GHS", "en", "twenty-one Ghanaian cedis and one pesewa"),
        (8000, "CDF", "fr", "quatre-vingts francs congolais"),
        (100000000, "CDF", "fr", "un million de francs congolais"),
        (2199, "CDF", "fr", "vingt et un francs congolais et quatre-vingt-dix-neuf centimes"),
        (2101, "BOB", "es", "veintiún bolivianos con un centavo"),
        (100000000, "BOB", "es", "un millón de bolivianos"),
        (10050, "BOB", "es", "cien bolivianos con cincuenta centavos"),
        (100150, "MZN", "pt", "mil e um meticais moçambicanos e cinquenta centavos"),
        (100, "BRL", "pt", "um real brasileiro"),
        (100000, "TZS", "sw", "shilingi za Tanzania elfu moja"),
        (2150, "TZS", "sw", "shilingi za Tanzania ishirini na moja na senti hamsini"),
        (1000, "XOF", "fr", "mille francs CFA (BCEAO)"),
        (1, "XOF", "en", "one West African CFA franc"),
    ],
)
def test_amount_words(minor, currency, lang, words):
    assert amount_words(minor, currency, lang) == words


def test_negative_and_region():
    assert amount_words(-100, "USD", "en") == "minus one US dollar"
    assert number_words(16, "pt_MZ") == "dezasseis" and number_words(16, "pt") == "dezesseis"
    with pytest.raises(ValueError):
        number_words(-1, "en")
