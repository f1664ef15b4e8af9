"""Punctuation by language: French no-break spaces and guillemets, Spanish opening ¿ ¡, and no label joined to
hard-coded punctuation in the code (a translator could not move or space it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"
GETTEXT = {"_", "ngettext", "pgettext", "npgettext"}


def _strings(lang: str) -> list[str]:
    with open(ROOT / "locales" / lang / "LC_MESSAGES" / "coop.po", "rb") as fh:
        catalog = read_po(fh, locale=lang)
    out = []
    for m in catalog:
        if m.id:
            out += [m.string] if isinstance(m.string, str) else list(m.string)
    return out


def french_problems(text: str) -> list[str]:
    """A high punctuation mark ending a phrase (: ; ? ! before a space or the end) needs U+00A0 before it;
    « and » take U+00A0 inside; English quotes are not French. "Hg:Au", "12:3fa1" and "{x:.2f}" are no
    punctuation."""
    t = re.sub(r"\{[^{}]*\}", "X", text)
    found = []
    for m in re.finditer(r"(.?)([:;?!])(?=\s|$|[»)”])", t):
        if m.group(1) != NBSP:
            found.append(f"{m.group(1)!r} before {m.group(2)!r} in {text!r}")
    if re.search(r"«(?!\u00a0)|(?<!\u00a0)»", t):
        found.append(f"guillemets without no-break spaces in {text!r}")
    if re.search(r"[“”\"]", t):
        found.append(f"English quotation marks in {text!r}")
    return found


def spanish_problems(text: str) -> list[str]:
    """Each question or exclamation opens with ¿ or ¡ in the same sentence."""
    found = []
    for sentence in re.split(r"(?<=[.?!:])\s+", text):
        if "?" in sentence and "¿" not in sentence:
            found.append(f"no ¿ in {sentence!r}")
        if "!" in sentence and "¡" not in sentence:
            found.append(f"no ¡ in {sentence!r}")
    return found


def test_the_french_check_finds_each_mistake():
    assert french_problems("Nom: {name}")  # no space
    assert french_problems("Nom : {name}")  # ordinary space
    assert french_problems("Continuer\u202f?")  # narrow space: the catalogues use U+00A0 throughout
    assert french_problems("« init »")
    assert french_problems("Lancez “init”.")
    assert french_problems("Nom\u00a0: {name}\u00a0; Hg:Au à {t:.2f}, « init\u00a0»") == [
        "guillemets without no-break spaces in 'Nom\\xa0: {name}\\xa0; Hg:Au à {t:.2f}, « init\\xa0»'"
    ]
    assert french_problems("Continuer\u00a0? Oui\u00a0! Ratio Hg:Au, « init\u00a0» 2025/12:3fa1") == [
        "guillemets without no-break spaces in 'Continuer\\xa0? Oui\\xa0! Ratio Hg:Au, « init\\xa0» 2025/12:3fa1'"
    ]
    assert french_problems("Continuer\u00a0? Oui\u00a0! Ratio Hg:Au, «\u00a0init\u00a0» 2025/12:3fa1") == []


def test_the_spanish_check_finds_each_mistake():
    assert spanish_problems("Reemplazar la base de datos?") == ["no ¿ in 'Reemplazar la base de datos?'"]
    assert spanish_problems("Hecho. Cuidado!") == ["no ¡ in 'Cuidado!'"]
    assert spanish_problems("Hecho. ¿Reemplazar la base? ¡Cuidado!") == []


def test_french_catalogue_typography():
    assert [p for s in _strings("fr") for p in french_problems(s)] == []


def test_spanish_catalogue_opens_questions_and_exclamations():
    assert [p for s in _strings("es") for p in spanish_problems(s)] == []


# --- the code never glues punctuation to a translated label -----------------------------------------------


def _is_gettext(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT


def _starts_with_punctuation(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(re.match(r"\s*[:;?!]", node.value))
    )


def glued_punctuation(tree: ast.AST, where: str) -> list[str]:
    """`_("Label") + ": "` and f"{_('Label')}: {value}": the colon is not the translator's to space."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            if _is_gettext(node.left) and _starts_with_punctuation(node.right):
                found.append(f"{where}:{node.lineno}")
        if isinstance(node, ast.JoinedStr):
            for a, b in zip(node.values, node.values[1:], strict=False):
                label = isinstance(a, ast.FormattedValue) and any(_is_gettext(n) for n in ast.walk(a.value))
                if label and _starts_with_punctuation(b):
                    found.append(f"{where}:{node.lineno}")
    return found


def test_the_code_check_finds_glued_punctuation():
    src = "a = _('Tax id') + ': ' + x\nb = f\"{_('Format')}: {loc}\"\nc = _('{label}: {value}').format(label=1, value=2)\n"
    assert sorted(glued_punctuation(ast.parse(src), "x.py")) == ["x.py:1", "x.py:2"]


@pytest.mark.parametrize("folder", ["coop", "cli", "ui", "reports"])
def test_no_label_is_glued_to_punctuation(folder):
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        found += glued_punctuation(ast.parse(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT)))
    assert found == []
