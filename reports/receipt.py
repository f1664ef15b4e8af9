"""Sale receipt in A5 and on 80 mm / 58 mm thermal rolls, byte-stable on reprint (marked DUPLICATE)."""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable, HRFlowable

from coop import i18n, money, vocab
from coop.i18n import _, pgettext
from coop.services.documents.receipt import ReceiptData
from coop.services.registry import BUYER_KINDS, GRADE_KINDS
from coop.words import amount_words
from reports.base import FONT, GRID, INK, SHADE, Ctx, Layout, para, render, signature_block, styles

FORMATS = ("a5", "80mm", "58mm")
ROLL_WIDTH = {"80mm": 80 * mm, "58mm": 58 * mm}
ROLL_MARGIN = {"80mm": 4 * mm, "58mm": 3 * mm}


def qr(payload: str, size: float) -> Drawing:
    """A QR code drawing of an ASCII payload, `size` points square."""
    widget = QrCodeWidget(payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(widget)
    d.initialFontName = FONT  # renderPDF sets the drawing's font even without text: keep it an embedded one
    return d


def _grade(ctx: Ctx, lot_grade: int, kind: str) -> str:
    if kind == "none" or not lot_grade:
        return "—"
    unit = {"fineness": "‰", "percent": "%", "karat": "K"}.get(kind, "")
    value = money.milli_to_qty(lot_grade)
    return f"{ctx.num(value, 0 if value == value.to_integral() else 1)}\u00a0{unit}"


def rate_text(ctx: Ctx, r: ReceiptData) -> str:
    if r.figures.currency == r.figures.local_currency:
        return "—"
    rate = money.micro_to_rate(r.figures.rate_micro)
    places = max(0, -rate.as_tuple().exponent)  # type: ignore[operator]
    sym = i18n.currency_symbol
    return f"1\u00a0{sym(r.figures.currency, ctx.locale)} = {ctx.num(rate, places)}\u00a0{sym(r.figures.local_currency, ctx.locale)}"


def _totals(ctx: Ctx, r: ReceiptData) -> list[tuple[str, str]]:
    rows = [(_("Gross value"), ctx.money(r.figures.gross_minor, r.figures.currency))]
    if r.figures.currency != r.figures.local_currency:
        rows.append(
            (
                _("Gross value in {currency}").format(
                    currency=i18n.currency_symbol(r.figures.local_currency, ctx.locale)
                ),
                ctx.money(r.figures.gross_local_minor),
            )
        )
    levy_bp = r.figures.levy_bp  # the rate stored on the sale; a sale posted before schema 6 has none
    levy = (
        _("Cooperative levy")
        if levy_bp is None
        else _("Cooperative levy ({rate})").format(rate=ctx.pct(levy_bp))
    )
    rows.append((levy, "−" + ctx.money(r.figures.levy_minor)))
    for t in r.figures.taxes:
        label = f"{shipped(t.name)} – {shipped(t.authority)} ({ctx.pct(t.rate_bp)})"
        if t.withheld:
            rows.append((label, "−" + ctx.money(t.amount_minor)))
        else:
            rows.append((label + " " + _("(paid by the cooperative)"), ctx.money(t.amount_minor)))
    rows.append((_("Net to members"), ctx.money(r.figures.net_minor)))
    return rows


def shipped(text: str) -> str:
    """A tax rule's name or authority: the presets of older files and the demo store English msgids, shown
    translated like mineral names; a name typed by the cooperative has no entry and shows as typed."""
    if not text:
        return text  # _("") would return the catalogue's header
    if i18n.current_language() in (i18n.PSEUDO, i18n.RTL_PSEUDO):
        # The pseudo-locale marks every string it is given; a name stored in the cooperative's language (the
        # demo's "Redevance minière") is no msgid, so it stays as stored there as in every real language.
        with i18n.language("fr"):
            if i18n._(text) == text:
                return text
    return _(text)


def _mark(r: ReceiptData, duplicate: bool) -> str:
    if r.state == "voided":
        return pgettext("receipt mark", "VOIDED")
    return pgettext("receipt mark", "DUPLICATE") if duplicate else ""


def _lots_table(ctx: Ctx, r: ReceiptData, st: dict, width: float) -> Table:
    from reports.base import table

    fine = any(lot.grade_kind == "fineness" for lot in r.lots)
    header = [_("Lot"), _("Site"), _("Mineral"), _("Quantity"), _("Grade")]
    widths = [0.25, 0.08, 0.12, 0.14, 0.11]
    if fine:
        header.append(_("Fine qty"))
        widths.append(0.14)
    header.append(
        _("Value ({currency})").format(currency=i18n.currency_symbol(r.figures.currency, ctx.locale))
    )
    widths.append(1 - sum(widths))
    rows = []
    for lot in r.lots:
        row = [
            lot.reference,
            lot.site_code,
            _(lot.mineral),  # a shipped name is a msgid (coop/countries.py)
            ctx.qty(lot.qty_milli, lot.unit, 3),
            _grade(ctx, lot.grade_milli, lot.grade_kind),
        ]
        if fine:
            row.append(ctx.qty(lot.priced_qty_milli, lot.unit, 3))
        row.append(ctx.amount(lot.value_minor, r.figures.currency))
        rows.append(row)
    total = [_("Total"), "", "", ctx.qty(r.figures.qty_milli, r.lots[0].unit if r.lots else "", 3), ""]
    if fine:
        total.append(ctx.qty(r.figures.priced_qty_milli, r.lots[0].unit, 3))
    total.append(ctx.amount(r.figures.gross_minor, r.figures.currency))
    rows.append(total)
    numeric = [3, 4, 5, 6] if fine else [3, 4, 5]
    cols = word_widths(header, rows, [w * width for w in widths], st["th"], st["bold"])
    return table(header, rows, cols, st, numeric=numeric, total=True)


CELL_PADDING = 6  # reports.base.table: 3 pt left and right


def word_widths(
    header: list[str], rows: list[list[str]], widths: list[float], head: ParagraphStyle, cell: ParagraphStyle
) -> list[float]:
    """Column widths in which no header word and no single-word cell is broken: a column narrower than its
    longest word (a Swahili header: "Kiwango") takes the difference from columns with room to spare."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def longest(words: list[str], style: ParagraphStyle) -> float:
        return max((stringWidth(w, style.fontName, style.fontSize) for w in words), default=0.0)

    def value_need(i: int) -> float:
        cells = [str(r[i]) for r in rows if " " not in str(r[i])]  # the total row is bold
        return longest(cells, cell) + CELL_PADDING

    def need(i: int) -> float:
        return max(longest(header[i].split(), head) + CELL_PADDING, value_need(i))

    needs = [need(i) for i in range(len(widths))]
    out = [max(w, n) for w, n in zip(widths, needs, strict=True)]
    excess = sum(out) - sum(widths)
    spare = [max(0.0, w - n) for w, n in zip(out, needs, strict=True)]
    if excess > 0 and sum(spare) > 0:
        share = min(1.0, excess / sum(spare))
        out = [w - s * share for w, s in zip(out, spare, strict=True)]
    excess = sum(out) - sum(widths)
    # header words longer than the paper allows (the pseudo-locale): headers give way, values never
    if excess > 0.01:
        soft = [max(0.0, w - value_need(i)) for i, w in enumerate(out)]
        cut = min(1.0, excess / sum(soft)) if sum(soft) else 0.0
        out = [w - s * cut for w, s in zip(out, soft, strict=True)]
    return out


def _pairs_table(
    pairs: list[tuple[str, str]], st: dict, widths: list[float], bold_last: bool = False
) -> Table:
    rows = []
    for i, (k, v) in enumerate(pairs):
        last = bold_last and i == len(pairs) - 1
        rows.append([para(k, st["bold" if last else "body"]), para(v, st["bold_right" if last else "right"])])
    t = Table(rows, colWidths=widths)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    if bold_last:
        style += [("BACKGROUND", (0, -1), (-1, -1), SHADE), ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK)]
    t.setStyle(TableStyle(style))
    return t


def _price_line(ctx: Ctx, r: ReceiptData) -> str:
    unit = r.lots[0].unit if r.lots else ""
    fine = any(lot.grade_kind == "fineness" for lot in r.lots)
    per = _("per {unit} of fine metal").format(unit=unit) if fine else _("per {unit}").format(unit=unit)
    return f"{price_text(ctx, r.figures.unit_price, r.figures.currency)} {per}"


def price_text(ctx: Ctx, price: Decimal, currency: str) -> str:
    """The unit price exactly as typed (all its decimals, at least the currency's), with the currency."""
    places = max(money.digits(currency), money.decimals_of(price))
    # Placed as the country writes money ("Bs 12,50" in Bolivia, "12,50 FC" in the DRC): the amounts' pattern
    # with the typed price in place of zero, so the price and the totals show the currency the same way.
    zero = i18n.format_amount(0, currency, ctx.locale)
    return i18n.format_money(0, currency, ctx.locale).replace(zero, ctx.num(price, places), 1)


def _words(ctx: Ctx, r: ReceiptData) -> str:
    text = amount_words(r.figures.gross_minor, r.figures.currency, ctx.locale)  # pt_MZ writes pt-PT
    return text[:1].upper() + text[1:]


def _a5_story(ctx: Ctx, r: ReceiptData, duplicate: bool) -> list[Flowable]:
    st = styles(8)
    width = A5[0] - 20 * mm
    mark = _mark(r, duplicate)
    title = [
        [
            para(_("SALE RECEIPT"), st["title"]),
            para(_("No. {number}").format(number=r.number), st["title"]),
        ],
        [
            para(_("Date of sale: {date}").format(date=ctx.day(r.date, "long")), st["body"]),
            para(mark, st["bold_right"]),
        ],
    ]
    head = Table(title, colWidths=[width * 0.6, width * 0.4])
    head.setStyle(TableStyle([("ALIGN", (1, 0), (1, -1), "RIGHT"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    buyer = [
        (_("Buyer"), r.buyer_name),
        (_("Buyer type"), _(BUYER_KINDS.get(r.buyer_kind, r.buyer_kind))),
        (_("Licence no."), r.buyer_licence or "—"),
        (_("Buyer tax id"), r.buyer_tax_id or "—"),
    ]
    terms = [
        (_("Unit price"), _price_line(ctx, r)),
        (_("Currency"), i18n.currency_line(r.figures.currency, ctx.locale)),
        (_("Exchange rate"), rate_text(ctx, r)),
        (_("Payment method"), vocab.label(vocab.PAYMENT_METHODS, r.payment_method)),
    ]
    half = width / 2 - 3 * mm
    blocks = Table(
        [
            [
                _pairs_table(buyer, st, [half * 0.38, half * 0.62]),
                _pairs_table(terms, st, [half * 0.38, half * 0.62]),
            ]
        ],
        colWidths=[width / 2, width / 2],
    )
    blocks.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story: list[Flowable] = [
        head,
        Spacer(1, 3 * mm),
        blocks,
        Spacer(1, 3 * mm),
        _lots_table(ctx, r, st, width),
    ]
    totals = _pairs_table(_totals(ctx, r), st, [width * 0.48, width * 0.3], bold_last=True)
    side = Table([[totals, qr(r.qr_payload, 24 * mm)]], colWidths=[width * 0.8, width * 0.2])
    side.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ]
        )
    )
    story += [Spacer(1, 3 * mm), side]
    story += [
        Spacer(1, 2 * mm),
        para(_("Amount paid in words: {words}.").format(words=_words(ctx, r)), st["body"]),
    ]
    if r.state == "voided":
        story.append(para(_(vocab.VOIDED_BECAUSE).format(reason=r.void_reason), st["bold"]))
    grade = _(GRADE_KINDS.get(r.lots[0].grade_kind, "")) if r.lots else ""
    if grade and r.lots[0].grade_kind != "none":
        story.append(para(_("Grade: {kind}.").format(kind=grade), st["small"]))
    story += [Spacer(1, 2 * mm), signature_block([_("Buyer"), _("Treasurer")], width, st), Spacer(1, 2 * mm)]
    foot = [
        para(
            _("Issued by {user}. Chain hash {hash}.").format(
                user=r.issued_by or r.created_by, hash=r.chain_hash[:16]
            ),
            st["small"],
        ),
        para(ctx.coop.receipt_footer, st["small"]),
    ]
    story += foot
    return story


def _roll_story(ctx: Ctx, r: ReceiptData, duplicate: bool, width: float, size: float) -> list[Flowable]:
    st = styles(size)
    c = ctx.coop
    mark = _mark(r, duplicate)
    story: list[Flowable] = [para(c.name, st["title_center"])]
    ids = [
        _("Reg. no. {value}").format(value=c.registration_no) if c.registration_no else "",
        i18n.tax_id_line(c.country, c.tax_id) if c.tax_id else "",
        c.address,
    ]
    story += [para(x, st["center"]) for x in ids if x]
    story += [HRFlowable(width="100%", thickness=0.6, color=INK, spaceBefore=2, spaceAfter=2)]
    story += [
        para(_("SALE RECEIPT"), st["title_center"]),
        para(_("No. {number}").format(number=r.number), st["title_center"]),
    ]
    if mark:
        story.append(para(mark, st["title_center"]))
    story.append(para(_("Date of sale: {date}").format(date=ctx.day(r.date)), st["center"]))
    pairs = [
        (_("Buyer"), r.buyer_name),
        (_("Licence no."), r.buyer_licence or "—"),
        (_("Buyer tax id"), r.buyer_tax_id or "—"),
    ]
    story += [Spacer(1, 2), _pairs_table(pairs, st, [width * 0.35, width * 0.65])]
    story.append(HRFlowable(width="100%", thickness=0.6, color=INK, spaceBefore=3, spaceAfter=2))
    for lot in r.lots:
        story.append(para(lot.reference, st["bold"]))
        mineral = _(lot.mineral)  # a shipped mineral's name is a msgid; a typed one shows as is
        story.append(para(f"{lot.site_code} – {lot.site_name} · {mineral}", st["small"]))
        line = [
            (
                ctx.qty(lot.qty_milli, lot.unit, 3) + "  " + _grade(ctx, lot.grade_milli, lot.grade_kind),
                ctx.amount(lot.value_minor, r.figures.currency),
            )
        ]
        if lot.grade_kind == "fineness":
            line[0] = (line[0][0] + " → " + ctx.qty(lot.priced_qty_milli, lot.unit, 3), line[0][1])
        story.append(_pairs_table(line, st, [width * 0.64, width * 0.36]))
    story.append(HRFlowable(width="100%", thickness=0.6, color=INK, spaceBefore=2, spaceAfter=2))
    terms = [
        (_("Unit price"), _price_line(ctx, r)),
        (_("Exchange rate"), rate_text(ctx, r)),
    ]
    story.append(_pairs_table(terms, st, [width * 0.35, width * 0.65]))
    story.append(Spacer(1, 2))
    story.append(_pairs_table(_totals(ctx, r), st, [width * 0.55, width * 0.45], bold_last=True))
    story.append(Spacer(1, 2))
    story.append(para(_("Amount paid in words: {words}.").format(words=_words(ctx, r)), st["small"]))
    method = vocab.label(vocab.PAYMENT_METHODS, r.payment_method)
    story.append(para(_("Payment method: {method}").format(method=method), st["body"]))
    if r.state == "voided":
        story.append(para(_(vocab.VOIDED_BECAUSE).format(reason=r.void_reason), st["bold"]))
    story += [Spacer(1, 4 * mm)]
    for label in (_("Buyer"), _("Treasurer")):
        story += [
            Spacer(1, 6 * mm),
            HRFlowable(width="80%", thickness=0.4, color=INK),
            para(label, st["center"]),
        ]
    story += [Spacer(1, 3 * mm), Table([[qr(r.qr_payload, min(30 * mm, width * 0.7))]], colWidths=[width])]
    story.append(
        para(
            _("Issued by {user}. Chain hash {hash}.").format(
                user=r.issued_by or r.created_by, hash=r.chain_hash[:16]
            ),
            st["center"],
        )
    )
    if c.receipt_footer:
        story.append(para(c.receipt_footer, st["center"]))
    return story


class _Probe(Flowable):
    """Zero-size flowable that records where on the page the story ended (to size a thermal roll)."""

    def __init__(self) -> None:
        super().__init__()
        self.y: float | None = None

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.y = self.canv.absolutePosition(0, 0)[1]


def _height(ctx: Ctx, lay: Layout, story: list[Flowable]) -> float:
    """Used height of a story laid on a very tall roll."""
    probe = _Probe()
    tall = 3000 * mm
    lay.pagesize = (lay.pagesize[0], tall)
    render(ctx, lay, [*story, probe], invariant=True)
    assert probe.y is not None
    return tall - probe.y


def render_receipt(ctx: Ctx, r: ReceiptData, fmt: str = "a5", duplicate: bool = False) -> bytes:
    """The receipt's PDF; `duplicate` marks a reprint. Same data and mark give the same bytes."""
    title = _("Sale receipt {number}").format(number=r.number)
    ctx.chain_prefix = r.chain_hash[:16]  # the link of this sale (a paper anchor): stable on reprint
    if fmt == "a5":
        lay = Layout(
            title=title,
            pagesize=A5,
            margins=(10 * mm, 10 * mm, 23 * mm, 15 * mm),
            font_size=7,
            date_label=_("Issued {date}"),
            fixed_date=r.date,
            watermark=_mark(r, duplicate),
        )
        return render(ctx, lay, _a5_story(ctx, r, duplicate), invariant=True)
    if fmt not in ROLL_WIDTH:
        raise ValueError(f"unknown receipt format {fmt!r}")
    width, margin = ROLL_WIDTH[fmt], ROLL_MARGIN[fmt]
    size = 7.2 if fmt == "80mm" else 6.2
    inner = width - 2 * margin
    lay = Layout(
        title=title,
        pagesize=(width, 0),
        margins=(margin, margin, 4 * mm, 12 * mm),
        font_size=size,
        header=False,
        date_label=_("Issued {date}"),
        fixed_date=r.date,
    )
    height = _height(ctx, lay, _roll_story(ctx, r, duplicate, inner, size)) + lay.margins[3] + 8
    lay.pagesize = (width, height)
    return render(ctx, lay, _roll_story(ctx, r, duplicate, inner, size), invariant=True)
