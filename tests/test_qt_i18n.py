"""Qt's own dialogs in the user's language: qtbase_<lang>.qm where shipped, our catalogue for Swahili."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from coop import i18n
from ui import qt_i18n

SB = QDialogButtonBox.StandardButton


@pytest.fixture
def lang_reset(qapp):
    yield
    i18n.set_language("en")
    qt_i18n.install("en")


def _texts(box: QDialogButtonBox) -> dict[SB, str]:
    return {box.standardButton(b): b.text() for b in box.buttons()}


def test_strip_accelerator():
    assert qt_i18n.strip_accelerator("&Yes") == "Yes"
    assert qt_i18n.strip_accelerator("N&o to All") == "No to All"
    assert qt_i18n.strip_accelerator("Save && Close") == "Save & Close"
    assert qt_i18n.strip_accelerator("< &Back") == "Back"


def test_swahili_buttons_come_from_our_catalogue(lang_reset):
    i18n.set_language("sw")
    installed = qt_i18n.install("sw")
    assert [type(t) for t in installed] == [qt_i18n.CatalogueTranslator]  # Qt ships no qtbase_sw
    box = QDialogButtonBox(SB.Ok | SB.Cancel | SB.Save | SB.Close)
    texts = {k: v.replace("&", "") for k, v in _texts(box).items()}
    assert texts == {
        SB.Ok: i18n.pgettext("Qt standard button", "OK"),
        SB.Cancel: i18n.pgettext("Qt standard button", "Cancel"),
        SB.Save: i18n.pgettext("Qt standard button", "Save"),
        SB.Close: i18n.pgettext("Qt standard button", "Close"),
    }
    assert "Cancel" not in texts.values() and "OK" not in texts.values()


def test_swahili_yes_no_keep_an_accelerator(lang_reset):
    i18n.set_language("sw")
    qt_i18n.install("sw")
    box = QMessageBox(
        QMessageBox.Icon.Question, "t", "q", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    texts = sorted(b.text() for b in box.buttons())
    yes, no = i18n.pgettext("Qt standard button", "Yes"), i18n.pgettext("Qt standard button", "No")
    assert texts == sorted(["&" + yes, "&" + no])


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_qt_ships_french_and_spanish(lang, lang_reset):
    i18n.set_language(lang)
    installed = qt_i18n.install(lang)
    assert len(installed) == 1 and not isinstance(installed[0], qt_i18n.CatalogueTranslator)
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    assert cancel not in ("", "Cancel")


def test_catalogue_translator_leaves_other_strings_to_qt(lang_reset):
    i18n.set_language("sw")
    qt_i18n.install("sw")
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Look in:"
    assert QCoreApplication.translate("QPlatformTheme", "Not a button") == "Not a button"
    i18n.set_language("fr")  # a catalogue with the same text as English would also fall through
    assert qt_i18n.CatalogueTranslator().translate("QPlatformTheme", "&Yes") == "&Oui"


def test_switching_back_to_english_removes_translators(lang_reset):
    qt_i18n.install("sw")
    i18n.set_language("sw")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel"
    i18n.set_language("en")
    assert qt_i18n.install("en") == []
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert _texts(QDialogButtonBox(SB.Cancel)) == {SB.Cancel: "Cancel"}


def test_many_translations_do_not_drain_references_to_none(lang_reset):
    """PySide6 releases a reference to None on every override call with no disambiguation; after enough
    translations Python aborted ("none_dealloc"). The translator gives the reference back."""
    import sys

    qt_i18n.install("sw")
    before = sys.getrefcount(None)
    for _ in range(5000):
        QCoreApplication.translate("QPlatformTheme", "Cancel")
        QCoreApplication.translate("SomeOtherContext", "Text")
    assert sys.getrefcount(None) - before > -100  # unbalanced, this drops by 10 000
