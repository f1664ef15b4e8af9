"""Anchor slip: the chain's length and full head read back from the PDF and its QR code; who may print it."""

from __future__ import annotations

import pytest

import reports
from coop import anchors, chain
from coop.errors import PermissionDenied
from coop.permissions import SYSTEM, Actor
from tests.reports.conftest import flat, pdf_text


def test_the_slip_prints_the_full_head_and_the_latest_anchors(demo_db, tmp_path):
    length, head = chain.head()
    anchors.note(demo_db.database, "verify")
    text = flat(pdf_text(reports.build("anchor_slip", SYSTEM, lang="en")))
    assert " ".join(head[i : i + 8] for i in range(0, 64, 8)) in text
    assert f"link/{length}:{head[:16]}" in text
    assert "verification" in text and str(length) in text


def test_the_anchor_typed_from_the_slip_checks(demo_db):
    from coop import verification

    length, head = chain.head()
    assert verification.paper_problem(anchors.parse(f"link/{length}:{head[:16]}")) is None
    problem = verification.paper_problem(anchors.parse(f"link/{length}:{'0' * 16}"))
    assert problem is not None and problem.record == f"link {length} (link {length})"


def test_a_member_may_not_print_the_slip(demo_db):
    with pytest.raises(PermissionDenied):
        reports.build("anchor_slip", Actor(username="m", role="member", member_id=1))
