"""Shared layout of every printed document: DejaVu fonts, locale formatters, styles, header, footer, page x of y."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from coop import i18n
from coop.i18n import _
from coop.services.documents.header import CoopHeader

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
INK = colors.HexColor("#1b1b1b")
GRID = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#e8edf2")
ACCENT = colors.HexColor("#1f4e79")
_registered = False


def register_fonts() -> None:
    """Register DejaVuSans (+Bold) from matplotlib's data folder once: accents, ₵ and narrow spaces render."""
    global _registered
    if _registered:
        return
    import matplotlib

    folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, os.path.join(folder, "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    from reportlab.platypus import tables

    # Table cells select their style's font even when they hold flowables: never fall back to Helvetica,
    # which is not embedded (and has no glyph for ₵ or U+202F).
    tables.CellStyle.fontname = FONT
    _registered = True


@dataclass
class Ctx:
    """What every renderer needs: the cooperative, the document's language and locale, and formatters."""

    coop: CoopHeader
    lang: str
    locale: str
    printed: date
    chain_prefix: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def currency(self) -> str:
        return self.coop.currency

    def money(self, minor: int, currency: str | None = None) -> str:
        return i18n.format_money(minor, currency or self.coop.currency, self.locale)

    def amount(self, minor: int, currency: str | None = None) -> str:
        return i18n.format_amount(minor, currency or self.coop.currency, self.locale)

    def qty(self, milli: int, unit: str, places: int = 3) -> str:
        return i18n.format_qty(milli, unit, self.locale, places)

    def num(self, value: Decimal | int, places: int | None = None) -> str:
        return i18n.format_decimal(value, self.locale, places)

    def pct(self, bp: int) -> str:
        return f"{i18n.format_decimal(Decimal(bp) / 100, self.locale, 2)}\u00a0%"

    def day(self, value: date, fmt: str = "medium") -> str:
        return i18n.format_date(value, self.locale, fmt)


def styles(size: float = 9) -> dict[str, ParagraphStyle]:
    """Paragraph styles scaled from one body size (thermal rolls use smaller sizes)."""
    register_fonts()
    lead = size * 1.25
    base = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=lead, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=size * 0.85, leading=lead * 0.85),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "bold": ParagraphStyle("bold", parent=base, fontName=FONT_BOLD),
        "bold_right": ParagraphStyle("bold_right", parent=base, fontName=FONT_BOLD, alignment=TA_RIGHT),
        "th": ParagraphStyle("th", parent=base, fontName=FONT_BOLD, fontSize=size * 0.9, leading=lead * 0.9),
        "th_right": ParagraphStyle(
            "th_right",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=size * 0.9,
            leading=lead * 0.9,
            alignment=TA_RIGHT,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=size * 1.4,
            leading=size * 1.8,
            alignment=TA_LEFT,
        ),
        "title_center": ParagraphStyle(
            "title_c",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=size * 1.4,
            leading=size * 1.8,
            alignment=TA_CENTER,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=size * 1.2,
            leading=size * 1.6,
            spaceBefore=size * 0.8,
            spaceAfter=size * 0.3,
            textColor=ACCENT,
        ),
    }


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew, Arabic and their presentation forms


def visual(text: str) -> str:
    """Text in the order it is drawn: reportlab lays glyphs left to right, so a right-to-left run (an Arabic
    member name) is shaped (joined letter forms) and reordered first (arabic-reshaper, python-bidi)."""
    if not _RTL.search(text):
        return text
    import arabic_reshaper
    from bidi import get_display

    return "\n".join(get_display(arabic_reshaper.reshape(line)) for line in text.split("\n"))


