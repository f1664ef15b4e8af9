"""A date typed in the locale's short format (day, month, four-digit year) or picked from a calendar popup;
a date and time as two such plain fields."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from babel.dates import get_date_format
from PySide6.QtCore import QDate, QDateTime, QRegularExpression, Qt, QTime, Signal
from PySide6.QtGui import QAction, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QStyle,
    QWidget,
    QWidgetAction,
)

from coop import i18n
from coop.errors import ValidationError
from coop.i18n import _
from ui import fmt

# A QDateEdit types into sections: "15/11/2026" typed over today's date lands as another date and Tab moves
# between its sections. A line edit takes the text as typed and Tab leaves it like any other field.
TYPED = QRegularExpression(r"[0-9./\- ]{0,10}")
ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def short_pattern(locale: str | None = None) -> str:
    """The order of day, month and year in the locale's short date, as 'dmy', 'mdy' or 'ymd'."""
    pattern = get_date_format("short", locale=i18n.babel_locale(locale or fmt.Context.locale)).pattern
    order = [ch for ch in pattern.lower() if ch in "dmy"]
    return "".join(dict.fromkeys(order))  # first appearance of each letter


def separator(locale: str | None = None) -> str:
    pattern = get_date_format("short", locale=i18n.babel_locale(locale or fmt.Context.locale)).pattern
    seps = [ch for ch in pattern if not ch.isalpha() and ch not in "' "]
    return seps[0] if seps else "/"


def date_text(day: date, locale: str | None = None) -> str:
    """The date as this field shows and reads it: the locale's order and separator, two-digit day and
    month, four-digit year (a two-digit year would be a guess of the century)."""
    parts = {"d": f"{day.day:02d}", "m": f"{day.month:02d}", "y": f"{day.year:04d}"}
    return separator(locale).join(parts[p] for p in short_pattern(locale))


def parse_date(text: str, field: str, locale: str | None = None) -> date:
    """A date typed in the locale's order (any of . / - as separator) or as ISO YYYY-MM-DD."""
    text = text.strip()
    iso = ISO.fullmatch(text)
    numbers = [int(g) for g in iso.groups()] if iso else [int(n) for n in re.split(r"[./\- ]+", text) if n]
    order = "ymd" if iso else short_pattern(locale)
    example = date_text(date(2026, 11, 15), locale)
    if len(numbers) != 3 or len(re.split(r"[./\- ]+", text)) != 3:
        raise ValidationError(
            field, "“{value}” is not a date: type it as {example}.", value=text, example=example
        )
    parts = dict(zip(order, numbers, strict=True))
    year_digits = len(str(text.split("-")[0] if iso else re.split(r"[./\- ]+", text)[order.index("y")]))
    if year_digits != 4:
        raise ValidationError(
            field, "“{value}” is not a date: type it as {example}.", value=text, example=example
        )
    try:
        return date(parts["y"], parts["m"], parts["d"])
    except ValueError:
        raise ValidationError(
            field, "“{value}” is not a date: type it as {example}.", value=text, example=example
        ) from None


