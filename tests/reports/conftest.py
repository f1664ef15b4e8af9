"""Helpers for PDF tests: text extraction, embedded fonts, and cooperatives in three locales."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from coop.permissions import SYSTEM
from coop.services import settings

# (locale, ledger currency, country): French with narrow no-break spaces, Spanish dots, English commas.
LOCALES = {
    "fr": ("fr_CD", "CDF", "CD"),
    "es": ("es_BO", "BOB", "BO"),
    "en": ("en_GH", "GHS", "GH"),
}


# One document of every kind from the demo cooperative (year 2025), keyword arguments of reports.build.
DEMO_PARAMS = {
    "receipt": {"sale_id": 1, "fmt": "a5"},
    "voucher": {"payout_id": 1},
    "tax-slip": {"payment_id": 1},
    "statement": {"member_id": 1, "start": date(2025, 1, 1), "end": date(2025, 12, 31)},
    "tax-filing": {"start": date(2025, 1, 1), "end": date(2025, 12, 31)},
    "production": {"start": date(2025, 1, 1), "end": date(2025, 12, 31)},
    "safety": {"start": date(2025, 1, 1), "end": date(2025, 12, 31)},
    "mercury": {"start": date(2025, 1, 1), "end": date(2025, 12, 31)},
    "census": {"end": date(2025, 12, 31)},
    "custody": {"sale_id": 2},
    "annual": {"year": 2025},
    "anchor_slip": {},
    # the books (reports/books.py): treasury account 1 is the demo's cash box
    "cash-book": {"treasury_id": 1, "start": date(2025, 1, 1), "end": date(2025, 12, 31)},
    "general-ledger": {"account": "5711", "start": date(2025, 1, 1), "end": date(2025, 12, 31)},
    "trial-balance": {"end": date(2025, 12, 31)},
    "income-statement": {"start": date(2025, 1, 1), "end": date(2025, 12, 31)},
    "balance-sheet": {"end": date(2025, 12, 31)},
}


def pdf_text(pdf: bytes) -> str:
    """The text of every page (pypdf reads U+00A0 back as a plain space; U+202F comes back as is)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    """Extracted text with line breaks joined (values wrapped over two lines still match)."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", text)


def nb(text: str) -> str:
    """A formatted value as pypdf extracts it: no-break spaces read as spaces, narrow ones kept."""
    return text.replace("\u00a0", " ")


def fonts(pdf: bytes) -> dict[str, bool]:
    """Base font name -> whether its file is embedded (/FontFile2 in the descriptor)."""
    out: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).get_object().values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            out[str(font["/BaseFont"])] = out.get(str(font["/BaseFont"]), True) and embedded
    return out


@pytest.fixture(params=sorted(LOCALES))
def localized(request, coop):
    """The small cooperative switched to one of three locales and ledger currencies."""
    locale, currency, country = LOCALES[request.param]
    settings.save(
        SYSTEM,
        locale=locale,
        currency=currency,
        country=country,
        registration_no="REG-001",
        tax_id="TIN-042",
        address="Main road 1",
    )
    coop.lang = request.param
    coop.locale = locale
    coop.currency = currency
    return coop
