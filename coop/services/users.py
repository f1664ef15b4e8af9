"""User accounts: argon2id passwords, login with lockout, roles, and the last-manager guard."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from coop import db, keys, register
from coop.changes import Changes, Saved
from coop.errors import AuthError, NotFound, ValidationError
from coop.models import Member, User, database
from coop.permissions import ROLES, Actor
from coop.services import audit, records

# OWASP minimum for argon2id: 19 MiB, 2 iterations, parallelism 1.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MAX_FAILURES = 10
LOCK_MINUTES = 15
MIN_PASSWORD = 10
# zxcvbn's score 0-4 estimates guesses from its lists of common passwords, names and words, dates, keyboard
# patterns and repeats; 3 ("safely unguessable", ~10^10 guesses) is what an offline attack on a copied file
# needs against argon2id. A length rule alone lets "1234567890" and "password12" through.
MIN_STRENGTH = 3
STRENGTH_CHARS = 72  # zxcvbn refuses longer input; a longer password is judged by its first 72 characters


def _check_password(password: str, user_inputs: tuple[str, ...] = ()) -> None:
    """At least MIN_PASSWORD characters and not guessable (common passwords, words, names, patterns).
    `user_inputs`: words of this account (its name) that make a password weak when it contains them."""
    if len(password) < MIN_PASSWORD:
        raise ValidationError("password", "The password needs at least {n} characters.", n=MIN_PASSWORD)
    from zxcvbn import zxcvbn  # its word lists load on first use: only when a password is set

    if zxcvbn(password[:STRENGTH_CHARS], user_inputs=list(user_inputs))["score"] < MIN_STRENGTH:
        raise ValidationError(
            "password",
            "This password is too easy to guess (a common password, word, name, date or keyboard pattern). "
            "Choose a longer one, for example three or four unrelated words.",
        )


def _check_role(role: str, member_id: int | None) -> None:
    if role not in ROLES:
        raise ValidationError("role", "“{value}” is not one of the allowed values.", value=role)
    if role == "member" and (member_id is None or Member.get_or_none(Member.id == member_id) is None):
        raise ValidationError("member", "A member account must be linked to a member of the register.")


def count_users() -> int:
    return User.select().count()


def add_user(
    actor: Actor | None,
    username: str,
    password: str,
    role: str,
    member_id: int | None = None,
    locale: str = "",
) -> Saved:
    """Create an account. `actor` None is allowed only for the very first account (a manager)."""
    first = count_users() == 0
    if actor is None and not (first and role == "manager"):
        raise AuthError("Only a manager can add accounts.")
    if actor is not None:
        actor.require("users.manage")
    username = records.identifier(username, "username")
    if not username:
        raise ValidationError("username", "Choose a user name.")
    _check_password(password, (username,))
    _check_role(role, member_id)
    with database.atomic():
        if User.select().where(User.username_key == keys.fold(username)).exists():
            raise ValidationError("username", "“{value}” is already used.", value=username)
        user = User.create(
            username=username, password_hash=HASHER.hash(password), role=role, member=member_id, locale=locale
        )
        audit.record(
            actor or Actor(username, role),
            "create",
            "user",
            user.id,
            None,
            {"username": username, "role": role, "member": member_id},
        )
        register.seal("user", [user.id], username if actor is None else actor.username)
    return Saved(user.id, Changes.of(users=[user.id]))


def _actor(user: User) -> Actor:
    return Actor(username=user.username, role=user.role, user_id=user.id, member_id=user.member_id)


def login(username: str, password: str, now: datetime | None = None) -> Actor:
    """Check a password; count failures, lock after MAX_FAILURES, rehash when parameters rose."""
    now = now or datetime.now()
    user = _find(username)
    # Unknown, inactive, locked or wrong: one answer after one argon2 verification each, so neither the
    # message nor its time tells which names exist or are locked (managers see locks on the Users tab).
    if user is None or not user.active:
        _spend_verify_time(password)
        _audit_failure(username, None if user is None else user.id)
        raise AuthError("Wrong user name or password.")
    locked = bool(user.locked_until and user.locked_until > now)
    try:
        HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        if locked:
            _audit_failure(username, user.id)
        else:
            _register_failure(user, now)
        raise AuthError("Wrong user name or password.") from None
    if locked:
        _audit_failure(username, user.id)
        raise AuthError("Wrong user name or password.")
    if db.is_read_only():  # a file on read-only media: the sign-in is checked, not recorded
        return _actor(user)
    with database.atomic():
        fields: dict[str, object] = {"failed_attempts": 0, "locked_until": None}
        if HASHER.check_needs_rehash(user.password_hash):
            fields["password_hash"] = HASHER.hash(password)
        User.update(**fields).where(User.id == user.id).execute()
        audit.record(_actor(user), "login", "user", user.id)
        if "password_hash" in fields:  # rehashed with today's parameters: a new hash for the chain
            register.seal("user", [user.id], user.username)
    return _actor(user)


def _find(username: str) -> User | None:
    """The account of a typed name: NFKC-normalised, without regard to case (an exact match first)."""
    name = unicodedata.normalize("NFKC", username).strip()
    exact = User.get_or_none(User.username == name)
    if exact is not None:
        return exact
    return User.select().where(User.username_key == keys.fold(name)).first()


_DUMMY_HASH: list[str] = []


def _spend_verify_time(password: str) -> None:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(HASHER.hash("not a password of anyone"))
    try:
        HASHER.verify(_DUMMY_HASH[0], password)
    except (VerificationError, InvalidHashError):
        pass


def _audit_failure(username: str, user_id: int | None) -> None:
    if db.is_read_only():
        return
    with database.atomic():
        audit.record(Actor(username or "?", "none"), "login_failed", "user", user_id)


def _register_failure(user: User, now: datetime) -> None:
    failures = user.failed_attempts + 1
    lock = (
        now + timedelta(minutes=LOCK_MINUTES)
        if failures >= MAX_FAILURES and not _is_last_manager(user)
        else None
    )
    if db.is_read_only():  # nothing can be counted on read-only media: the sign-in just fails
        return
    with database.atomic():
        User.update(failed_attempts=failures, locked_until=lock).where(User.id == user.id).execute()
        audit.record(
            Actor(user.username, user.role),
            "login_failed",
            "user",
            user.id,
            None,
            {"failed_attempts": failures, "locked_until": lock},
        )


def _is_last_manager(user: User) -> bool:
    managers = User.select().where((User.role == "manager") & (User.active == True))  # noqa: E712
    return user.role == "manager" and managers.count() <= 1


def unlock(actor: Actor, user_id: int) -> Changes:
    actor.require("users.manage")
    with database.atomic():
        User.update(failed_attempts=0, locked_until=None).where(User.id == user_id).execute()
        audit.record(actor, "unlock", "user", user_id)
    return Changes.of(users=[user_id])


def change_role(actor: Actor, user_id: int, role: str, member_id: int | None = None) -> Changes:
    actor.require("users.manage")
    _check_role(role, member_id)
    with database.atomic():
        user = User.get_or_none(User.id == user_id)
        if user is None:
            raise NotFound("User {id} does not exist.", id=user_id)
        if role != "manager" and _is_last_manager(user):
            raise ValidationError("role", "The last manager account cannot be demoted.")
        User.update(role=role, member=member_id).where(User.id == user_id).execute()
        audit.record(
            actor, "update", "user", user_id, {"role": user.role}, {"role": role, "member": member_id}
        )
        register.seal("user", [user_id], actor.username)
    return Changes.of(users=[user_id])


def update_account(
    actor: Actor, user_id: int, role: str, member_id: int | None, password: str = ""
) -> Changes:
    """A manager's edit of an account: role and linked member, and a new password if given — all or nothing."""
    actor.require("users.manage")
    if password:
        _check_password(password)
    with database.atomic():
        user = User.get_or_none(User.id == user_id)
        if user is None:
            raise NotFound("User {id} does not exist.", id=user_id)
        if role != user.role or member_id != user.member_id:
            change_role(actor, user_id, role, member_id)
        if password:
            set_password(actor, user_id, password)
    return Changes.of(users=[user_id])