class DateField(QLineEdit):
    """A date field with QDateEdit's date()/setDate()/dateChanged; empty means no date when `optional`.

    Alt+Down or F4 (or the calendar button) opens a calendar; typed text is read when the value is needed,
    so a half-typed date is never replaced by a guess."""

    dateChanged = Signal(QDate)

    def __init__(
        self, day: date | QDate | None, parent: QWidget | None = None, *, optional: bool = False
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        self.setValidator(QRegularExpressionValidator(TYPED, self))
        self.setPlaceholderText(date_text(date(2026, 11, 15)))
        self.calendar = QCalendarWidget(self)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.popup = QMenu(self)
        holder = QWidgetAction(self.popup)
        holder.setDefaultWidget(self.calendar)
        self.popup.addAction(holder)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
        self.calendar_action = QAction(icon, "", self)
        self.calendar_action.setObjectName("calendar")
        self.calendar_action.setToolTip(_("Pick a date"))
        self.calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.textChanged.connect(self._text_changed)
        if day is not None:
            self.setDate(day)

    # --- QDateEdit's interface --------------------------------------------------------------------
    def date(self) -> QDate:
        """The typed date; an invalid QDate when the text is empty or not a date."""
        try:
            day = self.value("")
        except ValidationError:
            return QDate()
        return QDate(day) if day is not None else QDate()

    def setDate(self, day: date | QDate | None) -> None:  # noqa: N802 (QDateEdit's name)
        if isinstance(day, QDate):
            day = day.toPython() if day.isValid() else None
        self.setText(date_text(day) if day is not None else "")

    # --- values ---------------------------------------------------------------------------------
    def value(self, field: str) -> date | None:
        """The date typed, None if empty and optional; a ValidationError naming `field` otherwise."""
        text = self.text().strip()
        if not text:
            if self.optional:
                return None
            raise ValidationError(field, "Enter a date.")
        return parse_date(text, field)

    def _text_changed(self) -> None:
        day = self.date()
        if day.isValid():
            self.dateChanged.emit(day)

    # --- calendar -------------------------------------------------------------------------------
    def show_calendar(self) -> None:
        current = self.date()
        self.calendar.setSelectedDate(current if current.isValid() else QDate.currentDate())
        self.popup.popup(self.mapToGlobal(self.rect().bottomLeft()))

    def _picked(self, day: QDate) -> None:
        self.setDate(day)
        self.popup.close()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        down = event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        if down or event.key() == Qt.Key.Key_F4:
            self.show_calendar()
            return
        super().keyPressEvent(event)


CLOCK = QRegularExpression(r"[0-9]{0,2}([:.h][0-9]{0,2})?")
TIME = re.compile(r"([0-9]{1,2})(?:[:.h]([0-9]{2}))?")


def parse_time(text: str, field: str) -> time:
    """A time of day typed as 14:30 (also 14.30, 14h30 or 14)."""
    match = TIME.fullmatch(text.strip())
    hour, minute = (int(match.group(1)), int(match.group(2) or 0)) if match else (99, 99)
    if hour > 23 or minute > 59:
        raise ValidationError(
            field, "“{value}” is not a time: type it as {example}.", value=text, example="14:30"
        )
    return time(hour, minute)


class DateTimeField(QWidget):
    """A date field and a time field side by side (QDateTimeEdit's dateTime()/setDateTime()/time()): Tab goes
    from the date to the time and then to the next field, never through day, month and year sections."""

    dateTimeChanged = Signal(QDateTime)

    def __init__(self, moment: datetime | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.day = DateField(None, self)
        self.day.setObjectName("date")
        self.clock = QLineEdit(self)
        self.clock.setObjectName("time")
        self.clock.setValidator(QRegularExpressionValidator(CLOCK, self))
        self.clock.setPlaceholderText("14:30")
        self.clock.setMaximumWidth(self.clock.fontMetrics().horizontalAdvance("00:00") * 2 + 16)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.day, 1)
        lay.addWidget(self.clock)
        self.setFocusProxy(self.day)  # a label's buddy and the form's first focus land on the date
        if moment is not None:
            self.setDateTime(moment)
        self.day.textChanged.connect(self._changed)
        self.clock.textChanged.connect(self._changed)

    def value(self, field: str) -> datetime:
        """The date and time typed; a ValidationError naming `field` when either is missing or wrong."""
        day = self.day.value(field)
        assert day is not None  # the date is not optional
        if not self.clock.text().strip():
            raise ValidationError(field, "Enter a time.")
        return datetime.combine(day, parse_time(self.clock.text(), field))

    def time(self) -> QTime:
        try:
            return QTime(parse_time(self.clock.text(), ""))
        except ValidationError:
            return QTime()

    def dateTime(self) -> QDateTime:  # noqa: N802 (QDateTimeEdit's name)
        day, clock = self.day.date(), self.time()
        return QDateTime(day, clock) if day.isValid() and clock.isValid() else QDateTime()

    def setDateTime(self, moment: datetime | QDateTime) -> None:  # noqa: N802 (QDateTimeEdit's name)
        if isinstance(moment, QDateTime):
            moment = moment.toPython()
        self.day.setDate(moment.date())
        self.clock.setText(f"{moment.hour:02d}:{moment.minute:02d}")

    def text(self) -> str:
        """Both fields' text, for telling whether the form was changed."""
        return f"{self.day.text()} {self.clock.text()}"

    def _changed(self) -> None:
        moment = self.dateTime()
        if moment.isValid():
            self.dateTimeChanged.emit(moment)
