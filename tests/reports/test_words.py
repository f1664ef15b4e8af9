"""Amounts in words in every shipped language up to 10¹⁵: hand-checked tables of numbers and amounts."""

from __future__ import annotations

import pytest

from coop.words import amount_words, number_words

NINES = 999_999_999_999_999

NUMBERS = {
    "en": {
        0: "zero",
        1: "one",
        21: "twenty-one",
        80: "eighty",
        100: "one hundred",
        101: "one hundred and one",
        115: "one hundred and fifteen",
        1000: "one thousand",
        1001: "one thousand and one",
        1100: "one thousand one hundred",
        2021: "two thousand and twenty-one",
        40_005: "forty thousand and five",
        100_000: "one hundred thousand",
        1_000_000: "one million",
        1_000_001: "one million and one",
        2_000_000: "two million",
        2_501_317: "two million five hundred and one thousand three hundred and seventeen",
        21_000_000: "twenty-one million",
        10**9: "one billion",
        2_500_000_000: "two billion five hundred million",
        10**12: "one trillion",
        10**15: "one quadrillion",
        NINES: "nine hundred and ninety-nine trillion nine hundred and ninety-nine billion nine hundred and "
        "ninety-nine million nine hundred and ninety-nine thousand nine hundred and ninety-nine",
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
        101: "cent un",
        200: "deux cents",
        201: "deux cent un",
        1000: "mille",
        1001: "mille un",
        2021: "deux mille vingt et un",
        21_000: "vingt et un mille",
        80_000: "quatre-vingt mille",
        200_000: "deux cent mille",
        1_000_000: "un million",
        2_000_000: "deux millions",
        80_000_000: "quatre-vingts millions",
        10**9: "un milliard",
        2_500_000_000: "deux milliards cinq cents millions",
        10**12: "un billion",
        10**15: "un billiard",
        NINES: "neuf cent quatre-vingt-dix-neuf billions neuf cent quatre-vingt-dix-neuf milliards neuf cent "
        "quatre-vingt-dix-neuf millions neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf",
    },
    "es": {
        0: "cero",
        1: "uno",
        21: "veintiuno",
        71: "setenta y uno",
        80: "ochenta",
        100: "cien",
        101: "ciento uno",
        500: "quinientos",
        1000: "mil",
        1001: "mil uno",
        2021: "dos mil veintiuno",
        21_000: "veintiún mil",
        1_000_000: "un millón",
        1_500_000: "un millón quinientos mil",
        2_000_000: "dos millones",
        3_000_000: "tres millones",
        21_000_000: "veintiún millones",
        10**9: "mil millones",
        1_001_000_000: "mil un millones",
        2_500_000_000: "dos mil quinientos millones",
        10**12: "un billón",
        2 * 10**12: "dos billones",
        10**15: "mil billones",
        NINES: "novecientos noventa y nueve billones novecientos noventa y nueve mil novecientos noventa y "
        "nueve millones novecientos noventa y nueve mil novecientos noventa y nueve",
    },
    # Brazilian Portuguese (plain "pt" too): short scale, "e" before a last part below 100 or whole hundreds.
    "pt_BR": {
        0: "zero",
        1: "um",
        16: "dezesseis",
        21: "vinte e um",
        80: "oitenta",
        100: "cem",
        101: "cento e um",
        1000: "mil",
        1001: "mil e um",
        1100: "mil e cem",
        1234: "mil duzentos e trinta e quatro",
        2021: "dois mil e vinte e um",
        100_000: "cem mil",
        1_000_000: "um milhão",
        1_000_001: "um milhão e um",
        1_250_000: "um milhão duzentos e cinquenta mil",
        1_500_000: "um milhão e quinhentos mil",
        2_000_000: "dois milhões",
        10**9: "um bilhão",
        2_500_000_000: "dois bilhões e quinhentos milhões",
        10**12: "um trilhão",
        10**15: "um quatrilhão",
        NINES: "novecentos e noventa e nove trilhões novecentos e noventa e nove bilhões novecentos e noventa "
        "e nove milhões novecentos e noventa e nove mil novecentos e noventa e nove",
    },
    # European Portuguese (Portugal, Mozambique, Angola...): long scale.
    "pt_PT": {
        0: "zero",
        1: "um",
        16: "dezasseis",
        17: "dezassete",
        19: "dezanove",
        21: "vinte e um",
        80: "oitenta",
        100: "cem",
        101: "cento e um",
        1000: "mil",
        1001: "mil e um",
        2021: "dois mil e vinte e um",
        1_000_000: "um milhão",
        1_500_000: "um milhão e quinhentos mil",
        2_000_000: "dois milhões",
        10**9: "mil milhões",
        2 * 10**9: "dois mil milhões",
        1_001_000_000: "mil e um milhões",
        2_500_000_000: "dois mil e quinhentos milhões",
        10**12: "um bilião",
        2_500_000_000_000: "dois biliões e quinhentos mil milhões",
        10**15: "mil biliões",
        NINES: "novecentos e noventa e nove biliões novecentos e noventa e nove mil novecentos e noventa e nove "
        "milhões novecentos e noventa e nove mil novecentos e noventa e nove",
    },
    # Swahili: groups separated by commas, the last joined by "na"; laki for hundreds of thousands.
    "sw": {
        0: "sifuri",
        1: "moja",
        11: "kumi na moja",
        21: "ishirini na moja",
        80: "themanini",
        100: "mia moja",
        101: "mia moja na moja",
        110: "mia moja na kumi",
        125: "mia moja ishirini na tano",
        1000: "elfu moja",
        1001: "elfu moja na moja",
        1100: "elfu moja na mia moja",
        2021: "elfu mbili na ishirini na moja",
        40_005: "elfu arobaini, na tano",
        45_000: "elfu arobaini na tano",
        100_000: "laki moja",
        125_000: "laki moja na elfu ishirini na tano",
        1_000_000: "milioni moja",
        2_000_000: "milioni mbili",
        2_345_678: "milioni mbili, laki tatu, elfu arobaini na tano na mia sita sabini na nane",
        10**9: "bilioni moja",
        2_500_000_000: "bilioni mbili na milioni mia tano",
        10**12: "trilioni moja",
        10**15: "trilioni elfu moja",
        NINES: "trilioni mia tisa tisini na tisa, bilioni mia tisa tisini na tisa, milioni mia tisa tisini na "
        "tisa, laki tisa, elfu tisini na tisa na mia tisa tisini na tisa",
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
        (250_000_000_000, "USD", "en", "two billion five hundred million US dollars"),
        (8000, "CDF", "fr", "quatre-vingts francs congolais"),
        (100000000, "CDF", "fr", "un million de francs congolais"),
        (2199, "CDF", "fr", "vingt et un francs congolais et quatre-vingt-dix-neuf centimes"),
        (
            250_000_000_050,
            "CDF",
            "fr",
            "deux milliards cinq cents millions de francs congolais et cinquante centimes",
        ),
        (100_000_000, "EUR", "fr", "un million d’euros"),
        (1000, "XOF", "fr", "mille francs CFA (BCEAO)"),
        (1, "XOF", "en", "one West African CFA franc"),
        (2101, "BOB", "es", "veintiún bolivianos con un centavo"),
        (100000000, "BOB", "es", "un millón de bolivianos"),
        (10050, "BOB", "es", "cien bolivianos con cincuenta centavos"),
        (250_000_000_000, "BOB", "es", "dos mil quinientos millones de bolivianos"),
        (100_000_000_000_000, "BOB", "es", "un billón de bolivianos"),
        (100150, "MZN", "pt", "mil e um meticais moçambicanos e cinquenta centavos"),
        (100, "BRL", "pt", "um real brasileiro"),
        (250_000_000_000, "BRL", "pt_BR", "dois bilhões e quinhentos milhões de reais brasileiros"),
        (250_000_000_000, "MZN", "pt_MZ", "dois mil e quinhentos milhões de meticais moçambicanos"),
        (250, "AOA", "pt_AO", "dois kwanzas angolanos e cinquenta cêntimos"),
        (100050, "EUR", "pt_PT", "mil euros e cinquenta cêntimos"),
        # Swahili: the noun, the number, then "of Tanzania" agreeing with it (ya: one, za: several).
        (100, "TZS", "sw", "shilingi moja ya Tanzania"),
        (200000, "TZS", "sw", "shilingi elfu mbili za Tanzania"),
        (100000, "TZS", "sw", "shilingi elfu moja za Tanzania"),
        (2150, "TZS", "sw", "shilingi ishirini na moja za Tanzania na senti hamsini"),
        (150, "USD", "sw", "dola moja ya Marekani na senti hamsini"),
        (100, "EUR", "sw", "yuro moja"),
    ],
)
def test_amount_words(minor, currency, lang, words):
    assert amount_words(minor, currency, lang) == words


def test_negative_and_region():
    assert amount_words(-100, "USD", "en") == "minus one US dollar"
    assert number_words(16, "pt_MZ") == "dezasseis" and number_words(16, "pt") == "dezesseis"
    with pytest.raises(ValueError):
        number_words(-1, "en")