def set_password(actor: Actor, user_id: int, password: str) -> Changes:
    if actor.user_id != user_id:
        actor.require("users.manage")
    _check_password(password)
    with database.atomic():
        User.update(password_hash=HASHER.hash(password)).where(User.id == user_id).execute()
        audit.record(actor, "password", "user", user_id)
        register.seal("user", [user_id], actor.username)
    return Changes.of(users=[user_id])


def change_own_password(actor: Actor, current: str, new: str) -> Changes:
    """A signed-in user's change of their own password: the current one is asked for again, so a session left
    open is not enough. A wrong current password counts as a failed sign-in (lockout included)."""
    if actor.user_id is None:
        raise AuthError("Sign in with your own account to change its password.")
    user = User.get_or_none(User.id == actor.user_id)
    if user is None or not user.active:
        raise AuthError("Wrong user name or password.")
    try:
        HASHER.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        _register_failure(user, datetime.now())
        raise AuthError("The current password is wrong.") from None
    _check_password(new, (user.username,))
    with database.atomic():
        User.update(password_hash=HASHER.hash(new)).where(User.id == user.id).execute()
        audit.record(actor, "password", "user", user.id)
        register.seal("user", [user.id], actor.username)
    return Changes.of(users=[user.id])


def preferred_locale(actor: Actor) -> str:
    """The language the signed-in user chose ("" when none or when the actor has no account)."""
    row = User.get_or_none(User.id == actor.user_id) if actor.user_id else None
    return row.locale if row and row.locale else ""


def set_locale(actor: Actor, user_id: int, locale: str) -> Changes:
    """A user's own language choice (stored per user)."""
    if actor.user_id != user_id:
        actor.require("users.manage")
    with database.atomic():
        User.update(locale=locale).where(User.id == user_id).execute()
        audit.record(actor, "update", "user", user_id, None, {"locale": locale})
    return Changes.of(users=[user_id])
