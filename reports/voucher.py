"""Payout voucher (A5): what the member received, in figures and in words, signed by the member and treasurer."""

from __future__ import annotations

from datetime import date

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from coop import money, vocab
from coop.i18n import _, pgettext
from coop.services.documents.voucher import VoucherData
from coop.words import amount_words
from reports.base import Ctx, Layout, para, render, signature_block, styles
from reports.receipt import _pairs_table, qr

LINK_CHARS = 16  # hex characters of the journal entry's link printed on paper


def anchor_text(v: VoucherData) -> str:
    """What `verify --anchor` (or Tools > Check receipts) takes for this voucher: its record and link hash."""
    return f"payout/{v.payout_id}:{v.chain_hash}"


def qr_payload(ctx: Ctx, v: VoucherData) -> str:
    """The voucher's QR code (ASCII): number, date, amount, currency, the full link hash and the anchor."""
    amount = money.from_minor(v.amount_minor, ctx.currency)
    return (
        f"COOPLEDGER;V={v.number};D={v.date.isoformat()};T={amount};C={ctx.currency};H={v.chain_hash};"
        f"CHECK={anchor_text(v)}"
    )


def _words(ctx: Ctx, v: VoucherData) -> str:
    text = amount_words(v.amount_minor, ctx.currency, ctx.locale)
    return text[:1].upper() + text[1:]


def _story(ctx: Ctx, v: VoucherData) -> list[Flowable]:
    st = styles(8)
    width = A5[0] - 20 * mm
    head = Table(
        [
            [
                para(_("PAYOUT VOUCHER"), st["title"]),
                para(_("No. {number}").format(number=v.number), st["title"]),
            ],
            [
                para(_("Date of payout: {date}").format(date=ctx.day(v.date, "long")), st["body"]),
                para(pgettext("receipt mark", "VOIDED") if v.state == "voided" else "", st["bold_right"]),
            ],
        ],
        colWidths=[width * 0.6, width * 0.4],
    )
    head.setStyle(TableStyle([("ALIGN", (1, 0), (1, -1), "RIGHT"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    pairs = [
        (_("Member"), v.member_name),
        (_("Member no."), v.member_no),
        (_("Payment method"), vocab.label(vocab.PAYMENT_METHODS, v.method)),
        (_("Reference"), v.reference or "—"),
        (_("Balance before"), ctx.money(v.balance_before_minor)),
        (_("Balance after"), ctx.money(v.balance_after_minor)),
        (_("Amount paid"), ctx.money(v.amount_minor)),
    ]
    story: list[Flowable] = [
        head,
        Spacer(1, 4 * mm),
        _pairs_table(pairs, st, [width * 0.4, width * 0.6], bold_last=True),
        Spacer(1, 3 * mm),
        para(_("Amount paid in words: {words}.").format(words=_words(ctx, v)), st["body"]),
        Spacer(1, 2 * mm),
        para(
            _("I, {name}, received this amount from the cooperative.").format(name=v.member_name), st["body"]
        ),
    ]
    if v.state == "voided":
        story.append(para(_(vocab.VOIDED_BECAUSE).format(reason=v.void_reason), st["bold"]))
    story += [
        Spacer(1, 4 * mm),
        signature_block([_("Member"), _("Treasurer")], width, st),
        Spacer(1, 3 * mm),
        Table(
            [[_check_text(v, st), qr(qr_payload(ctx, v), 22 * mm)]],
            colWidths=[width - 26 * mm, 26 * mm],
            style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]),
        ),
    ]
    return story


def _check_text(v: VoucherData, st: dict) -> Flowable:
    issued = _("Issued by {user}. Chain link {hash}.").format(
        user=v.created_by, hash=v.chain_hash[:LINK_CHARS]
    )
    check = _(
        "To check this voucher against the books: verify --anchor {anchor} (in full in the QR code)."
    ).format(anchor=f"payout/{v.payout_id}:{v.chain_hash[:LINK_CHARS]}")
    return para(f"{issued} {check}", st["small"])


def render_voucher(ctx: Ctx, v: VoucherData) -> bytes:
    """The voucher's PDF; the same stored payout gives the same bytes."""
    ctx.chain_prefix = v.chain_hash[:LINK_CHARS]
    lay = slip_layout(_("Payout voucher {number}").format(number=v.number), v.date, v.state == "voided")
    return render(ctx, lay, _story(ctx, v), invariant=True)


def slip_layout(title: str, day: date, voided: bool) -> Layout:
    """The page of an A5 slip of a stored record (voucher, tax slip): its fixed issue date, VOIDED marked."""
    return Layout(
        title=title,
        pagesize=A5,
        margins=(10 * mm, 10 * mm, 23 * mm, 15 * mm),
        font_size=7,
        date_label=_("Issued {date}"),
        fixed_date=day,
        watermark=pgettext("receipt mark", "VOIDED") if voided else "",
    )
