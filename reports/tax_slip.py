"""Tax-payment slip (A5): what the cooperative paid, to which authority, for which period, with the chain link
in 16 characters and in full in its QR code, signed by the treasurer and the manager."""

from __future__ import annotations

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from coop import money, vocab
from coop.i18n import _, pgettext
from coop.services.documents.tax_slip import TaxSlipData
from coop.words import amount_words
from reports.base import Ctx, para, render, signature_block, styles
from reports.receipt import _pairs_table, qr
from reports.voucher import slip_layout

LINK_CHARS = 16  # hex characters of the journal entry's link printed on paper


def qr_payload(ctx: Ctx, s: TaxSlipData) -> str:
    """The slip's QR code (ASCII): number, date, period, amount, currency, the full link hash and the anchor."""
    amount = money.from_minor(s.amount_minor, ctx.currency)
    return (
        f"COOPLEDGER;TAX={s.number};D={s.date.isoformat()};"
        f"P={s.period_from.isoformat()}/{s.period_to.isoformat()};T={amount};C={ctx.currency};"
        f"H={s.chain_hash};CHECK={s.anchor}"
    )


def _story(ctx: Ctx, s: TaxSlipData) -> list[Flowable]:
    st = styles(8)
    width = A5[0] - 20 * mm
    voided = pgettext("receipt mark", "VOIDED") if s.state == "voided" else ""
    head = Table(
        [
            [
                para(_("TAX PAYMENT SLIP"), st["title"]),
                para(_("No. {number}").format(number=s.number), st["title"]),
            ],
            [
                para(_("Date of payment: {date}").format(date=ctx.day(s.date, "long")), st["body"]),
                para(voided, st["bold_right"]),
            ],
        ],
        colWidths=[width * 0.6, width * 0.4],
    )
    head.setStyle(TableStyle([("ALIGN", (1, 0), (1, -1), "RIGHT"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    period = _("{start} to {end}").format(start=ctx.day(s.period_from), end=ctx.day(s.period_to))
    pairs = [
        (_("Authority"), s.authority),
        (_("Tax"), s.tax_name or "—"),
        (_("Period"), period),
        (_("Reference"), s.reference or "—"),
        (_("Amount paid"), ctx.money(s.amount_minor)),
    ]
    words = amount_words(s.amount_minor, ctx.currency, ctx.locale)
    story: list[Flowable] = [
        head,
        Spacer(1, 4 * mm),
        _pairs_table(pairs, st, [width * 0.4, width * 0.6], bold_last=True),
        Spacer(1, 3 * mm),
        para(_("Amount paid in words: {words}.").format(words=words[:1].upper() + words[1:]), st["body"]),
    ]
    if s.state == "voided":
        story.append(para(_(vocab.VOIDED_BECAUSE).format(reason=s.void_reason), st["bold"]))
    issued = _("Issued by {user}. Chain link {hash}.").format(
        user=s.created_by, hash=s.chain_hash[:LINK_CHARS]
    )
    check = _(
        "To check this slip against the books: verify --anchor {anchor} (in full in the QR code)."
    ).format(anchor=f"tax/{s.payment_id}:{s.chain_hash[:LINK_CHARS]}")
    story += [
        Spacer(1, 4 * mm),
        signature_block([_("Treasurer"), _("Manager")], width, st),
        Spacer(1, 3 * mm),
        Table(
            [[para(f"{issued} {check}", st["small"]), qr(qr_payload(ctx, s), 22 * mm)]],
            colWidths=[width - 26 * mm, 26 * mm],
            style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]),
        ),
    ]
    return story


def render_tax_slip(ctx: Ctx, s: TaxSlipData) -> bytes:
    """The slip's PDF; the same stored payment gives the same bytes."""
    ctx.chain_prefix = s.chain_hash[:LINK_CHARS]
    lay = slip_layout(_("Tax payment slip {number}").format(number=s.number), s.date, s.state == "voided")
    return render(ctx, lay, _story(ctx, s), invariant=True)
