"""PDF preview dialog from bytes (QPdfDocument + QPdfView) with Print (pages rendered) and Save PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QVBoxLayout, QWidget

from coop.i18n import _
from ui import msgbox


class PdfPreview(QDialog):
    """Shows a PDF held in memory; Print renders each page to the printer, Save writes the bytes."""

    def __init__(self, pdf: bytes, title: str, filename: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.pdf = pdf
        self.filename = filename
        self._data = QByteArray(pdf)
        self._buffer = QBuffer(self._data, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = buttons.addButton(_("Print…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(_("Save PDF…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_dialog)
        self.save_button.clicked.connect(lambda: self.save())
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view, 1)
        lay.addWidget(buttons)
        self.resize(720, 860)

    def page_count(self) -> int:
        return self.document.pageCount()

    def save(self, path: str | None = None) -> bool:
        if path is None:
            path, _f = QFileDialog.getSaveFileName(self, _("Save PDF"), self.filename, "PDF (*.pdf)")
            if not path:
                return False
        try:
            Path(path).write_bytes(self.pdf)
        except OSError as exc:
            msgbox.warning(self, _("Cannot save"), str(exc.strerror))
            return False
        return True

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.open()

    def print_to(self, printer) -> int:
        """Render every page as an image at the printer's resolution; returns pages printed."""
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                target = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
                target.moveTo(QPointF(0, 0))
                size = self.document.pagePointSize(page)
                scale = min(target.width() / size.width(), target.height() / size.height())
                image = self.document.render(
                    page, QSize(int(size.width() * scale), int(size.height() * scale))
                )
                painter.drawImage(QPointF(0, 0), image)
        finally:
            painter.end()
        return self.document.pageCount()


def build_report(kind: str, actor, **params) -> bytes | None:
    """PDF bytes from the reports layer, or None when that layer is not installed in this build."""
    try:
        from reports import build
    except ImportError:
        return None
    from coop import i18n

    return build(kind, actor, lang=i18n.current_language(), **params)


def show_pdf(parent: QWidget | None, pdf: bytes, title: str, filename: str) -> PdfPreview:
    dlg = PdfPreview(pdf, title, filename, parent)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg
