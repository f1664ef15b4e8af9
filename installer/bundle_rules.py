"""What the PyInstaller bundle leaves out: unused modules, Qt plugins and translations, babel locale data."""

from __future__ import annotations

from pathlib import PurePath

# The locales the application ships (translations and formats); babel data is kept for these and their parents.
SHIPPED_LANGUAGES = ("en", "fr", "es", "pt", "sw")
SHIPPED_LOCALES = (
    "en_GH",
    "fr_CD",
    "fr_CF",
    "fr_BF",
    "fr_ML",
    "es_BO",
    "es_PE",
    "es_CO",
    "pt_BR",
    "pt_MZ",
    "sw_TZ",
    "sw_CD",
)

QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtPdf", "QtPdfWidgets")
# The app uses QtCore, QtGui, QtWidgets, QtPrintSupport, QtPdf and QtPdfWidgets; nothing else of Qt.
UNUSED_QT_MODULES = tuple(
    f"PySide6.{m}"
    for m in (
        "Qt3DCore",
        "QtCharts",
        "QtConcurrent",
        "QtDBus",
        "QtDesigner",
        "QtHelp",
        "QtLabsStyleKit",
        "QtMultimedia",
        "QtNetwork",
        "QtOpenGL",
        "QtOpenGLWidgets",
        "QtQml",
        "QtQmlFeatures",
        "QtQuick",
        "QtQuick3D",
        "QtQuickControls2",
        "QtQuickTest",
        "QtQuickWidgets",
        "QtSql",
        "QtSvgWidgets",
        "QtTest",
        "QtUiTools",
        "QtWebEngineCore",
        "QtXml",
    )
)
# Development tools and GUI toolkits that must never reach the bundle.
UNUSED_MODULES = (
    "tkinter",
    "_tkinter",
    "IPython",
    "jupyter_client",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "pypdf",
    "mypy",
    "ruff",
    "pip",
    "setuptools",
    "pkg_resources",
    "PyInstaller",
    "matplotlib.tests",
    "numpy.tests",
    "numpy.f2py",
    "PyQt5",
    "PyQt6",
    "PySide2",
    "wx",
    "gi",
    # the app is offline: no TLS (libssl + libcrypto are 5 MB); hashlib falls back to its built-in SHA-256
    "ssl",
    "_ssl",
    "_hashlib",
    "readline",
    "lib2to3",
    "ensurepip",
    "idlelib",
    "pydoc_data",
    # Pillow (needed by matplotlib) image codecs the app never reads or writes
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL._imagingtk",
    "PIL.ImageTk",
)
EXCLUDES = UNUSED_QT_MODULES + UNUSED_MODULES

# Qt plugin folders (and single plugins) the application does not need on a desktop.
UNUSED_QT_PLUGIN_DIRS = {
    "designer",
    "egldeviceintegrations",
    "generic",
    "networkinformation",
    "qmltooling",
    "sqldrivers",
    "tls",
    "vectorimageformats",
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "wayland-graphics-integration-server",
    "wayland-shell-integration",
}
UNUSED_QT_PLUGINS = {
    # qgtk3 drags GTK's cairo/pango/glib copies into the bundle that then clash with the system GTK.
    "platformthemes": {"qgtk3"},
    "platforms": {"qeglfs", "qlinuxfb", "qminimalegl", "qvkkhrdisplay", "qvnc", "qwayland", "qdirect2d"},
    "imageformats": {"qicns", "qtga", "qtiff", "qwbmp", "qwebp", "qpdf"},
}


def babel_keep() -> set[str]:
    """Babel locale-data names to keep: root, the shipped languages, their regional variants and parents."""
    from babel.core import get_global

    parents = get_global("parent_exceptions")
    keep = {"root", *SHIPPED_LANGUAGES, *SHIPPED_LOCALES}
    for name in list(keep):
        while name in parents:
            name = parents[name]
            keep.add(name)
    return keep


def _parts(dest: str) -> tuple[str, ...]:
    return PurePath(dest.replace("\\", "/")).parts


