"""PDF preview dialog from bytes (QPdfDocument + QPdfView): Print draws each page at the document's own size,
Save writes the bytes; tests answer the print and save dialogs through ASK_PRINT / ASK_SAVE."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from coop.i18n import _
from ui import filedialogs, msgbox
from ui.screen import fit_to_screen

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

# Page images are rendered at most at this resolution: more only makes them bigger (an A4 page at 600 dpi is
# a ~140 MB image), and receipt printers print at 203 dpi.
MAX_DPI = 300
PREFERRED_SIZE = QSize(720, 860)

# Tests answer the dialogs instead of showing them, as msgbox.SUPPRESS does for message boxes.
# ASK_PRINT gets the printer already set to the document's page and returns whether to print; it may point
# the printer at a PDF file (see answer_print_to). ASK_SAVE gets the suggested file name and returns the path
# chosen ("" = cancelled).
ASK_PRINT: Callable[[QPrinter], bool] | None = None
ASK_SAVE: Callable[[str], str] | None = None


def answer_print_to(path: str | Path) -> Callable[[QPrinter], bool]:
    """An ASK_PRINT answer: "print to this PDF file"."""

    def answer(printer: QPrinter) -> bool:
        from PySide6.QtPrintSupport import QPrinter

        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return True

    return answer


def page_layout(points: QSizeF) -> QPageLayout:
    """A layout of the document page's own size (A5 stays A5, an 80 mm roll stays 80 mm wide), no margins:
    the document has its own."""
    landscape = points.width() > points.height()
    size = QPageSize(
        points.transposed() if landscape else points,
        QPageSize.Unit.Point,
        "",
        QPageSize.SizeMatchPolicy.FuzzyMatch,  # a standard size (A5, A4) is passed to the driver by name
    )
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    layout = QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))
    layout.setMode(QPageLayout.Mode.FullPageMode)
    return layout


class PdfPreview(QDialog):
    """Shows a PDF held in memory; Print (Ctrl+P) renders page by page to the printer, Save (Ctrl+S) writes
    the bytes."""

    def __init__(self, pdf: bytes, title: str, filename: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.pdf = pdf
        self.filename = filename
        self._printer: QPrinter | None = None  # kept alive while its dialog is open
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
        self.print_button.clicked.connect(lambda: self.print_dialog())
        self.save_button.clicked.connect(lambda: self.save())
        buttons.rejected.connect(self.reject)
        for keys, slot in (
            (QKeySequence.StandardKey.Print, self.print_dialog),
            (QKeySequence.StandardKey.Save, self.save),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(lambda slot=slot: slot())
        lay = QVBoxLayout(self)
        lay.addWidget(self.view, 1)
        lay.addWidget(buttons)
        fit_to_screen(self, PREFERRED_SIZE)

    def page_count(self) -> int:
        return self.document.pageCount()

    def save(self, path: str | None = None) -> bool:
        if path is None:
            path = ASK_SAVE(self.filename) if ASK_SAVE is not None else self._ask_save_path()
            if not path:
                return False
        try:
            Path(path).write_bytes(self.pdf)
        except OSError as exc:
            msgbox.warning(self, _("Cannot save"), str(exc.strerror))
            return False
        filedialogs.confirm_saved(self, path)
        return True

    def _ask_save_path(self) -> str:
        name = filedialogs.translated_name(self.filename)
        return filedialogs.save_path(self, "pdf", name, "PDF (*.pdf)", _("Save PDF"))

    def make_printer(self) -> QPrinter:
        """A printer set to the document's page size (taken from its first page)."""
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.filename)
        if self.page_count():
            printer.setPageLayout(page_layout(self.document.pagePointSize(0)))
        printer.setFullPage(True)
        return printer

    def print_dialog(self) -> None:
        """Ask for the printer without blocking (or let ASK_PRINT answer), then print."""
        printer = self.make_printer()
        if ASK_PRINT is not None:
            if ASK_PRINT(printer):
                self.print_to(printer)
            return
        from PySide6.QtPrintSupport import QPrintDialog

        self._printer = printer
        dialog = QPrintDialog(printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.print_to(printer))
        # PySide6 6.12 only exposes QPrintDialog.open(receiver, slot); the plain QDialog.open() is the same call
        QDialog.open(dialog)

    def print_to(self, printer: QPrinter) -> int:
        """Print every page at its real size (only smaller when the printer's page is), rendering one page
        image at a time so that a batch of hundreds of pages never sits in memory; returns pages printed."""
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            for page in range(self.page_count()):
                if page:
                    printer.newPage()
                self._draw_page(painter, printer, page)
        finally:
            painter.end()
            QGuiApplication.restoreOverrideCursor()
        return self.page_count()

    def _draw_page(self, painter: QPainter, printer: QPrinter, page: int) -> None:
        from PySide6.QtPrintSupport import QPrinter

        dpi = printer.resolution()
        area = printer.pageRect(QPrinter.Unit.DevicePixel)  # painter coordinates start at its corner
        points = self.document.pagePointSize(page)
        real = QSizeF(points.width() * dpi / 72, points.height() * dpi / 72)
        scale = min(1.0, area.width() / real.width(), area.height() / real.height())
        render_dpi = min(dpi, MAX_DPI) * scale
        pixels = QSize(round(points.width() * render_dpi / 72), round(points.height() * render_dpi / 72))
        image = self.document.render(page, pixels)
        painter.drawImage(QRectF(0, 0, real.width() * scale, real.height() * scale), image)


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


def show_report_in_background(parent: QWidget, kind: str, actor, title: str, params: dict) -> None:
    """Build report `kind` on a worker thread (a year of postings or production takes seconds to sum and lay
    out), then show it; says so when the reports layer is not installed in this build."""
    from ui.work import run_in_background

    def done(pdf: bytes | None) -> None:
        if pdf is None:
            msgbox.information(parent, _("Reports"), _("The reports module is not installed in this build."))
            return
        show_pdf(parent, pdf, title, f"{kind}.pdf")

    run_in_background(
        parent, _("Preparing the report…"), lambda _p, _c: build_report(kind, actor, **params), done
    )
