"""Qt's own strings (standard buttons, dialogs): qtbase_<lang>.qm where Qt ships one, our catalogue for what it
lacks (Swahili: everything)."""

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

# Qt's own dialogs and menus by (context, text without its accelerator): the file and print dialogs, the
# colour picker, input and progress dialogs and the text fields' context menu. Qt ships no Swahili for them.
DIALOG_STRINGS: dict[tuple[str, str], Callable[[], str]] = {
    (
        "QFileDialog",
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.",
    ): lambda: pgettext(
        "Qt QFileDialog", "%1\nDirectory not found.\nPlease verify the correct directory name was given."
    ),
    ("QFileDialog", "%1\nFile not found.\nPlease verify the correct file name was given."): lambda: pgettext(
        "Qt QFileDialog", "%1\nFile not found.\nPlease verify the correct file name was given."
    ),
    ("QFileDialog", "%1 File"): lambda: pgettext("Qt QFileDialog", "%1 File"),
    ("QFileDialog", "%1 already exists.\nDo you want to replace it?"): lambda: pgettext(
        "Qt QFileDialog", "%1 already exists.\nDo you want to replace it?"
    ),
    ("QFileDialog", "Choose"): lambda: pgettext("Qt QFileDialog", "Choose"),
    ("QFileDialog", "Delete"): lambda: pgettext("Qt QFileDialog", "Delete"),
    ("QFileDialog", "New Folder"): lambda: pgettext("Qt QFileDialog", "New Folder"),
    ("QFileDialog", "Open"): lambda: pgettext("Qt QFileDialog", "Open"),
    ("QFileDialog", "Rename"): lambda: pgettext("Qt QFileDialog", "Rename"),
    ("QFileDialog", "Save"): lambda: pgettext("Qt QFileDialog", "Save"),
    ("QFileDialog", "'%1' is write protected.\nDo you want to delete it anyway?"): lambda: pgettext(
        "Qt QFileDialog", "'%1' is write protected.\nDo you want to delete it anyway?"
    ),
    ("QFileDialog", "Alias"): lambda: pgettext("Qt QFileDialog", "Alias"),
    ("QFileDialog", "All Files (*)"): lambda: pgettext("Qt QFileDialog", "All Files (*)"),
    ("QFileDialog", "All files (*)"): lambda: pgettext("Qt QFileDialog", "All files (*)"),
    ("QFileDialog", "Are you sure you want to delete '%1'?"): lambda: pgettext(
        "Qt QFileDialog", "Are you sure you want to delete '%1'?"
    ),
    ("QFileDialog", "Back"): lambda: pgettext("Qt QFileDialog", "Back"),
    ("QFileDialog", "Change to detail view mode"): lambda: pgettext(
        "Qt QFileDialog", "Change to detail view mode"
    ),
    ("QFileDialog", "Change to list view mode"): lambda: pgettext(
        "Qt QFileDialog", "Change to list view mode"
    ),
    ("QFileDialog", "Could not delete directory."): lambda: pgettext(
        "Qt QFileDialog", "Could not delete directory."
    ),
    ("QFileDialog", "Create New Folder"): lambda: pgettext("Qt QFileDialog", "Create New Folder"),
    ("QFileDialog", "Create a New Folder"): lambda: pgettext("Qt QFileDialog", "Create a New Folder"),
    ("QFileDialog", "Detail View"): lambda: pgettext("Qt QFileDialog", "Detail View"),
    ("QFileDialog", "Directories"): lambda: pgettext("Qt QFileDialog", "Directories"),
    ("QFileDialog", "Directory:"): lambda: pgettext("Qt QFileDialog", "Directory:"),
    ("QFileDialog", "Drive"): lambda: pgettext("Qt QFileDialog", "Drive"),
    ("QFileDialog", "File"): lambda: pgettext("Qt QFileDialog", "File"),
    ("QFileDialog", "File name:"): lambda: pgettext("Qt QFileDialog", "File name:"),
    ("QFileDialog", "File Folder"): lambda: pgettext("Qt QFileDialog", "File Folder"),
    ("QFileDialog", "Files"): lambda: pgettext("Qt QFileDialog", "Files"),
    ("QFileDialog", "Files of type:"): lambda: pgettext("Qt QFileDialog", "Files of type:"),
    ("QFileDialog", "Find Directory"): lambda: pgettext("Qt QFileDialog", "Find Directory"),
    ("QFileDialog", "Folder"): lambda: pgettext("Qt QFileDialog", "Folder"),
    ("QFileDialog", "Forward"): lambda: pgettext("Qt QFileDialog", "Forward"),
    ("QFileDialog", "Go back"): lambda: pgettext("Qt QFileDialog", "Go back"),
    ("QFileDialog", "Go forward"): lambda: pgettext("Qt QFileDialog", "Go forward"),
    ("QFileDialog", "Go to the parent directory"): lambda: pgettext(
        "Qt QFileDialog", "Go to the parent directory"
    ),
    ("QFileDialog", "List View"): lambda: pgettext("Qt QFileDialog", "List View"),
    ("QFileDialog", "List of places and bookmarks"): lambda: pgettext(
        "Qt QFileDialog", "List of places and bookmarks"
    ),
    ("QFileDialog", "Look in:"): lambda: pgettext("Qt QFileDialog", "Look in:"),
    ("QFileDialog", "My Computer"): lambda: pgettext("Qt QFileDialog", "My Computer"),
    ("QFileDialog", "Parent Directory"): lambda: pgettext("Qt QFileDialog", "Parent Directory"),
    ("QFileDialog", "Recent Places"): lambda: pgettext("Qt QFileDialog", "Recent Places"),
    ("QFileDialog", "Remove"): lambda: pgettext("Qt QFileDialog", "Remove"),
    ("QFileDialog", "Save As"): lambda: pgettext("Qt QFileDialog", "Save As"),
    ("QFileDialog", "Shortcut"): lambda: pgettext("Qt QFileDialog", "Shortcut"),
    ("QFileDialog", "Show hidden files"): lambda: pgettext("Qt QFileDialog", "Show hidden files"),
    ("QFileDialog", "Sidebar"): lambda: pgettext("Qt QFileDialog", "Sidebar"),
    ("QFileDialog", "Unknown"): lambda: pgettext("Qt QFileDialog", "Unknown"),
    ("QFileSystemModel", "%1 GB"): lambda: pgettext("Qt QFileSystemModel", "%1 GB"),
    ("QFileSystemModel", "%1 KB"): lambda: pgettext("Qt QFileSystemModel", "%1 KB"),
    ("QFileSystemModel", "%1 MB"): lambda: pgettext("Qt QFileSystemModel", "%1 MB"),
    ("QFileSystemModel", "%1 TB"): lambda: pgettext("Qt QFileSystemModel", "%1 TB"),
    ("QFileSystemModel", "%1 bytes"): lambda: pgettext("Qt QFileSystemModel", "%1 bytes"),
    (
        "QFileSystemModel",
        '<b>The name "%1" cannot be used.</b><p>Try using another name, with fewer characters or no punctuation marks.',
    ): lambda: pgettext(
        "Qt QFileSystemModel",
        '<b>The name "%1" cannot be used.</b><p>Try using another name, with fewer characters or no punctuation marks.',
    ),
    ("QFileSystemModel", "Computer"): lambda: pgettext("Qt QFileSystemModel", "Computer"),
    ("QFileSystemModel", "Date Modified"): lambda: pgettext("Qt QFileSystemModel", "Date Modified"),
    ("QFileSystemModel", "Invalid filename"): lambda: pgettext("Qt QFileSystemModel", "Invalid filename"),
    ("QFileSystemModel", "Kind"): lambda: pgettext("Qt QFileSystemModel", "Kind"),
    ("QFileSystemModel", "My Computer"): lambda: pgettext("Qt QFileSystemModel", "My Computer"),
    ("QFileSystemModel", "Name"): lambda: pgettext("Qt QFileSystemModel", "Name"),
    ("QFileSystemModel", "Size"): lambda: pgettext("Qt QFileSystemModel", "Size"),
    ("QFileSystemModel", "Type"): lambda: pgettext("Qt QFileSystemModel", "Type"),
    ("QColorDialog", "Add to Custom Colors"): lambda: pgettext("Qt QColorDialog", "Add to Custom Colors"),
    ("QColorDialog", "Basic colors"): lambda: pgettext("Qt QColorDialog", "Basic colors"),
    ("QColorDialog", "Custom colors"): lambda: pgettext("Qt QColorDialog", "Custom colors"),
    ("QColorDialog", "Green:"): lambda: pgettext("Qt QColorDialog", "Green:"),
    ("QColorDialog", "HTML:"): lambda: pgettext("Qt QColorDialog", "HTML:"),
    ("QColorDialog", "Pick Screen Color"): lambda: pgettext("Qt QColorDialog", "Pick Screen Color"),
    ("QColorDialog", "Red:"): lambda: pgettext("Qt QColorDialog", "Red:"),
    ("QColorDialog", "Sat:"): lambda: pgettext("Qt QColorDialog", "Sat:"),
    ("QColorDialog", "Val:"): lambda: pgettext("Qt QColorDialog", "Val:"),
    ("QColorDialog", "Alpha channel:"): lambda: pgettext("Qt QColorDialog", "Alpha channel:"),
    ("QColorDialog", "Blue:"): lambda: pgettext("Qt QColorDialog", "Blue:"),
    ("QColorDialog", "Cursor at %1, %2\nPress ESC to cancel"): lambda: pgettext(
        "Qt QColorDialog", "Cursor at %1, %2\nPress ESC to cancel"
    ),
    ("QColorDialog", "Hue:"): lambda: pgettext("Qt QColorDialog", "Hue:"),
    ("QColorDialog", "Select Color"): lambda: pgettext("Qt QColorDialog", "Select Color"),
    ("QInputDialog", "Enter a value:"): lambda: pgettext("Qt QInputDialog", "Enter a value:"),
    ("QProgressDialog", "Cancel"): lambda: pgettext("Qt QProgressDialog", "Cancel"),
    ("QAbstractSpinBox", "Select All"): lambda: pgettext("Qt QAbstractSpinBox", "Select All"),
    ("QAbstractSpinBox", "Step up"): lambda: pgettext("Qt QAbstractSpinBox", "Step up"),
    ("QAbstractSpinBox", "Step down"): lambda: pgettext("Qt QAbstractSpinBox", "Step down"),
    ("QLineEdit", "Copy"): lambda: pgettext("Qt QLineEdit", "Copy"),
    ("QLineEdit", "Paste"): lambda: pgettext("Qt QLineEdit", "Paste"),
    ("QLineEdit", "Redo"): lambda: pgettext("Qt QLineEdit", "Redo"),
    ("QLineEdit", "Undo"): lambda: pgettext("Qt QLineEdit", "Undo"),
    ("QLineEdit", "Cut"): lambda: pgettext("Qt QLineEdit", "Cut"),
    ("QLineEdit", "Delete"): lambda: pgettext("Qt QLineEdit", "Delete"),
    ("QLineEdit", "Select All"): lambda: pgettext("Qt QLineEdit", "Select All"),
    ("QWidgetTextControl", "Copy"): lambda: pgettext("Qt QWidgetTextControl", "Copy"),
    ("QWidgetTextControl", "Paste"): lambda: pgettext("Qt QWidgetTextControl", "Paste"),
    ("QWidgetTextControl", "Redo"): lambda: pgettext("Qt QWidgetTextControl", "Redo"),
    ("QWidgetTextControl", "Undo"): lambda: pgettext("Qt QWidgetTextControl", "Undo"),
    ("QWidgetTextControl", "Copy Link Location"): lambda: pgettext(
        "Qt QWidgetTextControl", "Copy Link Location"
    ),
    ("QWidgetTextControl", "Cut"): lambda: pgettext("Qt QWidgetTextControl", "Cut"),
    ("QWidgetTextControl", "Delete"): lambda: pgettext("Qt QWidgetTextControl", "Delete"),
    ("QWidgetTextControl", "Select All"): lambda: pgettext("Qt QWidgetTextControl", "Select All"),
    ("QPrintDialog", "%1 already exists.\nDo you want to overwrite it?"): lambda: pgettext(
        "Qt QPrintDialog", "%1 already exists.\nDo you want to overwrite it?"
    ),
    (
        "QPrintDialog",
        "%1 does not follow the correct syntax. Please use ',' to separate ranges and pages, '-' to define ranges and make sure ranges do not intersect with each other.",
    ): lambda: pgettext(
        "Qt QPrintDialog",
        "%1 does not follow the correct syntax. Please use ',' to separate ranges and pages, '-' to define ranges and make sure ranges do not intersect with each other.",
    ),
    ("QPrintDialog", "%1 is a directory.\nPlease choose a different file name."): lambda: pgettext(
        "Qt QPrintDialog", "%1 is a directory.\nPlease choose a different file name."
    ),
    ("QPrintDialog", "Options <<"): lambda: pgettext("Qt QPrintDialog", "Options <<"),
    ("QPrintDialog", "Options >>"): lambda: pgettext("Qt QPrintDialog", "Options >>"),
    ("QPrintDialog", "Print"): lambda: pgettext("Qt QPrintDialog", "Print"),
    ("QPrintDialog", "All Pages"): lambda: pgettext("Qt QPrintDialog", "All Pages"),
    ("QPrintDialog", "Automatic"): lambda: pgettext("Qt QPrintDialog", "Automatic"),
    ("QPrintDialog", "Bottom to Top, Left to Right"): lambda: pgettext(
        "Qt QPrintDialog", "Bottom to Top, Left to Right"
    ),
    ("QPrintDialog", "Bottom to Top, Right to Left"): lambda: pgettext(
        "Qt QPrintDialog", "Bottom to Top, Right to Left"
    ),
    ("QPrintDialog", "Duplex Settings Conflicts"): lambda: pgettext(
        "Qt QPrintDialog", "Duplex Settings Conflicts"
    ),
    ("QPrintDialog", "Even Pages"): lambda: pgettext("Qt QPrintDialog", "Even Pages"),
    ("QPrintDialog", "File %1 is not writable.\nPlease choose a different file name."): lambda: pgettext(
        "Qt QPrintDialog", "File %1 is not writable.\nPlease choose a different file name."
    ),
    ("QPrintDialog", "Invalid Pages Definition"): lambda: pgettext(
        "Qt QPrintDialog", "Invalid Pages Definition"
    ),
    ("QPrintDialog", "Left to Right, Bottom to Top"): lambda: pgettext(
        "Qt QPrintDialog", "Left to Right, Bottom to Top"
    ),
    ("QPrintDialog", "Left to Right, Top to Bottom"): lambda: pgettext(
        "Qt QPrintDialog", "Left to Right, Top to Bottom"
    ),
    ("QPrintDialog", "Local file"): lambda: pgettext("Qt QPrintDialog", "Local file"),
    ("QPrintDialog", "OK"): lambda: pgettext("Qt QPrintDialog", "OK"),
    ("QPrintDialog", "Odd Pages"): lambda: pgettext("Qt QPrintDialog", "Odd Pages"),
    (
        "QPrintDialog",
        "Options 'Pages Per Sheet' and 'Page Set' cannot be used together.\nPlease turn one of those options off.",
    ): lambda: pgettext(
        "Qt QPrintDialog",
        "Options 'Pages Per Sheet' and 'Page Set' cannot be used together.\nPlease turn one of those options off.",
    ),
    ("QPrintDialog", "Print To File ..."): lambda: pgettext("Qt QPrintDialog", "Print To File ..."),
    ("QPrintDialog", "Print to File (PDF)"): lambda: pgettext("Qt QPrintDialog", "Print to File (PDF)"),
    ("QPrintDialog", "Right to Left, Bottom to Top"): lambda: pgettext(
        "Qt QPrintDialog", "Right to Left, Bottom to Top"
    ),
    ("QPrintDialog", "Right to Left, Top to Bottom"): lambda: pgettext(
        "Qt QPrintDialog", "Right to Left, Top to Bottom"
    ),
    ("QPrintDialog", "The 'From' value cannot be greater than the 'To' value."): lambda: pgettext(
        "Qt QPrintDialog", "The 'From' value cannot be greater than the 'To' value."
    ),
    ("QPrintDialog", "There are conflicts in duplex settings. Do you want to fix them?"): lambda: pgettext(
        "Qt QPrintDialog", "There are conflicts in duplex settings. Do you want to fix them?"
    ),
    ("QPrintDialog", "Top to Bottom, Left to Right"): lambda: pgettext(
        "Qt QPrintDialog", "Top to Bottom, Left to Right"
    ),
    ("QPrintDialog", "Top to Bottom, Right to Left"): lambda: pgettext(
        "Qt QPrintDialog", "Top to Bottom, Right to Left"
    ),
    ("QPrintDialog", "Write PDF file"): lambda: pgettext("Qt QPrintDialog", "Write PDF file"),
}