def is_unused_babel_data(dest: str, keep: set[str]) -> bool:
    parts = _parts(dest)
    if len(parts) < 3 or parts[-2] != "locale-data" or parts[-3] != "babel":
        return False
    return PurePath(parts[-1]).stem not in keep


def _plugin_stem(filename: str) -> str:
    stem = PurePath(filename).name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def is_unused_qt_plugin(dest: str) -> bool:
    parts = _parts(dest)
    if "plugins" not in parts:
        return False
    i = parts.index("plugins")
    if i + 1 >= len(parts):
        return False
    folder = parts[i + 1]
    if folder in UNUSED_QT_PLUGIN_DIRS:
        return True
    return i + 2 < len(parts) and _plugin_stem(parts[-1]) in UNUSED_QT_PLUGINS.get(folder, set())


def is_unused_qt_translation(dest: str) -> bool:
    """Keep only qtbase_/qt_ catalogues of the shipped languages (Qt's own dialogs); drop the rest."""
    parts = _parts(dest)
    if "translations" not in parts or not parts[-1].endswith(".qm"):
        return False
    stem = PurePath(parts[-1]).stem  # e.g. qtbase_fr, qt_pt_BR, assistant_de
    prefix, _, lang = stem.partition("_")
    return prefix not in ("qt", "qtbase") or lang.split("_")[0] not in SHIPPED_LANGUAGES


def is_unused_matplotlib_data(dest: str) -> bool:
    """matplotlib's example data, Type 1 metrics and math fonts (STIX, Computer Modern) go; DejaVu stays."""
    parts = _parts(dest)
    if "mpl-data" not in parts:
        return False
    if {"sample_data", "afm", "pdfcorefonts"} & set(parts):
        return True
    return "ttf" in parts and parts[-1].startswith(("STIX", "cm", "LICENSE_STIX"))


def drop(dest: str, keep: set[str]) -> bool:
    """Whether a collected file (by its path inside the bundle) is left out."""
    return (
        is_unused_babel_data(dest, keep)
        or is_unused_qt_plugin(dest)
        or is_unused_qt_translation(dest)
        or is_unused_matplotlib_data(dest)
    )


def _needed(path: str) -> list[str]:
    """The DT_NEEDED names of an ELF file (readelf from binutils, which PyInstaller needs anyway)."""
    import subprocess

    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=False).stdout
    return [line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if "(NEEDED)" in line]


def _is_root(dest: str) -> bool:
    """Binaries the program loads itself (extension modules, Qt plugins, libpython), not linker deps."""
    path = dest.replace("\\", "/")
    name = PurePath(path).name
    if "/Qt/lib/" in path:
        return False  # Qt's own libraries are kept only where a module or plugin links to them
    return "/" in path or name.startswith("libpython") or ".cpython-" in name or ".abi3." in name


def prune_unreachable(binaries: list[tuple]) -> list[tuple]:
    """Linux: drop shared libraries no kept module or plugin links to (left behind by dropped plugins)."""
    by_name = {PurePath(e[0]).name: e for e in binaries}
    todo = [e for e in binaries if _is_root(e[0])]
    reached = {id(e) for e in todo}
    while todo:
        for name in _needed(todo.pop()[1]):
            dep = by_name.get(name)
            if dep is not None and id(dep) not in reached:
                reached.add(id(dep))
                todo.append(dep)
    return [e for e in binaries if id(e) in reached]


def _vendored_by_auditwheel(dest: str) -> bool:
    """numpy.libs/, pillow.libs/...: libraries patched by auditwheel, which `strip` corrupts."""
    return any(part.endswith(".libs") for part in _parts(dest)[:-1])


def strip_copies(binaries: list[tuple], workdir: str) -> list[tuple]:
    """Linux: strip debug symbols from copies of the binaries (not the wheel-vendored ones) in workdir."""
    import shutil
    import subprocess
    from pathlib import Path

    out = []
    for dest, src, kind in binaries:
        if _vendored_by_auditwheel(dest):
            out.append((dest, src, kind))
            continue
        copy = Path(workdir) / "stripped" / dest
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, copy)
        copy.chmod(0o755)
        subprocess.run(["strip", "--strip-unneeded", str(copy)], check=True)
        out.append((dest, str(copy), kind))
    return out
