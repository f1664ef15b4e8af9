"""Packaging: bundle pruning rules, desktop entry, Inno Setup script, pins, data-directory modes, self-test."""

from __future__ import annotations

import configparser
import importlib.util
import io
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from coop import paths, selftest

ROOT = Path(__file__).resolve().parent.parent


def _rules():
    spec = importlib.util.spec_from_file_location("bundle_rules", ROOT / "installer" / "bundle_rules.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rules = _rules()


# ---- bundle pruning ----------------------------------------------------------------------------------


def test_unused_qt_modules_are_excluded_and_used_ones_are_not():
    used = {
        f"PySide6.{m}" for m in ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtPdf", "QtPdfWidgets")
    }
    assert not used & set(rules.EXCLUDES)
    assert {"PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtSql", "tkinter"} <= set(
        rules.EXCLUDES
    )
    assert {f"PySide6.{m}" for m in rules.QT_MODULES} == used


def test_spec_uses_the_rules():
    spec = (ROOT / "installer" / "coopledger.spec").read_text(encoding="utf-8")
    assert "excludes=list(bundle_rules.EXCLUDES)" in spec
    assert "bundle_rules.drop(" in spec
    assert 'name="coopledger"' in spec


def test_babel_data_is_pruned_to_shipped_locales_and_their_parents():
    keep = rules.babel_keep()
    assert {"root", "en", "fr", "es", "pt", "sw", "fr_CD", "sw_TZ", "en_GH", "es_BO", "pt_MZ"} <= keep
    assert {"en_001", "es_419", "pt_PT"} <= keep  # CLDR parents of en_GH, es_BO/PE/CO, pt_MZ
    assert not rules.drop("babel/locale-data/fr_CD.dat", keep)
    assert not rules.drop("babel/locale-data/root.dat", keep)
    assert rules.drop("babel/locale-data/de.dat", keep)
    assert rules.drop("babel/locale-data/ja_JP.dat", keep)
    assert not rules.drop("babel/global.dat", keep)


def test_selftest_checks_every_locale_the_bundle_keeps():
    keep = rules.babel_keep()
    assert set(selftest.LOCALES) <= keep
    assert set(selftest.LOCALES) >= set(rules.SHIPPED_LANGUAGES) | set(rules.SHIPPED_LOCALES)


@pytest.mark.parametrize(
    "dest, dropped",
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
        ("PySide6/Qt/plugins/platforms/qwindows.dll", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", True),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", False),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/imageformats/libqico.so", False),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", True),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", True),
        ("PySide6\\plugins\\tls\\qopensslbackend.dll", True),
        ("PySide6/Qt/translations/qtbase_fr.qm", False),
        ("PySide6/Qt/translations/qt_pt_BR.qm", False),
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6/Qt/translations/assistant_fr.qm", True),
        ("matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf", False),
        ("matplotlib/mpl-data/fonts/ttf/DejaVuSans-Bold.ttf", False),
        ("matplotlib/mpl-data/fonts/ttf/STIXGeneral.ttf", True),
        ("matplotlib/mpl-data/sample_data/goog.npz", True),
        ("matplotlib/mpl-data/matplotlibrc", False),
        ("locales/fr/LC_MESSAGES/coop.mo", False),
        ("icons/coopledger-256.png", False),
    ],
)
def test_collected_files_kept_or_dropped(dest, dropped):
    assert rules.drop(dest, rules.babel_keep()) is dropped


def test_unreachable_libraries_are_pruned(tmp_path, monkeypatch):
    needed = {"ext": ["liba.so.1"], "liba": ["libb.so.2"], "libb": [], "orphan": ["libb.so.2"], "qtgl": []}
    monkeypatch.setattr(rules, "_needed", lambda src: needed[Path(src).name])
    binaries = [
        ("PySide6/QtCore.abi3.so", "ext", "BINARY"),
        ("liba.so.1", "liba", "BINARY"),
        ("libb.so.2", "libb", "BINARY"),
        ("libcairo.so.2", "orphan", "BINARY"),
        ("PySide6/Qt/lib/libQt6OpenGL.so.6", "qtgl", "BINARY"),
    ]
    kept = [dest for dest, _, _ in rules.prune_unreachable(binaries)]
    assert kept == ["PySide6/QtCore.abi3.so", "liba.so.1", "libb.so.2"]


