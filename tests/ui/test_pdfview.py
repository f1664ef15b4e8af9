"""Printing from the PDF preview through its buttons and keys: page size, real size, resolution, one page image
at a time; the print dialog answered by printing to a PDF file; Save writes the document's bytes."""

from __future__ import annotations

import io
import weakref
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication

import reports
from coop.permissions import SYSTEM
from ui import msgbox, pdfview
from ui.pdfview import PdfPreview

MM = 72 / 25.4  # points per millimetre


def receipt(ctx, fmt: str) -> bytes:
    return reports.build("receipt", SYSTEM, sale_id=ctx.sell([ctx.lot(), ctx.lot(qty="3")]), fmt=fmt)


def a4_pages(count: int) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    for page in range(count):
        if page:
            writer.newPage()
        painter.drawText(200, 200, f"Statement page {page + 1}")
    painter.end()
    buffer.close()
    return bytes(data)


def preview(qtbot, pdf: bytes) -> PdfPreview:
    dlg = PdfPreview(pdf, "Document", "document.pdf")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def page_sizes(pdf) -> list[tuple[float, float]]:
    reader = PdfReader(pdf if isinstance(pdf, str) else io.BytesIO(pdf))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def image_matrices(page) -> list[list[float]]:
    """The transformation in force at each image drawn on a page (its scale is the drawn size in points)."""
    placed: list[list[float]] = []
    page.extract_text(
        visitor_operand_before=lambda op, args, cm, tm: placed.append(cm) if op == b"Do" else None
    )
    return placed


def drawn_images(path) -> list[tuple[float, float, int, int]]:
    """Per printed page: the page image's drawn width and height (points) and its pixel width and height."""
    out = []
    for page in PdfReader(str(path)).pages:
        placed = image_matrices(page)
        (image,) = page["/Resources"]["/XObject"].values()
        image = image.get_object()
        (cm,) = placed
        out.append((abs(cm[0]), abs(cm[3]), int(image["/Width"]), int(image["/Height"])))
    return out


@pytest.fixture
def printed(monkeypatch, tmp_path):
    """The print dialog answered "print to this PDF file"; the file's path."""
    path = tmp_path / "printed.pdf"
    answer = pdfview.answer_print_to(path) if hasattr(pdfview, "answer_print_to") else None
    # (a preview without the hook opens the real dialog: the test then fails on what that does)
    monkeypatch.setattr(pdfview, "ASK_PRINT", answer, raising=False)
    return path


@pytest.mark.parametrize("fmt", ["a5", "80mm", "58mm"])
def test_print_button_prints_each_page_at_the_documents_size(qtbot, ctx, printed, fmt):
    pdf = receipt(ctx, fmt)
    dlg = preview(qtbot, pdf)
    qtbot.mouseClick(dlg.print_button, Qt.MouseButton.LeftButton)
    expected = page_sizes(pdf)
    got = page_sizes(str(printed))
    assert len(got) == len(expected) == dlg.page_count()
    for (w, h), (ew, eh) in zip(got, expected, strict=True):
        assert abs(w - ew) < 1 * MM and abs(h - eh) < 1 * MM, (w / MM, h / MM)
    width_mm = {"a5": 148, "80mm": 80, "58mm": 58}[fmt]
    assert abs(got[0][0] / MM - width_mm) < 1
    if fmt == "a5":
        assert abs(got[0][1] / MM - 210) < 1
    for (dw, dh, px, py), (ew, eh) in zip(drawn_images(printed), expected, strict=True):
        assert abs(dw - ew) < 1 * MM and abs(dh - eh) < 1 * MM  # the page's real size, not scaled
        for pixels, points in ((px, dw), (py, dh)):  # the PDF printer says 1200 dpi: rendered at the cap
            assert 150 <= pixels / (points / 72) <= pdfview.MAX_DPI + 1
    assert not msgbox.SHOWN


