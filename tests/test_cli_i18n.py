"""argparse's own texts (usage, option groups, --help, its error messages) speak the chosen language."""

from __future__ import annotations

import argparse

import pytest

import cli
from cli.args import ARGPARSE_TEXTS, Parser
from coop import i18n
from coop.i18n import _

NB = "\u00a0"


@pytest.fixture(autouse=True)
def fresh_catalogues():
    i18n.reset_cache()  # the .po files may be newer than a catalogue loaded earlier in this process
    yield
    i18n.set_language("en")


def _help(lang: str, capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        cli.run(["--lang", lang, *argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def _error(lang: str, capsys, *argv: str) -> str:
    assert cli.run(["--lang", lang, *argv]) == 1
    return capsys.readouterr().err


HELP = {
    "fr": ["utilisation" + NB + ": coopledger", "arguments positionnels" + NB + ":", "options" + NB + ":",
           "afficher ce message d’aide et quitter"],
    "sw": ["matumizi: coopledger", "hoja za nafasi:", "chaguo:", "onyesha ujumbe huu wa msaada kisha uondoke"],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "sw"])
def test_help_is_translated(lang, capsys):
    out = _help(lang, capsys)
    for text in HELP[lang]:
        assert text.replace(NB, " ") in out.replace(NB, " "), text
    for english in ("usage:", "positional arguments", "show this help message and exit"):
        assert english not in out


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "les arguments suivants sont obligatoires" + NB + ": --sale"),
        ("sw", "hoja zifuatazo zinahitajika: --sale"),
    ],
)
def test_missing_argument_is_reported_in_the_language(lang, expected, capsys):
    err = _error(lang, capsys, "report", "receipt")
    assert expected in err
    assert "the following arguments are required" not in err


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", ["arguments non reconnus" + NB + ": --bogus"]), ("sw", ["hoja zisizotambulika: --bogus"])],
)
def test_unknown_option_is_reported_in_the_language(lang, expected, capsys):
    err = _error(lang, capsys, "verify", "--bogus")
    assert all(e in err for e in expected), err


def test_invalid_choice_in_french(capsys):
    err = _error("fr", capsys, "report", "nope")
    assert "choix invalide" + NB + ": 'nope' (choisissez parmi 'receipt'" in err


def test_every_argparse_text_of_this_python_is_in_our_list():
    """A new Python may add or reword argparse texts: the ones a user can meet must be in ARGPARSE_TEXTS."""
    import ast
    import inspect

    used = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                used.add(node.args[0].value)
    # programmer errors of the code building the parser, never shown to a user of the program
    for_programmers = {
        ".__call__() not defined", "'required' is an invalid argument for positionals",
        "mutually exclusive arguments must be optional", "cannot merge actions - two groups are named %r",
        "invalid option string %(option)r: must start with a character %(prefix_chars)r",
        "dest= is required for options like %r", "invalid conflict_resolution value: %r",
        "cannot have multiple subparser arguments", "%r is not callable", "conflicting subparser: %s",
        "conflicting subparser alias: %s", "unknown parser %(parser_name)r (choices: %(choices)s)",
        'argument "-" with mode %r', "unexpected option string: %s",
        "%(prog)s: error: %(message)s\n",  # Parser.error raises UsageError instead: printed as "Error: …"
    }  # fmt: skip
    assert sorted(used - set(ARGPARSE_TEXTS) - for_programmers) == []


def test_a_parser_built_in_another_language_keeps_its_titles():
    """Group titles are fixed when a parser is built: in French they are French."""
    with i18n.language("fr"):
        p = Parser(prog="x")
        titles = [g.title for g in p._action_groups]
        assert titles == [_("positional arguments"), _("options")]
    assert titles[0] == "arguments positionnels"