def test_wheel_vendored_libraries_are_never_stripped():
    assert rules._vendored_by_auditwheel("numpy.libs/libscipy_openblas64_-32a4b2a6.so")
    assert not rules._vendored_by_auditwheel("PySide6/Qt/lib/libQt6Core.so.6")
    assert not rules._vendored_by_auditwheel("libpython3.11.so.1.0")


# ---- pins, entry points, make targets, CI ------------------------------------------------------------


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_console_script_and_pyinstaller_pin_match_the_makefile():
    project = _pyproject()["project"]
    assert project["scripts"]["coopledger"] == "main:main"
    pin = next(p for p in project["optional-dependencies"]["build"] if p.startswith("pyinstaller=="))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"PYINSTALLER_VERSION := {pin.split('==')[1]}" in makefile
    for target in ("bundle:", "bundle-smoke:", "deb:", "deb-test:"):
        assert re.search(rf"^{target}", makefile, re.M), target


def test_pip_install_ships_catalogues_and_package_data():
    tool = _pyproject()["tool"]["setuptools"]
    assert "main" in tool["py-modules"]
    include = tool["packages"]["find"]["include"]
    assert {"coop*", "ui*", "reports*", "locales*"} <= set(include)
    assert "*.mo" in tool["package-data"]["*"]


