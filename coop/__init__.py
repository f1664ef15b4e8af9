"""CoopLedger domain core: storage, money, ledger and services (no UI, no PDF, no charts)."""

__version__ = "0.1.0"  # = pyproject.toml's version (tests/ui/test_help_session.py checks they agree)
