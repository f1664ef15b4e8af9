"""Every document in every language (and the pseudo-locales) fits: no text off the page or over other text, no
word or number cut in two, the A5 receipt on one page; right-to-left names print in reading order."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

import pypdfium2 as pdfium
import pytest

import reports
from coop.permissions import SYSTEM
from tests.reports.conftest import DEMO_PARAMS, pdf_text
from tests.reports.test_fit_words import _vocabulary, broken_words

LANGS = ["en", "fr", "es", "pt", "sw", "xx"]
PARAMS = {**DEMO_PARAMS, "tax-slip": {"payment_id": 1}}
EDGE = 1.0  # pt: glyphs closer than this to the paper's edge are cut by any printer


@dataclass(frozen=True)
class Glyph:
    page: int
    ch: str
    left: float
    bottom: float
    right: float
    top: float


def glyphs(pdf: bytes) -> tuple[list[tuple[float, float]], list[Glyph]]:
    """Page sizes and every visible character's box (pypdfium2, PDF points, origin bottom left)."""
    doc = pdfium.PdfDocument(pdf)
    sizes, out = [], []
    for n in range(len(doc)):
        page = doc[n]
        sizes.append(page.get_size())
        text = page.get_textpage()
        count = text.count_chars()
        whole = text.get_text_range(0, count)
        for i in range(count):
            ch = whole[i] if len(whole) == count else text.get_text_range(i, 1)
            if not ch.strip():
                continue
            left, bottom, right, top = text.get_charbox(i)
            out.append(Glyph(n, ch, left, bottom, right, top))
    return sizes, out