def esc(text: object) -> str:
    """Text for a Paragraph: XML special characters escaped."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Text(Flowable):
    """Plain text in a paragraph style. One line is drawn as is, so babel's narrow no-break spaces (U+202F)
    stay unbreakable glyphs (reportlab's Paragraph splits lines on them); longer text wraps as a Paragraph."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = visual(text)
        self.style = style
        self._para: Paragraph | None = None
        self._aw = 0.0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        st = self.style
        if "\n" not in self.text and pdfmetrics.stringWidth(self.text, st.fontName, st.fontSize) <= aw:
            self._para, self._aw = None, aw
            self.width, self.height = aw, st.leading
            return aw, st.leading
        self._para = Paragraph(esc(self.text.replace("\u202f", "\u00a0")).replace("\n", "<br/>"), st)
        self.width, self.height = self._para.wrap(aw, ah)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self.wrap(aw, ah)
        return self._para.split(aw, ah) if self._para is not None else []

    def getSpaceBefore(self) -> float:  # noqa: N802 (reportlab's name)
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.style.spaceAfter

    def draw(self) -> None:
        if self._para is not None:
            self._para.drawOn(self.canv, 0, 0)
            return
        st, c = self.style, self.canv
        c.setFont(st.fontName, st.fontSize)
        c.setFillColor(st.textColor)
        y = st.leading - st.fontSize
        if st.alignment == TA_RIGHT:
            c.drawRightString(self._aw, y, self.text)
        elif st.alignment == TA_CENTER:
            c.drawCentredString(self._aw / 2, y, self.text)
        else:
            c.drawString(0, y, self.text)


def para(text: object, style: ParagraphStyle) -> Flowable:
    return Text(str(text), style)


PADDING = 6  # table(): 3 pt left and right of every cell


def word_fitting(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    st: dict[str, ParagraphStyle],
) -> list[float]:
    """Column widths in which no header word and no one-word cell (an amount, a reference) is cut: a column
    narrower than its longest word takes the difference from columns with room to spare; where the page
    has none (the pseudo-locale's padded words) headers give way, values never."""

    def longest(words: Sequence[str], style: ParagraphStyle) -> float:
        return max((pdfmetrics.stringWidth(w, style.fontName, style.fontSize) for w in words), default=0.0)

    def value_need(i: int) -> float:
        cells = [
            str(r[i]) for r in rows if i < len(r) and not isinstance(r[i], Flowable) and " " not in str(r[i])
        ]
        return longest(cells, st["bold"]) + PADDING if cells else 0.0

    needs = [max(longest(str(h).split(), st["th"]) + PADDING, value_need(i)) for i, h in enumerate(header)]
    out = [max(w, n) for w, n in zip(widths, needs, strict=True)]
    for floor in (needs, [value_need(i) for i in range(len(out))]):
        excess = sum(out) - sum(widths)
        spare = [max(0.0, w - f) for w, f in zip(out, floor, strict=True)]
        if excess > 0.01 and sum(spare) > 0:
            share = min(1.0, excess / sum(spare))
            out = [w - s * share for w, s in zip(out, spare, strict=True)]
    return out


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    st: dict[str, ParagraphStyle],
    *,
    numeric: Sequence[int] = (),
    total: bool = False,
    repeat: bool = True,
) -> Table:
    """A ruled table with a shaded header row; numeric columns right-aligned; optional bold total row."""
    widths = word_fitting(header, rows, widths, st)
    head = [para(h, st["th_right"] if i in numeric else st["th"]) for i, h in enumerate(header)]
    body = []
    for r, row in enumerate(rows):
        last = total and r == len(rows) - 1
        cells = []
        for i, value in enumerate(row):
            if isinstance(value, Flowable):
                cells.append(value)
                continue
            name = ("bold_right" if last else "right") if i in numeric else ("bold" if last else "body")
            cells.append(para(value, st[name]))
        body.append(cells)
    t = Table([head, *body], colWidths=list(widths), repeatRows=1 if repeat else 0, hAlign="LEFT")
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if total and rows:
        style += [("LINEABOVE", (0, -1), (-1, -1), 0.8, INK), ("BACKGROUND", (0, -1), (-1, -1), SHADE)]
    t.setStyle(TableStyle(style))
    return t


