"""The cooperative's whole books: chart of accounts, treasury accounts, entries, share capital, reports."""