def lines(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [ln for n in range(len(doc)) for ln in doc[n].get_textpage().get_text_range().splitlines()]


def off_page(sizes, found: list[Glyph]) -> list[str]:
    return [
        f"page {g.page + 1}: {g.ch!r} at ({g.left:.0f}, {g.bottom:.0f})"
        for g in found
        if g.left < EDGE
        or g.bottom < EDGE
        or g.right > sizes[g.page][0] - EDGE
        or g.top > sizes[g.page][1] - EDGE
    ]


def overlapping(found: list[Glyph]) -> list[str]:
    """Pairs of glyphs from different runs whose boxes overlap by more than a third of the smaller one (text
    running into a neighbouring cell, a header over a title). Neighbours in one run may touch (kerning)."""
    heights = sorted(g.top - g.bottom for g in found) or [0]
    tall = heights[len(heights) // 2] * 3  # a watermark (DUPLICATE) lies over the page on purpose
    grid: dict[tuple[int, int, int], list[tuple[int, Glyph]]] = {}
    problems = []
    for i, g in enumerate(found):
        if g.top - g.bottom > tall or g.right - g.left <= 0:
            continue
        cells = {(g.page, int(x // 8), int(y // 8)) for x in (g.left, g.right) for y in (g.bottom, g.top)}
        seen = set()
        for cell in cells:
            for j, h in grid.get(cell, []):
                if j in seen or abs(i - j) <= 1:
                    continue
                seen.add(j)
                w = min(g.right, h.right) - max(g.left, h.left)
                t = min(g.top, h.top) - max(g.bottom, h.bottom)
                smaller = min(
                    (g.right - g.left) * (g.top - g.bottom), (h.right - h.left) * (h.top - h.bottom)
                )
                if w > 0 and t > 0 and w * t > smaller / 3:
                    problems.append(
                        f"page {g.page + 1}: {h.ch!r} and {g.ch!r} overlap at ({g.left:.0f}, {g.bottom:.0f})"
                    )
            grid.setdefault(cell, []).append((i, g))
    return problems


_NUMBER = re.compile(r"\d{1,3}(?:(?P<g>[.,\u202f\u00a0 ])\d{3}(?:(?P=g)\d{3})*)?(?:(?P<d>[.,])\d{2,3})?")


def well_formed(token: str) -> bool:
    """A whole amount or quantity: groups of three after one separator, then decimals after another."""
    m = _NUMBER.fullmatch(token)
    return m is not None and (m.group("g") is None or m.group("g") != m.group("d"))


def broken_numbers(text_lines: list[str]) -> list[str]:
    """A line ending in a malformed number that the next line completes ("253,282,71" + "5.00")."""
    out = []
    for a, b in zip(text_lines, text_lines[1:], strict=False):
        head = re.search(r"(\d[\d.,\u202f\u00a0]*\d|\d)$", a.rstrip())
        tail = re.match(r"\s*(\d[\d.,]*)", b)
        if head and tail:
            left, right = head.group(1), tail.group(1)
            if not well_formed(left) and well_formed(left + right):
                out.append(f"{left}|{right}")
    return out


@cache
def _words(lang: str) -> frozenset[str]:
    return frozenset(_vocabulary(lang)) if lang in ("fr", "es", "pt", "sw") else frozenset()


def layout_problems(pdf: bytes, lang: str) -> list[str]:
    sizes, found = glyphs(pdf)
    text_lines = lines(pdf)
    problems = [f"off the page: {p}" for p in off_page(sizes, found)]
    problems += [f"overlap: {p}" for p in overlapping(found)]
    problems += [f"number cut: {p}" for p in broken_numbers(text_lines)]
    problems += [f"word cut: {p}" for p in broken_words("\n".join(text_lines), _words(lang))]
    return problems


# --- the checks find what they look for ----------------------------------------------------------------


def _pdf(draw) -> bytes:
    import io

    from reportlab.lib.pagesizes import A5
    from reportlab.pdfgen.canvas import Canvas

    from reports.base import FONT, register_fonts

    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A5)
    c.setFont(FONT, 9)
    draw(c)
    c.save()
    return buf.getvalue()


def test_checks_find_overlap_and_text_off_the_page():
    pdf = _pdf(lambda c: (c.drawString(40, 300, "Cooperative name"), c.drawString(60, 301, "TITLE OVER IT"),
                          c.drawString(380, 100, "Amount running off the paper")))  # fmt: skip
    found = layout_problems(pdf, "en")
    assert any(p.startswith("overlap") for p in found)
    assert any(p.startswith("off the page") for p in found)
    assert layout_problems(_pdf(lambda c: c.drawString(40, 300, "Fits well")), "en") == []


def test_checks_find_cut_numbers_and_words():
    assert broken_numbers(["Total 253,282,71", "5.00 CDF"]) == ["253,282,71|5.00"]
    assert broken_numbers(["TSh 253,282,715.0", "0"]) == ["253,282,715.0|0"]
    assert broken_numbers(["8.000 g", "2025/1"]) == []
    assert broken_numbers(["1.452,00", "531,96"]) == []
    assert broken_words("Gari\nmpo", {"garimpo"}) == ["Gari|mpo"]


# --- every document, every language ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo cooperative once for the module (it takes seconds; the documents only read it)."""
    from coop.db import open_database
    from coop.services import demo as demo_data

    handle = open_database(tmp_path_factory.mktemp("layout") / "demo.sqlite")
    demo_data.create(SYSTEM)
    yield handle
    handle.close()


def _kinds():
    return sorted(reports.KINDS)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", _kinds())
def test_document_fits(kind, lang, demo):
    if kind not in PARAMS:
        pytest.fail(f"give {kind!r} its demo parameters in PARAMS")
    pdf = reports.build(kind, SYSTEM, lang=lang, printed=date(2026, 1, 15), **PARAMS[kind])
    assert layout_problems(pdf, lang) == []


@pytest.mark.parametrize("fmt", ["a5", "80mm", "58mm"])
@pytest.mark.parametrize("lang", LANGS)
def test_receipt_formats_fit(fmt, lang, demo):
    pdf = reports.build("receipt", SYSTEM, sale_id=1, fmt=fmt, lang=lang)
    if fmt == "a5":
        assert len(pdfium.PdfDocument(pdf)) == 1, "the A5 receipt takes one sheet"
    assert layout_problems(pdf, lang) == []


def test_rtl_pseudo_locale_documents_fit(demo):
    for kind in ("receipt", "statement", "census"):
        pdf = reports.build(kind, SYSTEM, lang="xx_RTL", **PARAMS[kind])
        assert layout_problems(pdf, "xx_RTL") == [], kind


# --- right-to-left text -----------------------------------------------------------------------------------

ARABIC_NAME = "فاطمة الزهراء"


def test_arabic_member_name_prints_in_reading_order(demo):
    """An Arabic name is shaped and laid out right to left: read back left to right on the page, the
    glyphs are the name's letters in reverse (visual order), in their joined forms."""
    from coop.models import Member

    member = Member.get_by_id(1)
    Member.update(full_name=ARABIC_NAME).where(Member.id == member.id).execute()
    try:
        pdf = reports.build("statement", SYSTEM, lang="fr", **PARAMS["statement"])
    finally:
        Member.update(full_name=member.full_name).where(Member.id == member.id).execute()
    assert any("\ufe70" <= ch <= "\ufeff" for ch in pdf_text(pdf)), "letters are shaped (joined forms)"
    _sizes, found = glyphs(pdf)
    arabic = [g for g in found if "\u0600" <= unicodedata.normalize("NFKC", g.ch)[:1] <= "\u06ff"]
    assert arabic, "the name is printed"
    a0 = arabic[0]  # the glyphs of its line: boxes level with the first one (ز and ر reach below the line)
    first_line = [g for g in arabic if g.page == a0.page and g.bottom < a0.top and g.top > a0.bottom]
    left_to_right = "".join(
        unicodedata.normalize("NFKC", g.ch) for g in sorted(first_line, key=lambda g: g.left)
    )
    assert left_to_right[::-1] == ARABIC_NAME.replace(" ", "")  # its first letter is the rightmost glyph
