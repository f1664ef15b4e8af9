"""An entry with more postings than one SQL statement may bind (a year's ristourne, a long opening) is written
whole and verifies."""

from __future__ import annotations

import sqlite3
from datetime import date

from coop import chain
from coop.models import Posting, database
from coop.permissions import SYSTEM
from coop.services.books import chart, entries

PARTS = 7_000  # x 5 bound values = 35,000: above SQLite's default limit of 32,766 for one statement
DEFAULT_LIMIT = (
    32_766  # SQLite's default SQLITE_MAX_VARIABLE_NUMBER (python.org's Windows build); Debian's is 250,000
)


def test_an_entry_of_seven_thousand_postings_is_written_and_verifies(books):
    database.connection().setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, DEFAULT_LIMIT)
    income = chart.number_of("cash_over")
    saved = entries.record_income(
        SYSTEM,
        day=date(2025, 2, 3),
        treasury_id=books.cash,
        splits=[entries.Split(income, "1") for _ in range(PARTS)],
        note="many parts",
    )
    row = entries.entry(SYSTEM, saved.id)
    lines = (
        Posting.select()
        .join_from(Posting, chain.JournalEntry)
        .where(chain.JournalEntry.source_type == "book_entry", chain.JournalEntry.source_id == saved.id)
    )
    assert lines.count() == PARTS + 1
    assert sum(p.amount_minor for p in lines) == 0
    assert row.amount_minor == PARTS * 100
    assert chain.verify(jobs=1).ok
