"""`init --country XX --name …` gives what the setup window gives (currency, formats, minerals, sourced presets),
other flags override, and a file that has a cooperative is not set up twice."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

import cli
from coop.services import session, setup


@pytest.fixture
def fresh(tmp_path):
    yield tmp_path / "coop.sqlite"
    session.close_database()


def _read(path):
    conn = sqlite3.connect(path)
    try:
        coop = conn.execute(
            "SELECT country, currency, locale, fiscal_year_start, levy_bp, registration_no FROM cooperative"
        ).fetchall()
        minerals = conn.execute("SELECT name, unit, grade_kind, hs_code FROM mineral ORDER BY id").fetchall()
        rules = conn.execute(
            "SELECT t.name, t.authority, t.rate_bp, m.hs_code, t.buyer_kind, t.valid_from, t.withheld, t.note"
            " FROM tax_rule t LEFT JOIN mineral m ON m.id = t.mineral_id ORDER BY t.id"
        ).fetchall()
    finally:
        conn.close()
    return coop, minerals, rules


def _init(path, *args: str) -> int:
    return cli.run(["--db", str(path), "--lang", "en", "init", *args])


def test_init_congo_alone_gives_the_countrys_setup(fresh, capsys):
    assert _init(fresh, "--country", "CD", "--name", "Coopérative de Kamituga") == 0
    assert "created" in capsys.readouterr().out
    coop, minerals, rules = _read(fresh)
    assert coop == [("CD", "CDF", "fr_CD", 1, 500, "")]
    by_hs = {m[3]: m for m in minerals}
    assert by_hs["7108.12"][1:3] == ("g", "fineness") and by_hs["2605.00"][1:3] == ("kg", "percent")
    assert {"2609.00", "2615.90", "2611.00", "7102.31"} <= set(
        by_hs
    )  # cassiterite, coltan, wolframite, diamonds
    assert sorted((r[1], r[2], r[3]) for r in rules) == [("DGRAD", 350, None), ("DGRAD", 1000, "2605.00")]
    start = setup.fiscal_year_start_date(date.today(), 1).isoformat()
    assert all(r[5] == start and r[6] == 1 for r in rules)  # dated, withheld at sale
    assert all(
        "Code minier 2018" in r[7] and "autorité" in r[7] for r in rules
    )  # sourced, "check", in French


def test_init_bolivia_finds_its_gold_so_the_royalty_is_not_skipped(fresh):
    assert _init(fresh, "--country", "BO", "--name", "Cooperativa Minera Aurífera") == 0
    coop, minerals, rules = _read(fresh)
    assert coop == [("BO", "BOB", "es_BO", 10, 500, "")]
    assert [(r[1], r[2], r[3]) for r in rules] == [("SENARECOM", 250, "7108.12")]
    assert "Ley 535" in rules[0][7]
    start = setup.fiscal_year_start_date(date.today(), 10)
    assert rules[0][5] == max(start, date(2014, 5, 28)).isoformat()


def test_init_tanzania_with_overrides(fresh):
    args = ["--country", "tz", "--name", "Geita Miners", "--currency", "usd", "--locale", "en_TZ"]
    args += [
        "--levy",
        "300",
        "--fiscal-year-start",
        "7",
        "--registration-no",
        "CR-0457",
        "--tax-id",
        "123-456",
    ]
    assert _init(fresh, *args) == 0
    coop, minerals, rules = _read(fresh)
    assert coop == [("TZ", "USD", "en_TZ", 7, 300, "CR-0457")]
    assert minerals[0][0] == "Gold"  # an English format: names in English
    assert sorted((r[0], r[2], r[3], r[4]) for r in rules) == [
        ("Inspection fee", 100, None, ""),
        ("Royalty", 400, "7108.12", "refinery"),
        ("Royalty", 600, None, ""),
    ]


def test_init_peru_and_ghana_ship_sourced_presets(tmp_path):
    for country, authority, rate in (("PE", "SUNAT", 1000), ("GH", "Ghana Revenue Authority", 150)):
        path = tmp_path / f"{country}.sqlite"
        assert _init(path, "--country", country, "--name", f"Coop {country}", "--language", "en") == 0
        coop, minerals, rules = _read(path)
        assert [(r[1], r[2]) for r in rules] == [(authority, rate)]
        assert rules[0][7].endswith("Preset: check the current rate with your authority.")
        session.close_database()


def test_init_without_presets_or_minerals_and_without_country(fresh):
    assert _init(fresh, "--country", "CD", "--name", "Coop", "--no-presets", "--no-minerals") == 0
    coop, minerals, rules = _read(fresh)
    assert coop[0][:3] == ("CD", "CDF", "fr_CD") and minerals == [] and rules == []


def test_init_with_only_a_currency_still_works(fresh):
    assert _init(fresh, "--name", "Nouvelle coop", "--currency", "XOF", "--locale", "fr_BF") == 0
    coop, minerals, rules = _read(fresh)
    assert coop[0][:3] == ("", "XOF", "fr_BF") and rules == []


def test_init_refuses_what_it_cannot_set_up(fresh, capsys):
    assert _init(fresh, "--country", "ZZ", "--name", "Coop") == 1
    assert "Unknown country ZZ" in capsys.readouterr().err
    assert _init(fresh, "--country", "CD", "--name", "Coop", "--currency", "XYZ") == 1
    assert _init(fresh, "--country", "CD", "--name", "Coop", "--levy", "6000") == 1
    assert "50%" in capsys.readouterr().err
    assert _read(fresh)[0] == []  # nothing half-made
    assert _init(fresh, "--country", "CD", "--name", "Coop") == 0
    assert _init(fresh, "--country", "BO", "--name", "Again") == 1  # no account yet: init is the first run
    err = capsys.readouterr().err
    assert "already has a cooperative" in err
    assert _read(fresh)[0][0][0] == "CD"
