"""Windows fit a small laptop screen: the PDF preview, the main window of every role and each dialog stay inside
the screen's free area with every button on view; a long form scrolls instead of growing past the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QAbstractButton, QScrollArea, QWidget

from coop.permissions import SYSTEM
from coop.services import demo, users
from tests.ui.test_pdfview import a4_pages
from ui import dialogs, fmt, screen
from ui.forms import FormDialog, VoidDialog
from ui.login import LoginDialog
from ui.pdfview import PdfPreview, show_pdf
from ui.sale import SaleDialog

LAPTOP = QRect(0, 0, 1366, 768 - 40)  # a 1366×768 screen less a 40 px task bar
SMALL = QRect(0, 0, 800, 480 - 30)


@pytest.fixture
def laptop(monkeypatch):
    """The free area every window is sized against (the offscreen platform's screen is 800×800)."""
    area = [LAPTOP]
    monkeypatch.setattr(screen, "available_geometry", lambda widget: area[0])
    return area


def in_scroll_area(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def assert_fits(window: QWidget, area: QRect) -> None:
    assert area.contains(window.frameGeometry()), (window.windowTitle(), window.frameGeometry(), area)
    buttons = [
        b
        for b in window.findChildren(QAbstractButton)
        if b.isVisibleTo(window) and b.window() is window and not in_scroll_area(b, window)
    ]
    for button in buttons:
        placed = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        assert window.rect().contains(placed), (window.windowTitle(), button.text(), placed, window.rect())


def show(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_pdf_preview_fits_the_laptop_screen(qtbot, laptop):
    dlg = show(qtbot, PdfPreview(a4_pages(3), "Statements", "s.pdf"))
    assert_fits(dlg, LAPTOP)
    assert dlg.height() > 600  # as tall as the screen allows, not shrunk to nothing
    assert {dlg.print_button, dlg.save_button} <= set(dlg.findChildren(QAbstractButton))


def test_main_window_of_every_role_fits_and_a_preview_opens_over_it(qtbot, qapp, laptop, demo_db):
    from ui.app import open_main

    fmt.Context.refresh()
    for role in ("manager", "treasurer", "clerk", "auditor", "member"):
        window = open_main(qapp, users.login(role, demo.DEMO_PASSWORD), "en")
        show(qtbot, window)
        for key in window.areas:
            window.show_area(key)
            qtbot.wait(1)
            assert_fits(window, LAPTOP)
        if role == "manager":
            preview = show_pdf(window, a4_pages(1), "Receipt", "r.pdf")
            qtbot.waitExposed(preview)
            assert_fits(preview, LAPTOP)
            # centred over the window (up to the guessed frame: FRAME_ALLOWANCE before the first show)
            assert abs(preview.frameGeometry().center().x() - window.frameGeometry().center().x()) <= 12
            preview.close()
        window.close()


def test_a_window_saved_on_a_bigger_screen_is_brought_back(qtbot, qapp, laptop, demo_db):
    from ui.app import open_main

    fmt.Context.refresh()
    actor = users.login("manager", demo.DEMO_PASSWORD)
    window = show(qtbot, open_main(qapp, actor, "en"))
    window.setGeometry(QRect(300, 200, 1800, 1000))  # as on a 1920×1080 monitor
    window.close()  # saves the geometry
    again = show(qtbot, open_main(qapp, actor, "en"))
    assert_fits(again, LAPTOP)


def form_dialogs(ctx) -> dict[str, QWidget]:
    return {
        "member": dialogs.member_dialog(SYSTEM, None, None),
        "site": dialogs.simple_dialog("site", SYSTEM, None, None),
        "mineral": dialogs.simple_dialog("mineral", SYSTEM, None, None),
        "buyer": dialogs.simple_dialog("buyer", SYSTEM, None, None),
        "tax_rule": dialogs.simple_dialog("tax_rule", SYSTEM, None, None),
        "incident": dialogs.incident_dialog(SYSTEM, None, None),
        "mercury": dialogs.mercury_dialog(SYSTEM, None),
        "settings": dialogs.settings_dialog(SYSTEM, None),
        "payout": dialogs.payout_dialog(SYSTEM, ctx.members[0], None),
        "lot": dialogs.LotDialog(SYSTEM, None),
        "tax_payment": dialogs.TaxPaymentDialog(SYSTEM, None),
        "user": dialogs.user_dialog(SYSTEM, None),
        "void": VoidDialog("Void", lambda reason: None),
        "sale": SaleDialog(SYSTEM, None),
        "login": LoginDialog(),
    }


@pytest.mark.parametrize("area", [LAPTOP, SMALL], ids=["1366x768", "800x480"])
def test_every_dialog_fits_with_all_its_errors_shown(qtbot, ctx, laptop, area):
    laptop[0] = area
    for name, dlg in form_dialogs(ctx).items():
        if isinstance(dlg, FormDialog):
            for label in [*dlg.errors.values(), dlg.top_error]:  # the tallest the form gets
                label.setText("This value is not accepted here; correct it and save again.")
                label.show()
        show(qtbot, dlg)
        assert_fits(dlg, area)
        if area == SMALL and name in ("member", "incident", "lot", "settings"):
            (scroll,) = dlg.findChildren(QScrollArea)
            assert scroll.verticalScrollBar().maximum() > 0, name  # taller than the screen: it scrolls
        dlg.close()


def test_a_short_form_does_not_scroll_on_the_laptop(qtbot, ctx, laptop):
    dlg = show(qtbot, dialogs.member_dialog(SYSTEM, None, None))
    (scroll,) = dlg.findChildren(QScrollArea)
    assert scroll.verticalScrollBar().maximum() == 0  # the scroll area asks for the whole form


def test_fit_to_screen_caps_and_centres(qtbot, laptop):
    widget = QWidget()
    qtbot.addWidget(widget)
    screen.fit_to_screen(widget, QSize(2000, 2000))
    frame = screen.FRAME_ALLOWANCE
    assert widget.width() == LAPTOP.width() - frame.left() - frame.right()
    assert widget.height() == LAPTOP.height() - frame.top() - frame.bottom()
    assert widget.pos() == QPoint(0, 0)
    screen.fit_to_screen(widget, QSize(400, 300))
    assert widget.size() == QSize(400, 300)
    center = QRect(widget.pos(), widget.size().grownBy(frame)).center()
    assert (center - LAPTOP.center()).manhattanLength() <= 2


HD = QRect(0, 0, 1280, 720 - 40)  # a 1280×720 screen less its task bar


def empty_coop_actors() -> dict[str, object]:
    """A brand-new cooperative (no sites, members or sales) with an account per staff role, signed in."""
    from coop.services import settings

    settings.save(SYSTEM, name="Nouvelle coopérative", currency="CDF", locale="fr_CD", country="CD")
    password = "Kamituga-ore-2026!"
    users.add_user(None, "boss", password, "manager")
    boss = users.login("boss", password)
    for role in ("treasurer", "clerk", "auditor"):
        users.add_user(boss, role, password, role)
    return {
        role: users.login(name, password)
        for role, name in [("manager", "boss")] + [(r, r) for r in ("treasurer", "clerk", "auditor")]
    }


@pytest.mark.parametrize("area", [LAPTOP, HD], ids=["1366x768", "1280x720"])
def test_the_main_window_opens_inside_the_screen_at_first_start(qtbot, qapp, db, laptop, area):
    """No saved geometry (first start), an empty cooperative: every page of every role, the dashboard's
    messages included, keeps the window inside the free area."""
    from ui.app import open_main

    laptop[0] = area
    fmt.Context.refresh()
    for role, actor in empty_coop_actors().items():
        window = open_main(qapp, actor, "sw" if role == "clerk" else "en")  # Swahili: the longest words
        show(qtbot, window)
        assert_fits(window, area)
        for key in window.areas:
            window.show_area(key)
            qtbot.wait(1)
            assert_fits(window, area)
        window.close()
        from coop import i18n

        i18n.set_language("en")


@pytest.mark.parametrize("area", [HD], ids=["1280x720"])
def test_every_dialog_fits_a_1280x720_screen(qtbot, ctx, laptop, area):
    laptop[0] = area
    for _name, dlg in form_dialogs(ctx).items():
        show(qtbot, dlg)
        assert_fits(dlg, area)
        dlg.close()