def without_accelerator(text: str) -> str:
    """'&Open' -> 'Open', 'Cu&t' -> 'Cut', '&&' stays a literal '&'; other characters are kept ('Options >>')."""
    return text.replace("&&", "\x00").replace("&", "").replace("\x00", "&")


def strip_accelerator(text: str) -> str:
    """'&Yes' -> 'Yes', 'N&o to All' -> 'No to All', '&&' stays a literal '&'; '< &Back' -> 'Back'."""
    out = text.replace("&&", "\x00").replace("&", "").replace("\x00", "&")
    return out.strip("<> ").strip()


class CatalogueTranslator(QTranslator):
    """Serves Qt's standard button and dialog texts from the app's gettext catalogue (for languages Qt lacks)."""

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if disambiguation is None:
            _compensate_none_reference()
        # None (a null QString) means "no translation here": Qt then keeps its source text. An empty
        # string would be taken as a translation and blank the button.
        if not source:
            return None
        if context in QT_CONTEXTS:
            key = strip_accelerator(source)
            lookup = BUTTONS.get(key)
        else:
            key = without_accelerator(source)
            lookup = DIALOG_STRINGS.get((context, key))
        if lookup is None:
            return None
        text = lookup()
        if text == key:  # untranslated (English): keep Qt's own text with its accelerator
            return None
        if "&" in source.replace("&&", "") and "&" not in text:
            text = "&" + text  # the translation's first letter takes the accelerator
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
    # Our catalogue is installed first, so that Qt asks it last: it serves what Qt's own qtbase_<lang>.qm
    # lacks (all of Swahili; and texts Qt 6 renamed, e.g. "&Look in:", which its French file only has as
    # "Look in:").
    ours = CatalogueTranslator()
    QCoreApplication.installTranslator(ours)
    _installed.append(ours)
    qt_own = qtbase_file(lang)
    if qt_own is not None:
        QCoreApplication.installTranslator(qt_own)
        _installed.append(qt_own)
    return list(_installed)
