"""Start-up stays lean: --measure-startup prints a time and exits 0 without matplotlib or reportlab."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from coop.permissions import SYSTEM
from coop.services import users

SCRIPT = """
import sys
from ui.app import run_app
code = run_app(["--db", sys.argv[1], "--measure-startup"])
heavy = [m for m in ("matplotlib", "reportlab") if m in sys.modules]
print("HEAVY", heavy)
sys.exit(code)
"""


def test_measure_startup_prints_seconds_and_imports_nothing_heavy(db, tmp_path):
    from coop.services import settings

    settings.save(SYSTEM, name="Startup Coop", currency="CDF", locale="fr_CD")
    users.add_user(None, "boss", "long-enough-password", "manager")
    path = db.database
    db.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, path],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=os.getcwd(),
    )
    assert out.returncode == 0, out.stderr
    seconds, reported, heavy = out.stdout.strip().splitlines()
    assert 0 < float(seconds) < 10
    assert json.loads(reported) == {"heavy_modules": []}  # what bench/run.py reads
    assert heavy == "HEAVY []"
