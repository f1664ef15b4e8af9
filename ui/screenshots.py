"""`make screenshots`: build the demo cooperative in a temp dir, log in as manager, save a PNG per area."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from coop.permissions import SYSTEM
from coop.services import demo, session, users
from ui import fmt, msgbox

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def settle(seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, name: str) -> Path:
    settle()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path)
    return path


def _receipt(actor, window, sale_id: int | None) -> None:
    from ui.pdfview import PdfPreview, build_report

    pdf = build_report("receipt", actor, sale_id=sale_id, fmt="a5", duplicate=False) if sale_id else None
    if pdf is None:
        print("reports module not installed: no receipt screenshot")
        return
    preview = PdfPreview(pdf, "Receipt", "receipt.pdf", window)
    preview.show()
    settle(0.8)
    save(preview, "receipt-preview")
    preview.close()


def _first_start(app, tmp: Path, lang: str) -> None:
    """A new file's first window, the setup window on its first page and the new cooperative's checklist."""
    from coop.services import setup
    from ui.app import open_main
    from ui.login import LoginDialog
    from ui.setup import SetupWizard

    session.close_database()
    handle = session.open_file(tmp / "new.sqlite")
    fmt.Context.refresh()
    login = LoginDialog()
    login.show()
    save(login, "first-run")
    wizard = SetupWizard(login)
    wizard.country.setCurrentIndex(wizard.country.findData("CD"))
    wizard.show()
    save(wizard, "setup-wizard")
    wizard.close()
    login.close()
    password = "Kamituga-ledger-2026!"
    made = setup.first_run("manager", password, password, country="CD", name="Coopérative de Kamituga")
    window = open_main(app, made.actor, lang)
    # sized as at a first start on the screen (make screenshots: 1366×768), not taller than it
    window.show()
    window.show_area("start")
    save(window, "checklist")
    window.close()
    handle.close()
    session.close_database()


def _screen_sizes(app, actor, lang: str) -> None:
    """The main window as it opens the first time on the two smallest screens the offices have."""
    from PySide6.QtCore import QRect

    from ui import screen
    from ui.app import open_main

    real = screen.available_geometry
    for width, height in ((1366, 768), (1280, 720)):
        QSettings().remove("geometry")  # a first start
        screen.available_geometry = lambda widget, w=width, h=height: QRect(
            0, 0, w, h - 40
        )  # less a task bar
        window = open_main(app, actor, lang)
        window.show()
        window.show_area("dashboard")
        settle(1.5)
        save(window, f"main-{width}x{height}")
        window.close()
    screen.available_geometry = real
    QSettings().remove("geometry")


def _empty_cooperative(app, tmp: Path, lang: str) -> None:
    """A cooperative with nothing recorded yet: its empty lists and its dashboard's messages."""
    from coop.services import settings
    from ui.app import open_main

    session.close_database()
    handle = session.open_file(tmp / "empty.sqlite")
    settings.save(SYSTEM, name="Coopérative de Kamituga", currency="CDF", locale="fr_CD", country="CD")
    password = "Kamituga-ledger-2026!"
    users.add_user(None, "manager", password, "manager")
    fmt.Context.refresh()
    window = open_main(app, users.login("manager", password), lang)
    window.show()
    for key in ("members", "sales", "dashboard"):
        window.show_area(key)
        settle(1.5 if key == "dashboard" else 0.4)
        save(window, f"empty-{key}")
    window.close()
    handle.close()
    session.close_database()


def _dialogs(actor, window, sale_id: int | None) -> None:
    """Forms as they open over the main window: a new member, an incident (date and time), a sale's void
    (shown, never submitted)."""
    from coop.i18n import N_
    from coop.services import sales
    from ui import dialogs, pages

    shown = [
        ("dialog-member", dialogs.member_dialog(actor, None, window)),
        ("dialog-incident", dialogs.incident_dialog(actor, None, window)),
    ]
    if sale_id is not None:
        void = pages.void_dialog(
            actor, window, "sale", sale_id, N_("Void sale"), lambda i, r: sales.void_sale(actor, i, r)
        )
        shown.append(("dialog-void", void))
    for name, dlg in shown:
        dlg.show()
        settle(0.4)
        save(dlg, name)
        dlg.close()


def main(lang: str = "en") -> int:
    from ui.none_guard import keep_none_alive

    keep_none_alive()
    OUT.mkdir(parents=True, exist_ok=True)
    msgbox.SUPPRESS = True
    tmp = Path(tempfile.mkdtemp(prefix="coop-shots-"))
    db = session.open_file(tmp / "demo.sqlite")
    demo.create(SYSTEM)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("CoopLedgerScreenshots")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    from ui.app import apply_language, make_app, open_main
    from ui.login import LoginDialog

    make_app([])
    fmt.Context.refresh()
    apply_language(app, lang)
    _first_start(app, tmp, lang)
    _empty_cooperative(app, tmp, lang)
    db = session.open_file(tmp / "demo.sqlite")  # the demo again, for the pages below
    fmt.Context.refresh()
    login = LoginDialog()
    login.username.setText("manager")
    login.show()
    save(login, "login")
    login.close()
    actor = users.login("manager", demo.DEMO_PASSWORD)
    _screen_sizes(app, actor, lang)
    window = open_main(app, actor, lang)  # first start: sized to the screen (make screenshots: 1366×768)
    window.show()
    for key in window.areas:
        window.show_area(key)
        settle(1.0 if key == "dashboard" else 0.3)
        save(window, f"area-{key}")
    from ui.sale import SaleDialog

    demo.lots_in_stock(actor)  # the demo year sells everything: the sale dialog needs lots to show
    sale = SaleDialog(actor, window)
    sale.buyer.setCurrentIndex(1)
    for row in range(min(2, sale.lots.count())):
        sale.check_lot(sale.lots.item(row).data(256))
    sale.day.setDate(QDate(2025, 12, 30))
    sale.currency.setCurrentIndex(sale.currency.findData("USD"))
    sale.price.setText("95")
    sale.rate.setText("2 850")
    sale.show()
    settle()
    save(sale, "sale-dialog")
    sale.post()
    _receipt(actor, window, sale.sale_id)
    sale.close()
    _dialogs(actor, window, sale.sale_id)
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:2] or ["en"])))
