"""Smoke test of the built bundle (make bundle-smoke): self-test in every data-directory mode, CLI, libraries, sizes."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_UNPACKED_MB = 200
MAX_COMPRESSED_MB = 90
# Shared libraries the bundle takes from the system (installer/linux/depends), never from the bundle.
SYSTEM_LIBS = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}


class SmokeFailed(Exception):
    """The bundle did not behave."""


def run(exe: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 180) -> str:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    proc = subprocess.run(
        [str(exe), *args], capture_output=True, text=True, env=full_env, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        raise SmokeFailed(
            f"`coopledger {' '.join(args)}` exited {proc.returncode}\n--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}"
        )
    return proc.stdout


def check_selftest_files(folder: Path) -> None:
    db, receipt = folder / "selftest.sqlite", folder / "selftest-receipt.pdf"
    if not db.is_file():
        raise SmokeFailed(f"the self-test left no database in {folder}")
    if not receipt.is_file() or not receipt.read_bytes().startswith(b"%PDF"):
        raise SmokeFailed(f"the self-test left no receipt PDF in {folder}")


def selftest_modes(exe: Path, tmp: Path) -> None:
    explicit = tmp / "explicit"
    print(run(exe, "--data-dir", str(explicit), "--selftest"), end="")
    check_selftest_files(explicit)
    home = tmp / "home"
    env = {"HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share")}
    run(exe, "--selftest", env=env)
    check_selftest_files(home / ".local" / "share" / "CoopLedger")
    portable = exe.parent / "data"
    shutil.rmtree(portable, ignore_errors=True)
    try:
        run(exe, "--portable", "--selftest")
        check_selftest_files(portable)
    finally:
        shutil.rmtree(portable, ignore_errors=True)


def cli_commands(exe: Path, tmp: Path) -> None:
    db = str(tmp / "cli" / "coop.sqlite")
    run(exe, "--db", db, "init", "--name", "Smoke Coop", "--currency", "CDF", "--locale", "fr_CD")
    out = run(exe, "--db", db, "--lang", "fr", "verify")
    if not out.strip():
        raise SmokeFailed("`verify` printed nothing")
    # the chain checked in worker processes: the frozen program must start them (multiprocessing spawn)
    demo = str(tmp / "cli" / "demo.sqlite")
    run(exe, "--db", demo, "demo")
    out = run(exe, "--db", demo, "--lang", "en", "verify", "--jobs", "2", timeout=120)
    if not out.startswith("OK"):
        raise SmokeFailed(f"`verify --jobs 2` did not verify: {out!r}")


def desktop_start(exe: Path, tmp: Path) -> None:
    """The window part: Qt's platform plugin, styles and fonts load; the sign-in window shows and closes."""
    if not (ROOT / "ui" / "app.py").is_file():
        print("no ui/ in this checkout: desktop start-up not checked")
        return
    out = run(exe, "--data-dir", str(tmp / "ui"), "--measure-startup", timeout=120)
    painted, loaded = out.strip().splitlines()[:2]  # seconds to the painted window, then what loaded after
    print(f"desktop start-up (offscreen): window painted after {painted} s; then {loaded}")


def missing_catalogues(bundle: Path) -> list[str]:
    """Languages with a catalogue in locales/ but no compiled coop.mo in the bundle."""
    langs = sorted(po.parent.parent.name for po in ROOT.glob("locales/*/LC_MESSAGES/coop.po"))
    return [
        lang
        for lang in langs
        if not (bundle / "_internal" / "locales" / lang / "LC_MESSAGES" / "coop.mo").is_file()
    ]


def missing_libraries(bundle: Path) -> set[str]:
    """Linux: sonames no bundled library or system library provides (besides the declared system ones)."""
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return set()
    internal = bundle / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    missing: set[str] = set()
    for lib in [p for p in internal.rglob("*.so*") if p.is_file()]:
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True, env=env, check=False).stdout
        missing |= {line.split()[0] for line in out.splitlines() if "not found" in line}
    return missing - SYSTEM_LIBS


def sizes(bundle: Path, archive: Path) -> tuple[float, float]:
    unpacked = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(bundle, arcname=bundle.name)
    return unpacked / 2**20, archive.stat().st_size / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bundle", default=str(ROOT / "dist" / "coopledger"))
    parser.add_argument("--archive", default=str(ROOT / "dist" / "coopledger-linux-x86_64.tar.gz"))
    args = parser.parse_args(argv)
    bundle = Path(args.bundle)
    exe = bundle / ("coopledger.exe" if os.name == "nt" else "coopledger")
    try:
        if not exe.is_file():
            raise SmokeFailed(f"no bundle at {exe}: run `make bundle` first")
        if missing_catalogues(bundle):
            raise SmokeFailed(f"catalogues missing from the bundle: {', '.join(missing_catalogues(bundle))}")
        missing = missing_libraries(bundle)
        if missing:
            raise SmokeFailed(f"libraries missing from the bundle: {', '.join(sorted(missing))}")
        with tempfile.TemporaryDirectory(prefix="coopledger-smoke-") as tmp:
            selftest_modes(exe, Path(tmp))
            cli_commands(exe, Path(tmp))
            desktop_start(exe, Path(tmp))
        unpacked, packed = sizes(bundle, Path(args.archive))
        print(f"bundle: {unpacked:.0f} MB unpacked, {packed:.0f} MB as {Path(args.archive).name}")
        if unpacked >= MAX_UNPACKED_MB or packed >= MAX_COMPRESSED_MB:
            raise SmokeFailed(f"bundle too big (limits {MAX_UNPACKED_MB} MB / {MAX_COMPRESSED_MB} MB)")
    except (SmokeFailed, subprocess.TimeoutExpired) as exc:
        print(f"BUNDLE SMOKE TEST FAILED: {exc}", file=sys.stderr)
        return 1
    print("bundle smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
