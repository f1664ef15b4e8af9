"""Qt's own strings (standard buttons, dialogs): qtbase_<lang>.qm where Qt ships one, else our catalogue."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from coop import i18n
from coop.i18n import pgettext

# Qt asks for its standard button texts in these contexts (QPlatformTheme::defaultStandardButtonText,
# QDialogButtonBox and QMessageBox). The context "Qt standard button" keeps "Open" (a button) apart from
# "Open" (an incident's state) in our catalogue.
QT_CONTEXTS = frozenset({"QPlatformTheme", "QDialogButtonBox", "QMessageBox", "QGnomeTheme", "QWizard"})

BUTTONS: dict[str, Callable[[], str]] = {
    "OK": lambda: pgettext("Qt standard button", "OK"),
    "Save": lambda: pgettext("Qt standard button", "Save"),
    "Save All": lambda: pgettext("Qt standard button", "Save All"),
    "Open": lambda: pgettext("Qt standard button", "Open"),
    "Yes": lambda: pgettext("Qt standard button", "Yes"),
    "Yes to All": lambda: pgettext("Qt standard button", "Yes to All"),
    "No": lambda: pgettext("Qt standard button", "No"),
    "No to All": lambda: pgettext("Qt standard button", "No to All"),
    "Abort": lambda: pgettext("Qt standard button", "Abort"),
    "Retry": lambda: pgettext("Qt standard button", "Retry"),
    "Ignore": lambda: pgettext("Qt standard button", "Ignore"),
    "Close": lambda: pgettext("Qt standard button", "Close"),
    "Cancel": lambda: pgettext("Qt standard button", "Cancel"),
    "Discard": lambda: pgettext("Qt standard button", "Discard"),
    "Help": lambda: pgettext("Qt standard button", "Help"),
    "Apply": lambda: pgettext("Qt standard button", "Apply"),
    "Reset": lambda: pgettext("Qt standard button", "Reset"),
    "Restore Defaults": lambda: pgettext("Qt standard button", "Restore Defaults"),
    "Close without Saving": lambda: pgettext("Qt standard button", "Close without Saving"),
    "Don't Save": lambda: pgettext("Qt standard button", "Don't Save"),
    "Show Details...": lambda: pgettext("Qt standard button", "Show Details..."),
    "Hide Details...": lambda: pgettext("Qt standard button", "Hide Details..."),
    "Back": lambda: pgettext("Qt standard button", "Back"),
    "Next": lambda: pgettext("Qt standard button", "Next"),
    "Finish": lambda: pgettext("Qt standard button", "Finish"),
    "Commit": lambda: pgettext("Qt standard button", "Commit"),
}


def strip_accelerator(text: str) -> str:
    """'&Yes' -> 'Yes', 'N&o to All' -> 'No to All', '&&' stays a literal '&'; '< &Back' -> 'Back'."""
    out = text.replace("&&", "\x00").replace("&", "").replace("\x00", "&")
    return out.strip("<> ").strip()


class CatalogueTranslator(QTranslator):
    """Serves Qt's standard button texts from the app's gettext catalogue (for languages Qt lacks)."""

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if disambiguation is None:
            _compensate_none_reference()
        # None (a null QString) means "no translation here": Qt then keeps its source text. An empty
        # string would be taken as a translation and blank the button.
        if context not in QT_CONTEXTS or not source:
            return None
        key = strip_accelerator(source)
        lookup = BUTTONS.get(key)
        if lookup is None:
            return None
        text = lookup()
        if text == key:  # untranslated (English): keep Qt's own text with its accelerator
            return None
        if source.startswith("&") and "&" not in text:
            text = "&" + text
        return text

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API)
        return False


def _compensate_none_reference() -> None:
    """PySide6 6.12 (shiboken) passes a NULL `disambiguation` to Python overrides as None WITHOUT taking a
    reference, then releases it: every call costs None one reference, and after enough translations
    Python 3.11 aborts with "none_dealloc" (measured: -1 per call; tests/test_qt_i18n.py). Give the
    reference back. If a later PySide fixes the bug, this only keeps None (immortal in practice) alive."""
    import ctypes  # here, not at start-up: only the Swahili buttons come through this translator

    ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))


_installed: list[QTranslator] = []


def qtbase_file(lang: str) -> QTranslator | None:
    """A QTranslator loaded with Qt's own qtbase_<lang>.qm, or None when Qt ships none for the language."""
    if lang.startswith(i18n.PSEUDO) or lang.split("_")[0] == "en":
        return None
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator()
    if translator.load(QLocale(lang), "qtbase", "_", folder):
        return translator
    return None


def install(lang: str) -> list[QTranslator]:
    """Replace the Qt translators for `lang` (runtime switch; Qt then re-sends LanguageChange)."""
    app = QCoreApplication.instance()
    assert app is not None, "create the QApplication first"
    for old in _installed:
        QCoreApplication.removeTranslator(old)
    _installed.clear()
    if i18n.language_of(lang) == "en" or lang.startswith(i18n.PSEUDO):
        return []  # Qt's own strings are English
    qt_own = qtbase_file(lang)
    translator: QTranslator = qt_own if qt_own is not None else CatalogueTranslator()
    QCoreApplication.installTranslator(translator)
    _installed.append(translator)
    return list(_installed)
