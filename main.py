"""CoopLedger entry point: command-line subcommands headless, otherwise the desktop application."""

from __future__ import annotations

import sys


def _receipt_renderer():
    """reports.build for the self-test's receipt, or None while this build has no reports package."""
    try:
        import reports
    except ModuleNotFoundError as exc:
        if exc.name != "reports":
            raise  # reports is there but something it needs is missing: a broken build, shown loudly
        return None
    build = getattr(reports, "build", None)  # an empty reports/ folder is a namespace package
    if build is None:
        return None

    def render(actor, sale_id: int) -> bytes:
        return build("receipt", actor, sale_id=sale_id, fmt="a5")

    return render


def selftest(argv: list[str]) -> int:
    """--selftest: seed a throwaway cooperative in the data directory, sell, print a receipt, verify."""
    from coop import cli, i18n, paths
    from coop import selftest as check

    try:
        args = cli.build_parser().parse_args(argv)
    except cli.UsageError as exc:
        print(exc, file=sys.stderr)
        return 1
    i18n.set_language(args.lang or "en")
    return check.run(paths.data_dir(args.data_dir, args.portable), _receipt_renderer())


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--selftest" in argv:
        return selftest(argv)
    from coop import options

    args = options.desktop(argv)
    if args is not None:  # no command: the desktop application, without the command line's imports
        from ui.app import run_app

        return run_app(argv, args)
    from coop import cli
    from reports.cli import register

    register()
    code = cli.run(argv)
    if code != -1:
        return code
    try:
        from ui.app import run_app
    except ImportError:  # the desktop UI is not built yet: show what the database holds
        return cli.run([*argv, "summary"])
    return run_app(argv)


if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # the bundle's worker processes (chain.verify --jobs) start here
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
