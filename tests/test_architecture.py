"""Architecture guards: the core imports no UI/PDF/chart library, and every module says what it owns."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "reportlab", "matplotlib", "ui", "reports")


def _modules(folder: str):
    return sorted((ROOT / folder).rglob("*.py"))


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_ui_pdf_or_charts():
    offenders = {str(p.relative_to(ROOT)): sorted(_imported(p) & set(FORBIDDEN)) for p in _modules("coop")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_guard_would_catch_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""x"""\nfrom PySide6 import QtWidgets\nimport reportlab.pdfgen\n')
    assert _imported(bad) & set(FORBIDDEN) == {"PySide6", "reportlab"}


def test_every_module_starts_with_a_docstring():
    folders = ["coop", "ui", "reports", "tests", "bench", "installer"]
    missing = [
        str(p.relative_to(ROOT))
        for f in folders
        if (ROOT / f).exists()
        for p in _modules(f)
        if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []
