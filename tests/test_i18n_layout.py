"""Pseudo-localized (`xx`) and pseudo-RTL (`xx_RTL`) forms: no clipped or overlapping labels, mirrored layout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coop import i18n
from coop.i18n import _

TEXT_WIDGETS = (QLabel, QAbstractButton)


def _visible_text_widgets(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if isinstance(w, TEXT_WIDGETS) and w.isVisibleTo(root)]


def layout_problems(root: QWidget) -> list[str]:
    """Text widgets narrower than their text needs, or overlapping a sibling text widget."""
    problems = []
    widgets = _visible_text_widgets(root)
    for w in widgets:
        text = w.text() if hasattr(w, "text") else ""
        if not text:
            continue
        if isinstance(w, QLabel) and w.wordWrap():
            if w.heightForWidth(w.width()) > w.height() + 1:
                problems.append(f"clipped (height) {type(w).__name__} {text!r}")
        elif w.sizeHint().width() > w.width() + 1 or w.minimumSizeHint().height() > w.height() + 1:
            problems.append(f"clipped {type(w).__name__} {text!r}: {w.sizeHint().width()} > {w.width()}")
    rects = [(w, QRect(w.mapTo(root, w.rect().topLeft()), w.size())) for w in widgets if w.text()]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            if ra.intersects(rb):
                problems.append(f"overlap {a.text()!r} / {b.text()!r}")
    return problems


def show_laid_out(widget: QWidget, qtbot) -> QWidget:
    qtbot.addWidget(widget)
    widget.setLayoutDirection(QApplication.layoutDirection())
    widget.show()
    qtbot.waitExposed(widget)
    widget.adjustSize()
    QApplication.processEvents()
    return widget


@pytest.fixture
def pseudo(request, qapp):
    lang = request.param
    i18n.set_language(lang)
    qapp.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if i18n.is_rtl() else Qt.LayoutDirection.LeftToRight
    )
    yield lang
    i18n.set_language("en")
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def _sample_form() -> QWidget:
    """A form built like the app's: translated labels in a QFormLayout and buttons below."""
    w = QWidget()
    form = QFormLayout()
    form.addRow(QLabel(_("Member no.")), QLineEdit())
    form.addRow(QLabel(_("Payment method")), QLineEdit())
    form.addRow(QCheckBox(_("retort used")))
    box = QVBoxLayout(w)
    box.addLayout(form)
    box.addWidget(QPushButton(_("Closing balance (owed to the member)")))
    return w


def test_checker_finds_a_clipped_label(qtbot):
    w = QWidget()
    label = QLabel("A label far too long for the fixed width", w)
    label.setGeometry(0, 0, 40, 20)
    other = QLabel("Overlapping", w)
    other.setGeometry(10, 5, 120, 20)
    qtbot.addWidget(w)
    w.show()
    found = layout_problems(w)
    assert any(p.startswith("clipped QLabel") for p in found)
    assert any(p.startswith("overlap") for p in found)


@pytest.mark.parametrize("pseudo", ["xx", "xx_RTL"], indirect=True)
def test_sample_form_fits_pseudo_text(pseudo, qtbot):
    w = show_laid_out(_sample_form(), qtbot)
    texts = [x.text() for x in _visible_text_widgets(w)]
    assert texts and all(t.startswith("[") for t in texts)  # every string went through _()
    assert layout_problems(w) == []


@pytest.mark.parametrize("pseudo", ["xx_RTL"], indirect=True)
def test_rtl_mirrors_form_rows(pseudo, qtbot):
    w = show_laid_out(_sample_form(), qtbot)
    assert w.layoutDirection() == Qt.LayoutDirection.RightToLeft
    label = next(x for x in w.findChildren(QLabel))
    field = next(x for x in w.findChildren(QLineEdit))
    assert label.x() > field.x()  # the label sits on the right in a right-to-left layout