def key_values(
    pairs: Sequence[tuple[str, str]], widths: Sequence[float], st: dict[str, ParagraphStyle]
) -> Table:
    """Label: value lines without rules (identification blocks)."""
    t = Table(
        [[para(k, st["small"]), para(v, st["body"])] for k, v in pairs], colWidths=list(widths), hAlign="LEFT"
    )
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return t


def signature_block(labels: Sequence[str], width: float, st: dict[str, ParagraphStyle]) -> Table:
    """Boxes for name, date and signature of each party."""
    cell = [
        [
            para(label, st["bold"]),
            para(_("Name:"), st["small"]),
            para(_("Date:"), st["small"]),
            para(_("Signature:"), st["small"]),
        ]
        for label in labels
    ]
    col = width / len(labels)
    inner = [Table([[c] for c in block], colWidths=[col - 8], rowHeights=None) for block in cell]
    for t in inner:
        t.setStyle(TableStyle([("BOTTOMPADDING", (0, 0), (-1, -1), 5), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
    outer = Table([inner], colWidths=[col] * len(labels))
    outer.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 0.5, GRID), ("INNERGRID", (0, 0), (-1, -1), 0.5, GRID)])
    )
    return outer


def _numbered_canvas(draw: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that keeps each page until save() so the footer can say 'page x of y'."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                draw(self, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


@dataclass
class Layout:
    """Page geometry and the running header/footer of one document."""

    title: str
    pagesize: tuple[float, float] = A4
    margins: tuple[float, float, float, float] = (15 * mm, 15 * mm, 24 * mm, 16 * mm)  # l, r, top, bottom
    font_size: float = 7.5
    header: bool = True
    date_label: str = ""  # "Printed" by default; receipts say "Issued"
    fixed_date: date | None = None  # stored date for byte-stable documents (receipts)
    watermark: str = ""


def _header(canv: Canvas, ctx: Ctx, lay: Layout) -> None:
    w, h = lay.pagesize
    left, right, top, _bottom = lay.margins
    c = ctx.coop
    room = w - left - right
    name = visual(c.name[:90])
    ids = "   ".join(
        x
        for x in (
            _("Reg. no. {value}").format(value=c.registration_no) if c.registration_no else "",
            i18n.tax_id_line(c.country, c.tax_id) if c.tax_id else "",
        )
        if x
    )
    address = visual(c.address[:120])
    canv.setFillColor(INK)
    name_size = _fitting_size(name, room, lay.font_size + 2, FONT_BOLD)
    canv.setFont(FONT_BOLD, name_size)
    canv.drawString(left, h - 11 * mm, name)
    # The title sits right of the ids; where a language makes both too long for one line it takes the
    # room left beside them (smaller), never running over them.
    ids_size = _fitting_size(ids, room * 0.55, lay.font_size)
    ids_width = pdfmetrics.stringWidth(ids, FONT, ids_size)
    canv.setFont(
        FONT_BOLD, _fitting_size(lay.title, room - ids_width - 4 * mm, lay.font_size + 0.5, FONT_BOLD)
    )
    canv.drawRightString(w - right, h - 15 * mm, lay.title)
    canv.setFont(FONT, ids_size)
    canv.drawString(left, h - 15 * mm, ids)
    canv.setFont(FONT, _fitting_size(address, room, lay.font_size))
    canv.drawString(left, h - 18.5 * mm, address)
    canv.setStrokeColor(ACCENT)
    canv.setLineWidth(0.8)
    canv.line(left, h - 20.5 * mm, w - right, h - 20.5 * mm)


def _footer_text(ctx: Ctx, lay: Layout, page: int, total: int) -> tuple[str, str]:
    when = lay.fixed_date or ctx.printed
    label = lay.date_label or _("Printed {date}")
    left = label.format(date=ctx.day(when)) + "  ·  " + _("Chain {hash}").format(hash=ctx.chain_prefix)
    return left, _("Page {page} of {total}").format(page=page, total=total)


def _fitting_size(text: str, width: float, size: float, font: str = FONT) -> float:
    """The font size at which a header or footer line fits its width (the given size when it fits)."""
    need = pdfmetrics.stringWidth(text, font, size)
    return size if need <= width else size * max(width, 1.0) / need


def _footer(canv: Canvas, ctx: Ctx, lay: Layout, page: int, total: int) -> None:
    w, _h = lay.pagesize
    left, right, _top, bottom = lay.margins
    text, pages = _footer_text(ctx, lay, page, total)
    size = lay.font_size - 0.5
    room = w - left - right
    canv.setFillColor(INK)
    canv.setStrokeColor(GRID)
    canv.setLineWidth(0.4)
    if w < 100 * mm:  # thermal roll: date, chain and page each on a line, from the paper's bottom up
        lines = [*text.split("  ·  "), pages]
        y = 3 * mm + (len(lines) - 1) * (size + 1)
        canv.line(left, y + size + 1, w - right, y + size + 1)
        for line in lines[:-1]:
            canv.setFont(FONT, _fitting_size(line, room, size))
            canv.drawString(left, y, line)
            y -= size + 1
        canv.setFont(FONT, _fitting_size(pages, room, size))
        canv.drawRightString(w - right, y, pages)
    else:  # one line: the text left, the page number right, never running into each other
        y = max(bottom - 8 * mm, 3 * mm)
        canv.line(left, y + lay.font_size + 1, w - right, y + lay.font_size + 1)
        pages_width = pdfmetrics.stringWidth(pages, FONT, size)
        canv.setFont(FONT, _fitting_size(text, room - pages_width - 6 * mm, size))
        canv.drawString(left, y, text)
        canv.setFont(FONT, size)
        canv.drawRightString(w - right, y, pages)
    if lay.watermark:
        _watermark(canv, lay)


def _watermark(canv: Canvas, lay: Layout) -> None:
    w, h = lay.pagesize
    canv.saveState()
    canv.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.18))
    size = min(w, h) / max(6, len(lay.watermark)) * 1.5
    canv.setFont(FONT_BOLD, size)
    canv.translate(w / 2, h / 2)
    canv.rotate(35 if h > w * 1.2 else 0)
    canv.drawCentredString(0, -size / 3, lay.watermark)
    canv.restoreState()


