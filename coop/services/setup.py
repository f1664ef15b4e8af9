"""Setting up a cooperative (the one path of the command line's `init` and the setup window): the country's
defaults, then the user's choices; its usual minerals and sourced tax presets; the first manager; the demo file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Required, TypedDict, Unpack

from coop import countries
from coop.changes import Changes
from coop.errors import ValidationError
from coop.i18n import LANGUAGES, _, language_of
from coop.i18n import language as in_language
from coop.models import Buyer, Cooperative, Member, Mineral, Site, User, database
from coop.permissions import Actor
from coop.services import registry, settings, taxes
from coop.services.books import chart, opening

DEMO_NAME = "demo.coopledger"  # beside the real database, never the real one


@dataclass(frozen=True, kw_only=True)
class Choices:
    """A cooperative's settings after the country's defaults were applied and the user's choices laid over."""

    country: str
    name: str
    registration_no: str
    tax_id: str
    address: str
    levy_bp: int
    fiscal_year_start: int
    currency: str
    locale: str
    language: str

    def settings(self) -> dict:
        return {
            "name": self.name.strip(),
            "registration_no": self.registration_no.strip(),
            "tax_id": self.tax_id.strip(),
            "address": self.address.strip(),
            "country": self.country,
            "currency": self.currency,
            "locale": self.locale,
            "fiscal_year_start": self.fiscal_year_start,
            "levy_bp": self.levy_bp,
        }


def choices(
    *,
    country: str,
    name: str,
    registration_no: str = "",
    tax_id: str = "",
    address: str = "",
    levy_bp: int = 500,
    fiscal_year_start: int | None = None,
    currency: str | None = None,
    locale: str | None = None,
    language: str | None = None,
) -> Choices:
    """The country's profile with the given values over it, checked; a ValidationError names the bad field."""
    code = (country or "").strip().upper()
    if not countries.known(code):
        raise ValidationError("country", "Unknown country {country}.", country=country)
    p = countries.profile(code)
    picked = Choices(
        country=code,
        name=name,
        registration_no=registration_no,
        tax_id=tax_id,
        address=address,
        levy_bp=int(levy_bp),
        fiscal_year_start=int(fiscal_year_start or p.fiscal_year_start),
        currency=(currency or p.currency).strip().upper(),
        locale=(locale or p.locale).strip(),
        language=(language or (language_of(locale) if locale else p.language)).strip().lower(),
    )
    if picked.language not in LANGUAGES:
        raise ValidationError("language", "Unknown interface language {language}.", language=picked.language)
    settings.validate(picked.settings())
    return picked


class ChoiceArgs(TypedDict, total=False):
    """The keyword arguments of `choices`, which `create_cooperative` passes on to it."""

    country: Required[str]
    name: Required[str]
    registration_no: str
    tax_id: str
    address: str
    levy_bp: int
    fiscal_year_start: int | None
    currency: str | None
    locale: str | None
    language: str | None


def create_cooperative(
    actor: Actor, *, presets: bool = True, minerals: bool = True, **given: Unpack[ChoiceArgs]
) -> Changes:
    """Create the cooperative of a new file: settings (country defaults, then the values given), the country's
    usual minerals named in `language`, its tax presets from the start of the current fiscal year."""
    actor.require("settings.write")
    if Cooperative.select().exists():
        raise ValidationError(
            "db", "This database already has a cooperative; change its details under Settings."
        )
    picked = choices(**given)
    with database.atomic():
        changes = settings.save(actor, **picked.settings())
        chart.install_chart(picked.country)  # SYSCOHADA in the OHADA states (settings.save may have already)
        if minerals:
            changes |= seed_minerals(actor, picked.country, picked.language)
        if presets and countries.profile(picked.country).presets:
            start = fiscal_year_start_date(date.today(), picked.fiscal_year_start)
            loaded = taxes.load_presets(
                actor, countries.profile(picked.country).presets, start, picked.language
            )
            changes |= loaded.changes
    return changes


