"""The extractor sees every message: no gettext call inside or around built strings, and every constructor or
function that takes a message id is an extraction keyword in the Makefile."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.test_i18n import _makefile_keywords, fresh  # noqa: F401 (fresh is a fixture)

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ["coop", "cli", "ui", "reports"]
GETTEXT = {"_": (0,), "N_": (0,), "ngettext": (0, 1), "pgettext": (0, 1), "npgettext": (0, 1, 2)}
# Methods that build a string: their result is never a message id (the id is the string before them).
BUILDERS = {"format", "format_map", "join", "replace", "upper", "lower", "title", "capitalize", "strip"}
# Callables that take message ids but are no extraction keyword, and why.
NOT_KEYWORDS = {
    # gettext's own methods on translation objects (coop.i18n's wrappers are the keywords)
    "gettext",
    "ngettext",
    "pgettext",
    # translate a stored msgid (an N_ constant) in a given language: its callers pass names, never literals
    "_translated",
}


def _sources() -> list[tuple[str, ast.Module]]:
    out = []
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            out.append((str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))))
    return out


def _name(call: ast.Call) -> str | None:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


# --- no message built before or around gettext ----------------------------------------------------------


def _built(arg: ast.expr) -> bool:
    """Whether an argument is a string computed in place (the extractor sees no literal in it)."""
    if isinstance(arg, ast.JoinedStr | ast.BinOp):
        return True
    if isinstance(arg, ast.Call):
        f = arg.func
        return (isinstance(f, ast.Attribute) and f.attr in BUILDERS) or (
            isinstance(f, ast.Name) and f.id in {"str", "repr", "format"}
        )
    if isinstance(arg, ast.IfExp):
        return _built(arg.body) or _built(arg.orelse)
    return False


def gettext_misuse(tree: ast.AST, where: str) -> list[str]:
    """`_()` inside an f-string, a msgid built in place (`_(f"…")`, `_("…" + x)`, `_("…".format())`) and
    non-literal arguments to the markers that must carry a literal (N_, ngettext, pgettext: the
    extractor reads their arguments). `_(name)` translates a stored msgid (an N_ constant, a column
    label, an error's msgid) and is allowed: that is how marked data is shown."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and _name(inner) in GETTEXT
                    and isinstance(inner.func, ast.Name)
                ):
                    found.append(f"{where}:{inner.lineno}: {_name(inner)}() inside an f-string")
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT):
            continue
        for pos in GETTEXT[node.func.id]:
            if pos >= len(node.args):
                continue
            arg = node.args[pos]
            literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            if _built(arg):
                found.append(f"{where}:{node.lineno}: {node.func.id}({ast.unparse(arg)[:50]}) built in place")
            elif not literal and node.func.id != "_":
                found.append(
                    f"{where}:{node.lineno}: {node.func.id}() needs a literal, got {ast.unparse(arg)[:50]}"
                )
    return found


def test_the_check_finds_every_kind_of_misuse():
    src = (
        "a = _(f'Net per owner {x}')\n"
        "b = f\"{_('Due')}\\t{due}\"\n"
        "c = _('Total: ' + x)\n"
        "d = _('{n} rows'.format(n=1))\n"
        "e = N_(label)\n"
        "g = ngettext(one, '{n} lots', n)\n"
        "h = _('%s lots' % n)\n"
    )
    found = gettext_misuse(ast.parse(src), "x.py")
    assert [f.split(":")[1] for f in found] == ["1", "2", "3", "4", "5", "6", "7"], found
    fine = (
        "a = _('Net per owner {x}').format(x=1)\nb = _(col.label)\nc = _(LABELS.get(k, k))\nd = N_('Lot')\n"
    )
    assert gettext_misuse(ast.parse(fine), "x.py") == []


def test_no_gettext_inside_or_around_built_strings():
    found = []
    for where, tree in _sources():
        found += gettext_misuse(tree, where)
    assert found == []


# --- every message-taking constructor and function is an extraction keyword -----------------------------


def _msgid_index(args: ast.arguments, method: bool) -> int | None:
    """Position (among the caller's arguments) of the parameter holding a message id: `msgid`, `*_msgid`."""
    names = [a.arg for a in args.posonlyargs + args.args][1 if method else 0 :]
    for i, name in enumerate(names):
        if name == "msgid" or name.endswith("_msgid"):
            return i
    return None


