"""Country profiles for setting up a cooperative: currency, formats, interface language, tax presets, usual
minerals and fiscal-year start, with readable names (babel's CLDR data, in the interface language)."""

from __future__ import annotations

from dataclasses import dataclass

from coop.i18n import N_, _, current_language, language

OTHER = ""  # the "other country" profile: no presets, US dollar books, English


@dataclass(frozen=True, kw_only=True)
class MineralSeed:
    """A mineral a new cooperative usually trades: its name is a msgid, stored in the cooperative's language."""

    key: str
    name: str  # msgid (N_), translated when the mineral is created
    unit: str  # g, ct, kg (coop.services.registry.UNITS)
    grade_kind: str  # fineness, karat, percent, none
    hs_code: str  # Harmonized System code: how a tax preset finds its mineral in any language


# HS codes as the ICGLR and Kimberley Process use them (DOMAIN.md) and the 2022 HS nomenclature.
MINERALS: dict[str, MineralSeed] = {
    m.key: m
    for m in (
        MineralSeed(key="gold", name=N_("Gold"), unit="g", grade_kind="fineness", hs_code="7108.12"),
        MineralSeed(key="silver", name=N_("Silver"), unit="g", grade_kind="fineness", hs_code="7106.91"),
        MineralSeed(
            key="cassiterite", name=N_("Cassiterite"), unit="kg", grade_kind="percent", hs_code="2609.00"
        ),
        MineralSeed(key="coltan", name=N_("Coltan"), unit="kg", grade_kind="percent", hs_code="2615.90"),
        MineralSeed(
            key="wolframite", name=N_("Wolframite"), unit="kg", grade_kind="percent", hs_code="2611.00"
        ),
        MineralSeed(key="cobalt", name=N_("Cobalt ore"), unit="kg", grade_kind="percent", hs_code="2605.00"),
        MineralSeed(key="copper", name=N_("Copper ore"), unit="kg", grade_kind="percent", hs_code="2603.00"),
        MineralSeed(key="zinc", name=N_("Zinc ore"), unit="kg", grade_kind="percent", hs_code="2608.00"),
        MineralSeed(key="lead", name=N_("Lead ore"), unit="kg", grade_kind="percent", hs_code="2607.00"),
        MineralSeed(key="diamonds", name=N_("Diamonds"), unit="ct", grade_kind="none", hs_code="7102.31"),
        MineralSeed(
            key="gemstones", name=N_("Coloured gemstones"), unit="ct", grade_kind="none", hs_code="7103.99"
        ),
        MineralSeed(key="emeralds", name=N_("Emeralds"), unit="ct", grade_kind="none", hs_code="7103.91"),
    )
}


@dataclass(frozen=True, kw_only=True)
class Country:
    """What a new cooperative of a country starts with; every value can be changed in the setup."""

    code: str  # ISO 3166 alpha-2; "" = other
    currency: str  # ISO 4217 ledger currency
    locale: str  # number and date formats
    language: str  # interface language: en, fr, es, pt, sw
    presets: str  # key of coop.services.taxes.PRESETS ("" = none shipped)
    minerals: tuple[str, ...]  # keys of MINERALS
    fiscal_year_start: int  # month 1..12


# Fiscal years: calendar years except where the tax year of companies usually differs: Bolivia's mining
# companies close on 30 September (Ley 843, DS 24051 art. 39), Uganda's year of income ends on 30 June.
PROFILES: dict[str, Country] = {
    c.code: c
    for c in (
        Country(
            code="CD",
            currency="CDF",
            locale="fr_CD",
            language="fr",
            presets="CD",
            minerals=("gold", "cassiterite", "coltan", "wolframite", "cobalt", "copper", "diamonds"),
            fiscal_year_start=1,
        ),
        Country(
            code="TZ",
            currency="TZS",
            locale="sw_TZ",
            language="sw",
            presets="TZ",
            minerals=("gold", "gemstones", "diamonds", "copper"),
            fiscal_year_start=1,
        ),
        Country(
            code="BO",
            currency="BOB",
            locale="es_BO",
            language="es",
            presets="BO",
            minerals=("gold", "silver", "cassiterite", "zinc", "lead", "wolframite"),
            fiscal_year_start=10,
        ),
        Country(
            code="PE",
            currency="PEN",
            locale="es_PE",
            language="es",
            presets="PE",
            minerals=("gold", "silver", "copper", "zinc", "lead"),
            fiscal_year_start=1,
        ),
        Country(
            code="GH",
            currency="GHS",
            locale="en_GH",
            language="en",
            presets="GH",
            minerals=("gold", "diamonds"),
            fiscal_year_start=1,
        ),
        Country(
            code="CF",
            currency="XAF",
            locale="fr_CF",
            language="fr",
            presets="",
            minerals=("gold", "diamonds"),
            fiscal_year_start=1,
        ),
        Country(
            code="BF",
            currency="XOF",
            locale="fr_BF",
            language="fr",
            presets="",
            minerals=("gold",),
            fiscal_year_start=1,
        ),
        Country(
            code="ML",
            currency="XOF",
            locale="fr_ML",
            language="fr",
            presets="",
            minerals=("gold",),
            fiscal_year_start=1,
        ),
        Country(
            code="GN",
            currency="GNF",
            locale="fr_GN",
            language="fr",
            presets="",
            minerals=("gold", "diamonds"),
            fiscal_year_start=1,
        ),
        Country(
            code="RW",
            currency="RWF",
            locale="en_RW",
            language="en",
            presets="",
            minerals=("cassiterite", "coltan", "wolframite", "gold"),
            fiscal_year_start=1,
        ),
        Country(
            code="UG",
            currency="UGX",
            locale="en_UG",
            language="en",
            presets="",
            minerals=("gold", "cassiterite", "coltan", "wolframite"),
            fiscal_year_start=7,
        ),
        Country(
            code="MZ",
            currency="MZN",
            locale="pt_MZ",
            language="pt",
            presets="",
            minerals=("gold", "gemstones", "coltan"),
            fiscal_year_start=1,
        ),
        Country(
            code="BR",
            currency="BRL",
            locale="pt_BR",
            language="pt",
            presets="",
            minerals=("gold", "cassiterite", "diamonds", "gemstones"),
            fiscal_year_start=1,
        ),
        Country(
            code="CO",
            currency="COP",
            locale="es_CO",
            language="es",
            presets="",
            minerals=("gold", "silver", "emeralds"),
            fiscal_year_start=1,
        ),
        Country(
            code=OTHER,
            currency="USD",
            locale="en",
            language="en",
            presets="",
            minerals=("gold",),
            fiscal_year_start=1,
        ),
    )
}