def test_setup_py_compiles_catalogues_for_pip_install(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("coop_setup", ROOT / "setup.py")
    assert spec and spec.loader
    setup_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(setup_module)  # not __main__: setup() is not called
    po = tmp_path / "locales" / "fr" / "LC_MESSAGES" / "coop.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Cash"\nmsgstr "Caisse"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(setup_module, "ROOT", tmp_path)
    setup_module.compile_catalogues()
    import gettext

    with (po.parent / "coop.mo").open("rb") as mo:
        assert gettext.GNUTranslations(mo).gettext("Cash") == "Caisse"


def test_ci_runs_the_bundle_smoke_test_and_the_deb_test():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make bundle-smoke" in ci and "make deb-test" in ci


# ---- desktop integration -----------------------------------------------------------------------------


def test_desktop_entry_fields():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keep Name[fr] etc. as written
    entry.read(ROOT / "installer" / "linux" / "coopledger.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Type"] == "Application" and d["Name"] == "CoopLedger"
    assert d["Exec"] == "coopledger" and d["Icon"] == "coopledger" and d["Terminal"] == "false"
    assert d["StartupWMClass"] == "coopledger"  # = QGuiApplication.setDesktopFileName("coopledger")
    assert "Office;" in d["Categories"]
    assert all(f"Comment[{lang}]" in d for lang in ("fr", "es", "pt", "sw"))


def test_icons_exist_at_every_size():
    icons = ROOT / "installer" / "icons"
    for size in (16, 24, 32, 48, 64, 128, 256):
        data = (icons / f"coopledger-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20], "big") == size  # IHDR width
    ico = (icons / "coopledger.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00" and int.from_bytes(ico[4:6], "little") >= 5
    assert (icons / "coopledger.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_deb_layout_and_launcher():
    script = (ROOT / "installer" / "linux" / "build_deb.sh").read_text(encoding="utf-8")
    assert '"$STAGE/opt/coopledger"' in script and '"$STAGE/usr/bin/coopledger"' in script
    assert "usr/share/applications/coopledger.desktop" in script
    launcher = (ROOT / "installer" / "linux" / "coopledger.sh").read_text(encoding="utf-8")
    assert 'exec /opt/coopledger/coopledger "$@"' in launcher
    control = (ROOT / "installer" / "linux" / "control.in").read_text(encoding="utf-8")
    assert "Package: coopledger" in control and "Depends: @DEPENDS@" in control


def test_inno_setup_script_keeps_user_data():
    iss = (ROOT / "installer" / "windows" / "coopledger.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in iss
    assert r'Name: "{autoprograms}\{#AppName}"; Filename: "{app}\coopledger.exe"' in iss  # start menu
    assert "SetupIconFile=" in iss and r"dist\coopledger\*" in iss
    sections = re.findall(r"^\[(\w+)\]", iss, re.M)
    assert (
        "UninstallDelete" not in sections
    )  # nothing beyond what it installed: %LOCALAPPDATA%\CoopLedger stays
    assert "AppId=" in iss


# ---- data directory modes ----------------------------------------------------------------------------


def test_data_dir_override_portable_and_per_user(tmp_path, monkeypatch):
    assert paths.data_dir(str(tmp_path / "x")) == (tmp_path / "x").resolve()
    assert paths.database_path(None, str(tmp_path)) == tmp_path.resolve() / paths.DB_NAME
    assert paths.data_dir(None, portable=True) == paths.app_dir() / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    if sys.platform.startswith("linux"):
        assert paths.data_dir() == tmp_path / "share" / "CoopLedger"


def test_portable_mode_of_a_frozen_program_is_beside_the_executable(tmp_path, monkeypatch):
    exe = tmp_path / "usb" / "coopledger" / "coopledger"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert paths.data_dir(None, portable=True) == (tmp_path / "usb" / "coopledger" / "data").resolve()


# ---- self-test ---------------------------------------------------------------------------------------


def _pdf_renderer(calls):
    def render(actor, sale_id):
        calls.append(sale_id)
        return b"%PDF-1.4\n" + b"0" * 600 + b"\n%%EOF\n"  # test double: the real renderer is reports.build

    return render


def test_selftest_passes_and_leaves_database_receipt_and_log(tmp_path):
    calls = []
    out = tmp_path / "out.txt"
    with out.open("w", encoding="utf-8") as stream:
        assert selftest.run(tmp_path / "data", _pdf_renderer(calls), stream) == 0
    assert calls == [1]
    assert (tmp_path / "data" / selftest.DB_NAME).is_file()
    assert (tmp_path / "data" / selftest.RECEIPT_NAME).read_bytes().startswith(b"%PDF")
    assert "Self-test passed" in (tmp_path / "data" / selftest.LOG_NAME).read_text(encoding="utf-8")
    assert "Self-test passed" in out.read_text(encoding="utf-8")


def test_selftest_starts_from_a_fresh_database_each_time(tmp_path):
    assert selftest.run(tmp_path, _pdf_renderer([]), io.StringIO()) == 0
    assert selftest.run(tmp_path, _pdf_renderer([]), io.StringIO()) == 0


def test_selftest_fails_loudly_without_reports(tmp_path, capsys):
    assert selftest.run(tmp_path, None) == 1
    err = capsys.readouterr().err
    assert "SELF-TEST FAILED" in err and "render the receipt" in err and "reports" in err


def test_selftest_fails_on_a_renderer_that_returns_no_pdf(tmp_path, capsys):
    assert selftest.run(tmp_path, lambda actor, sale_id: b"not a pdf") == 1
    assert "the receipt is not a PDF" in capsys.readouterr().err


def test_selftest_never_touches_the_real_database(tmp_path):
    real = tmp_path / paths.DB_NAME
    real.write_bytes(b"the cooperative's books")
    assert selftest.run(tmp_path, _pdf_renderer([]), io.StringIO()) == 0
    assert real.read_bytes() == b"the cooperative's books"


def test_main_selftest_flag_uses_the_data_dir(tmp_path):
    """python main.py --selftest --data-dir D: exit code 0 with reports merged, else 1 naming the missing step."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path), "--selftest"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert (tmp_path / selftest.DB_NAME).is_file()
    has_reports = (ROOT / "reports" / "__init__.py").is_file()
    if has_reports:
        assert proc.returncode == 0, proc.stderr
        assert (tmp_path / selftest.RECEIPT_NAME).read_bytes().startswith(b"%PDF")
    else:
        assert proc.returncode == 1
        assert "render the receipt" in proc.stderr


def test_the_window_and_taskbar_icon_is_coopledgers(qapp):
    from PySide6.QtGui import QGuiApplication

    from ui.app import app_icon, icon_folders, make_app

    app = make_app([])
    assert QGuiApplication.desktopFileName() == "coopledger"
    sizes = {s.width() for s in app.windowIcon().availableSizes()}
    assert {16, 32, 48, 256} <= sizes
    assert not app_icon().isNull()
    assert ROOT / "installer" / "icons" in icon_folders()
