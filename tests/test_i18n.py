"""Localization checks: complete catalogues, plurals, placeholders, fresh template, wrapped strings, formats."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from coop import i18n
from coop.errors import ValidationError

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
SHIPPED = ["fr", "es", "pt", "sw"]
SOURCE_DIRS = ["coop", "cli", "ui", "reports"]

# Translations that may equal the English id: loanwords, names and codes that the trade uses as is.
SAME_AS_ENGLISH = {
    "fr": {
        "Comptoir", "Mobile money", "carats", "Date", "Description", "Incidents", "Lot", "Lots", "Site", "Sites",
        "Taxes", "Total", "3. Production", "millions {currency}", "{n}. Lot {reference}", "Code", "Dates",
        "Latitude", "Licence", "Longitude", "Note", "Notes",
        "Qt standard button\x04OK", "Action", "Journal", "Python {python}", "Format", "Type", "options",
    },
    "es": {"Auditor", "Error: {message}", "Mineral", "Total", "No", "Qt standard button\x04No", "Python {python}"},
    "pt": {"Auditor", "Total", "Latitude", "Longitude", "Qt standard button\x04OK", "Python {python}", "backup", "Backup"},
    "sw": {"Python {python}"},
}  # fmt: skip
# Words the trade and Qt's own dialogs use as they are (capital, ristourne, coltan; "OK", "%1 KB"), and file names.
SAME_AS_ENGLISH["fr"] |= {
    "Qt QFileDialog\x04Alias", "Capital", "Capital (10)", "Coltan", "Qt QPrintDialog\x04OK",
    "Qt QPrintDialog\x04Options <<", "Qt QPrintDialog\x04Options >>", "Ristourne", "Qt QFileSystemModel\x04Type",
    "Wolframite", "file name\x04incidents", "file name\x04journal", "file name\x04lots", "file name\x04production",
    "file name\x04sites",
}  # fmt: skip
SAME_AS_ENGLISH["es"] |= {
    "Qt QFileSystemModel\x04%1 bytes", "Qt QFileDialog\x04Alias", "Capital", "Capital (10)", "Qt QColorDialog\x04HTML:",
}  # fmt: skip
SAME_AS_ENGLISH["pt"] |= {
    "Qt QFileSystemModel\x04%1 GB", "Qt QFileSystemModel\x04%1 KB", "Qt QFileSystemModel\x04%1 MB",
    "Qt QFileSystemModel\x04%1 TB", "Qt QFileSystemModel\x04%1 bytes", "Capital", "Capital (10)", "Coltan",
    "Qt QColorDialog\x04HTML:", "Qt QPrintDialog\x04OK", "Royalty", "Qt QColorDialog\x04Sat:", "Qt QColorDialog\x04Val:",
    "file name\x04backup",
}  # fmt: skip
SAME_AS_ENGLISH["sw"] |= {"DRC", "Qt QColorDialog\x04HTML:", "Wolframite"}
# Strings with letters that are not words to translate (codes, brand names, markup).
NOT_WORDS = {
    "CoopLedger",
    "QR",
    "PDF",
    "CSV",
    "SQLite",
    "GPS",
    "Hg",
    "Au",
    "SHA-256",
    "UTF-8",
    "ISO",
    "ID",
    "N°",
    "No.",
}


NOT_UPPER = {w.upper() for w in NOT_WORDS}


def _po(lang: str) -> Catalog:
    with open(LOCALES / lang / "LC_MESSAGES" / "coop.po", "rb") as fh:
        return read_po(fh, locale=lang)


def _key(m: Message) -> str:
    msgid = m.id if isinstance(m.id, str) else m.id[0]
    return f"{m.context}\x04{msgid}" if m.context else msgid


def _messages(cat: Catalog) -> list[Message]:
    return [m for m in cat if m.id]


@pytest.fixture(scope="module", autouse=True)
def compiled():
    """Build stale .mo files as `make compile` does, so runtime tests see the current catalogues."""
    for lang in SHIPPED:
        po = LOCALES / lang / "LC_MESSAGES" / "coop.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with open(mo, "wb") as fh:
                write_mo(fh, _po(lang), use_fuzzy=False)
    i18n.reset_cache()
    yield


# --- catalogues ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_message_is_translated_with_all_plural_forms(lang):
    cat = _po(lang)
    expected_forms = get_plural(lang).num_plurals
    assert cat.num_plurals == expected_forms, "Plural-Forms header differs from babel's CLDR rule"
    untranslated, short_plurals, fuzzy = [], [], []
    for m in _messages(cat):
        if m.fuzzy:
            fuzzy.append(_key(m))
        if m.pluralizable:
            forms = list(m.string)
            if len(forms) != expected_forms or not all(forms):
                short_plurals.append(_key(m))
        elif not m.string:
            untranslated.append(_key(m))
    assert untranslated == []
    assert short_plurals == []
    assert fuzzy == []


@pytest.mark.parametrize("lang", SHIPPED)
def test_catalogue_passes_babels_checks(lang):
    """What `pybabel compile` (make compile) checks: e.g. %-directives of python-format entries."""
    problems = [(m.id, [str(e) for e in errors]) for m, errors in _po(lang).check()]
    assert problems == []


@pytest.mark.parametrize("lang", SHIPPED)
def test_no_english_left(lang):
    same = [
        _key(m)
        for m in _messages(_po(lang))
        if not m.pluralizable
        and m.string == m.id
        and _is_words(m.id)
        and _key(m) not in SAME_AS_ENGLISH[lang]
    ]
    assert same == []


_FMT = string.Formatter()
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdiouxXeEfFgGcr%]")


def placeholders(text: str, percent: bool = True) -> list[str]:
    """The {fields} (with conversion and spec) and, for %-format messages, %-directives, sorted."""
    fields = [
        f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
        for _lit, name, spec, conv in _FMT.parse(text)
        if name is not None
    ]
    return sorted(fields + (_PERCENT.findall(text) if percent else []))


def test_placeholder_check_catches_a_typo():
    assert placeholders("{n} rows in {file}") != placeholders("{n} lignes dans {fichier}")
    assert placeholders("5%% of {x:.2f}") == ["%%", "{x:.2f}"]


@pytest.mark.parametrize("lang", SHIPPED)
def test_placeholders_match(lang):
    wrong = []
    for m in _messages(_po(lang)):
        pct = "python-format" in m.flags  # set by the extractor for %-style strings such as argparse help
        if m.pluralizable:
            ids = [placeholders(m.id[0], pct), placeholders(m.id[1], pct)]
            for form in m.string:
                if placeholders(form, pct) not in ids:
                    wrong.append((m.id, form))
        elif placeholders(m.string, pct) != placeholders(m.id, pct):
            wrong.append((m.id, m.string))
    assert wrong == []


def test_french_typography():
    """A narrow or no-break space before : ; ? ! and inside « », never an ordinary one."""
    bad = [
        m.string
        for m in _messages(_po("fr"))
        for s in ([m.string] if isinstance(m.string, str) else m.string)
        if re.search(r" [:;?!»]|« ", s)
    ]
    assert bad == []


# --- the template is current ------------------------------------------------------------------------


def _makefile_keywords() -> dict:
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    spec = re.search(r"^BABEL_KEYWORDS\s*:=(.*)$", text, re.M)
    assert spec, "Makefile lost BABEL_KEYWORDS"
    return parse_keywords(re.findall(r"-k\s+(\S+)", spec.group(1)))


def _fresh_extract() -> set[str]:
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    keys = set()
    for _file, _line, msg, _comments, ctx in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=_makefile_keywords(), strip_comment_tags=True
    ):
        msgid = msg if isinstance(msg, str) else msg[0]
        keys.add(f"{ctx}\x04{msgid}" if ctx else msgid)
    return keys


@pytest.fixture(scope="module")
def fresh() -> set[str]:
    return _fresh_extract()


def test_template_is_current(fresh):
    with open(LOCALES / "coop.pot", "rb") as fh:
        pot = {_key(m) for m in _messages(read_po(fh))}
    assert sorted(fresh - pot) == [], "run `make update`: new strings are missing from locales/coop.pot"
    assert sorted(pot - fresh) == [], "run `make update`: locales/coop.pot keeps strings the code dropped"


@pytest.mark.parametrize("lang", SHIPPED)
def test_catalogue_matches_template(lang):
    with open(LOCALES / "coop.pot", "rb") as fh:
        pot = {_key(m) for m in _messages(read_po(fh))}
    assert {_key(m) for m in _messages(_po(lang))} == pot


# --- every user-facing string is wrapped --------------------------------------------------------------

TRANSLATORS = {"_", "N_", "ngettext", "pgettext", "npgettext"}
ERRORS = {
    "CoopError": 0,
    "ValidationError": 1,
    "NotFound": 0,
    "StateError": 0,
    "PermissionDenied": 0,
    "AuthError": 0,
    "StorageError": 0,
}
# Calls whose string arguments a user reads: Qt text setters and widgets, message boxes, PDF drawing.
TEXT_CALLS = {
    "setText", "setWindowTitle", "setToolTip", "setStatusTip", "setWhatsThis", "setPlaceholderText",
    "setTitle", "setLabelText", "setTabText", "addTab", "addAction", "addMenu", "showMessage",
    "setHorizontalHeaderLabels", "setVerticalHeaderLabels", "setHeaderLabels", "addRow", "setSuffix",
    "setPrefix", "setSpecialValueText", "setInformativeText", "setDetailedText", "setButtonText",
    "addButton", "addItem", "addItems", "setItemText", "setAccessibleName", "setInvalidText",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton", "QMenu",
    "QCommandLinkButton", "QMessageBox", "information", "warning", "critical", "question", "about",
    "getText", "getItem", "getInt", "getDouble", "getOpenFileName", "getSaveFileName",
    "getExistingDirectory", "drawString", "drawRightString", "drawCentredString", "drawCenteredString",
    "drawAlignedString", "Paragraph", "setAuthor", "setSubject", "print",
}  # fmt: skip


def _call_name(node: ast.Call) -> str | None:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


def _is_words(text: str) -> bool:
    """Whether a literal holds words to translate (not markup, placeholders, numbers or codes)."""
    text = re.sub(r"<[^>]*>|&\w+;|\{[^{}]*\}|%\(?\w*\)?[sdif]", " ", text)
    if re.fullmatch(r"[\w./*-]*\.\w+", text.strip()):  # a file name or extension: "backup.sqlite", ".pdf"
        return False
    text = re.sub(r"\*\.\w+", " ", text)  # file-dialog filters: "(*.csv)"
    words = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", text) if w.upper() not in NOT_UPPER]
    return any(len(w) > 1 for w in words)


def _bare_literals(node: ast.AST):
    """String literals in an argument that no translation call wraps."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.Call):
        name = _call_name(node)
        if name in TRANSLATORS:
            return
        if isinstance(node.func, ast.Attribute) and name in {"format", "join"}:
            yield from _bare_literals(node.func.value)
            for a in node.args:
                yield from _bare_literals(a)
    elif isinstance(node, ast.JoinedStr):
        for v in node.values:
            yield from _bare_literals(v)
    elif isinstance(node, ast.FormattedValue):
        yield from _bare_literals(node.value)
    elif isinstance(node, ast.BinOp):
        yield from _bare_literals(node.left)
        yield from _bare_literals(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _bare_literals(node.body)
        yield from _bare_literals(node.orelse)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for e in node.elts:
            yield from _bare_literals(e)


def unwrapped(source: str, filename: str = "<src>") -> list[str]:
    """Findings `file:line: text` for user-facing literals not wrapped, and unextractable msgids."""
    found = []
    tree = ast.parse(source, filename)
    plain_constants = {  # module-level NAME = "text" (not marked with N_, so never extracted)
        t.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        texts = {"text", "title", "label", "help", "description", "epilog"}
        args = list(node.args) + [k.value for k in node.keywords if k.arg in texts]
        if name not in TEXT_CALLS:  # argparse help= / description= anywhere
            helps = [k.value for k in node.keywords if k.arg in {"help", "description", "epilog"}]
            for lit in (x for h in helps for x in _bare_literals(h)):
                if _is_words(lit.value):
                    found.append(f"{filename}:{lit.lineno}: help text {lit.value!r}")
        if name in TEXT_CALLS:
            for lit in (x for a in args for x in _bare_literals(a)):
                if _is_words(lit.value):
                    found.append(f"{filename}:{lit.lineno}: {name}({lit.value!r})")
        if name in TRANSLATORS and node.args:
            first = (
                node.args[1 if name in {"pgettext", "npgettext"} else 0]
                if len(node.args) > 1
                else node.args[0]
            )
            if isinstance(first, (ast.JoinedStr, ast.BinOp)):
                found.append(f"{filename}:{node.lineno}: {name}() of a built string cannot be extracted")
            if isinstance(first, ast.Name) and first.id in plain_constants:
                found.append(f"{filename}:{node.lineno}: {first.id} is translated but not marked with N_()")
        if name in ERRORS and len(node.args) > ERRORS[name]:
            msgid = node.args[ERRORS[name]]
            if isinstance(msgid, (ast.JoinedStr, ast.BinOp)) or (
                isinstance(msgid, ast.Call) and _call_name(msgid) not in TRANSLATORS
            ):
                found.append(f"{filename}:{node.lineno}: {name} message id is built, not a literal")
    return found


def _sources():
    for folder in SOURCE_DIRS:
        yield from sorted((ROOT / folder).rglob("*.py"))
    yield ROOT / "main.py"


def test_scanner_catches_unwrapped_strings():
    src = (
        "label = QLabel('Member name')\n"
        "btn.setText(_('Save'))\n"
        "box.setWindowTitle(f'Sale {n}')\n"
        "c.drawString(10, 20, 'Total: ' + amount)\n"
        "QMessageBox.warning(self, _('Oops'), 'Disk full')\n"
        "c.drawString(10, 20, '{}: {}'.format(a, b))\n"
        "e.setSuffix(' %')\n"
        "raise ValidationError('f', f'bad {x}')\n"
        "print(_(f'Hello {name}'))\n"
        "HELP = 'Sale number'\n"
        "p.add_argument('--sale', help=_(HELP))\n"
        "p.add_argument('--lot', help='Lot reference')\n"
        "p.add_argument('--from', help='YYYY-MM-DD')\n"  # French users read AAAA-MM-JJ
        "p.add_argument('--to', help=_('YYYY-MM-DD'), metavar='DATE')\n"
        "QFileDialog.getSaveFileName(self, _('Save'), 'backup.sqlite', 'SQLite (*.sqlite)')\n"
    )
    found = unwrapped(src)
    assert sorted(int(f.split(":")[1]) for f in found) == [1, 3, 4, 5, 8, 9, 11, 12, 13]


# Literals the scan flags that are not user-facing text (data typed into a field, developer tools' output).
NOT_UI_TEXT = {
    "ui/screenshots.py: setText('manager')",  # the demo user name typed into the login field
    "ui/screenshots.py: print('reports module not installed: no receipt screenshot')",  # make screenshots
}


def test_user_facing_strings_are_wrapped():
    found = []
    for path in _sources():
        found += unwrapped(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert [f for f in found if re.sub(r":\d+:", ":", f, count=1) not in NOT_UI_TEXT] == []


def test_error_message_ids_are_extracted(fresh):
    """Literal message ids given to CoopError types reach the template (the extraction keywords work)."""
    literals = set()
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _call_name(node) in ERRORS:
                pos = ERRORS[_call_name(node)]
                if len(node.args) > pos and isinstance(node.args[pos], ast.Constant):
                    literals.add(node.args[pos].value)
    assert len(literals) > 30
    assert sorted(literals - fresh) == []


# --- runtime --------------------------------------------------------------------------------------------


def _translation(lang: str, msgid: str) -> str:
    for m in _messages(_po(lang)):
        if m.id == msgid and not m.context:
            return m.string
    raise KeyError(msgid)


@pytest.mark.parametrize("lang", SHIPPED)
def test_set_language_round_trip(lang):
    expected = _translation(lang, "Digger")
    i18n.set_language(lang)
    assert i18n.current_language() == lang
    assert i18n._("Digger") == expected != "Digger"
    i18n.set_language("en")
    assert i18n._("Digger") == "Digger"
    i18n.set_language(lang)
    assert i18n._("Digger") == expected


@pytest.mark.parametrize(
    ("locale", "lang"), [("fr_CD", "fr"), ("es_BO", "es"), ("pt_MZ", "pt"), ("sw_TZ", "sw")]
)
def test_regional_locale_uses_the_language_catalogue(locale, lang):
    i18n.set_language(locale)
    assert i18n._("Treasurer") == _translation(lang, "Treasurer")


def test_unknown_language_falls_back_to_english():
    i18n.set_language("de")
    assert i18n._("Treasurer") == "Treasurer"
    assert i18n.language_of("de") == "en"
    assert i18n.language_of("sw_TZ") == "sw"
    assert i18n.language_of("pt-MZ") == "pt"


def test_errors_are_translated_when_shown():
    err = ValidationError("qty", "“{value}” is not a number.", value="abc")
    i18n.set_language("es")
    es = err.message()
    i18n.set_language("fr")
    fr = err.message()
    assert "abc" in es and "abc" in fr and es != fr
    assert es == _translation("es", "“{value}” is not a number.").format(value="abc")


def test_plural_rules_come_from_the_catalogue():
    one, many = "{n} row imported.", "{n} rows imported."
    i18n.set_language("fr")  # French: 0 and 1 are singular
    assert i18n.ngettext(one, many, 0) == i18n.ngettext(one, many, 1) != i18n.ngettext(one, many, 2)
    i18n.set_language("es")  # Spanish: 0 is plural
    assert i18n.ngettext(one, many, 0) == i18n.ngettext(one, many, 2) != i18n.ngettext(one, many, 1)
    i18n.set_language("sw")
    assert i18n.ngettext(one, many, 1) != i18n.ngettext(one, many, 7)


def test_pseudo_localization():
    i18n.set_language("xx")
    text = i18n._("The member needs a name.")
    assert text.startswith("[") and text.endswith("]")
    assert len(text) >= 1.4 * len("The member needs a name.")
    assert i18n._("Row {row}, column “{column}”: {message}").format(row=1, column="a", message="m")
    assert not i18n.is_rtl()
    i18n.set_language("xx_RTL")
    assert i18n.is_rtl() and i18n._("Cash").startswith("[")
    i18n.set_language("fr")
    assert not i18n.is_rtl()
    assert i18n.is_rtl("ar") and i18n.is_rtl("fa")


@pytest.mark.parametrize("lang", sorted(i18n.LANGUAGES))
def test_shipped_languages_direction_agrees_with_babel(lang):
    # is_rtl answers for the shipped languages without importing babel (start-up): babel must agree
    from babel import Locale

    assert i18n.is_rtl(lang) == (Locale.parse(lang).character_order == "right-to-left")


# --- formats from the cooperative's locale ----------------------------------------------------------

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("minor", "currency", "locale", "expected"),
    [
        (123456789, "CDF", "fr_CD", f"1{NNBSP}234{NNBSP}567,89{NBSP}FC"),
        (1234567, "XOF", "fr_BF", f"1{NNBSP}234{NNBSP}567{NBSP}F{NNBSP}CFA"),  # no minor unit
        (1234567, "XAF", "fr_CF", f"1{NNBSP}234{NNBSP}567{NBSP}FCFA"),
        (123456789, "BOB", "es_BO", f"Bs{NBSP}1.234.567,89"),  # Bolivian practice (test_currency_display)
        (123456789, "PEN", "es_PE", f"S/{NBSP}1,234,567.89"),
        (123456789, "TZS", "sw_TZ", f"TSh{NBSP}1,234,567.89"),
        (123456789, "GHS", "en_GH", "GH₵1,234,567.89"),
        (123456789, "MZN", "pt_MZ", f"1{NBSP}234{NBSP}567,89{NBSP}MT"),
        (123456789, "USD", "fr_CD", f"1{NNBSP}234{NNBSP}567,89{NBSP}$US"),
        (5, "USD", "en_GH", "US$0.05"),
    ],
)
def test_money_format_follows_the_locale(minor, currency, locale, expected):
    assert i18n.format_money(minor, currency, locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr_CD", "7 mars 2025"),
        ("es_BO", "7 de marzo de 2025"),
        ("sw_TZ", "7 Machi 2025"),
        ("pt_MZ", "7 de março de 2025"),
        ("en_GH", "7 March 2025"),
    ],
)
def test_dates_follow_the_locale(locale, expected):
    assert i18n.format_date(date(2025, 3, 7), locale, "long") == expected


@pytest.mark.parametrize(
    ("day", "fmt", "expected"),
    [
        (date(2025, 1, 1), "long", "1er janvier 2025"),
        (date(2025, 1, 1), "medium", "1er janv. 2025"),
        (date(2025, 1, 1), "full", "mercredi 1er janvier 2025"),
        (date(2025, 1, 1), "short", "01/01/2025"),
        (date(2025, 1, 11), "long", "11 janvier 2025"),
        (date(2025, 1, 21), "long", "21 janvier 2025"),
    ],
)
def test_french_first_of_the_month_is_an_ordinal(day, fmt, expected):
    assert i18n.format_date(day, "fr_CD", fmt) == expected
    assert i18n.format_date(date(2025, 1, 1), "es_BO", "long") == "1 de enero de 2025"


@pytest.mark.parametrize("locale", ["fr_CD", "es_BO", "sw_TZ", "pt_MZ", "en_GH", "es_PE"])
def test_numbers_round_trip_through_the_locale(locale):
    value = Decimal("1234567.25")
    shown = i18n.format_decimal(value, locale, 2)
    assert i18n.parse_number(shown, locale, "qty") == value
    assert i18n.format_qty(12500, "g", locale) == f"{i18n.format_decimal(Decimal('12.5'), locale, 3)}{NBSP}g"


def test_decimal_sign_differs_by_locale():
    assert i18n.format_decimal(Decimal("2.5"), "fr_CD", 1) == "2,5"
    assert i18n.format_decimal(Decimal("2.5"), "sw_TZ", 1) == "2.5"
    assert i18n.parse_number("2,5", "pt_MZ", "qty") == Decimal("2.5")


@pytest.mark.parametrize("lang", SHIPPED)
def test_cli_speaks_the_chosen_language(lang, tmp_path, capsys):
    import cli
    from coop.models import database

    try:
        code = cli.run(["--lang", lang, "--db", str(tmp_path / "coop.sqlite"), "summary"])
    finally:
        if not database.is_closed():
            database.close()
    err = capsys.readouterr().err
    expected = _translation(lang, "The database has no cooperative yet. Run “init” or “demo” first.")
    assert code == 1 and expected in err
