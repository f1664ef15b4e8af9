"""Architecture guards: the core imports no UI/PDF/chart library, and every module says what it owns."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "reportlab", "matplotlib", "ui", "reports", "cli")


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
    folders = ["coop", "cli", "ui", "reports", "tests", "bench", "installer"]
    missing = [
        str(p.relative_to(ROOT))
        for f in folders
        if (ROOT / f).exists()
        for p in _modules(f)
        if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []


STORAGE = ("coop.models", "coop.db")


def _runtime_modules(path: Path) -> set[str]:
    """Full names of the modules a file imports at run time (imports under `if TYPE_CHECKING:` left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for stmt in node.body
        for n in ast.walk(stmt)
    }
    names = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_reports_read_data_through_services_only():
    offenders = {
        str(p.relative_to(ROOT)): sorted(n for n in _runtime_modules(p) if n.startswith(STORAGE))
        for p in _modules("reports")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_storage_guard_would_catch_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        '"""x"""\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from coop.models import Sale\n'
        "def f():\n    from coop import db\n    from coop.models import Member\n"
    )
    assert _runtime_modules(bad) & {"coop.db", "coop.models", "coop.models.Sale"} == {
        "coop.db",
        "coop.models",
    }


def _storage_imports(folder: Path) -> dict[str, list[str]]:
    """The files under `folder` importing the models or the database at run time, with what they import."""
    found = {
        str(p.relative_to(folder.parent)): sorted(n for n in _runtime_modules(p) if n.startswith(STORAGE))
        for p in sorted(folder.rglob("*.py"))
    }
    return {k: v for k, v in found.items() if v}


def test_ui_talks_to_services_only():
    """Widgets reach the data through coop.services (returning values), never the models or the database."""
    assert _storage_imports(ROOT / "ui") == {}


def test_the_ui_guard_would_catch_each_form_of_import(tmp_path):
    folder = tmp_path / "ui"
    folder.mkdir()
    forms = {
        "plain.py": "import coop.db\n",
        "alias.py": "import coop.models as m\n",
        "package.py": "from coop import models\n",
        "name.py": "from coop.db import backup_to\n",
        "lazy.py": "class W:\n    def f(self):\n        from coop.models import Sale\n",
        "typing_only.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from coop.models import Sale\n",
        "services.py": "from coop.services import sales\n",
    }
    for name, text in forms.items():
        (folder / name).write_text(f'"""x"""\n{text}')
    got = {name.split("/")[-1] for name in _storage_imports(folder)}
    assert got == {"plain.py", "alias.py", "package.py", "name.py", "lazy.py"}
