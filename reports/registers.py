"""Member register / census summary (aggregate without personal data) and the chain-of-custody report."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from coop import money, vocab
from coop.i18n import _
from coop.services.documents.registers import Census, Custody
from coop.services.registry import BUYER_KINDS, MEMBER_ROLES, MEMBER_STATUSES, SEXES
from reports.base import Ctx, Layout, key_values, para, render, styles, table
from reports.receipt import _grade

WIDTH = 180 * mm


def _share(ctx: Ctx, n: int, total: int) -> str:
    return f"{ctx.num(money.round_to(Decimal(n) * 100 / Decimal(total), 1), 1)}\u00a0%" if total else "—"


def _count_table(
    ctx: Ctx, title: str, counts: dict[str, int], labels: dict[str, str], total: int, st: dict
) -> Table:
    rows: list[list[object]] = [
        [labels.get(k, k), ctx.num(v), _share(ctx, v, total)] for k, v in counts.items()
    ]
    rows.append([_("Total"), ctx.num(sum(counts.values())), _share(ctx, sum(counts.values()), total)])
    return table(
        [title, _("Members"), _("Share")], rows, [40 * mm, 22 * mm, 22 * mm], st, numeric=[1, 2], total=True
    )


def _pair(a: Flowable, b: Flowable) -> Table:
    t = Table([[a, b]], colWidths=[WIDTH / 2, WIDTH / 2])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def census_story(ctx: Ctx, c: Census, st: dict) -> list[Flowable]:
    sexes = {k: _(v) for k, v in SEXES.items()} | {"?": _("Not stated")}
    roles = {k: _(v) for k, v in MEMBER_ROLES.items()}
    statuses = {k: _(v) for k, v in MEMBER_STATUSES.items()}
    sites = {k: f"{k} – {v}" for k, v in c.sites.items()}
    ages = {"?": _("Not stated"), "<18": _("Under 18")}
    n = c.total
    story: list[Flowable] = [
        _pair(
            _count_table(ctx, _("Sex"), c.by_sex, sexes, n, st),
            _count_table(ctx, _("Status"), c.by_status, statuses, n, st),
        ),
        Spacer(1, 3 * mm),
        _pair(
            _count_table(ctx, _("Age band"), c.by_age, ages, n, st),
            _count_table(ctx, _("Role"), c.by_role, roles, n, st),
        ),
        Spacer(1, 3 * mm),
        _count_table(ctx, _("Site"), c.by_site, sites, n, st),
        para(_("Role by sex"), st["h2"]),
    ]
    sex_keys = sorted({s for v in c.sex_by_role.values() for s in v})
    rows: list[list[object]] = [
        [roles.get(r, r), *[ctx.num(v.get(s, 0)) for s in sex_keys], ctx.num(sum(v.values()))]
        for r, v in c.sex_by_role.items()
    ]
    sums = [sum(v.get(s, 0) for v in c.sex_by_role.values()) for s in sex_keys]
    rows.append([_("Total"), *[ctx.num(x) for x in sums], ctx.num(sum(sums))])
    story.append(
        table(
            [_("Role"), *[sexes.get(s, s) for s in sex_keys], _("Total")],
            rows,
            [40 * mm] + [22 * mm] * (len(sex_keys) + 1),
            st,
            numeric=list(range(1, len(sex_keys) + 2)),
            total=True,
        )
    )
    return story


def render_census(ctx: Ctx, c: Census) -> bytes:
    st = styles(8.5)
    title = _("Member census (aggregate)") if c.aggregate else _("Member register")
    story: list[Flowable] = [
        para(title, st["title"]),
        para(
            _("Members who had joined by {date}: {n}. Ages as of {year}.").format(
                date=ctx.day(c.as_of), n=ctx.num(c.total), year=c.as_of.year
            ),
            st["body"],
        ),
    ]
    if c.aggregate:
        story.append(para(_("Aggregate figures only: this document contains no personal data."), st["small"]))
    story.append(Spacer(1, 2 * mm))
    story += census_story(ctx, c, st)
    if not c.aggregate:
        roles = {k: _(v) for k, v in MEMBER_ROLES.items()}
        statuses = {k: _(v) for k, v in MEMBER_STATUSES.items()}
        story.append(para(_("Register of members"), st["h2"]))
        rows: list[list[object]] = [
            [
                m.member_no,
                m.full_name,
                m.sex or "—",
                str(m.birth_year or "—"),
                roles.get(m.role, m.role),
                m.site_code,
                statuses.get(m.status, m.status),
                ctx.day(m.join_date, "short"),
                ctx.day(m.card_expiry, "short") if m.card_expiry else "—",
            ]
            for m in c.members
        ]
        header = [
            _("No."),
            _("Name"),
            _("Sex"),
            _("Born"),
            _("Role"),
            _("Site"),
            _("Status"),
            _("Joined"),
            _("Card expires"),
        ]
        story.append(
            table(
                header,
                rows,
                [15 * mm, 42 * mm, 10 * mm, 13 * mm, 22 * mm, 12 * mm, 20 * mm, 22 * mm, 24 * mm],
                st,
            )
        )
    return render(ctx, Layout(title=title), story)


def render_custody(ctx: Ctx, c: Custody) -> bytes:
    st = styles(8.5)
    story: list[Flowable] = [
        para(_("Chain of custody"), st["title"]),
        para(_("Subject: {subject}").format(subject=c.subject), st["body"]),
        para(_("Mine site → lot(s) → owners → sale → buyer, from the cooperative's records."), st["small"]),
    ]
    for i, lot in enumerate(c.lots, 1):
        story.append(para(_("{n}. Lot {reference}").format(n=i, reference=lot.reference), st["h2"]))
        story.append(
            key_values(
                [
                    (_("Mine site"), f"{lot.site_code} – {lot.site_name}"),
                    (_("GPS"), lot.site_gps or "—"),
                    (_("Licence / permit"), lot.site_licence or "—"),
                    (_("Registered on"), ctx.day(lot.date)),
                    (_("Mineral"), f"{lot.mineral} (HS {lot.hs_code})" if lot.hs_code else lot.mineral),
                    (_("Gross quantity"), ctx.qty(lot.qty_milli, lot.unit)),
                    (_("Grade"), _grade(ctx, lot.grade_milli, lot.grade_kind)),
                    (
                        _("Mercury used"),
                        ctx.qty(lot.mercury_milli, "g", 1)
                        + ("  · " + _("retort used") if lot.retort_used else ""),
                    ),
                    (_("Status"), vocab.label(vocab.LOT_STATES, lot.status)),
                ],
                [40 * mm, WIDTH - 40 * mm],
                st,
            )
        )
        story.append(Spacer(1, 2 * mm))
        story.append(
            table(
                [_("Member no."), _("Owner"), _("Share")],
                [[o.member_no, o.full_name, ctx.pct(o.share_bp)] for o in lot.owners],
                [30 * mm, 100 * mm, 30 * mm],
                st,
                numeric=[2],
            )
        )
    story.append(para(_("Sale and buyer"), st["h2"]))
    if not c.sales:
        story.append(para(_("Not sold: the lot is still held by the cooperative."), st["body"]))
    for s in c.sales:
        story.append(
            key_values(
                [
                    (_("Receipt"), s.number + ("  (" + _("voided") + ")" if s.state == "voided" else "")),
                    (_("Date of sale"), ctx.day(s.date)),
                    (_("Buyer"), s.buyer_name),
                    (_("Buyer type"), _(BUYER_KINDS.get(s.buyer_kind, s.buyer_kind))),
                    (_("Licence no."), s.buyer_licence or "—"),
                    (_("Buyer tax id"), s.buyer_tax_id or "—"),
                    (
                        _("Gross value"),
                        ctx.money(s.figures.gross_minor, s.figures.currency)
                        + (
                            f"  ({ctx.money(s.figures.gross_local_minor)})"
                            if s.figures.currency != ctx.currency
                            else ""
                        ),
                    ),
                    (_("Chain hash of the sale"), s.chain_hash[:16]),
                ],
                [40 * mm, WIDTH - 40 * mm],
                st,
            )
        )
        story.append(Spacer(1, 2 * mm))
    return render(ctx, Layout(title=_("Chain of custody")), story)
