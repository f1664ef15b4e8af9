"""Signing in on the command line: which commands need an account, and where passwords are read from."""

from __future__ import annotations

import argparse
import os
import sys

from coop.errors import AuthError
from coop.i18n import N_, _
from coop.permissions import Actor

PASSWORD_ENV = "COOPLEDGER_PASSWORD"
NEW_PASSWORD_ENV = "COOPLEDGER_NEW_PASSWORD"

OPEN = frozenset({"verify"})  # reveals nothing personal: runs without an account
FIRST_RUN = frozenset({"init", "demo", "user"})  # without an account only while the file has none

NEEDS_ACCOUNT = N_(
    "Sign in: add --user NAME (the password is asked for, or read from COOPLEDGER_PASSWORD or "
    "--password-stdin)."
)
# One answer for an unknown name, a wrong password and a locked account: it tells nobody which names exist.
FAILED = N_("Sign-in failed: wrong user name or password, or the account is locked.")
NO_PASSWORD = N_(
    "No password given: type it at the prompt on a terminal, or set COOPLEDGER_PASSWORD, or use "
    "--password-stdin."
)
NO_NEW_PASSWORD = N_(
    "No new password given: type it at the prompt on a terminal, or set COOPLEDGER_NEW_PASSWORD, or use "
    "--new-password-stdin."
)
MISMATCH = N_("The two passwords differ.")


def add_to(p: argparse.ArgumentParser, *, top: bool) -> None:
    """--user and --password-stdin, accepted before the command and after it (`top` False: a subcommand's
    copy, which sets nothing unless given, so it cannot hide a value given before the command)."""
    p.add_argument(
        "--user",
        metavar="NAME",
        default=None if top else argparse.SUPPRESS,
        help=_("sign in as this account (the password is asked for, or read from COOPLEDGER_PASSWORD)"),
    )
    p.add_argument(
        "--password-stdin",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help=_("read the sign-in password from the first line of standard input"),
    )


def _stdin_line() -> str | None:
    line = sys.stdin.readline()
    return line.rstrip("\r\n") if line else None


def _prompt(text: str) -> str | None:
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(text)


def password(args: argparse.Namespace) -> str:
    """The sign-in password: standard input (--password-stdin), else COOPLEDGER_PASSWORD, else the prompt."""
    if getattr(args, "password_stdin", False):
        found = _stdin_line()
    elif PASSWORD_ENV in os.environ:
        found = os.environ[PASSWORD_ENV]
    else:
        found = _prompt(_("Password for {name}: ").format(name=args.user))
    if found is None:
        raise AuthError(NO_PASSWORD)
    return found


def new_password(args: argparse.Namespace) -> str:
    """A new password: the next line of standard input (--new-password-stdin), else COOPLEDGER_NEW_PASSWORD,
    else asked twice on the terminal."""
    if getattr(args, "new_password_stdin", False):
        found = _stdin_line()
    elif NEW_PASSWORD_ENV in os.environ:
        found = os.environ[NEW_PASSWORD_ENV]
    else:
        found = _prompt(_("New password: "))
        if found is not None and _prompt(_("New password again: ")) != found:
            raise AuthError(MISMATCH)
    if found is None:
        raise AuthError(NO_NEW_PASSWORD)
    return found


def local_actor(role: str) -> Actor:
    """Who runs a command that needs no account: audited as cli:<login of the computer>."""
    import getpass

    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    return Actor(username=f"cli:{login}", role=role)


def sign_in(args: argparse.Namespace) -> Actor:
    """The account's actor; lockout and failure counting are the sign-in window's (users.login)."""
    from coop.services import users

    secret = password(args)
    args.sign_in_password = secret  # read once (it may be a line of stdin): `user passwd` needs it again
    try:
        return users.login(args.user, secret)
    except AuthError:
        raise AuthError(FAILED) from None


def actor_for(args: argparse.Namespace) -> Actor:
    """The actor a command runs as: the signed-in account, or for the commands that need none, the computer's
    user (as an auditor for `verify`; as the manager setting up a file that has no accounts yet)."""
    from coop.services import users

    if args.user is not None:
        return sign_in(args)
    if args.command in OPEN:
        return local_actor("auditor")
    if args.command in FIRST_RUN and users.count_users() == 0:
        return local_actor("manager")
    raise AuthError(NEEDS_ACCOUNT)
