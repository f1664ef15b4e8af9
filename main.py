"""CoopLedger entry point: the desktop application when only its options are given, otherwise the command line."""

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
    from cli.app import build_parser
    from cli.args import UsageError
    from coop import i18n, paths
    from coop import selftest as check

    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
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
    import cli

    return cli.run(argv)


if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # the bundle's worker processes (chain.verify --jobs) start here
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
