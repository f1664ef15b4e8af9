"""Start-up: the sign-in window paints from a plain read of the file, before peewee, babel, argon2 and the
models load (and never matplotlib or reportlab); files it cannot read that way are opened in full first."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coop import db as coopdb
from coop.permissions import SYSTEM
from coop.services import settings, users

FIXTURES = Path(__file__).resolve().parent.parent / "reliability" / "fixtures"

# _heavy() is first called when the window has just been painted: record what was imported by then
SCRIPT = """
import sys
import ui.app
real_heavy = ui.app._heavy
def spy():
    if not hasattr(spy, "at_paint"):
        spy.at_paint = sorted(m for m in ("peewee", "babel", "argon2", "coop.models", "coop.services.users")
                              if m in sys.modules)
    return real_heavy()
ui.app._heavy = spy
code = ui.app.run_app(sys.argv[1:])
if hasattr(spy, "at_paint"):
    print("LOADED_AT_PAINT", spy.at_paint)
sys.exit(code)
"""


def start(*argv: str, script: str = SCRIPT) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", script, *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=os.getcwd(),
    )


@pytest.fixture
def coop_file(db):
    settings.save(SYSTEM, name="Startup Coop", currency="CDF", locale="fr_CD")
    users.add_user(None, "boss", "long-enough-password", "manager")
    db.close()
    return Path(db.database)


def test_window_paints_before_the_services_load_and_nothing_heavy_ever(coop_file):
    out = start("--db", str(coop_file), "--measure-startup")
    assert out.returncode == 0, out.stderr
    painted, reported, loaded = out.stdout.strip().splitlines()
    report = json.loads(reported)  # what bench/run.py reads
    assert 0 < float(painted) <= report["ready"] < 10
    assert report["heavy_modules"] == [] and report["heavy_ready"] == []
    assert loaded == "LOADED_AT_PAINT []"


def test_an_older_file_is_upgraded_before_the_window(tmp_path):
    path = tmp_path / "v1.sqlite"
    shutil.copy(FIXTURES / "v1.sqlite", path)
    out = start("--db", str(path), "--measure-startup")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] != "LOADED_AT_PAINT []"  # opened in full first
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == coopdb.LATEST
    assert list((tmp_path / "backups").glob("before-upgrade-v1-*.sqlite"))


def test_a_file_that_is_no_database_is_refused_before_any_window(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"not a database at all, just some text " * 200)
    out = start("--db", str(path), "--measure-startup")
    assert out.returncode == 2
    assert "not a CoopLedger database" in out.stderr
    assert "LOADED_AT_PAINT" not in out.stdout


FAILING_OPEN = """
import sys
import ui.app
from coop.errors import StorageError
from ui import msgbox

def refuse(path):
    raise StorageError("The database file {path} cannot be opened ({detail}).", path=str(path), detail="x")

ui.app._open = refuse
msgbox.warning = lambda parent, title, text: print("SHOWN", title, "|", text)
sys.exit(ui.app.run_app(sys.argv[1:]))
"""


def test_a_failure_behind_the_painted_window_is_shown_and_exits_2(coop_file):
    # (in its own process: an in-process app.exec() left Qt unable to finish later background work)
    out = start("--db", str(coop_file), "--measure-startup", script=FAILING_OPEN)
    assert out.returncode == 2, out.stderr
    shown = [line for line in out.stdout.splitlines() if line.startswith("SHOWN")]
    # the window speaks the cooperative's language (fr_CD)
    assert shown == [
        f"SHOWN CoopLedger ne peut pas démarrer | Le fichier de base de données {coop_file} "
        "ne peut pas être ouvert (x)."
    ]


def test_sign_in_runs_the_deferred_loading_first(qtbot, coop_file):
    from coop import peek
    from ui.login import LoginDialog

    handle = coopdb.open_database(coop_file)
    calls: list[int] = []
    try:
        dlg = LoginDialog(look=peek.peek(coop_file), prepare=lambda: calls.append(1) or True)
        qtbot.addWidget(dlg)
        assert dlg.windowTitle() == "Sign in — Startup Coop" and not dlg.first_run
        dlg.username.setText("boss")
        dlg.password.setText("long-enough-password")
        dlg.ok.click()
        dlg.ok.click()
        assert calls == [1] and dlg.actor is not None and dlg.actor.role == "manager"
    finally:
        handle.close()


def test_the_first_start_of_a_day_backs_the_file_up(coop_file):
    from datetime import date

    out = start("--db", str(coop_file), "--measure-startup")
    assert out.returncode == 0, out.stderr
    backup = coop_file.parent / "backups" / f"{coop_file.stem}-daily-{date.today().isoformat()}.sqlite"
    assert backup.is_file()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT name FROM cooperative").fetchone() == ("Startup Coop",)