def render(ctx: Ctx, lay: Layout, story: list[Flowable], *, invariant: bool = False) -> bytes:
    """Lay the story out on pages with the running header and footer; returns the PDF bytes."""
    register_fonts()
    buf = io.BytesIO()
    left, right, top, bottom = lay.margins
    w, h = lay.pagesize
    doc = BaseDocTemplate(
        buf,
        pagesize=lay.pagesize,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=lay.title,
        author=ctx.coop.name,
        creator="CoopLedger",
        subject=lay.title,
        invariant=1 if invariant else 0,
        initialFontName=FONT,
        lang=ctx.lang,
    )
    frame = Frame(left, bottom, w - left - right, h - top - bottom, id="body", leftPadding=0, rightPadding=0)

    def on_page(canv: Canvas, _doc: BaseDocTemplate) -> None:
        if lay.header:
            _header(canv, ctx, lay)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    canvasmaker = _numbered_canvas(lambda canv, page, total: _footer(canv, ctx, lay, page, total))
    if lay.fixed_date is not None:
        fixed = lay.fixed_date
        base = canvasmaker

        class FixedDateCanvas(base):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.setDateFormatter(lambda *_a: f"D:{fixed:%Y%m%d}000000+00'00'")

        canvasmaker = FixedDateCanvas
    doc.build(story, canvasmaker=canvasmaker)
    return buf.getvalue()