def test_ctrl_p_prints_and_ctrl_s_saves(qtbot, ctx, printed, monkeypatch, tmp_path):
    pdf = receipt(ctx, "a5")
    dlg = preview(qtbot, pdf)
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)  # window shortcuts need the active window
    qtbot.keyClick(dlg.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(page_sizes(str(printed))) == dlg.page_count()
    saved = tmp_path / "saved.pdf"
    asked: list[str] = []
    monkeypatch.setattr(pdfview, "ASK_SAVE", lambda name: asked.append(name) or str(saved))
    qtbot.keyClick(dlg.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["document.pdf"] and saved.read_bytes() == pdf


def test_save_button_and_cancelled_save(qtbot, monkeypatch, tmp_path):
    pdf = a4_pages(1)
    dlg = preview(qtbot, pdf)
    monkeypatch.setattr(pdfview, "ASK_SAVE", lambda name: "")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not list(tmp_path.iterdir())
    monkeypatch.setattr(pdfview, "ASK_SAVE", lambda name: str(tmp_path / "out.pdf"))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "out.pdf").read_bytes() == pdf


def test_receipt_on_a4_paper_keeps_its_size_and_a4_on_a5_is_scaled_down(qtbot, ctx, monkeypatch, tmp_path):
    def on_paper(size_id, path):
        answer = pdfview.answer_print_to(path)

        def ask(printer) -> bool:
            printer.setPageSize(QPageSize(size_id))  # the user picked another paper in the dialog
            return answer(printer)

        return ask

    roll = receipt(ctx, "80mm")
    monkeypatch.setattr(pdfview, "ASK_PRINT", on_paper(QPageSize.PageSizeId.A4, tmp_path / "a4.pdf"))
    qtbot.mouseClick(preview(qtbot, roll).print_button, Qt.MouseButton.LeftButton)
    ((w, h),) = page_sizes(str(tmp_path / "a4.pdf"))
    assert abs(w / MM - 210) < 1  # the paper really was A4
    ((dw, dh, _px, _py),) = drawn_images(tmp_path / "a4.pdf")
    ((ew, eh),) = page_sizes(roll)
    assert abs(dw - ew) < 1 * MM and abs(dh - eh) < 1 * MM  # not blown up to the A4 width

    monkeypatch.setattr(pdfview, "ASK_PRINT", on_paper(QPageSize.PageSizeId.A5, tmp_path / "a5.pdf"))
    qtbot.mouseClick(preview(qtbot, a4_pages(1)).print_button, Qt.MouseButton.LeftButton)
    ((dw, dh, _px, _py),) = drawn_images(tmp_path / "a5.pdf")
    assert abs(dw / MM - 148) < 1 and dh / MM < 210 + 1  # A4 shrunk to the A5 paper, proportions kept
    assert abs(dw / dh - 210 / 297) < 0.01


def test_a_batch_prints_one_page_image_at_a_time(qtbot, ctx, printed, monkeypatch):
    for member in ctx.members:
        ctx.sell([ctx.lot(owners=[(member, 10000)])])
    batch = reports.build("statement", SYSTEM, start=date(2026, 1, 1), end=date(2026, 12, 31), all=True)
    dlg = preview(qtbot, batch)
    rendered: list[weakref.ref] = []
    render = dlg.document.render

    def counting_render(page, size, *args):
        assert all(ref() is None for ref in rendered)  # every earlier page image was released
        assert size.width() <= 8.27 * pdfview.MAX_DPI + 1 and size.height() <= 11.7 * pdfview.MAX_DPI + 1
        image = render(page, size, *args)
        rendered.append(weakref.ref(image))
        return image

    monkeypatch.setattr(dlg.document, "render", counting_render)
    qtbot.mouseClick(dlg.print_button, Qt.MouseButton.LeftButton)
    assert len(rendered) == dlg.page_count() == len(page_sizes(str(printed))) >= len(ctx.members)
    assert QApplication.overrideCursor() is None


def open_print_dialogs() -> list[QPrintDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QPrintDialog) and w.isVisible()]


def test_the_real_print_dialog_opens_without_blocking_and_prints(qtbot, tmp_path):
    dlg = preview(qtbot, a4_pages(2))
    qtbot.mouseClick(dlg.print_button, Qt.MouseButton.LeftButton)  # PySide6 6.12: open() needs arguments
    (shown,) = open_print_dialogs()  # shown, not blocking
    shown.reject()
    out = tmp_path / "dialog.pdf"
    real_make_printer = dlg.make_printer

    def to_file():
        printer = real_make_printer()
        pdfview.answer_print_to(out)(printer)  # the dialog opens with "print to file" chosen
        return printer

    dlg.make_printer = to_file
    qtbot.mouseClick(dlg.print_button, Qt.MouseButton.LeftButton)
    (shown,) = open_print_dialogs()
    assert not out.exists()  # waiting for the user
    shown.accept()
    assert len(page_sizes(str(out))) == 2
