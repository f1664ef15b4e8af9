"""Login as each role, first-run manager creation, what each role sees, member scoping."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from coop.errors import PermissionDenied
from coop.permissions import SYSTEM
from coop.services import demo, tables, users
from tests.ui.helpers import type_text
from ui import fmt
from ui.app import open_main
from ui.login import LoginDialog
from ui.mainwindow import visible_areas


def login(qtbot, username: str, password: str = demo.DEMO_PASSWORD) -> LoginDialog:
    dlg = LoginDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.username, username)
    qtbot.keyClicks(dlg.password, password)
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    return dlg


EXPECTED = {
    "manager": {
        "dashboard",
        "members",
        "sites",
        "lots",
        "sales",
        "payouts",
        "taxes",
        "books",
        "incidents",
        "mercury",
        "reports",
        "ledger",
        "settings",
    },
    "treasurer": {
        "dashboard",
        "members",
        "sites",
        "lots",
        "sales",
        "payouts",
        "taxes",
        "books",
        "incidents",
        "mercury",
        "reports",
        "settings",
    },
    "clerk": {
        "dashboard",
        "members",
        "sites",
        "lots",
        "sales",
        "payouts",
        "taxes",
        "incidents",
        "mercury",
        "settings",
    },
    "auditor": {
        "dashboard",
        "members",
        "sites",
        "lots",
        "sales",
        "payouts",
        "taxes",
        "books",
        "incidents",
        "mercury",
        "reports",
        "ledger",
        "settings",
    },
    "member": {"members", "lots", "sales", "payouts"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_its_areas(qtbot, qapp, demo_db, role):
    fmt.Context.refresh()
    dlg = login(qtbot, role)
    assert dlg.result() == LoginDialog.DialogCode.Accepted, dlg.error.text()
    assert dlg.actor.role == role
    window = open_main(qapp, dlg.actor, "en")
    qtbot.addWidget(window)
    nav = [window.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.nav.count())]
    assert set(nav) == EXPECTED[role] == set(visible_areas(dlg.actor))
    sales = window.show_area("sales")
    buttons = {b.text(): b.isEnabled() for b, _t in sales._actions}
    assert buttons["New sale…"] is dlg.actor.can("sales.post")
    members = window.show_area("members")
    assert members.model.rowCount() == (1 if role == "member" else 120)


def test_wrong_password_shows_message_next_to_form(qtbot, demo_db):
    dlg = login(qtbot, "manager", "not-the-password")
    assert dlg.actor is None
    assert "Wrong user name or password" in dlg.error.text()


def test_first_run_creates_manager(qtbot, db):
    dlg = LoginDialog()
    qtbot.addWidget(dlg)
    assert dlg.first_run
    dlg.show()
    assert dlg.focusWidget() is dlg.setup_button  # a new file: set up (or explore the demo), no sign-in
    qtbot.mouseClick(dlg.setup_button, Qt.MouseButton.LeftButton)
    wizard = dlg.wizard
    wizard.country.setCurrentIndex(wizard.country.findData("CD"))
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    type_text(wizard.name, "Coopérative Test")
    assert wizard.name.text() == "Coopérative Test"
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    wizard.username.clear()
    qtbot.keyClicks(wizard.username, "amina")
    qtbot.keyClicks(wizard.password, "a-long-password")
    qtbot.keyClicks(wizard.confirm, "a-long-password")
    qtbot.keyClick(wizard.confirm, Qt.Key.Key_Return)
    assert dlg.actor is not None and dlg.actor.role == "manager"
    assert users.count_users() == 1
    from coop.services import settings

    assert settings.get().currency == "CDF"


def test_member_cannot_reach_other_members_data(qtbot, qapp, demo_db):
    member = users.login("member", demo.DEMO_PASSWORD)
    q = tables.Query()
    assert [r[0] for r in tables.page(member, "members", q, 0, 50)] == [member.member_id]
    from coop.models import LotOwner, Payout

    own_lots = {o.lot_id for o in LotOwner.select().where(LotOwner.member == member.member_id)}
    lots = {r[0] for r in tables.page(member, "lots", q, 0, 10_000)}
    assert lots == own_lots and len(lots) < tables.count(SYSTEM, "lots", q)
    payouts = {r[0] for r in tables.page(member, "payouts", q, 0, 10_000)}
    assert payouts == {p.id for p in Payout.select().where(Payout.member == member.member_id)}
    for name in ("sites", "incidents", "mercury", "tax_payments", "users"):
        with pytest.raises(PermissionDenied):
            tables.count(member, name, q)
    # the member's sales list shows their own share of each sale, summing to what they earned
    from coop.models import Posting

    shares = tables.totals(member, "my_sales", tables.Query())["share"]
    earned = -sum(
        p.amount_minor
        for p in Posting.select().where(
            (Posting.account == "member_payable") & (Posting.member == member.member_id)
        )
        if p.amount_minor < 0
    )
    assert 0 < shares <= earned
    # searching for someone else's name still yields only the member's own row
    q.search = "a"
    assert tables.count(member, "members", q) <= 1


def test_login_shows_only_its_fields(qtbot, demo_db):
    dlg = LoginDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.username.isVisible() and dlg.password.isVisible()
    assert not any(w.isVisible() for w in (dlg.setup_button, dlg.demo_button))
    assert dlg.focusWidget() is dlg.username
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)  # no Cancel button: Escape (or closing the window) cancels
    assert dlg.result() == LoginDialog.DialogCode.Rejected and not dlg.isVisible()
