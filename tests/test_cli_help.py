"""Every option and argument of every command says what it is for, and typed codes are explained in words."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

import cli
from cli.app import build_parser
from coop import i18n


@pytest.fixture(autouse=True)
def english_afterwards():
    i18n.reset_cache()
    yield
    i18n.set_language("en")


def _actions(parser: argparse.ArgumentParser, path: str) -> Iterator[tuple[str, argparse.Action]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _actions(sub, f"{path} {name}")
        else:
            yield path, action


def test_every_option_of_every_command_has_a_help():
    i18n.set_language("en")
    walked = list(_actions(build_parser(), "coopledger"))
    commands = {path for path, _action in walked}
    assert {
        "coopledger init",
        "coopledger pay",
        "coopledger report receipt",
        "coopledger user add",
    } <= commands
    missing = [
        f"{path} {'/'.join(action.option_strings) or action.dest}"
        for path, action in walked
        if action.help is not argparse.SUPPRESS and not (action.help or "").strip()
    ]
    assert missing == []


def test_help_texts_format(capsys):
    """argparse expands every help (a lone % would crash --help): render each command's help."""
    parser = build_parser()
    for path, _action in _actions(parser, ""):
        argv = path.split()
        with pytest.raises(SystemExit) as done:
            cli.run([*argv, "--help"])
        assert done.value.code == 0, argv
    assert "--name" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["pay"], ["cash = Espèces", "mobile_money = Mobile money", "bank = Banque"]),
        (["user", "add"], ["manager = Gérant", "treasurer = Trésorier", "auditor = Commissaire aux comptes"]),
        (["void"], ["sale = Vente", "payout = Versement", "= Paiement de taxe"]),
        (["treasury"], ["mobile_money = Mobile money"]),
    ],
)
def test_typed_codes_are_explained_in_the_language(argv, expected, capsys):
    with pytest.raises(SystemExit) as done:
        cli.run(["--lang", "fr", *argv, "--help"])
    assert done.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for text in expected:
        assert text in out, text
