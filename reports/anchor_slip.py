"""Anchor slip (A5): the chain's length and full head at printing, the latest anchors of the log, and
boxes for the signatures of the general assembly or supervisory committee that keep it."""

from __future__ import annotations

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from coop.i18n import _
from coop.services.documents.anchor_slip import AnchorSlipData
from reports.base import Ctx, Layout, para, render, signature_block, styles
from reports.receipt import qr


def _event(name: str) -> str:
    from coop import verification

    return _(verification.EVENTS[name]) if name in verification.EVENTS else name


def _grouped(digest: str) -> str:
    """The hash in groups of 8 characters, so that it can be read aloud and copied by hand."""
    return " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))


def _story(ctx: Ctx, s: AnchorSlipData) -> list[Flowable]:
    st = styles(8)
    width = A5[0] - 20 * mm
    story: list[Flowable] = [
        para(_("ANCHOR SLIP OF THE BOOKS"), st["title"]),
        Spacer(1, 2 * mm),
        para(
            _(
                "On {date} the ledger's tamper-evident chain held {n} links. Its newest link is the hash "
                "below. Keep this slip: `verify --anchor` or Tools › Check receipts compares the books with it, "
                "and any later change to an earlier record shows."
            ).format(date=ctx.day(s.printed_at.date(), "long"), n=s.length),
            st["body"],
        ),
        Spacer(1, 3 * mm),
        Table(
            [[para(_grouped(s.head), st["bold"]), qr(f"COOPLEDGER;A={s.length};H={s.head}", 26 * mm)]],
            colWidths=[width * 0.68, width * 0.32],
            style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
        ),
        Spacer(1, 2 * mm),
        para(
            _("To type into Check receipts: {anchor}").format(anchor=f"link/{s.length}:{s.head[:16]}"),
            st["small"],
        ),
    ]
    if s.anchors:
        rows = [[_("When"), _("Event"), _("Links"), _("Head")]]
        rows += [[a.time, _event(a.event), str(a.length), a.head[:16]] for a in s.anchors]
        table = Table(
            [[para(c, st["small"]) for c in row] for row in rows],
            colWidths=[width * 0.28, width * 0.27, width * 0.12, width * 0.33],
        )
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, "#999999")]))
        story += [
            Spacer(1, 3 * mm),
            para(_("Latest anchors kept beside the backups ({path}):").format(path=s.log_path), st["small"]),
            table,
        ]
    story += [
        Spacer(1, 5 * mm),
        signature_block([_("Chair of the general assembly"), _("Supervisory committee")], width, st),
    ]
    return story


def render_anchor_slip(ctx: Ctx, s: AnchorSlipData) -> bytes:
    ctx.chain_prefix = s.head[:16]
    lay = Layout(
        title=_("Anchor slip"),
        pagesize=A5,
        margins=(10 * mm, 10 * mm, 23 * mm, 15 * mm),
        font_size=7,
    )
    return render(ctx, lay, _story(ctx, s))
