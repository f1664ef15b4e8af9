"""CoopLedger entry point: command-line subcommands headless, otherwise the desktop application."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from coop import cli
    from reports.cli import register

    register()
    code = cli.run(argv)
    if code != -1:
        return code
    try:
        from ui.app import run_app
    except ImportError:  # the desktop UI is not built yet: show what the database holds
        return cli.run([*(argv if argv is not None else sys.argv[1:]), "summary"])
    return run_app(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
