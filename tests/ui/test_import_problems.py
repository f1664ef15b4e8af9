"""A refused CSV import lists every problem of every row, under a title saying the file was not imported."""

from __future__ import annotations

import pytest

from coop.errors import ErrorList
from coop.models import Member
from coop.permissions import SYSTEM, Actor
from coop.services import imports
from ui import msgbox
from ui.app import open_main

HEADER = "member_no,full_name,sex,birth_year,id_number,card_expiry,phone,community,site_code,role,join_date,status,share_capital\n"
ROWS = (
    "M500,Furaha Zawadi,F,19x1,,,,,KAM,digger,2025-13-01,active,abc\n"  # three bad cells
    "M501,Neema Riziki,F,1990,,,,,ZZZ,digger,2025-02-01,bogus,0\n"  # unknown site and status
    "M502,,F,1990,,,,,KAM,digger,2025-02-01,active,0\n"  # no name
)


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_every_problem_of_every_row_is_reported(ctx, bad_file):
    with pytest.raises(ErrorList) as refused:
        imports.import_members(SYSTEM, bad_file)
    found = sorted((e.row, e.field) for e in refused.value.errors)
    assert found == [
        (2, "birth_year"),
        (2, "join_date"),
        (2, "share_capital"),
        (3, "site_code"),
        (3, "status"),
        (4, "full_name"),
    ]
    assert not Member.select().where(Member.member_no.in_(["M500", "M501", "M502"])).exists()


def test_the_window_shows_a_validation_result_not_a_stopped_work(qtbot, qapp, ctx, bad_file):
    window = open_main(qapp, Actor("clerk", "clerk"), "en")
    qtbot.addWidget(window)
    window.import_csv("members", str(bad_file))
    qtbot.waitUntil(lambda: bool(msgbox.SHOWN), timeout=10_000)
    title, text = msgbox.SHOWN[-1]
    assert title == "The file was not imported: 6 problems found"
    assert "Row 2, column “birth_year”" in text and "Row 2, column “share_capital”" in text
    assert "Row 4, column “full_name”" in text
    assert all(t != "The work stopped" for t, _text in msgbox.SHOWN)