def chart_of(country: str) -> str:
    """The chart of accounts a new cooperative of `country` gets: "syscohada" (OHADA states) or "default"."""
    return chart.chart_for(country)


def fiscal_year_start_date(today: date, start_month: int) -> date:
    """The first day of the fiscal year `today` is in: the presets apply from there."""
    year = today.year if today.month >= start_month else today.year - 1
    return date(year, start_month, 1)


def seed_minerals(actor: Actor, country: str, language: str) -> Changes:
    """The country's usual minerals, named in `language`; one the file already has (same HS heading) is kept."""
    held = {str(hs).replace(".", "")[:4] for (hs,) in Mineral.select(Mineral.hs_code).tuples()}
    ids: list[int] = []
    with database.atomic(), in_language(language):
        for key in countries.profile(country).minerals:
            seed = countries.MINERALS[key]
            if seed.hs_code.replace(".", "")[:4] in held:
                continue
            ids.append(
                registry.save_mineral(
                    actor,
                    None,
                    name=_(seed.name),
                    unit=seed.unit,
                    grade_kind=seed.grade_kind,
                    hs_code=seed.hs_code,
                ).id
            )
    return Changes.of(minerals=ids)


@dataclass(frozen=True)
class FirstRun:
    actor: Actor
    changes: Changes


def first_run(username: str, password: str, confirm: str, **cooperative) -> FirstRun:
    """The setup window's finish: the first manager account and the cooperative, in one transaction (a
    refusal leaves the file as it was); the manager's interface language is the one chosen."""
    from coop.services import users

    if password != confirm:
        raise ValidationError("confirm", "The two passwords differ.")
    picked = choices(**{k: v for k, v in cooperative.items() if k not in ("presets", "minerals")})
    with database.atomic():
        saved = users.add_user(None, username, password, "manager", locale=picked.language)
        actor = users.login(username, password)
        changes = saved.changes | create_cooperative(actor, **cooperative)
    return FirstRun(actor, changes)


@dataclass(frozen=True)
class Demo:
    path: Path
    username: str
    password: str
    needs_building: bool  # a new demo file: build_demo() fills it (a few seconds: on a worker thread)


def demo_path(real: str | Path) -> Path:
    """The demo's own file, beside the real database (in the data directory)."""
    return Path(real).expanduser().resolve().parent / DEMO_NAME


def open_demo(real: str | Path) -> Demo:
    """Close the real database and open the demo file beside it; the real file is left exactly as it was."""
    from coop.services import demo, session

    path = demo_path(real)
    if path == Path(real).expanduser().resolve():
        raise ValidationError("db", "The demo cannot be opened in place of the cooperative's own database.")
    session.close_database()
    session.open_file(path)
    return Demo(path, "manager", demo.DEMO_PASSWORD, not Cooperative.select().exists())


def build_demo() -> Changes:
    """Fill the open (demo) file with the demo cooperative, unless it has one already."""
    from coop.permissions import SYSTEM
    from coop.services import demo

    if Cooperative.select().exists():
        return Changes()
    demo.create(SYSTEM)
    return Changes.of(settings=None, users=None, members=None, sites=None, minerals=None, buyers=None)


@dataclass(frozen=True, kw_only=True)
class Progress:
    """How far a new cooperative has come (the manager's checklist): counted from the data, never remembered."""

    sites: int
    buyers: int
    members: int
    staff_accounts: int  # accounts other than the managers': treasurer, clerks, auditors, members
    opening_balances: bool

    @property
    def started(self) -> bool:
        """Sites, buyers, members and accounts exist: the checklist is no longer the first page."""
        return all((self.sites, self.buyers, self.members, self.staff_accounts))


def progress(actor: Actor) -> Progress:
    actor.require("read.all")
    return Progress(
        sites=Site.select().count(),
        buyers=Buyer.select().count(),
        members=Member.select().count(),
        staff_accounts=User.select().where(User.role != "manager").count(),
        opening_balances=opening.existing() is not None,
    )
