"""The command line as a user runs it: a subprocess per command, exit codes 0/1, one-line errors."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args, db=None, stdin=None):
    cmd = [sys.executable, str(ROOT / "main.py")] + (["--db", str(db)] if db else []) + list(args)
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"},
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    result = run("demo", db=db)
    assert result.returncode == 0, result.stderr
    assert "120 members" in result.stdout
    return db


def test_verify_reports_ok_with_chain_head(demo):
    result = run("verify", db=demo)
    assert result.returncode == 0
    assert result.stdout.startswith("OK: ") and "chain head" in result.stdout


def test_balance_and_tax_summary(demo):
    result = run("balance", "--member", "M0001", db=demo)
    assert result.returncode == 0 and "M0001" in result.stdout and "FC" in result.stdout
    result = run("tax-summary", "--from", "2025-01-01", "--to", "2025-12-31", db=demo)
    assert result.returncode == 0
    assert "Redevance minière" in result.stdout and "Balance" in result.stdout


def test_export_then_import_members_into_a_new_cooperative(demo, tmp_path):
    out = tmp_path / "members.csv"
    assert run("export", "members", str(out), db=demo).returncode == 0
    fresh = tmp_path / "fresh.sqlite"
    assert (
        run("init", "--name", "Nouvelle coop", "--currency", "XOF", "--locale", "fr_BF", db=fresh).returncode
        == 0
    )
    trimmed = tmp_path / "m.csv"
    lines = out.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    site_col = header.index("site_code")
    body = []
    for line in lines[1:6]:
        cells = line.split(",")
        cells[site_col] = ""  # the new cooperative has no sites yet
        body.append(",".join(cells))
    trimmed.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    result = run("import", "members", str(trimmed), db=fresh)
    assert result.returncode == 0, result.stderr
    assert "5 rows imported." in result.stdout


@pytest.mark.parametrize(
    "args, needle",
    [
        (["tax-summary", "--from", "2025-02-30", "--to", "2025-12-31"], "is not a date"),
        (["balance", "--member", "NOPE"], "Unknown member"),
        (["export", "secrets", "x.csv"], "invalid choice"),
        (["import", "members", "/nonexistent.csv"], "Cannot read"),
        (["frobnicate"], "invalid choice"),
        (["demo"], "already has a cooperative"),
    ],
)
def test_user_errors_exit_1_with_one_line_and_no_traceback(demo, args, needle):
    result = run(*args, db=demo)
    assert result.returncode == 1
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_commands_need_a_cooperative(tmp_path):
    result = run("verify", db=tmp_path / "empty.sqlite")
    assert result.returncode == 1 and "no cooperative" in result.stderr


def test_user_add_reads_password_from_stdin(demo):
    result = run(
        "user",
        "add",
        "caissier2",
        "--role",
        "treasurer",
        "--password-stdin",
        db=demo,
        stdin="long-enough-pass\n",
    )
    assert result.returncode == 0, result.stderr
    short = run("user", "add", "x", "--role", "clerk", "--password-stdin", db=demo, stdin="short\n")
    assert short.returncode == 1 and "at least 8" in short.stderr


def test_backup_writes_a_verifiable_copy(demo, tmp_path):
    dest = tmp_path / "copy.sqlite"
    assert run("backup", str(dest), db=demo).returncode == 0
    assert run("verify", db=dest).returncode == 0
