"""The sign-in window's plain read of the database file, and the desktop start's reading of the options."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli.app import build_parser
from coop import db as coopdb
from coop import models, options, peek
from coop.permissions import SYSTEM
from coop.services import settings, users

FIXTURES = Path(__file__).resolve().parent / "reliability" / "fixtures"


def test_schema_version_is_the_databases():
    assert peek.SCHEMA == coopdb.LATEST


def test_a_new_file_shows_the_first_run(db):
    path = Path(db.database)
    assert peek.peek(path) == peek.Look(None, "en", False)
    settings.save(SYSTEM, name="Kamituga Gold", currency="CDF", locale="fr_CD")
    users.add_user(None, "boss", "long-enough-password", "manager")
    assert peek.peek(path) == peek.Look("Kamituga Gold", "fr_CD", True)
    assert peek.look(models.database.execute_sql) == peek.peek(path)  # the same read through peewee


def test_files_it_cannot_read_plainly_go_the_full_way(tmp_path):
    assert peek.peek(tmp_path / "missing.sqlite") is None
    assert not (tmp_path / "missing.sqlite").exists()  # read-only: nothing created
    shutil.copy(FIXTURES / "v1.sqlite", tmp_path / "v1.sqlite")
    assert peek.peek(tmp_path / "v1.sqlite") is None  # older schema: upgraded (after a backup) first
    (tmp_path / "junk.sqlite").write_bytes(b"junk" * 1000)
    assert peek.peek(tmp_path / "junk.sqlite") is None
    assert peek.peek(tmp_path) is None  # a folder


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "x.sqlite"],
        ["--db=x.sqlite", "--lang", "fr"],
        ["--portable", "--measure-startup"],
        ["--data-dir", "/tmp/d", "--lang=sw", "--lang", "es"],
        ["--db="],
    ],
)
def test_desktop_options_read_as_the_command_line_parser_does(argv):
    full, rest = build_parser().parse_known_args(argv)
    assert rest == [] and full.command is None
    got = options.desktop(argv)
    assert got is not None
    assert vars(got) == {k: v for k, v in vars(full).items() if k in vars(got)}
    assert set(vars(got)) == {o[2:].replace("-", "_") for o, _v, _h in options.OPTIONS}


@pytest.mark.parametrize(
    "argv",
    [
        ["verify"],
        ["--db", "x", "balance"],
        ["--help"],
        ["--db"],
        ["--db", "--lang", "fr"],
        ["--portable=yes"],
        ["--lan", "fr"],  # an abbreviation: the full parser decides
        ["--selftest"],
        ["-h"],
    ],
)
def test_anything_else_goes_to_the_command_line(argv):
    assert options.desktop(argv) is None
