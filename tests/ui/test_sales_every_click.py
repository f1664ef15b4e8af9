"""Issue 13, sales share: the sale dialog's messages, hints and choices, member receipts, payout vouchers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QSettings, Qt

from coop.permissions import SYSTEM, Actor
from coop.services import payouts
from ui import msgbox
from ui.sale import SaleDialog, preview_html

TREASURER = Actor("treasurer", "treasurer")


def _dialog(qtbot) -> SaleDialog:
    dlg = SaleDialog(TREASURER)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_post_with_no_lot_checked_asks_for_a_lot(qtbot, ctx):
    ctx.lot()
    dlg = _dialog(qtbot)
    dlg.buyer.setCurrentIndex(dlg.buyer.findData(ctx.buyer))
    dlg.post_button.click()
    assert dlg.error.text() == "Select at least one lot."
    assert dlg.sale_id is None and dlg.isVisible()


def test_an_empty_stock_shows_a_hint(qtbot, ctx):
    dlg = _dialog(qtbot)
    assert dlg.lots.count() == 0
    assert dlg.stock_hint.isVisible()
    assert dlg.stock_hint.text() == "No lots in stock: register production lots first."
    ctx.lot()
    dlg.fill_lots()
    assert dlg.lots.count() == 1 and not dlg.stock_hint.isVisible()


def test_the_receipt_format_is_chosen_and_remembered(qtbot, ctx, monkeypatch):
    from ui import pages

    dlg = _dialog(qtbot)
    assert dlg.receipt_format.currentData() == "a5"
    dlg.receipt_format.setCurrentIndex(dlg.receipt_format.findData("58mm"))
    assert QSettings().value("receipt_format") == "58mm"
    again = _dialog(qtbot)
    assert again.receipt_format.currentData() == "58mm"
    asked = {}

    def fake_build(kind, actor, **params):
        asked.update(params)
        return None

    monkeypatch.setattr(pages, "build_report", fake_build)
    pages.show_receipt(SYSTEM, again, ctx.sell([ctx.lot()]), duplicate=False)
    assert asked["fmt"] == "58mm"


def test_the_exchange_rate_is_prefilled_with_the_last_one_used(qtbot, ctx):
    dlg = _dialog(qtbot)
    assert dlg.currency.currentData() == "USD" and dlg.rate.text() == ""
    ctx.sell([ctx.lot()], rate="2875.5")
    dlg = _dialog(qtbot)
    assert dlg.rate.text() == "2875.5"
    dlg.currency.setCurrentIndex(dlg.currency.findData("CDF"))
    assert dlg.rate.text() == "1" and not dlg.rate.isEnabled()


def test_net_per_owner_heading_goes_through_the_catalogue(ctx, monkeypatch):
    import ui.sale
    from coop.services import sales

    monkeypatch.setattr(ui.sale, "_", lambda text: f"«{text}»")
    figures = sales.compute(
        sales.SaleInput(ctx.buyer, [ctx.lot()], date(2026, 1, 6), "USD", Decimal(90), Decimal(2850))
    )
    html = preview_html(figures, "g")
    assert "«Net per owner»" in html and "«Net to members»" in html


def _click(page, label: str) -> None:
    button = next(b for b, t in page._actions if t() == label)
    assert button.isEnabled(), label
    button.click()


def test_a_member_opens_the_receipt_of_a_sale_of_their_lot(qtbot, ctx):
    pytest.importorskip("reports")
    from ui import pages
    from ui.pdfview import PdfPreview

    ctx.sell([ctx.lot(owners=[(ctx.members[0], 10000)])])
    member = Actor("amani", "member", member_id=ctx.members[0])
    page = pages.sales_page(member, None)
    qtbot.addWidget(page)
    assert page.spec.name == "my_sales" and page.model.rowCount() == 1
    page.view.selectRow(0)
    _click(page, "Receipt…")
    previews = page.findChildren(PdfPreview)
    assert len(previews) == 1 and previews[0].pdf.startswith(b"%PDF"), msgbox.SHOWN


def test_print_voucher_from_the_payouts_list(qtbot, ctx):
    pytest.importorskip("reports")
    from tests.reports.conftest import flat, pdf_text
    from ui import pages
    from ui.pdfview import PdfPreview

    ctx.sell([ctx.lot()])
    payouts.pay_member(SYSTEM, ctx.members[0], Decimal(5000), date(2026, 1, 8))
    page = pages.payouts_page(TREASURER, None)
    qtbot.addWidget(page)
    page.view.selectRow(0)
    _click(page, "Print voucher…")
    previews = page.findChildren(PdfPreview)
    assert len(previews) == 1, msgbox.SHOWN
    text = flat(pdf_text(previews[0].pdf))
    assert "Amani Bisimwa" in text and "PAYOUT VOUCHER" in text


def _incident(ctx) -> int:
    from datetime import datetime

    from coop.services import safety

    return safety.save_incident(
        SYSTEM,
        None,
        occurred_at=datetime(2026, 1, 5, 10, 0),
        site=ctx.site,
        category="fall",
        severity="first_aid",
        description="slipped",
    ).id


def _note_dialog(qtbot, page, label: str, name: str):
    from ui.incidents import NoteDialog

    before = set(page.findChildren(NoteDialog))
    _click(page, label)
    (dlg,) = set(page.findChildren(NoteDialog)) - before
    assert dlg.isVisible() and name in dlg.widgets
    dlg.save()
    assert dlg.isVisible() and dlg.errors[name].text()  # empty: refused, with a message under the field
    return dlg


def test_closing_asks_for_findings_and_reopening_for_a_reason(qtbot, ctx):
    import json

    from coop.models import AuditLog, Incident
    from tests.ui.helpers import type_text
    from ui import pages

    clerk = Actor("clerk", "clerk")
    iid = _incident(ctx)
    page = pages.incidents_page(clerk, None)
    qtbot.addWidget(page)
    page.view.selectRow(0)
    dlg = _note_dialog(qtbot, page, "Mark closed", "findings")
    assert Incident.get_by_id(iid).state == "open"
    type_text(dlg.widgets["findings"], "Ladder rung broken; replaced.")
    dlg.save()
    assert not dlg.isVisible() and Incident.get_by_id(iid).state == "closed"
    row = AuditLog.select().where(AuditLog.entity == "incident").order_by(AuditLog.id.desc()).get()
    assert json.loads(row.new) == {"state": "closed", "findings": "Ladder rung broken; replaced."}
    page.view.selectRow(0)
    dlg = _note_dialog(qtbot, page, "Mark investigating", "reason")
    assert Incident.get_by_id(iid).state == "closed"
    type_text(dlg.widgets["reason"], "A second worker was hurt there.")
    dlg.save()
    assert not dlg.isVisible() and Incident.get_by_id(iid).state == "investigating"
    row = AuditLog.select().where(AuditLog.entity == "incident").order_by(AuditLog.id.desc()).get()
    assert json.loads(row.new)["reason"] == "A second worker was hurt there."


@pytest.mark.parametrize("lang", ["fr", "sw"])
def test_dashboard_titles_do_not_overlap_at_1280(qtbot, qapp, demo_db, monkeypatch, lang):
    import itertools

    from PySide6.QtCore import QRect

    from coop import i18n
    from coop.services import demo, users
    from ui import fmt, screen
    from ui.app import open_main

    monkeypatch.setattr(screen, "available_geometry", lambda _w=None: QRect(0, 0, 1280, 720))
    fmt.Context.refresh()
    window = open_main(qapp, users.login("manager", demo.DEMO_PASSWORD), lang)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    page = window.show_area("dashboard")
    qtbot.waitUntil(lambda: page.canvas is not None and not page.pending, timeout=20_000)
    try:
        page.canvas.draw()
        renderer = page.canvas.get_renderer()
        boxes = [
            (ax.get_title(), ax.title.get_window_extent(renderer))
            for ax in page.figure.axes
            if ax.get_visible()
        ]
        assert len(boxes) == 5 and all(text for text, _box in boxes)
        assert not [(a, b) for (a, x), (b, y) in itertools.combinations(boxes, 2) if x.overlaps(y)]
        width = page.figure.bbox.width
        assert all(0 <= box.x0 and box.x1 <= width for _text, box in boxes)
    finally:
        i18n.set_language("en")


def _clipped(page) -> list[tuple[str, int, int]]:
    header = page.view.horizontalHeader()
    return [
        (page.model.headerData(c, Qt.Orientation.Horizontal), header.sectionSize(c), need)
        for c in range(page.model.columnCount())
        if header.sectionResizeMode(c) != header.ResizeMode.Stretch
        and header.sectionSize(c) < (need := header.sectionSizeFromContents(c).width())
    ]


def test_swahili_list_headers_are_not_clipped(qtbot, demo_db):
    from coop import i18n
    from coop.services import tables
    from ui.listview import ListPage

    english = {}
    for name in tables.SPECS:  # opened in English, then switched: the columns widen for the longer words
        english[name] = ListPage(SYSTEM, name)
        qtbot.addWidget(english[name])
    i18n.set_language("sw")
    try:
        for name, page in english.items():
            page.retranslate()
            assert not _clipped(page), (name, _clipped(page))
            fresh = ListPage(SYSTEM, name)
            qtbot.addWidget(fresh)
            assert not _clipped(fresh), (name, _clipped(fresh))
    finally:
        i18n.set_language("en")
