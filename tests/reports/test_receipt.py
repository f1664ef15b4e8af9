"""Receipts: figures equal the stored sale in fr/es/en formats, fonts embedded, QR payload, byte-stable reprints."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

import reports
from coop import i18n, money
from coop.errors import PermissionDenied
from coop.models import Sale
from coop.permissions import SYSTEM, Actor
from coop.services.documents import header, receipt
from tests.reports.conftest import flat, fonts, nb, pdf_text


def _sale(coop) -> int:
    return coop.sell(
        [coop.lot(qty="12.5", grade="850"), coop.lot(qty="3.2", grade="800")], price="90", rate="2850"
    )


@pytest.mark.parametrize("fmt", ["a5", "80mm", "58mm"])
def test_receipt_figures_equal_the_ledger(localized, fmt):
    sale_id = _sale(localized)
    sale = Sale.get_by_id(sale_id)
    data = receipt.receipt_data(SYSTEM, sale_id)
    text = flat(pdf_text(reports.build("receipt", SYSTEM, sale_id=sale_id, fmt=fmt)))
    loc, ccy = localized.locale, localized.currency
    for minor in (sale.gross_local_minor, sale.net_minor, sale.levy_minor):
        assert nb(i18n.format_money(minor, ccy, loc)) in text
    assert data.figures.taxes and all(
        nb(i18n.format_money(t.amount_minor, ccy, loc)) in text for t in data.figures.taxes
    )
    assert sum(t.amount_minor for t in data.figures.taxes if t.withheld) == sale.tax_minor
    assert nb(i18n.format_money(sale.gross_minor, "USD", loc)) in text
    assert f"{sale.series}/{sale.receipt_no}" in text
    assert sale.chain_hash[:16] in text
    assert "REG-001" in text and "TIN-042" in text


def test_locale_formats_are_the_expected_ones(localized):
    """Guard the formats the other assertions rely on: fr narrow no-break spaces, es dots, en commas."""
    sale_id = _sale(localized)
    text = pdf_text(reports.build("receipt", SYSTEM, sale_id=sale_id))
    net = Sale.get_by_id(sale_id).net_minor
    expected = {"fr": "\u202f", "es": ".", "en": ","}[localized.lang]
    decimal = {"fr": ",", "es": ",", "en": "."}[localized.lang]
    amount = i18n.format_amount(net, localized.currency, localized.locale)
    assert expected in amount and amount[-3] == decimal
    assert amount in text


@pytest.mark.parametrize("fmt", ["a5", "80mm", "58mm"])
def test_every_font_is_embedded(localized, fmt):
    pdf = reports.build("receipt", SYSTEM, sale_id=_sale(localized), fmt=fmt)
    found = fonts(pdf)
    assert found and all(found.values()), found
    assert all("DejaVuSans" in name for name in found)


def test_thermal_rolls_are_one_page(coop):
    sale_id = coop.sell([coop.lot() for _ in range(6)])
    for fmt in ("80mm", "58mm"):
        reader = PdfReader(io.BytesIO(reports.build("receipt", SYSTEM, sale_id=sale_id, fmt=fmt)))
        assert len(reader.pages) == 1
        width = float(reader.pages[0].mediabox.width)
        assert abs(width - {"80mm": 226.77, "58mm": 164.41}[fmt]) < 0.1


def _mark(text: str) -> str:
    """A receipt mark as printed in the cooperative's language (the document's default)."""
    i18n.set_language(reports.document_locale(header.header(), None)[0])
    try:
        return i18n.pgettext("receipt mark", text)
    finally:
        i18n.set_language("en")


def test_reprint_is_identical_except_the_duplicate_mark(coop):
    sale_id = _sale(coop)
    DUPLICATE = _mark("DUPLICATE")  # noqa: N806
    first = reports.build("receipt", SYSTEM, sale_id=sale_id)
    assert reports.build("receipt", SYSTEM, sale_id=sale_id) == first  # byte-stable
    coop.sell([coop.lot()], day=coop_day())  # the chain moves on; the receipt must not change
    assert reports.build("receipt", SYSTEM, sale_id=sale_id) == first
    dup = reports.build("receipt", SYSTEM, sale_id=sale_id, duplicate=True)
    assert reports.build("receipt", SYSTEM, sale_id=sale_id, duplicate=True) == dup
    assert dup != first
    text, dup_text = pdf_text(first), pdf_text(dup)
    assert DUPLICATE not in text and DUPLICATE in dup_text
    # Same words in the same order once the mark (under the number and as a watermark) is taken out.
    assert flat(dup_text).replace(DUPLICATE, " ").split() == flat(text).split()
    assert len(PdfReader(io.BytesIO(dup)).pages) == len(PdfReader(io.BytesIO(first)).pages)
    meta = PdfReader(io.BytesIO(first)).metadata
    sale = Sale.get_by_id(sale_id)
    assert meta["/CreationDate"].startswith(f"D:{sale.date:%Y%m%d}")


def coop_day():
    from datetime import date

    return date(2026, 1, 7)


def test_amount_in_words_and_payment_method(coop):
    sale_id = coop.sell([coop.lot(qty="10", grade="1000")], price="100", currency="CDF", rate="1")
    text = flat(pdf_text(reports.build("receipt", SYSTEM, sale_id=sale_id, lang="fr")))
    assert "Mille francs congolais" in text  # 10 g fine × 100 CDF
    assert "Cash" in text or "Espèces" in text


def test_members_see_only_receipts_of_their_sales(coop):
    sale_id = _sale(coop)  # owners: members[0] and members[1]
    owner = Actor("m1", "member", member_id=coop.members[0])
    other = Actor("m3", "member", member_id=coop.members[2])
    assert reports.build("receipt", owner, sale_id=sale_id).startswith(b"%PDF")
    with pytest.raises(PermissionDenied):
        reports.build("receipt", other, sale_id=sale_id)
    with pytest.raises(PermissionDenied):
        reports.build("tax-filing", owner, start=coop_day(), end=coop_day())


def _decode_qr(pdf: bytes) -> list[str]:
    """Rasterise the first page at 300 dpi (pypdfium2) and decode its QR codes (zxing-cpp): pip wheels only."""
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=300 / 72, grayscale=True).to_pil()
    return [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.mark.parametrize("fmt", ["a5", "58mm"])
def test_qr_payload_decodes_to_the_stored_sale(coop, fmt):
    sale_id = _sale(coop)
    sale = Sale.get_by_id(sale_id)
    decoded = _decode_qr(reports.build("receipt", SYSTEM, sale_id=sale_id, fmt=fmt))
    expected = (
        f"COOPLEDGER;R={sale.series}/{sale.receipt_no};D={sale.date.isoformat()};"
        f"T={money.from_minor(sale.gross_minor, sale.currency)};C={sale.currency};H={sale.chain_hash}"
    )
    assert decoded == [expected]


def test_voided_sale_is_marked(coop):
    from coop.services import sales

    sale_id = _sale(coop)
    sales.void_sale(SYSTEM, sale_id, "wrong buyer")
    text = pdf_text(reports.build("receipt", SYSTEM, sale_id=sale_id))
    assert _mark("VOIDED") in text and "wrong buyer" in text


def test_find_sale_by_number(coop):
    a = _sale(coop)
    sale = Sale.get_by_id(a)
    assert receipt.find_sale(str(sale.receipt_no)) == a
    assert receipt.find_sale(f"{sale.series}/{sale.receipt_no}") == a


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt", "sw"])
def test_receipt_in_every_language_carries_the_amount_in_words(coop, lang):
    from coop.words import amount_words

    sale_id = _sale(coop)
    sale = Sale.get_by_id(sale_id)
    pdf = reports.build("receipt", SYSTEM, sale_id=sale_id, lang=lang)
    words = amount_words(sale.gross_minor, sale.currency, lang)
    assert flat(words[:1].upper() + words[1:]) in flat(pdf_text(pdf))
    assert all(fonts(pdf).values())


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo cooperative (DRC: francs congolais, sales priced in US dollars), once for these tests."""
    from coop.db import open_database
    from coop.services import demo as demo_data

    handle = open_database(tmp_path_factory.mktemp("receipt") / "demo.sqlite")
    demo_data.create(SYSTEM, members=30)
    yield handle
    handle.close()


@pytest.mark.parametrize("fmt", ["a5", "80mm", "58mm"])
def test_french_demo_receipt_writes_each_currency_one_way(demo_file, fmt):
    """fr_CD writes the franc "FC" and the dollar "$US" (babel's CLDR display, as in every amount): the column
    headers, the unit price, the exchange rate and the currency line use the same form, never the ISO code."""
    data = receipt.receipt_data(SYSTEM, 1)
    assert (data.figures.currency, data.figures.local_currency) == ("USD", "CDF")
    text = flat(pdf_text(reports.build("receipt", SYSTEM, sale_id=1, fmt=fmt, lang="fr")))
    assert "CDF" not in text and "USD" not in text
    assert nb(i18n.format_money(data.figures.gross_local_minor, "CDF", "fr_CD")) in text
    assert "$US" in text and "FC" in text
    if fmt == "a5":
        assert "Valeur ($US)" in text
        assert "dollar des États-Unis ($US)" in text


@pytest.mark.parametrize("lang", ["fr", "sw"])
def test_receipt_translates_tax_names_stored_as_english_msgids(coop, lang):
    """Older files store the presets' English msgids ("Royalty", "Mining Commission"): the receipt shows them
    in the document's language (Swahili *mrabaha*), as it does mineral names."""
    sale_id = _sale(coop)
    data = receipt.receipt_data(SYSTEM, sale_id)
    with i18n.language(lang):
        shown = {t.name: i18n._(t.name) for t in data.figures.taxes}
    shipped = {name: text for name, text in shown.items() if text != name}
    assert shipped, f"the test cooperative's taxes are shipped msgids: {sorted(shown)}"
    text = flat(pdf_text(reports.build("receipt", SYSTEM, sale_id=sale_id, lang=lang)))
    for name, translated in shipped.items():
        assert f"{name} –" not in text
        assert f"{translated} –" in text
