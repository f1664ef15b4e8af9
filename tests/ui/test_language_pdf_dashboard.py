"""Runtime language switch, PDF preview (print + save), dashboard charts, reports area, background work."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, Qt
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication

from coop import i18n
from coop.models import User
from coop.services import demo, users
from ui import fmt, msgbox
from ui.app import open_main
from ui.pdfview import PdfPreview


def tiny_pdf(pages: int = 2) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A5))
    painter = QPainter(writer)
    for page in range(pages):
        if page:
            writer.newPage()
        painter.drawText(100, 100, f"Receipt page {page + 1}")
    painter.end()
    buffer.close()
    return bytes(data)


def test_language_switch_retranslates_everything_and_is_stored(qtbot, qapp, demo_db):
    fmt.Context.refresh()
    actor = users.login("treasurer", demo.DEMO_PASSWORD)
    window = open_main(qapp, actor, "en")
    qtbot.addWidget(window)
    sales = window.show_area("sales")
    assert window.nav.item(0).text() == "Dashboard"
    assert sales.model.headerData(0, Qt.Orientation.Horizontal) == "Receipt"
    window.lang_actions["fr"].trigger()  # any language: the runtime path is the same
    assert i18n.current_language() == "fr"
    assert User.get_by_id(actor.user_id).locale == "fr"
    assert QLocale().name() == "fr_CD" and fmt.Context.locale == "fr_CD"  # the cooperative's formats
    assert "\u202f" in sales.model.data(sales.model.index(0, 5)) or "," in sales.model.data(
        sales.model.index(0, 5)
    )
    window.language_changed.emit(i18n.PSEUDO)
    assert window.nav.item(0).text().startswith("[") and "~" in window.nav.item(0).text()
    assert sales.model.headerData(0, Qt.Orientation.Horizontal).startswith("[")
    assert sales.export_button.text().startswith("[")
    assert window.lang_menu.title().startswith("[")
    window.language_changed.emit("en")
    assert window.nav.item(0).text() == "Dashboard"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert fmt.Context.locale == "en" and "," in sales.model.data(sales.model.index(0, 5))


def test_pseudo_rtl_flips_layout(qapp, demo_db):
    from ui.app import apply_language

    fmt.Context.refresh()
    apply_language(qapp, i18n.RTL_PSEUDO)
    try:
        assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    finally:
        apply_language(qapp, "en")


def test_pdf_preview_loads_prints_and_saves(qtbot, tmp_path):
    pdf = tiny_pdf(2)
    dlg = PdfPreview(pdf, "Receipt", "receipt.pdf")
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.page_count() == 2
    out = tmp_path / "r.pdf"
    assert dlg.save(str(out)) and out.read_bytes() == pdf
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dlg.print_to(printer) == 2
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF")


def test_dashboard_draws_four_charts(qtbot, qapp, demo_db):
    fmt.Context.refresh()
    actor = users.login("manager", demo.DEMO_PASSWORD)
    window = open_main(qapp, actor, "en")
    qtbot.addWidget(window)
    window.show()
    page = window.show_area("dashboard")
    qtbot.waitUntil(lambda: page.canvas is not None)
    titles = [" ".join(ax.get_title().split()) for ax in page.figure.axes]  # wrapped to the chart's width
    assert "Production per month" in titles and "Incidents by category" in titles
    assert any(t.startswith("Mercury used per gram of gold") for t in titles)
    assert len(page.figure.axes[0].lines) == 2  # gold and cassiterite


def test_dashboard_draws_only_the_latest_request(qtbot, qapp, demo_db, monkeypatch):
    # figures arrive from a worker thread in any order: an answer to an earlier request must not be drawn
    from ui import work
    from ui.dashboard import DashboardPage

    answers: list = []
    monkeypatch.setattr(
        work, "run_in_background", lambda parent, label, job, done, quiet: answers.append((job, done))
    )
    fmt.Context.refresh()
    page = DashboardPage(users.login("manager", demo.DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.draw()  # A
    page.draw()  # B
    (job_a, done_a), (job_b, done_b) = answers
    done_b(job_b(None, None))
    assert not page.pending and page.canvas is not None
    drawn = page._shown
    page.draw()  # C
    done_a(job_a(None, None))  # A arrives last, after C was asked
    assert page.pending and page._shown is drawn and page.status.text() == "Computing the figures…"
    job_c, done_c = answers[2]
    done_c(job_c(None, None))
    assert not page.pending and page._shown is not drawn and page.status.text() == ""


def test_reports_area_without_reports_module_says_so(qtbot, qapp, demo_db, monkeypatch):
    import builtins

    fmt.Context.refresh()
    real_import = builtins.__import__

    def no_reports(name, *args, **kw):
        if name == "reports":
            raise ImportError(name)
        return real_import(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_reports)
    actor = users.login("manager", demo.DEMO_PASSWORD)
    window = open_main(qapp, actor, "en")
    qtbot.addWidget(window)
    page = window.show_area("reports")
    assert page.list.count() == 9
    page.list.setCurrentRow(3)
    page.open_selected()
    qtbot.waitUntil(lambda: bool(msgbox.SHOWN) and "not installed" in msgbox.SHOWN[-1][1], timeout=10_000)


def test_backup_runs_off_the_ui_thread(qtbot, qapp, demo_db, tmp_path):
    fmt.Context.refresh()
    actor = users.login("manager", demo.DEMO_PASSWORD)
    window = open_main(qapp, actor, "en")
    qtbot.addWidget(window)
    dest = tmp_path / "backup.sqlite"
    window.backup(str(dest))
    qtbot.waitUntil(lambda: any("backup was written" in text for _t, text in msgbox.SHOWN), timeout=10_000)
    assert dest.stat().st_size > 0


def test_import_members_runs_in_background_and_refreshes(qtbot, qapp, ctx, tmp_path):
    from coop.models import Member

    path = tmp_path / "members.csv"
    path.write_text(
        "member_no,full_name,sex,birth_year,id_number,card_expiry,phone,community,site_code,role,join_date,status,share_capital\n"
        "M500,Furaha Zawadi,F,1991,,,,,KAM,digger,2025-02-01,active,0\n",
        encoding="utf-8",
    )
    from coop.permissions import Actor

    window = open_main(qapp, Actor("clerk", "clerk"), "en")
    qtbot.addWidget(window)
    members = window.show_area("members")
    before = members.model.rowCount()
    window.import_csv("members", str(path))
    qtbot.waitUntil(lambda: any("1 row imported." in text for _t, text in msgbox.SHOWN), timeout=10_000)
    assert Member.get(Member.member_no == "M500").full_name == "Furaha Zawadi"
    assert members.model.rowCount() == before + 1


def test_unexpected_exception_shows_details_and_domain_error_friendly_text(qapp):
    import sys

    from coop.errors import ValidationError
    from ui.app import install_excepthook

    previous = sys.excepthook
    install_excepthook()
    try:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        assert msgbox.SHOWN[-1][0] == "Unexpected error" and "data is safe" in msgbox.SHOWN[-1][1]
        sys.excepthook(
            ValidationError, ValidationError("amount", "The amount must be greater than zero."), None
        )
        assert msgbox.SHOWN[-1] == ("Cannot do this", "The amount must be greater than zero.")
    finally:
        sys.excepthook = previous


def test_window_remembers_last_view(qtbot, qapp, demo_db):
    fmt.Context.refresh()
    actor = users.login("clerk", demo.DEMO_PASSWORD)
    first = open_main(qapp, actor, "en")
    qtbot.addWidget(first)
    first.show_area("incidents")
    first.close()
    second = open_main(qapp, actor, "en")
    qtbot.addWidget(second)
    assert second.stack.currentWidget() is second.pages["incidents"]
