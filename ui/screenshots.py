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
    login = LoginDialog()
    login.username.setText("manager")
    login.show()
    save(login, "login")
    login.close()
    actor = users.login("manager", demo.DEMO_PASSWORD)
    window = open_main(app, actor, lang)
    window.resize(1360, 820)
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
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:2] or ["en"])))
