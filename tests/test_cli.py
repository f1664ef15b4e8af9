"""The command line as a user runs it: a subprocess per command, signed in, exit codes 0/1, one-line errors."""

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "demo-pass-2025"  # coop.services.demo.DEMO_PASSWORD, as the README documents it
SIGN_IN_LINE = "Sign in: add --user NAME"
FAILED_LINE = "Sign-in failed: wrong user name or password, or the account is locked."


def run(*args, db=None, stdin=None, user="manager", password=DEMO_PASSWORD, env=None):
    """`main.py [--db DB] [--user USER] ARGS` with the password in COOPLEDGER_PASSWORD (None: not set)."""
    cmd = [sys.executable, str(ROOT / "main.py")] + (["--db", str(db)] if db else [])
    cmd += (["--user", user] if user else []) + list(args)
    base = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    if password is not None:
        base["COOPLEDGER_PASSWORD"] = password
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        cwd=ROOT,
        env={**base, **(env or {})},
    )


def one_line(result) -> str:
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def query(db, sql, *params):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    result = run("demo", db=db, user=None, password=None)  # a new file has no accounts: no sign-in
    assert result.returncode == 0, result.stderr
    assert "120 members" in result.stdout
    return db


@pytest.fixture
def demo_copy(demo, tmp_path):
    """A copy of the demo file for a test that changes accounts (failures, locks, passwords)."""
    copy = tmp_path / "copy.sqlite"
    src, dst = sqlite3.connect(demo), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    return copy


def test_verify_reports_ok_with_chain_head_without_an_account(demo):
    result = run("verify", db=demo, user=None, password=None)
    assert result.returncode == 0, result.stderr
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
    init = run(
        "init", "--name", "Nouvelle coop", "--currency", "XOF", "--locale", "fr_BF", db=fresh, user=None
    )
    assert init.returncode == 0, init.stderr
    first = run(
        "user", "add", "chef", "--role", "manager", db=fresh, user=None, env=NEW("chef-de-la-coop-2025")
    )
    assert first.returncode == 0, first.stderr  # the first account of a file: no sign-in, a manager
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
    result = run("import", "members", str(trimmed), db=fresh, user="chef", password="chef-de-la-coop-2025")
    assert result.returncode == 0, result.stderr
    assert "5 rows imported." in result.stdout


def NEW(password: str) -> dict[str, str]:
    return {"COOPLEDGER_NEW_PASSWORD": password}


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
    assert needle in one_line(run(*args, db=demo))


def test_commands_need_a_cooperative(tmp_path):
    result = run("summary", db=tmp_path / "empty.sqlite", user=None)
    assert "no cooperative" in one_line(result)


@pytest.mark.parametrize(
    "args",
    [
        ["summary"],
        ["balance"],
        ["export", "members", "x.csv"],
        ["backup", "x.sqlite"],
        ["restore", "x.sqlite"],
        ["report", "census"],
        ["user", "add", "x", "--role", "clerk"],
        ["user", "passwd"],
        ["init", "--name", "X", "--currency", "CDF"],  # the file has accounts: init changes settings
    ],
)
def test_without_an_account_a_command_says_how_to_sign_in(demo, args):
    line = one_line(run(*args, db=demo, user=None))
    assert SIGN_IN_LINE in line and "COOPLEDGER_PASSWORD" in line and "--password-stdin" in line


def test_demo_if_missing_on_a_cooperative_needs_no_account(demo):
    result = run("demo", "--if-missing", db=demo, user=None, password=None)  # `make run` starts with this
    assert result.returncode == 0 and result.stdout == "", result.stderr


def test_user_given_after_the_command_signs_in_too(demo):
    result = run("balance", "--member", "M0001", "--user", "auditor", db=demo, user=None)
    assert result.returncode == 0, result.stderr


def test_a_wrong_password_exits_1_and_counts_a_failure(demo_copy):
    assert query(demo_copy, "SELECT failed_attempts FROM user WHERE username = 'clerk'") == [(0,)]
    assert one_line(run("summary", db=demo_copy, user="clerk", password="not-the-password")) == (
        f"Error: {FAILED_LINE}"
    )
    assert query(demo_copy, "SELECT failed_attempts FROM user WHERE username = 'clerk'") == [(1,)]
    unknown = one_line(run("summary", db=demo_copy, user="nobody", password="not-the-password"))
    assert unknown == f"Error: {FAILED_LINE}"  # an unknown name answers as a wrong password does


def test_a_locked_account_answers_as_a_wrong_password(demo_copy):
    later = (datetime.now() + timedelta(minutes=10)).strftime("%Y-%m-%d %H:%M:%S")
    conn = sqlite3.connect(demo_copy)
    conn.execute("UPDATE user SET locked_until = ? WHERE username = 'treasurer'", (later,))
    conn.commit()
    conn.close()
    locked = one_line(run("summary", db=demo_copy, user="treasurer"))  # the right password
    wrong = one_line(run("summary", db=demo_copy, user="clerk", password="not-the-password"))
    assert locked == wrong == f"Error: {FAILED_LINE}"


def test_no_password_anywhere_is_one_line(demo):
    line = one_line(run("summary", db=demo, password=None))  # stdin is not a terminal: no prompt
    assert "COOPLEDGER_PASSWORD" in line and "--password-stdin" in line


def test_password_from_stdin(demo):
    result = run("summary", "--password-stdin", db=demo, password=None, stdin=f"{DEMO_PASSWORD}\n")
    assert result.returncode == 0, result.stderr


def test_a_treasurers_command_is_audited_under_its_name(demo, tmp_path):
    out = tmp_path / "sales.csv"
    result = run("export", "sales", str(out), db=demo, user="treasurer")
    assert result.returncode == 0, result.stderr
    rows = query(
        demo, "SELECT username, action FROM audit_log WHERE entity = 'sales' ORDER BY id DESC LIMIT 1"
    )
    assert rows == [("treasurer", "export")]


def test_a_role_keeps_its_permissions(demo):
    line = one_line(run("balance", db=demo, user="member"))  # a member sees only their own
    assert "Your role (member) may not do this" in line


def test_a_clerk_cannot_add_an_account(demo):
    result = run(
        "user", "add", "x2", "--role", "clerk", db=demo, user="clerk", env=NEW("a-good-long-passphrase")
    )
    assert "Your role (clerk) may not do this" in one_line(result)
    assert query(demo, "SELECT count(*) FROM user WHERE username = 'x2'") == [(0,)]


def test_a_manager_adds_accounts_with_passwords_from_stdin(demo):
    result = run(
        "user",
        "add",
        "caissier2",
        "--role",
        "treasurer",
        "--password-stdin",
        "--new-password-stdin",
        db=demo,
        password=None,
        stdin=f"{DEMO_PASSWORD}\nlong-enough-pass\n",
    )
    assert result.returncode == 0, result.stderr
    assert run("summary", db=demo, user="caissier2", password="long-enough-pass").returncode == 0
    short = run("user", "add", "x", "--role", "clerk", "--new-password-stdin", db=demo, stdin="short\n")
    assert "at least 10" in one_line(short)


def test_a_weak_password_is_refused_in_the_chosen_language(demo):
    en = one_line(run("user", "add", "x3", "--role", "clerk", db=demo, env=NEW("password1234")))
    assert "too easy to guess" in en
    xx = one_line(
        run("--lang", "xx", "user", "add", "x3", "--role", "clerk", db=demo, env=NEW("password1234"))
    )
    assert xx != en and "x3" not in xx  # through gettext (pseudo-locale), and the name is not echoed


def test_the_first_account_of_a_file_needs_no_sign_in_but_the_second_does(tmp_path):
    fresh = tmp_path / "fresh.sqlite"
    assert run("init", "--name", "Coop", "--currency", "CDF", db=fresh, user=None).returncode == 0
    clerk_first = run(
        "user", "add", "c", "--role", "clerk", db=fresh, user=None, env=NEW("first-account-pass")
    )
    assert one_line(clerk_first)  # the first account must be a manager
    boss = run("user", "add", "boss", "--role", "manager", db=fresh, user=None, env=NEW("first-account-pass"))
    assert boss.returncode == 0, boss.stderr
    second = run("user", "add", "c", "--role", "clerk", db=fresh, user=None, env=NEW("second-account-pass"))
    assert SIGN_IN_LINE in one_line(second)
    signed = run(
        "user", "add", "c", "--role", "clerk", db=fresh, user="boss", password="first-account-pass",
        env=NEW("second-account-pass"),
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    rows = query(
        fresh, "SELECT username, action, entity FROM audit_log WHERE action = 'create' AND entity = 'user'"
    )
    assert rows == [("boss", "create", "user"), ("boss", "create", "user")]


def test_changing_ones_own_password_needs_the_current_one(demo_copy):
    wrong = run(
        "user",
        "passwd",
        db=demo_copy,
        user="clerk",
        password="not-the-password",
        env=NEW("new-clerk-pass-2026"),
    )
    assert FAILED_LINE in one_line(wrong)
    weak = run("user", "passwd", db=demo_copy, user="clerk", env=NEW("clerk12345"))
    assert "too easy to guess" in one_line(weak)
    changed = run("user", "passwd", db=demo_copy, user="clerk", env=NEW("new-clerk-pass-2026"))
    assert changed.returncode == 0, changed.stderr
    assert one_line(run("summary", db=demo_copy, user="clerk")) == f"Error: {FAILED_LINE}"  # the old one
    assert run("summary", db=demo_copy, user="clerk", password="new-clerk-pass-2026").returncode == 0


def test_backup_writes_a_verifiable_copy(demo, tmp_path):
    dest = tmp_path / "copy.sqlite"
    assert run("backup", str(dest), db=demo).returncode == 0
    assert run("verify", db=dest, user=None).returncode == 0


def test_restore_signs_in_with_the_backup_when_no_file_is_in_place(demo, tmp_path):
    dest = tmp_path / "copy.sqlite"
    assert run("backup", str(dest), db=demo).returncode == 0
    lost = tmp_path / "lost" / "coop.sqlite"
    assert FAILED_LINE in one_line(run("restore", str(dest), db=lost, password="not-the-password"))
    assert "Your role (clerk) may not do this" in one_line(run("restore", str(dest), db=lost, user="clerk"))
    assert not lost.exists()
    result = run("restore", str(dest), db=lost)
    assert result.returncode == 0 and "records verified" in result.stdout, result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_terminal_the_password_is_asked_for(demo):
    import os
    import pty
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: main.py on the pseudo-terminal, no password in the environment
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        os.execve(sys.executable, [sys.executable, str(ROOT / "main.py"), "--db", str(demo), "--user", "clerk", "summary"], env)  # fmt: skip
    seen = b""

    def read_until(token: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 60
        while token not in seen and time.monotonic() < deadline:
            try:
                seen += os.read(fd, 1024)
            except OSError:  # the child closed the terminal
                break

    read_until(b"Password for clerk: ")
    os.write(fd, f"{DEMO_PASSWORD}\n".encode())
    read_until(b"Chain head")
    _pid, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen.decode(errors="replace")
    assert DEMO_PASSWORD.encode() not in seen  # not echoed


def test_a_manager_closes_a_period_once_and_for_good(demo_copy):
    # the demo's 2025 is closed by its year-end closing; the manager closes the first half of 2026
    clerk = run("period", "close", "--to", "2026-06-30", db=demo_copy, user="clerk")
    assert "may not do this" in one_line(clerk)
    result = run("period", "close", "--to", "2026-06-30", db=demo_copy)
    assert result.returncode == 0, result.stderr
    assert "Books closed up to" in result.stdout and "chain head" in result.stdout
    line = one_line(run("period", "close", "--to", "2026-05-31", db=demo_copy))
    assert "already closed up to 2026-06-30" in line
    listed = run("period", "list", db=demo_copy)
    rows = [row.split("\t") for row in listed.stdout.splitlines()]
    assert [r[0] for r in rows] == ["2025-12-31", "2026-06-30"]
    (to_date, _on, user, head) = rows[-1]
    assert (to_date, user, len(head)) == ("2026-06-30", "manager", 64)
    heads = query(demo_copy, "SELECT head_hash, state FROM period_close ORDER BY to_date")
    assert heads[-1] == (head, "posted") and len(heads) == 2
    summary = run("tax-summary", "--from", "2026-01-01", "--to", "2026-06-30", db=demo_copy)
    final = f"Final: the books are closed up to 2026-06-30; chain head at the closing {head}."
    assert final in summary.stdout
    verified = run("verify", db=demo_copy, user=None, password=None)
    assert verified.returncode == 0 and verified.stdout.startswith("OK"), verified.stdout + verified.stderr


def test_report_voucher_writes_the_payout_voucher(demo, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "voucher.pdf"
    result = run(
        "report", "voucher", "--payout", "1", "--out", str(out), "--lang", "en", db=demo, user="treasurer"
    )
    assert result.returncode == 0, result.stderr
    ((member,),) = query(
        demo, "SELECT m.full_name FROM payout p JOIN member m ON m.id = p.member_id WHERE p.id = 1"
    )
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "PAYOUT VOUCHER" in text and member in text


def test_a_clerk_sees_no_balances_from_the_command_line(demo):
    for args in (["balance"], ["balance", "--member", "M0001"]):
        result = run(*args, db=demo, user="clerk")
        assert result.returncode == 1 and "FC" not in result.stdout, result.stdout
    assert run("balance", db=demo, user="treasurer").returncode == 0


def test_a_long_listing_cut_off_by_a_closed_pipe_ends_quietly(demo):
    """`coopledger … | head -1`: the reader closes the pipe; no traceback, the shell's SIGPIPE code."""
    cmd = [sys.executable, str(ROOT / "main.py"), "--db", str(demo), "--user", "auditor", "ledger", "462"]
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "COOPLEDGER_PASSWORD": DEMO_PASSWORD}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # as `head -1` does after its line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141, err
    assert first and "Traceback" not in err and err == ""
