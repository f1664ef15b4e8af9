"""Money is written as the cooperative's country writes it: symbol and its place from practice, digits from babel."""

from __future__ import annotations

import re

import pytest

from coop import i18n, money

NB, NNB = "\u00a0", "\u202f"

# (minor units, currency, locale, as printed there)
BY_COUNTRY = [
    (123450, "CDF", "fr_CD", f"1{NNB}234,50{NB}FC"),  # DRC: the franc after the amount
    (123450, "USD", "fr_CD", f"1{NNB}234,50{NB}$US"),
    (123450, "BOB", "es_BO", f"Bs{NB}1.234,50"),  # Bolivia: "Bs 1.234,50", not babel's "Bs1.234,50"
    (123450, "USD", "es_BO", f"$us{NB}1.234,50"),  # and "$us" for the dollar
    (123400, "TZS", "sw_TZ", f"TSh{NB}1,234"),  # Tanzania: shillings without cents
    (25328271500, "TZS", "sw_TZ", f"TSh{NB}253,282,715"),
    (123450, "TZS", "sw_TZ", f"TSh{NB}1,234.50"),  # cents that exist are never hidden
    (123400, "TZS", "en_TZ", f"TSh{NB}1,234"),  # the country's practice whatever the language
    (123450, "USD", "sw_TZ", f"US${NB}1,234.50"),
    (123450, "MZN", "pt_MZ", f"1{NB}234,50{NB}MT"),  # Mozambique: "MT", not "MTn"
    (123450, "BRL", "pt_BR", f"R${NB}1.234,50"),
    (123450, "PEN", "es_PE", f"S/{NB}1,234.50"),
    (123450, "GHS", "en_GH", "GH₵1,234.50"),
    (1234, "XOF", "fr_CI", f"1{NNB}234{NB}F{NNB}CFA"),  # no minor unit
    (-123400, "TZS", "sw_TZ", f"-TSh{NB}1,234"),
    (-123450, "BOB", "es_BO", f"-Bs{NB}1.234,50"),
]


@pytest.mark.parametrize(("minor", "currency", "locale", "expected"), BY_COUNTRY)
def test_money_as_the_country_writes_it(minor, currency, locale, expected):
    assert i18n.format_money(minor, currency, locale) == expected


@pytest.mark.parametrize(("minor", "currency", "locale", "expected"), BY_COUNTRY)
def test_printed_amount_reads_back_as_the_ledger_amount(minor, currency, locale, expected):
    """Leaving out ".00" or moving the symbol never changes the value: the printed figure is the ledger's."""
    text = i18n.format_money(minor, currency, locale)
    number = re.sub(r"-\s*", "-", re.sub(r"[^\d.,\-\s]", "", text)).strip(" .,\u00a0\u202f")
    assert i18n.parse_number(number, locale, "amount") == money.from_minor(minor, currency)


def test_amount_columns_follow_the_same_practice():
    assert i18n.format_amount(123400, "TZS", "sw_TZ") == "1,234"
    assert i18n.format_amount(123450, "TZS", "sw_TZ") == "1,234.50"
    assert i18n.format_amount(123400, "BOB", "es_BO") == "1.234,00"  # Bolivia writes its centavos


def test_country_of_a_locale():
    assert [i18n.country_of(x) for x in ("fr_CD", "pt-MZ", "sw", "xx_RTL", "es_419")] == [
        "CD",
        "MZ",
        "",
        "",
        "",
    ]


def test_a_tanzanian_receipt_prints_shillings_without_cents(coop):
    """Through the document path: the cooperative's locale sw_TZ and currency TZS reach the receipt."""
    import reports
    from coop.permissions import SYSTEM
    from coop.services import settings
    from tests.reports.conftest import pdf_text

    settings.save(SYSTEM, locale="sw_TZ", currency="TZS", country="TZ")
    sale = coop.sell([coop.lot(qty="10")], price="150000", currency="TZS", rate="1")
    text = pdf_text(reports.build("receipt", SYSTEM, sale_id=sale, fmt="a5"))
    flat = text.replace(NB, " ")
    assert "TSh 1,200,000" in flat  # 8 g of fine gold at 150,000: a whole amount
    assert "TSh 1,200,000.00" not in flat


@pytest.mark.parametrize(
    ("country", "expected"),
    [("BO", f"NIT{NB}1023456027"), ("PE", f"RUC{NB}1023456027"), ("BR", f"CNPJ{NB}1023456027"),
     ("MZ", f"NUIT{NB}1023456027"), ("TZ", f"TIN{NB}1023456027"), ("GH", "Tax id 1023456027")],
)  # fmt: skip
def test_tax_id_is_named_as_the_country_names_it(country, expected):
    assert i18n.tax_id_line(country, "1023456027") == expected


def test_a_bolivian_header_names_the_nit(coop):
    """Through the document path: a Bolivian cooperative's statement header prints "NIT …" in Spanish."""
    import reports
    from coop.permissions import SYSTEM
    from coop.services import settings
    from tests.reports.conftest import pdf_text

    settings.save(SYSTEM, locale="es_BO", currency="BOB", country="BO", tax_id="1023456027")
    coop.sell([coop.lot()], currency="BOB", price="600", rate="1")
    text = pdf_text(reports.build("receipt", SYSTEM, sale_id=1, fmt="a5")).replace(NB, " ")
    assert "NIT 1023456027" in text and "NIT/RUC" not in text
