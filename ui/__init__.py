"""PySide6 desktop application of CoopLedger (talks to coop.services only)."""
