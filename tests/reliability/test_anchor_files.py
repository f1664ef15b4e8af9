"""Each database file has its own anchor log: the real books and the demo file side by side in the data folder
never read each other's anchors (a shared log once made `verify` call a sound demo file rewritten)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from coop import anchors

ROOT = Path(__file__).resolve().parent.parent.parent


def _main(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(home)}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def _init(db: Path, name: str, home: Path) -> None:
    made = _main("--db", str(db), "init", "--country", "CD", "--name", name, home=home)
    assert made.returncode == 0, made.stderr


def test_two_databases_in_one_folder_keep_apart_anchors(tmp_path):
    real, demo = tmp_path / "coopledger.sqlite", tmp_path / "demo.coopledger"
    _init(real, "Real books", tmp_path)
    assert _main("--db", str(real), "verify", home=tmp_path).returncode == 0
    _init(demo, "Demo", tmp_path)  # another chain, in the same folder, started the same day
    for db in (demo, real, demo):
        result = _main("--db", str(db), "--lang", "en", "verify", home=tmp_path)
        assert result.returncode == 0 and result.stdout.startswith("OK"), result.stdout + result.stderr
    assert anchors.log_path(real) != anchors.log_path(demo)
    assert anchors.read_log(anchors.log_path(real))[0] and anchors.read_log(anchors.log_path(demo))[0]


def test_the_log_of_a_folder_with_one_database_stays_with_it(tmp_path):
    real = tmp_path / "coopledger.sqlite"
    legacy = tmp_path / "backups" / anchors.LOG_NAME
    anchors.append(legacy, "verify", 1, "a" * 64)
    assert anchors.log_path(real) == tmp_path / "backups" / f"coopledger.sqlite.{anchors.LOG_NAME}"
    assert not legacy.exists() and [a.length for a in anchors.read_log(anchors.log_path(real))[0]] == [1]
