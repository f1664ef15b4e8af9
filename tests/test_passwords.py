"""The password rule (length and zxcvbn strength) and changing one's own password."""

import pytest

from coop.errors import AuthError, ValidationError
from coop.models import AuditLog, User
from coop.services import demo, users


@pytest.mark.parametrize("weak", ["password1234", "1234567890", "qwertyuiop", "azertyuiop", "iloveyou2025"])
def test_common_passwords_and_patterns_are_refused(db, weak):
    with pytest.raises(ValidationError, match="too easy to guess"):
        users.add_user(None, "boss", weak, "manager")
    assert users.count_users() == 0


def test_short_passwords_are_refused_by_length_first(db):
    with pytest.raises(ValidationError) as err:
        users.add_user(None, "boss", "Xq7#mZ2!", "manager")  # strong characters, but 8 of them
    assert err.value.params["n"] == users.MIN_PASSWORD == 10


def test_a_password_made_of_the_account_name_is_refused(db):
    with pytest.raises(ValidationError, match="too easy to guess"):
        users.add_user(None, "kabongo", "kabongo2025!", "manager")
    users.add_user(None, "kabongo", "mine-river-lantern", "manager")  # unrelated words pass


def test_long_passphrases_are_judged_by_their_start(db):
    users.add_user(None, "boss", "river stone " * 10, "manager")  # longer than zxcvbn takes


def test_the_demo_password_passes_the_rule(db):
    users.add_user(None, "boss", demo.DEMO_PASSWORD, "manager")


def test_changing_ones_own_password_needs_the_current_one(db):
    uid = users.add_user(None, "boss", "first-good-phrase", "manager").id
    me = users.login("boss", "first-good-phrase")
    with pytest.raises(AuthError):
        users.change_own_password(me, "not-the-password", "second-good-phrase")
    assert User.get_by_id(uid).failed_attempts == 1  # counted as a failed sign-in
    with pytest.raises(ValidationError, match="too easy to guess"):
        users.change_own_password(me, "first-good-phrase", "password1234")
    changes = users.change_own_password(me, "first-good-phrase", "second-good-phrase")
    assert changes.ids("users") == {uid}
    with pytest.raises(AuthError):
        users.login("boss", "first-good-phrase")
    assert users.login("boss", "second-good-phrase").user_id == uid
    assert (
        AuditLog.select().where((AuditLog.action == "password") & (AuditLog.username == "boss")).count() == 1
    )


def test_an_actor_without_an_account_cannot_change_a_password(db):
    from coop.permissions import SYSTEM

    with pytest.raises(AuthError):
        users.change_own_password(SYSTEM, "x", "second-good-phrase")
