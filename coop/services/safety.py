"""Safety incidents (categories, severities, workflow open → investigating → closed) and mercury entries."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from coop import money, workflow
from coop.changes import Changes, Saved
from coop.errors import ValidationError
from coop.i18n import N_
from coop.models import Incident, Member, MercuryEntry, Site, database
from coop.permissions import Actor
from coop.services import audit, periods, records

CATEGORIES = {
    "collapse": N_("Collapse / landslide"),
    "fall": N_("Fall"),
    "flooding": N_("Flooding / mudrush"),
    "suffocation": N_("Bad air / suffocation"),
    "explosives": N_("Explosives"),
    "machinery": N_("Machinery / tools"),
    "mercury": N_("Mercury exposure"),
    "dust": N_("Dust / noise"),
    "child": N_("Child on site"),
    "armed_actor": N_("Armed actor"),
    "other": N_("Other"),
}
SEVERITIES = {
    "near_miss": N_("Near miss"),
    "first_aid": N_("First aid"),
    "lost_time": N_("Lost time"),
    "disability": N_("Permanent disability"),
    "fatality": N_("Fatality"),
}
MERCURY_KINDS = {"purchased": N_("Purchased"), "used": N_("Used")}


def _validate_incident(v: dict) -> None:
    records.require_exists(Site, v.get("site"), "site")
    records.require_choice(v, "category", CATEGORIES)
    records.require_choice(v, "severity", SEVERITIES)
    if not isinstance(v.get("occurred_at"), datetime):
        raise ValidationError("occurred_at", "Give the date and time of the incident.")
    records.check_not_future(v["occurred_at"], "occurred_at")  # also refuses a closed period
    for name in ("injured", "fatalities"):
        if not 0 <= int(v.get(name, 0)) <= 1000:
            raise ValidationError(name, "The number must be between 0 and 1000.")
    if v.get("severity") == "fatality" and int(v.get("fatalities", 0)) < 1:
        raise ValidationError("fatalities", "A fatal incident needs the number of people who died.")
    if v.get("reported_to_authority") and not v.get("reported_on"):
        raise ValidationError("reported_on", "Give the date it was reported to the authority.")
    records.require_past(v, "reported_on")
    records.require_text(v, "description", N_("Describe what happened."))


def save_incident(actor: Actor, incident_id: int | None, **values) -> Saved:
    """Record or correct an incident; its state changes only through `move_incident`."""
    if incident_id is None:
        values["state"] = "open"
    else:
        values.pop("state", None)
        _refuse_closed(incident_id)
    return records.save(
        actor, "incidents.write", Incident, incident_id, values, _validate_incident, area="incidents"
    )


def _refuse_closed(incident_id: int) -> None:
    """An incident of a closed period is final: its record is not corrected any more (its investigation may
    still move on: a state change is dated when it is made)."""
    old = Incident.get_or_none(Incident.id == incident_id)
    if old is not None:
        when = old.occurred_at
        day = when.date() if isinstance(when, datetime) else date.fromisoformat(str(when)[:10])
        periods.check_open(day, "occurred_at")


def move_incident(actor: Actor, incident_id: int, target: str, note: str = "") -> Changes:
    """Move an incident along its workflow. Closing needs the findings, reopening a closed one the reason;
    the text is kept in the state change's audit row (the audit log is chained)."""
    actor.require("incidents.write")
    note = note.strip()
    with database.atomic():
        was = workflow.transition(Incident, incident_id, target, missing=N_("Incident {id} does not exist."))
        new: dict[str, str] = {"state": target}
        if target == "closed":
            if not note:
                raise ValidationError("findings", "Write the findings before closing the incident.")
            new["findings"] = note
        elif was == "closed":
            if not note:
                raise ValidationError("reason", "Give the reason for reopening the incident.")
            new["reason"] = note
        audit.record(actor, "state", "incident", incident_id, {"state": was}, new)
    return Changes.of(incidents=[incident_id])


def record_mercury(
    actor: Actor,
    *,
    site_id: int,
    day: date,
    kind: str,
    grams: Decimal,
    member_id: int | None = None,
    supplier: str = "",
    retort_used: bool = False,
) -> Saved:
    """A purchase or a use of mercury in grams; the Hg:Au ratio is derived in reports, never stored."""
    values = {
        "site": site_id,
        "date": day,
        "kind": kind,
        "member": member_id,
        "supplier": supplier.strip(),
        "retort_used": bool(retort_used),
        "grams_milli": money.qty_to_milli(grams, "grams"),
    }

    def validate(v: dict) -> None:
        records.require_exists(Site, v["site"], "site")
        records.require_choice(v, "kind", MERCURY_KINDS)
        records.check_not_future(v["date"])  # also refuses a closed period
        if v["member"] is not None:
            records.require_exists(Member, v["member"], "member")

    return records.save(actor, "mercury.write", MercuryEntry, None, values, validate, area="mercury")
