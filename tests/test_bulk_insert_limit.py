"""Bulk writes stay under SQLite's default bound-parameter limit (32,766, python.org's Windows build), so a
large member import works on every build, not only on Debian's (250,000)."""

from __future__ import annotations

import sqlite3

from coop.models import Member, database
from coop.permissions import SYSTEM
from coop.services import imports

ROWS = 4_000  # one batch of the import: 4,000 rows x every Member field is far above 32,766 parameters


def test_a_register_of_four_thousand_members_imports_under_the_default_limit(coop, tmp_path):
    database.connection().setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)
    path = tmp_path / "members.csv"
    lines = ["member_no,full_name,join_date"] + [f"B{i:05d},Member {i},2024-01-01" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    imports.import_members(SYSTEM, path)
    assert Member.select().where(Member.member_no.startswith("B")).count() == ROWS
