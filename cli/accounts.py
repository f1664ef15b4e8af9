"""The `user` command: add an account, change one's own password."""

from __future__ import annotations

import argparse

from cli import signin
from cli.args import Parser, coded
from coop.errors import AuthError, ValidationError
from coop.i18n import _
from coop.permissions import ROLE_LABELS, ROLES, Actor


def _new_password_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--new-password-stdin",
        action="store_true",
        help=_(
            "read the new password from standard input (the line after the sign-in password when "
            "--password-stdin is given too)"
        ),
    )


def add_parsers(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("user", help=_("manage accounts"))
    us = s.add_subparsers(dest="user_command", required=True, parser_class=Parser)
    a = us.add_parser(
        "add",
        help=_(
            "add an account (a manager signs in; the first account of a new file, a manager, needs no "
            "sign-in)"
        ),
    )
    a.add_argument("username", help=_("the name the person signs in with"))
    a.add_argument(
        "--role",
        choices=ROLES,
        required=True,
        help=coded(_("role of the account"), [(role, ROLE_LABELS[role]) for role in ROLES]),
    )
    a.add_argument("--member", help=_("member number, for member accounts"))
    _new_password_option(a)
    p = us.add_parser("passwd", help=_("change the signed-in account's own password"))
    _new_password_option(p)


def user(args: argparse.Namespace, actor: Actor) -> int:
    if args.user_command == "passwd":
        return change_own_password(args, actor)
    return add_account(args, actor)


def add_account(args: argparse.Namespace, actor: Actor) -> int:
    from coop.services import registry, users

    member_id = None
    if args.member:
        member_id = registry.find_member(args.member)
        if member_id is None:
            raise ValidationError("member", "Unknown member: {value}.", value=args.member)
    password = signin.new_password(args)
    # signin lets a file's first account be made without one; the service then allows only a manager
    creator = actor if actor.user_id is not None else None
    users.add_user(creator, args.username, password, args.role, member_id)
    print(_("Account {name} created.").format(name=args.username))
    return 0


def change_own_password(args: argparse.Namespace, actor: Actor) -> int:
    """The current password is the one the account signed in with, checked again by the service."""
    from coop.services import users

    if actor.user_id is None:
        raise AuthError(signin.NEEDS_ACCOUNT)
    users.change_own_password(actor, args.sign_in_password, signin.new_password(args))
    print(_("Password of {name} changed.").format(name=actor.username))
    return 0


COMMANDS = {"user": user}