def message_takers(sources: list[tuple[str, ast.Module]]) -> dict[str, int]:
    """Name -> 0-based position of the message id, for every callable whose parameter or field is a msgid:
    functions, classes with such an __init__ or dataclass field, and their subclasses (inherited)."""
    takers: dict[str, int] = {}
    bases: dict[str, list[str]] = {}
    for _where, tree in sources:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = [b.id for b in node.bases if isinstance(b, ast.Name)]
                init = next(
                    (b for b in node.body if isinstance(b, ast.FunctionDef) and b.name == "__init__"), None
                )
                fields = [
                    b.target.id
                    for b in node.body
                    if isinstance(b, ast.AnnAssign) and isinstance(b.target, ast.Name)
                ]
                if init is not None:
                    index = _msgid_index(init.args, method=True)
                    takers[node.name] = (
                        -1 if index is None else index
                    )  # -1: takes no msgid (overrides a base)
                elif "msgid" in fields:
                    takers[node.name] = fields.index("msgid")
            elif isinstance(node, ast.FunctionDef) and node.name != "__init__":
                method = bool(node.args.args) and node.args.args[0].arg in ("self", "cls")
                index = _msgid_index(node.args, method)
                if index is not None and node.name not in NOT_KEYWORDS:
                    takers[node.name] = index
    changed = True
    while changed:  # subclasses without their own __init__ take the message where their base does
        changed = False
        for cls, parents in bases.items():
            for parent in parents:
                if cls not in takers and parent in takers:
                    takers[cls] = takers[parent]
                    changed = True
    return {name: i for name, i in takers.items() if i >= 0}


def _keyword_positions() -> dict[str, int]:
    keywords = _makefile_keywords()
    return {name: spec[0] - 1 for name, spec in keywords.items() if spec and isinstance(spec[0], int)}


def test_message_takers_found_on_a_sample():
    src = (
        "class Base(Exception):\n    def __init__(self, msgid, **p): ...\n"
        "class Child(Base): ...\n"
        "class Field(Base):\n    def __init__(self, name, msgid): ...\n"
        "class Many(Base):\n    def __init__(self, errors): ...\n"
        "class Problem:\n    record: str\n    msgid: str\n"
        "def require(values, name, label_msgid): ...\n"
    )
    assert message_takers([("x.py", ast.parse(src))]) == {
        "Base": 0,
        "Child": 0,
        "Field": 1,
        "Problem": 1,
        "require": 2,
    }


def test_every_message_taker_is_an_extraction_keyword():
    """Each class or function taking a msgid is in BABEL_KEYWORDS at the right position (else its literal
    ids never reach the catalogue and show in English, like "The import was cancelled: …" once did)."""
    takers = message_takers(_sources())
    assert {"CoopError", "ValidationError", "Cancelled", "UnusualValue", "require_text"} <= set(takers)
    keywords = _keyword_positions()
    wrong = {
        name: (index, keywords.get(name)) for name, index in takers.items() if keywords.get(name) != index
    }
    assert wrong == {}, "(position of the msgid, position in the Makefile's -k Name:N, 0-based)"


def _call_sites(sources, takers):
    for where, tree in sources:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) in takers:
                yield where, node, takers[_name(node)]


def test_message_ids_at_call_sites_are_literals_the_extractor_sees(fresh):  # noqa: F811
    """At every call of a message taker the id is a literal or a stored msgid, never built in place nor
    given by keyword (the extractor reads positional arguments only); every literal id is extracted."""
    sources = _sources()
    takers = message_takers(sources)
    bad, literals = [], set()
    for where, node, index in _call_sites(sources, takers):
        by_keyword = [k for k in node.keywords if k.arg == "msgid" or (k.arg or "").endswith("_msgid")]
        if by_keyword:
            bad.append(f"{where}:{node.lineno}: message id given by keyword")
        if index < len(node.args):
            arg = node.args[index]
            if _built(arg):
                bad.append(f"{where}:{node.lineno}: message id built in place")
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                literals.add(arg.value)
    assert bad == []
    assert len(literals) > 30
    assert sorted(literals - fresh) == []
