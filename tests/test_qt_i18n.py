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
    assert len(installed) == 2 and not isinstance(installed[-1], qt_i18n.CatalogueTranslator)  # asked first
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    assert cancel not in ("", "Cancel")


def test_catalogue_translator_leaves_other_strings_to_qt(lang_reset):
    i18n.set_language("sw")
    qt_i18n.install("sw")
    assert QCoreApplication.translate("QShortcut", "Backspace") == "Backspace"  # not in our tables
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


def _visible_texts(dialog) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QLabel

    texts = [w.text() for w in dialog.findChildren(QLabel) if w.isVisibleTo(dialog) and w.text().strip()]
    texts += [b.text() for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog) and b.text()]
    texts += [
        b.toolTip() for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog) and b.toolTip()
    ]
    return texts


@pytest.mark.parametrize("kind", ["open", "save", "colour", "input"])
def test_qt_dialogs_take_every_word_from_our_catalogue_in_swahili(kind, qapp, lang_reset, monkeypatch):
    """With a catalogue marking each text it serves, no English word is left in Qt's own dialogs."""
    from PySide6.QtWidgets import QColorDialog, QFileDialog, QInputDialog

    monkeypatch.setattr(qt_i18n, "pgettext", lambda context, text: f"«{text}»")
    i18n.set_language("sw")
    qt_i18n.install("sw")
    if kind in ("open", "save"):
        dialog = QFileDialog(None, "t")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        if kind == "save":
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    elif kind == "colour":
        dialog = QColorDialog()
        dialog.setOption(QColorDialog.ColorDialogOption.DontUseNativeDialog)
    else:
        dialog = QInputDialog()
    dialog.show()
    try:
        english = [t for t in _visible_texts(dialog) if "«" not in t and any(c.isalpha() for c in t)]
    finally:
        dialog.close()
    allowed = {"t", "#"}  # the title given above
    assert [t for t in english if t not in allowed] == []


def test_the_table_texts_are_qts_own(qapp):
    """Each (context, text) of the table is one Qt 6 translates in French, Spanish or Portuguese: no typo
    that Qt never asks for."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    shipped = [QTranslator() for _lang in ("fr", "es", "pt_BR")]
    assert all(
        t.load(QLocale(lang), "qtbase", "_", folder)
        for t, lang in zip(shipped, ("fr", "es", "pt_BR"), strict=True)
    )
    unknown = []
    for context, text in qt_i18n.DIALOG_STRINGS:
        candidates = {text} | {text[:i] + "&" + text[i:] for i in range(len(text))}
        if not any(t.translate(context, c) for t in shipped for c in candidates):
            unknown.append((context, text))
    assert unknown == []


def test_french_file_dialog_labels_qt_renamed_come_from_our_catalogue(qapp, lang_reset, monkeypatch):
    """Qt 6 asks "&Look in:" and "Files of &type:"; its French file only has "Look in:": ours fills in."""
    from PySide6.QtWidgets import QFileDialog, QLabel

    monkeypatch.setattr(qt_i18n, "pgettext", lambda context, text: f"«{text}»")
    i18n.set_language("fr")
    qt_i18n.install("fr")
    dialog = QFileDialog(None, "t")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    labels = [w.text() for w in dialog.findChildren(QLabel) if w.text()]
    assert "«Look in:»" in " ".join(labels).replace("&", "")
    assert QCoreApplication.translate("QFileDialog", "Parent Directory") == "Dossier parent"  # Qt's own
