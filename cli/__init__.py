"""The headless command line: every command runs as a signed-in account (the core never imports this package)."""

from __future__ import annotations

from collections.abc import Sequence


def run(argv: Sequence[str] | None = None) -> int:
    """Parse and run one command; returns the process exit code (0, or 1 after one line on stderr)."""
    from cli import app

    return app.run(argv)
