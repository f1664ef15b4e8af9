"""Window sizes that fit the screen: a preferred size capped to the free area of the window's screen (frame
included) and placed on it, and a scroll area for content that can be taller than a small screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

# What a window manager adds around a window that is not shown yet (title bar and borders; Windows 10 at 100 %
# scaling: a 31 px title bar, 8 px borders); once a window is shown its real frame is used.
FRAME_ALLOWANCE = QMargins(8, 31, 8, 8)


def available_geometry(widget: QWidget) -> QRect:
    """The free area (without task bars and docks) of the screen the window is on or will open on."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_margins(widget: QWidget) -> QMargins:
    window = widget.window()
    handle = window.windowHandle()
    if window.isVisible() and handle is not None and not handle.frameMargins().isNull():
        return handle.frameMargins()
    return FRAME_ALLOWANCE


def fit_to_screen(widget: QWidget, preferred: QSize | None = None, *, centre: bool = True) -> None:
    """Size a window to `preferred` (default: its size hint), at most the free area of its screen with the
    frame, and centre it over its parent window (or the screen); with centre=False it keeps its place unless
    it stands out of the screen."""
    if widget.isMaximized() or widget.isFullScreen():
        return
    layout = widget.layout()
    if layout is not None:
        layout.activate()  # sets the minimum size the layout needs before the window is shown
    area = available_geometry(widget)
    margins = frame_margins(widget)
    room = area.size().shrunkBy(margins)
    widget.resize((preferred or widget.sizeHint()).boundedTo(room))
    frame = QRect(QPoint(0, 0), widget.size().grownBy(margins))
    if centre:
        parent = widget.parentWidget()
        owner = parent.window() if parent is not None else None
        frame.moveCenter(
            owner.frameGeometry().center() if owner is not None and owner.isVisible() else area.center()
        )
    else:
        frame.moveTopLeft(widget.pos())
    frame.moveLeft(max(area.left(), min(frame.left(), area.right() + 1 - frame.width())))
    frame.moveTop(max(area.top(), min(frame.top(), area.bottom() + 1 - frame.height())))
    widget.move(frame.topLeft())


class _FitOnShow(QObject):
    def __init__(self, widget: QWidget, preferred: QSize | None) -> None:
        super().__init__(widget)
        self._preferred = preferred
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Show:
            watched.removeEventFilter(self)
            assert isinstance(watched, QWidget)
            fit_to_screen(watched, self._preferred)
            self.deleteLater()
        return False


def fit_on_first_show(widget: QWidget, preferred: QSize | None = None) -> None:
    """fit_to_screen when the window is first shown: for dialogs whose rows are added after they are built."""
    _FitOnShow(widget, preferred)


class FitScrollArea(QScrollArea):
    """A vertical scroll area that asks for all of its content's size (QScrollArea caps its hint at 24 lines):
    a window sized by fit_to_screen scrolls only when the screen is too small for it."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)

        self._content = content

    def _bar(self) -> int:
        return self.verticalScrollBar().sizeHint().width()

    def sizeHint(self) -> QSize:
        hint = self._content.sizeHint()
        return QSize(hint.width() + self._bar(), hint.height())

    def minimumSizeHint(self) -> QSize:
        least = self._content.minimumSizeHint()
        return QSize(least.width() + self._bar(), min(least.height(), 5 * self.fontMetrics().height()))
