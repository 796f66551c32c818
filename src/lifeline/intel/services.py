"""Filing field reports with their side effects, from forms, radio packets or CoT events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.alerts.models import Severity
from lifeline.alerts.services import alert_raise
from lifeline.core.api import input_parse_or_fail
from lifeline.core.clock import site_local
from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.intel import codec, cot
from lifeline.intel.models import FieldReport, ReportKind, ReportPerson, ReportSource
from lifeline.intel.radio import radio_report, values_of
from lifeline.intel.schemas import report_schema
from lifeline.intel.threats.services import sighting_from_report
from lifeline.missions import selectors as mission_selectors
from lifeline.missions.models import CheckIn, Mission, MissionMember
from lifeline.people.models import Condition, Person, Status
from lifeline.people.rules import coordinates_problems
from lifeline.people.services import (
    person_condition_record,
    person_register,
    person_status_record,
)

# ---- field reports (issue 6) ---------------------------------------------------------------
# Each report is one transaction with its side effects: survivors found registers unidentified
# persons and plans an evacuation; a casualty records the team member's wound (or death); a
# cache found becomes a supplies cache location with salvage receipts (or an alert to logistics).
# A packet heard twice (same mission, sender and packet number) is recorded once.

# A cache a team found that the reporter may not record in stock: logistics are alerted.
CACHE_FOUND_KIND = "supplies.cache_found"

# Mid-band ages for people whose age was only judged by sight (recorded as estimated).
BAND_AGE_YEARS = {"0-4": 2, "5-11": 8, "12-17": 15, "18-59": 35, "60+": 70}
SURVIVOR_CONDITIONS_RECORDED = {
    "unhurt": [],
    "wounded": ["wounded"],
    "ill": ["ill"],
    "malnourished": ["malnourished"],
    "dehydrated": ["dehydrated"],
    "critical": ["wounded"],
}
MAX_SURVIVORS_PER_REPORT = 200


def _user_of(actor: Actor | None) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _report_problems(
    kind: str, values: Mapping[str, Any], mission: Mission
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if kind == "survivors":
        groups = values.get("groups") or []
        if not groups:
            problems["groups"] = [_("say how many were found (at least one group)")]
        total = sum(int(g.get("count") or 0) for g in groups)
        if total > MAX_SURVIVORS_PER_REPORT:
            problems["groups"] = [
                _("%(n)d people in one report; split reports above %(most)d")
                % {"n": total, "most": MAX_SURVIVORS_PER_REPORT}
            ]
        if values.get("latitude") is None and mission.latitude is None:
            problems["latitude"] = [_("say where they were found (coordinates)")]
    if kind == "casualty":
        member = values.get("casualty")
        if member is None:
            problems["casualty"] = [_("say which team member")]
        elif member.mission_id != mission.pk:
            problems["casualty"] = [_("is not in this mission's team")]
        elif member.person_id is None:
            problems["casualty"] = [
                _("%(member)s has no person record in the registry to record the wound on")
                % {"member": member}
            ]
    if kind == "cache" and not values.get("items"):
        problems["items"] = [_("list at least one item")]
    problems |= {
        k: [v]
        for k, v in coordinates_problems(values.get("latitude"), values.get("longitude")).items()
    }
    return problems


@transaction.atomic
def report_file(
    *,
    actor: Actor | None,
    mission: Mission,
    kind: str,
    member: MissionMember | None = None,
    occurred_at: dt.datetime | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    text: str = "",
    source: str = ReportSource.WEB,
    seq: int | None = None,
    **facts: Any,
) -> FieldReport:
    """File a field report and write its side effects, all in one transaction.

    `facts` by kind: sighting (count, armed, direction, hostile_group); survivors (groups:
    [{age_band, condition, count}], place); casualty (casualty: a MissionMember, severity);
    cache (items: [{name, quantity, unit}], place).
    """
    permission_require(actor, "intel.add_fieldreport", doing=_("file field reports"))
    if kind not in ReportKind.values:
        raise ValidationFailed(
            {"kind": _("must be one of %(values)s") % {"values": ", ".join(ReportKind.values)}}
        )
    # A late report typed in after the team is back is still a report: any state is fine.
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    problems = _report_problems(
        kind, {**facts, "latitude": latitude, "longitude": longitude}, mission
    )
    if occurred_at is not None:
        if timezone.is_naive(occurred_at):
            problems["occurred_at"] = [_("must include a time zone")]
        elif occurred_at > timezone.now() + dt.timedelta(minutes=10):
            problems["occurred_at"] = [_("is in the future")]
    if member is not None and member.mission_id != mission.pk:
        problems["member"] = [_("is not in this mission's team")]
    if problems:
        raise ValidationFailed(problems)
    if seq is not None:
        repeat = (
            FieldReport.objects.alive()
            .filter(mission=mission, member=member, seq=seq, kind=kind)
            .first()
        )
        if repeat is not None:
            return repeat
    casualty = facts.pop("casualty", None)
    details = dict(facts)
    if casualty is not None:
        details["casualty"] = str(casualty.pk)
        details["casualty_radio_number"] = casualty.radio_number
    report = FieldReport(
        mission=mission,
        member=member,
        reporter=_user_of(actor),
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        latitude=latitude,
        longitude=longitude,
        text=text.strip(),
        details=details,
        source=source,
        seq=seq,
    )
    report.save()
    if kind == ReportKind.SURVIVORS:
        _survivors_effects(actor, report, mission)
    elif kind == ReportKind.CASUALTY and casualty is not None:
        _casualty_effects(actor, report, mission, casualty)
    elif kind == ReportKind.CACHE:
        _cache_effects(actor, report, mission)
    elif kind == ReportKind.SIGHTING:
        sighting_from_report(actor=actor, report=report)
    audit_record(
        actor=actor,
        action="report.file",
        obj=report,
        summary=f"{report.get_kind_display()} from {mission.name}",
        detail={"mission": str(mission.pk), "source": source},
    )
    return report


def report_file_from_input(*, actor: Actor | None, mission: Mission, data: Any) -> FieldReport:
    """File a report as the API, the CLI and the mission page receive it: parsed by its kind's
    schema, team member ids resolved to the members; bad input is one ValidationFailed."""
    values = input_parse_or_fail(report_schema(data), data)
    for name in ("member", "casualty"):
        member_id = values.pop(name, None)
        if member_id is not None:
            values[name] = mission_selectors.member_get(
                mission=mission, member_id=member_id, field=name
            )
    return report_file(actor=actor, mission=mission, **values)


def _survivors_effects(actor: Actor | None, report: FieldReport, mission: Mission) -> None:
    from lifeline.missions.models import MissionKind, PointKind
    from lifeline.missions.services import mission_create, mission_point_create

    place = str(report.details.get("place") or mission.area or "the field")
    latitude = report.latitude if report.latitude is not None else mission.latitude
    longitude = report.longitude if report.longitude is not None else mission.longitude
    total = 0
    for group in report.details.get("groups") or []:
        band = str(group.get("age_band") or "")
        conditions = SURVIVOR_CONDITIONS_RECORDED[str(group.get("condition") or "unhurt")]
        for _number in range(int(group["count"])):
            total += 1
            person = person_register(
                actor=actor,
                given_name="Unidentified",
                family_name=f"({place} {report.occurred_at:%Y-%m-%d} #{total})",
                age_years=BAND_AGE_YEARS.get(band),
                # Found, not yet in camp: "missing" keeps them out of camp headcounts while
                # the place and coordinates say where they were last seen.
                status=Status.MISSING,
                area=place[:80],
                latitude=latitude,
                longitude=longitude,
                occurred_at=report.occurred_at,
                conditions=conditions,
                notes=f"Found by {mission.name} at {place}; field report {report.pk}. "
                f"Age band {band or 'unknown'} judged by sight.",
            )
            ReportPerson(report=report, person=person, effect="registered").save()
    evacuation = mission_create(
        actor=actor,
        values={
            "name": f"Evacuate {total} from {place}"[:120],
            "kind": MissionKind.EVACUATION,
            "objective": f"Bring the {total} survivors found by {mission.name} at {place} to "
            f"safety (field report {report.pk}).",
            "area": place[:120],
            "planned_start": timezone.now(),
            "latitude": latitude,
            "longitude": longitude,
        },
        note=f"requested by a survivors-found report of {mission.name}",
    )
    if latitude is not None and longitude is not None:
        mission_point_create(
            mission=evacuation,
            kind=PointKind.EXTRACTION,
            name=place[:80] or "pickup",
            latitude=latitude,
            longitude=longitude,
        )
    report.evacuation_mission = evacuation
    report.save(update_fields=["evacuation_mission"])
    audit_record(
        actor=actor,
        action="mission.plan",
        obj=evacuation,
        summary=evacuation.name,
        detail={"requested_by_report": str(report.pk)},
    )


def _casualty_effects(
    actor: Actor | None, report: FieldReport, mission: Mission, casualty: MissionMember
) -> None:
    if casualty.person_id is None:  # checked by _report_problems; kept for the type
        raise ValidationFailed(
            {"casualty": _("%(member)s has no person record") % {"member": casualty}}
        )
    person = Person.objects.get(pk=casualty.person_id)
    severity = str(report.details.get("severity") or "minor")
    note = f"{severity} on {mission.name}" + (f": {report.text}" if report.text else "")
    if severity == "killed":
        person_status_record(
            actor=actor,
            person=person,
            status=Status.DECEASED,
            area=mission.area[:80],
            latitude=report.latitude,
            longitude=report.longitude,
            occurred_at=report.occurred_at,
            note=note[:300],
        )
    else:
        person_condition_record(
            actor=actor,
            person=person,
            condition=Condition.WOUNDED,
            note=note[:300],
            observed_at=report.occurred_at,
        )
    ReportPerson(report=report, person=person, effect="casualty").save()


def _cache_effects(actor: Actor | None, report: FieldReport, mission: Mission) -> None:
    """A cache found becomes a cache location in supplies with a salvage receipt of each item
    the catalogue knows, when the reporter may record stock; otherwise (a field team) an alert
    asks logistics to record it. Items the catalogue does not know stay in the report."""
    from lifeline.supplies import services as supplies
    from lifeline.supplies.models import Item, LocationKind

    items = list(report.details.get("items") or [])
    place = str(report.details.get("place") or "")
    latitude = report.latitude if report.latitude is not None else mission.latitude
    longitude = report.longitude if report.longitude is not None else mission.longitude
    summary = ", ".join(f"{i['quantity']} {i.get('unit') or ''} {i['name']}" for i in items)
    may_record = (
        actor is not None
        and actor.has_perm("supplies.manage_catalogue")
        and actor.has_perm("supplies.manage_stock")
    )
    if not may_record or latitude is None or longitude is None:
        alert_raise(
            kind=CACHE_FOUND_KIND,
            key=str(report.pk),
            title=gettext_lazy("Cache found by %(mission)s at %(place)s: %(items)s")
            if place
            else gettext_lazy("Cache found by %(mission)s: %(items)s"),
            # Words a person acts on: the page to use, and the report by its mission.
            detail=gettext_lazy(
                "Record it in supplies: Receive, as found in the field (reported by %(mission)s)."
            ),
            params={"mission": mission.name, "place": place, "items": summary},
            severity=Severity.INFO,
            subject=report,
            permission="supplies.manage_stock",
        )
        return
    location = supplies.location_create(
        actor=actor,
        code=f"cache-{report.pk.hex[-12:]}",
        name=(place or f"Cache found by {mission.name}")[:120],
        site=site_local(),
        kind=LocationKind.CACHE,
        latitude=latitude,
        longitude=longitude,
        notes=f"Found by {mission.name}; field report {report.pk}.",
    )
    unmatched = []
    for line in items:
        name = str(line["name"]).strip()
        item = Item.objects.alive().filter(Q(code__iexact=name) | Q(name__iexact=name)).first()
        if item is None or int(line["quantity"]) <= 0:
            unmatched.append(line)
            continue
        supplies.stock_receive(
            actor=actor,
            location=location,
            item=item,
            quantity=Decimal(int(line["quantity"])),
            salvage=True,
            note=f"cache found by {mission.name}",
            occurred_at=report.occurred_at,
        )
    report.details = {
        **report.details,
        "supplies_location": str(location.pk),
        "unmatched_items": unmatched,
    }
    report.save(update_fields=["details"])


@dataclass(frozen=True)
class RadioIngest:
    """What a packet became: a check-in or a field report, and whether it was a repeat."""

    mission: Mission
    checkin: CheckIn | None
    report: FieldReport | None
    radio: codec.RadioReport


def mission_by_tag(tag: int) -> Mission:
    candidates = list(Mission.objects.alive().filter(radio_tag=tag).order_by("-planned_start")[:2])
    if not candidates:
        raise NotFound(_("no mission with radio tag %(tag)s") % {"tag": f"{tag:08X}"})
    return candidates[0]


@transaction.atomic
def report_ingest_packet(*, actor: Actor | None, packet: bytes) -> RadioIngest:
    """A packet heard on the radio becomes a check-in or a field report (with its effects)."""
    try:
        radio = codec.decode(packet)
    except codec.CodecError as exc:
        raise ValidationFailed({"packet": str(exc)}) from exc
    return _ingest(actor, radio, source=ReportSource.RADIO)


@transaction.atomic
def report_ingest_cot(*, actor: Actor | None, mission: Mission, xml: str | bytes) -> RadioIngest:
    """A Cursor-on-Target event from a TAK client becomes a check-in or a field report."""
    try:
        radio = cot.cot_import(
            xml, mission_start=mission.planned_start, mission_tag=mission.radio_tag
        )
    except codec.CodecError as exc:
        raise ValidationFailed({"xml": str(exc)}) from exc
    return _ingest(actor, radio, source=ReportSource.COT)


def _ingest(actor: Actor | None, radio: codec.RadioReport, *, source: str) -> RadioIngest:
    from lifeline.missions.services import member_by_radio_number, mission_checkin

    mission = mission_by_tag(radio.fix.mission_tag)
    member = member_by_radio_number(mission, radio.fix.member)
    parsed = values_of(radio)
    when = codec.moment_at(mission.planned_start, radio.fix.seconds)
    lat = codec.e6_to_degrees(radio.fix.lat_e6)
    lon = codec.e6_to_degrees(radio.fix.lon_e6)
    values = dict(parsed.values)
    if parsed.kind == "checkin":
        checkin = mission_checkin(
            actor=actor,
            mission=mission,
            member=member,
            latitude=lat,
            longitude=lon,
            status=values["status"],
            note=values["note"],
            at=when,
            source=source,
            seq=radio.fix.seq,
        )
        return RadioIngest(mission, checkin, None, radio)
    if parsed.kind == "casualty":
        number = values.pop("casualty_radio_number")
        casualty = member_by_radio_number(mission, number)
        if casualty is None:
            raise ValidationFailed(
                {"casualty": _("no team member with radio number %(n)s") % {"n": number}}
            )
        values["casualty"] = casualty
    heard = _report_heard_before(mission, member, parsed.kind, when, radio)
    if heard is not None:
        return RadioIngest(mission, None, heard, radio)
    text = values.pop("text", "")
    report = report_file(
        actor=actor,
        mission=mission,
        kind=parsed.kind,
        member=member,
        occurred_at=when,
        latitude=lat,
        longitude=lon,
        text=text,
        source=source,
        seq=radio.fix.seq,
        **values,
    )
    return RadioIngest(mission, None, report, radio)


def _radio_identity(radio: codec.RadioReport) -> codec.RadioReport:
    # The sequence number is the sender's counter, not part of what the report says: a report
    # typed in on the web has none and its packet says 0, and it wraps at MAX_SEQ.
    return replace(codec.normalise(radio), fix=replace(radio.fix, seq=0))


def _report_heard_before(
    mission: Mission,
    member: MissionMember | None,
    kind: str,
    when: dt.datetime,
    radio: codec.RadioReport,
) -> FieldReport | None:
    """The stored report this packet says again, whatever its sequence number: the same
    mission, member and kind within the packet's second, whose radio form is this packet's."""
    window = dt.timedelta(seconds=1)
    candidates = FieldReport.objects.alive().filter(
        mission=mission,
        member=member,
        kind=kind,
        occurred_at__gt=when - window,
        occurred_at__lt=when + window,
    )
    wanted = _radio_identity(radio)
    for candidate in candidates.select_related("mission", "member"):
        if _radio_identity(report_radio(candidate)) == wanted:
            return candidate
    return None


def report_radio(report: FieldReport) -> codec.RadioReport:
    """The radio form of a stored report (for `lifeline report encode`, CoT export)."""
    mission = report.mission
    values = {**report.details, "text": report.text}
    fix = codec.Fix(
        mission_tag=mission.radio_tag,
        member=report.member.radio_number if report.member else 0,
        seq=(report.seq or 0) % (codec.MAX_SEQ + 1),
        seconds=max(
            -codec.MAX_SECONDS,
            min(codec.MAX_SECONDS, codec.seconds_since(mission.planned_start, report.occurred_at)),
        ),
        lat_e6=codec.degrees_to_e6(report.latitude or mission.latitude or 0.0),
        lon_e6=codec.degrees_to_e6(report.longitude or mission.longitude or 0.0),
    )
    return radio_report(report.kind, values, fix)
