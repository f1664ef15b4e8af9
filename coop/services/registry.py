"""Registers of sites, members, minerals and buyers: validation and saving (census fields, licences)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection
from datetime import date

from coop import keys, money
from coop.changes import Saved
from coop.errors import ValidationError
from coop.i18n import N_
from coop.models import Buyer, Member, Mineral, Site
from coop.permissions import Actor
from coop.services import records

SITE_STATUSES = {"active": N_("Active"), "inactive": N_("Inactive"), "abandoned": N_("Abandoned")}
MEMBER_ROLES = {
    "digger": N_("Digger"),
    "washer": N_("Washer"),
    "transporter": N_("Transporter"),
    "processor": N_("Processor"),
    "trader": N_("Trader"),
    "other": N_("Other"),
}
MEMBER_STATUSES = {"active": N_("Active"), "suspended": N_("Suspended"), "left": N_("Left")}
SEXES = {"F": N_("Female"), "M": N_("Male"), "X": N_("Other / not stated")}
UNITS = {"g": N_("grams"), "ct": N_("carats"), "kg": N_("kilograms")}
GRADE_KINDS = {
    "fineness": N_("Fineness (‰)"),
    "karat": N_("Karat"),
    "percent": N_("Grade (%)"),
    "none": N_("None"),
}
BUYER_KINDS = {
    "comptoir": N_("Comptoir"),
    "exporter": N_("Exporter"),
    "refinery": N_("Refinery"),
    "state": N_("State buyer"),
}


def _coordinate(values: dict, name: str, limit: int) -> None:
    text = str(values.get(name) or "").strip()
    if not text:
        return
    value = money.parse_decimal(text, name)
    if not -limit <= value <= limit:
        raise ValidationError(
            name, "The coordinate must be between -{limit} and {limit} degrees.", limit=limit
        )


def _validate_site(v: dict) -> None:
    records.require_text(v, "code", N_("The site needs a code."))
    records.require_text(v, "name", N_("The site needs a name."))
    records.check_name(v, "name")
    records.require_choice(v, "status", SITE_STATUSES)
    _coordinate(v, "latitude", 90)
    _coordinate(v, "longitude", 180)


def save_site(actor: Actor, site_id: int | None, **values) -> Saved:
    values.setdefault("status", "active")
    values["code"] = records.identifier(values.get("code", ""), "code").upper()
    return records.save(actor, "sites.write", Site, site_id, values, _validate_site, "code", area="sites")


def _check_member_no(v: dict) -> None:
    v["member_no"] = records.identifier(v.get("member_no"), "member_no")
    records.require_text(v, "member_no", N_("The member needs a member number."))


def _check_full_name(v: dict) -> None:
    records.require_text(v, "full_name", N_("The member needs a name."))
    records.check_name(v, "full_name")


def _check_sex(v: dict) -> None:
    if v.get("sex"):
        records.require_choice(v, "sex", SEXES)


def _check_birth_year(v: dict) -> None:
    year = v.get("birth_year")
    if year is not None and not 1900 <= int(year) <= date.today().year - 10:
        raise ValidationError(
            "birth_year", "The birth year must be between 1900 and {year}.", year=date.today().year - 10
        )


def _check_join_date(v: dict) -> None:
    if not isinstance(v.get("join_date"), date):
        raise ValidationError("join_date", "The member needs a join date.")
    records.require_past(v, "join_date", earliest=records.EARLIEST_REGISTER_DATE)


def _check_card_expiry(v: dict) -> None:
    if v.get("card_expiry") is not None:
        records.check_date(
            v["card_expiry"], "card_expiry", earliest=records.EARLIEST_REGISTER_DATE, allow_future=True
        )


def _check_site(v: dict) -> None:
    if v.get("site") is not None:
        records.require_exists(Site, v["site"], "site")


# one check per field; each raises the field's first problem
MEMBER_CHECKS: tuple[tuple[str, Callable[[dict], None]], ...] = (
    ("member_no", _check_member_no),
    ("full_name", _check_full_name),
    ("role", lambda v: records.require_choice(v, "role", MEMBER_ROLES)),
    ("status", lambda v: records.require_choice(v, "status", MEMBER_STATUSES)),
    ("sex", _check_sex),
    ("birth_year", _check_birth_year),
    ("join_date", _check_join_date),
    ("card_expiry", _check_card_expiry),
    ("site", _check_site),
)


SHARE_CAPITAL_IN_THE_BOOKS = N_(
    "Share capital is kept in the books: record the member's subscription or payment of shares instead."
)


def validate_member_row(v: dict) -> None:
    """The checks of one member's fields (shared by the form and the CSV import); the member number is
    normalised in place (records.identifier). Raises the first problem."""
    for _field, check in MEMBER_CHECKS:
        check(v)


def member_row_problems(v: dict, skip: Collection[str] = ()) -> list[ValidationError]:
    """Every field's problem at once (a CSV row lists them all), leaving out the fields in `skip` (already
    refused when their cells were read)."""
    problems = []
    for field, check in MEMBER_CHECKS:
        if field in skip:
            continue
        try:
            check(v)
        except ValidationError as exc:
            problems.append(exc)
    return problems


def find_member(number: str) -> int | None:
    """The id of the member with this number, compared as identifiers are (NFKC, without case), or None."""
    no = unicodedata.normalize("NFKC", number).strip()
    exact = Member.get_or_none(Member.member_no == no)
    if exact is not None:
        return exact.id
    return Member.select(Member.id).where(Member.member_no_key == keys.fold(no)).scalar()


def save_member(actor: Actor, member_id: int | None, **values) -> Saved:
    """Create or update a member's register values. Share capital is not one of them: it is derived from the
    entries of the books (coop.services.books.shares); the old column stays in the table, hashed in the
    members' register links, and is written no more."""
    if "share_capital_minor" in values:
        raise ValidationError("share_capital_minor", SHARE_CAPITAL_IN_THE_BOOKS)
    values.setdefault("role", "digger")
    values.setdefault("status", "active")
    values.setdefault("join_date", date.today())
    values["member_no"] = str(values.get("member_no", "")).strip()
    return records.save(
        actor, "members.write", Member, member_id, values, validate_member_row, "member_no", area="members"
    )


def _validate_mineral(v: dict) -> None:
    records.require_text(v, "name", N_("The mineral needs a name."))
    records.require_choice(v, "unit", UNITS)
    records.require_choice(v, "grade_kind", GRADE_KINDS)


def save_mineral(actor: Actor, mineral_id: int | None, **values) -> Saved:
    values.setdefault("unit", "g")
    values.setdefault("grade_kind", "none")
    return records.save(
        actor, "minerals.write", Mineral, mineral_id, values, _validate_mineral, "name", area="minerals"
    )


def _validate_buyer(v: dict) -> None:
    records.require_text(v, "name", N_("The buyer needs a name."))
    records.check_name(v, "name")
    records.require_choice(v, "kind", BUYER_KINDS)


def save_buyer(actor: Actor, buyer_id: int | None, **values) -> Saved:
    values.setdefault("kind", "comptoir")
    return records.save(actor, "buyers.write", Buyer, buyer_id, values, _validate_buyer, area="buyers")
