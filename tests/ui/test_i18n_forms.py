"""The main forms under pseudo-localization (`xx`, 40% longer) and pseudo-RTL: nothing clipped, all translated."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel

from coop import i18n
from coop.permissions import SYSTEM
from tests.test_i18n import _is_words
from tests.test_i18n_layout import _visible_text_widgets, layout_problems
from ui import dialogs
from ui.app import apply_language
from ui.login import LoginDialog
from ui.mainwindow import MainWindow
from ui.sale import SaleDialog

FORMS = {
    "login": lambda: LoginDialog(),
    "main window": lambda: MainWindow(SYSTEM),
    "member": lambda: dialogs.member_dialog(SYSTEM, None, None),
    "lot": lambda: dialogs.LotDialog(SYSTEM, None),
    "sale": lambda: SaleDialog(SYSTEM),
    "payout": lambda: dialogs.payout_dialog(SYSTEM, None, None),
    "tax payment": lambda: dialogs.TaxPaymentDialog(SYSTEM),
    "incident": lambda: dialogs.incident_dialog(SYSTEM, None, None),
    "mercury": lambda: dialogs.mercury_dialog(SYSTEM, None),
    "settings": lambda: dialogs.settings_dialog(SYSTEM, None),
    "site": lambda: dialogs.simple_dialog("site", SYSTEM, None, None),
    "buyer": lambda: dialogs.simple_dialog("buyer", SYSTEM, None, None),
    "tax rule": lambda: dialogs.simple_dialog("tax_rule", SYSTEM, None, None),
}


@pytest.fixture(params=["xx", "xx_RTL"])
def pseudo_app(request, qapp, ctx):
    apply_language(qapp, request.param)
    yield request.param
    apply_language(qapp, "en")


@pytest.mark.parametrize("name", sorted(FORMS))
def test_form_fits_pseudo_text(name, pseudo_app, qtbot):
    dlg = FORMS[name]()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    QApplication.processEvents()
    rtl = pseudo_app == "xx_RTL"
    assert dlg.isRightToLeft() == rtl  # the app sets the layout direction from the language
    labels = [w for w in _visible_text_widgets(dlg) if w.text().strip()]
    assert labels, name
    untranslated = [w.text() for w in labels if isinstance(w, QLabel) and _looks_untranslated(w.text())]
    assert untranslated == []
    assert layout_problems(dlg) == []
    if rtl:  # form rows are mirrored: each label sits right of its field
        for form in dlg.findChildren(QFormLayout):
            for row in range(form.rowCount()):
                label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if label and field and label.widget() and field.widget() and label.widget().isVisible():
                    assert label.geometry().left() >= field.geometry().right(), (name, row)


def _looks_untranslated(text: str) -> bool:
    """Pseudo-localized text is bracketed; a label holding letters without brackets skipped `_()`."""
    data = re.sub(r"\b[A-Z]{2,4}\b", " ", text)  # currency codes and symbols (CDF, FC) are data
    return _is_words(data) and "[" not in text


def test_language_switch_restores_left_to_right(qapp, ctx):
    apply_language(qapp, "xx_RTL")
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    apply_language(qapp, "sw")
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight and i18n.current_language() == "sw"
    apply_language(qapp, "en")
