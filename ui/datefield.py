"""A date typed in the locale's short format (day, month, four-digit year) or picked from a calendar popup."""

from __future__ import annotations

import re
from datetime import date

from babel.dates import get_date_format
from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QMenu, QStyle, QWidget, QWidgetAction

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