# Short names CLDR lacks: "Français (Congo-Kinshasa)" reads "Français (RDC)" in the cooperatives' offices.
SHORT_TERRITORIES = {"CD": N_("DRC")}
# Country names as the cooperatives write them where CLDR's short form is unclear ("Congo - Kinshasa").
COUNTRY_NAMES = {"CD": N_("Democratic Republic of the Congo")}
# The currencies a setup offers: the profiles' own, then the ones sales are often priced in.
EXTRA_CURRENCIES = ("USD", "EUR", "XAF", "XOF", "ZAR", "KES", "ZMW", "NGN", "SLE", "LRD", "CNY", "AED")
# The formats a setup offers (interface languages x the profiles' countries, plus plain languages).
EXTRA_LOCALES = ("en", "fr", "es", "pt", "sw", "fr_FR", "es_ES", "pt_PT", "sw_CD", "sw_KE", "en_US", "en_GB")


def profile(code: str | None) -> Country:
    """The profile of an ISO country code (any case); the "other" profile for an unknown or empty code."""
    return PROFILES.get((code or "").strip().upper(), PROFILES[OTHER])


def known(code: str | None) -> bool:
    return (code or "").strip().upper() in PROFILES


def _ui_locale(lang: str | None = None):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse((lang or current_language()).replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def _translated(msgid: str, lang: str | None) -> str:
    if lang is None:
        return _(msgid)
    with language(lang):
        return _(msgid)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def country_name(code: str, lang: str | None = None) -> str:
    """'Tanzania', 'Bolivie', 'Democratic Republic of the Congo': the country in the interface language."""
    if not code:
        return _("Other country")
    if code in COUNTRY_NAMES:
        return _translated(COUNTRY_NAMES[code], lang)
    return _ui_locale(lang).territories.get(code, code)


def currency_name(code: str, lang: str | None = None) -> str:
    """'Franc congolais (CDF)': the currency's name in the interface language, with its ISO code."""
    name = _ui_locale(lang).currencies.get(code, code)
    return f"{_capital(name)} ({code})" if name != code else code


def locale_name(locale: str, lang: str | None = None) -> str:
    """'Français (RDC)': the format's language and territory in the interface language."""
    from babel import Locale, UnknownLocaleError

    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return locale
    ui = _ui_locale(lang)
    language = _capital(ui.languages.get(parsed.language, parsed.language))
    if not parsed.territory:
        return language
    short = SHORT_TERRITORIES.get(parsed.territory)
    territory = _translated(short, lang) if short else ui.territories.get(parsed.territory, parsed.territory)
    return f"{language} ({territory})"


def choices(lang: str | None = None) -> list[tuple[str, str]]:
    """(code, readable name) of every profile, sorted by name in the interface language; "other" last."""
    named = sorted(((c, country_name(c, lang)) for c in PROFILES if c), key=lambda p: p[1].casefold())
    return named + [(OTHER, country_name(OTHER, lang))]


def currency_choices(lang: str | None = None) -> list[tuple[str, str]]:
    """(ISO code, 'Franc congolais (CDF)') of the currencies a setup offers, sorted by name."""
    codes = dict.fromkeys([p.currency for p in PROFILES.values()] + list(EXTRA_CURRENCIES))
    return sorted(((c, currency_name(c, lang)) for c in codes), key=lambda p: p[1].casefold())


def locale_choices(lang: str | None = None) -> list[tuple[str, str]]:
    """(locale, 'Français (RDC)') of the formats a setup offers, sorted by name."""
    codes = dict.fromkeys([p.locale for p in PROFILES.values()] + list(EXTRA_LOCALES))
    return sorted(((c, locale_name(c, lang)) for c in codes), key=lambda p: p[1].casefold())
