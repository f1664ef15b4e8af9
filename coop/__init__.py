"""CoopLedger domain core: storage, money, ledger and services (no UI, no PDF, no charts)."""
