"""Writes of missions: plan, team, vehicles, points, state changes, check-ins, debrief, and the
overdue sweep that raises alerts. Each is one transaction that checks the actor's role,
validates, writes the rows (the change log follows each save) and the audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.alerts.models import Alert, Severity
from lifeline.alerts.services import alert_raise
from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.ids import uuid_named
from lifeline.core.services import Actor, actor_user, audit_record, permission_require
from lifeline.missions import lifecycle
from lifeline.missions.lifecycle import State
from lifeline.missions.models import (
    CheckIn,
    CheckInStatus,
    Debrief,
    MemberRole,
    Mission,
    MissionKind,
    MissionMember,
    MissionPoint,
    MissionTransition,
    MissionVehicle,
    PointKind,
    Source,
    Vehicle,
    VehicleStatus,
)
from lifeline.people.models import Person
from lifeline.people.rules import coordinates_problems

# A check-in may be stamped a little ahead of the server clock (an unsynced radio or phone).
FUTURE_TOLERANCE = dt.timedelta(minutes=10)
OVERDUE_KIND = "mission.overdue"
NEED_HELP_KIND = "mission.need_help"
MISSION_FIELDS = (
    "name",
    "kind",
    "objective",
    "area",
    "standing_orders",
    "planned_start",
    "planned_end",
    "checkin_interval_minutes",
    "latitude",
    "longitude",
)


def _mission_lock(mission: Mission) -> Mission:
    locked = Mission.objects.select_for_update().get(pk=mission.pk)
    if locked.is_deleted:
        raise Conflict(_("mission %(mission)s was deleted") % {"mission": mission})
    return locked


def _when_check(moment: dt.datetime | None, name: str) -> dict[str, list[str]]:
    if moment is None:
        return {}
    if timezone.is_naive(moment):
        return {name: [_("must include a time zone")]}
    if moment > timezone.now() + FUTURE_TOLERANCE:
        return {name: [_("is in the future")]}
    return {}


def _mission_values_check(values: Mapping[str, Any]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if "name" in values and not str(values["name"] or "").strip():
        problems["name"] = [_("is required")]
    if "kind" in values and values["kind"] not in MissionKind.values:
        problems["kind"] = [
            _("must be one of %(values)s") % {"values": ", ".join(MissionKind.values)}
        ]
    start, end = values.get("planned_start"), values.get("planned_end")
    for name, moment in (("planned_start", start), ("planned_end", end)):
        if moment is not None and timezone.is_naive(moment):
            problems[name] = [_("must include a time zone")]
    if "planned_start" in values and start is None:
        problems["planned_start"] = [_("is required")]
    if start is not None and end is not None and "planned_end" not in problems and end < start:
        problems["planned_end"] = [_("is before the planned start")]
    interval = values.get("checkin_interval_minutes")
    if interval is not None and not 1 <= interval <= 24 * 60:
        problems["checkin_interval_minutes"] = [_("must be between 1 and 1440 minutes")]
    if "latitude" in values or "longitude" in values:
        for name, msg in coordinates_problems(
            values.get("latitude"), values.get("longitude")
        ).items():
            problems[name] = [msg]
    return problems


def _transition_write(
    mission: Mission,
    *,
    to: State,
    actor: Actor | None,
    note: str = "",
    at: dt.datetime | None,
    first: bool = False,
) -> MissionTransition:
    row = MissionTransition(
        mission=mission,
        from_state="" if first else mission.state,
        to_state=to,
        at=at or timezone.now(),
        by=actor_user(actor),
        note=note[:300],
    )
    row.save()
    mission.state, mission.state_since = to.value, row.at
    mission.save(update_fields=["state", "state_since"])
    return row


def mission_create(*, actor: Actor | None, values: Mapping[str, Any], note: str) -> Mission:
    """Create a planned mission with its first history row. No permission check: callers
    check (`mission_plan`), or create on behalf of a report (an evacuation request)."""
    unknown = sorted(set(values) - set(MISSION_FIELDS))
    if unknown:
        raise ValidationFailed({name: _("is not a mission field") for name in unknown})
    problems = _mission_values_check({"name": "", "kind": "", "planned_start": None, **values})
    if problems:
        raise ValidationFailed(problems)
    mission = Mission(**values)
    mission.name = mission.name.strip()
    mission.radio_tag = lifecycle.mission_tag_of(mission.pk.bytes)
    mission.save()
    _transition_write(mission, to=State.PLANNED, actor=actor, note=note, at=None, first=True)
    return mission


@transaction.atomic
def mission_plan(
    *,
    actor: Actor | None,
    members: Iterable[Mapping[str, Any]] = (),
    points: Iterable[Mapping[str, Any]] = (),
    vehicles: Iterable[Vehicle] = (),
    **values: Any,
) -> Mission:
    """Plan a mission: the mission, and optionally its team, points and vehicles at once."""
    permission_require(actor, "missions.add_mission", doing=_("plan missions"))
    mission = mission_create(actor=actor, values=values, note="planned")
    for index, member in enumerate(members):
        _prefixed(f"members[{index}]", lambda m=member: _member_add(mission, **m))
    for index, point in enumerate(points):
        _prefixed(f"points[{index}]", lambda p=point: mission_point_create(mission=mission, **p))
    for index, vehicle in enumerate(vehicles):
        _prefixed(f"vehicles[{index}]", lambda v=vehicle: _vehicle_assign(mission, v))
    audit_record(actor=actor, action="mission.plan", obj=mission, summary=mission.name)
    return mission


def _prefixed(prefix: str, write: Any) -> None:
    """Run a nested write; its field errors are renamed `prefix.field`."""
    try:
        write()
    except ValidationFailed as exc:
        raise ValidationFailed({f"{prefix}.{k}": v for k, v in exc.fields.items()}) from exc


@transaction.atomic
def mission_update(*, actor: Actor | None, mission: Mission, changes: Mapping[str, Any]) -> Mission:
    permission_require(actor, "missions.change_mission", doing=_("change missions"))
    mission = _mission_lock(mission)
    _planning_require(mission, "change the plan")
    unknown = sorted(set(changes) - set(MISSION_FIELDS))
    if unknown:
        raise ValidationFailed({name: _("cannot be changed here") for name in unknown})
    merged = {f: getattr(mission, f) for f in MISSION_FIELDS} | dict(changes)
    problems = _mission_values_check(merged)
    if problems:
        raise ValidationFailed(problems)
    changed = [name for name, value in changes.items() if getattr(mission, name) != value]
    if changed:
        for name in changed:
            setattr(mission, name, changes[name])
        mission.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="mission.update",
            obj=mission,
            summary=mission.name,
            detail={"fields": changed},
        )
    return mission


def _planning_require(mission: Mission, doing: str) -> None:
    if mission.state not in lifecycle.PLANNING:
        raise Conflict(
            _("cannot %(doing)s: the mission is %(state)s")
            % {"doing": doing, "state": _(lifecycle.LABELS[State(mission.state)]).lower()}
        )


def _member_add(
    mission: Mission,
    *,
    person: Person | None = None,
    user: User | None = None,
    role: str = MemberRole.MEMBER,
    callsign: str = "",
) -> MissionMember:
    problems: dict[str, list[str]] = {}
    if person is None and user is None:
        problems["person"] = [_("give a person from the registry, a user, or both")]
    if person is not None and person.is_deleted:
        problems["person"] = [_("was deleted")]
    if role not in MemberRole.values:
        problems["role"] = [
            _("must be one of %(values)s") % {"values": ", ".join(MemberRole.values)}
        ]
    team = MissionMember.objects.alive().filter(mission=mission)
    if person is not None and team.filter(person=person).exists():
        problems["person"] = [_("%(name)s is already in the team") % {"name": person}]
    if user is not None and team.filter(user=user).exists():
        problems["user"] = [_("%(name)s is already in the team") % {"name": user.get_username()}]
    if problems:
        raise ValidationFailed(problems)
    last = MissionMember.objects.filter(mission=mission).aggregate(n=Max("radio_number"))["n"]
    member = MissionMember(
        mission=mission,
        person=person,
        user=user,
        role=role,
        callsign=(callsign or (person.callsign if person else "") or "").strip()[:40],
        radio_number=(last or 0) + 1,
    )
    member.save()
    return member


@transaction.atomic
def mission_member_add(*, actor: Actor | None, mission: Mission, **values: Any) -> MissionMember:
    permission_require(actor, "missions.change_mission", doing=_("change a mission's team"))
    mission = _mission_lock(mission)
    _planning_require(mission, "change the team")
    member = _member_add(mission, **values)
    audit_record(
        actor=actor,
        action="mission.member_add",
        obj=mission,
        summary=f"{member} joined {mission}",
        detail={"member": str(member.pk)},
    )
    return member


def mission_point_create(
    *,
    mission: Mission,
    kind: str,
    name: str,
    latitude: float,
    longitude: float,
    sequence: int | None = None,
) -> MissionPoint:
    """Add a point to a mission (after its last one unless `sequence` says). No permission
    check and no audit row: callers check and audit (`mission_plan`, `mission_point_add`), or
    add on behalf of a report (the extraction point of the evacuation it requests)."""
    problems = {k: [v] for k, v in coordinates_problems(latitude, longitude).items()}
    if kind not in PointKind.values:
        problems["kind"] = [
            _("must be one of %(values)s") % {"values": ", ".join(PointKind.values)}
        ]
    if not name.strip():
        problems["name"] = [_("is required")]
    if problems:
        raise ValidationFailed(problems)
    if sequence is None:
        last = MissionPoint.objects.filter(mission=mission).aggregate(n=Max("sequence"))["n"]
        sequence = (last or 0) + 1
    point = MissionPoint(
        mission=mission,
        kind=kind,
        name=name.strip(),
        latitude=latitude,
        longitude=longitude,
        sequence=sequence,
    )
    point.save()
    return point


@transaction.atomic
def mission_point_add(*, actor: Actor | None, mission: Mission, **values: Any) -> MissionPoint:
    """A waypoint, rally, extraction or objective point; they may be added while out too (an
    extraction point moved under fire)."""
    permission_require(actor, "missions.change_mission", doing=_("change a mission's points"))
    mission = _mission_lock(mission)
    if mission.state in lifecycle.FINAL:
        raise Conflict(_("the mission is over; its points are history"))
    point = mission_point_create(mission=mission, **values)
    audit_record(
        actor=actor,
        action="mission.point_add",
        obj=mission,
        summary=str(point),
        detail={"point": str(point.pk)},
    )
    return point


def _vehicle_assign(mission: Mission, vehicle: Vehicle) -> MissionVehicle:
    if vehicle.is_deleted:
        raise ValidationFailed({"vehicle": _("was deleted")})
    if vehicle.status == VehicleStatus.IN_REPAIR:
        raise ValidationFailed({"vehicle": _("%(vehicle)s is in repair") % {"vehicle": vehicle}})
    if MissionVehicle.objects.alive().filter(mission=mission, vehicle=vehicle).exists():
        raise ValidationFailed(
            {"vehicle": _("%(vehicle)s is already assigned") % {"vehicle": vehicle}}
        )
    link = MissionVehicle(mission=mission, vehicle=vehicle)
    link.save()
    return link


@transaction.atomic
def mission_vehicle_assign(
    *, actor: Actor | None, mission: Mission, vehicle: Vehicle
) -> MissionVehicle:
    permission_require(actor, "missions.change_mission", doing=_("assign vehicles"))
    mission = _mission_lock(mission)
    _planning_require(mission, "assign vehicles")
    link = _vehicle_assign(mission, Vehicle.objects.select_for_update().get(pk=vehicle.pk))
    audit_record(
        actor=actor,
        action="mission.vehicle_assign",
        obj=mission,
        summary=f"{vehicle} assigned to {mission}",
        detail={"vehicle": str(vehicle.pk)},
    )
    return link


@transaction.atomic
def vehicle_register(
    *,
    actor: Actor | None,
    name: str,
    kind: str = "",
    plate: str = "",
    status: str = VehicleStatus.READY,
    fuel_percent: int = 100,
    notes: str = "",
) -> Vehicle:
    permission_require(actor, "missions.add_vehicle", doing=_("register vehicles"))
    problems = _vehicle_check(name=name, status=status, fuel_percent=fuel_percent)
    if problems:
        raise ValidationFailed(problems)
    vehicle = Vehicle(
        name=name.strip(),
        kind=kind,
        plate=plate,
        status=status,
        fuel_percent=fuel_percent,
        notes=notes,
    )
    vehicle.save()
    audit_record(actor=actor, action="vehicle.register", obj=vehicle, summary=vehicle.name)
    return vehicle


def _vehicle_check(
    *, name: str | None = None, status: str | None = None, fuel_percent: int | None = None
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if name is not None and not name.strip():
        problems["name"] = [_("is required")]
    if status is not None and status not in VehicleStatus.values:
        problems["status"] = [
            _("must be one of %(values)s") % {"values": ", ".join(VehicleStatus.values)}
        ]
    if fuel_percent is not None and not 0 <= fuel_percent <= 100:
        problems["fuel_percent"] = [_("must be between 0 and 100")]
    return problems


@transaction.atomic
def vehicle_update(*, actor: Actor | None, vehicle: Vehicle, changes: Mapping[str, Any]) -> Vehicle:
    """Status (ready, in repair, out), fuel and notes of a vehicle."""
    permission_require(actor, "missions.change_vehicle", doing=_("change vehicles"))
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    allowed = {"name", "kind", "plate", "status", "fuel_percent", "notes"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationFailed({name: _("cannot be changed here") for name in unknown})
    problems = _vehicle_check(
        name=changes.get("name"),
        status=changes.get("status"),
        fuel_percent=changes.get("fuel_percent"),
    )
    if problems:
        raise ValidationFailed(problems)
    changed = [k for k, v in changes.items() if getattr(vehicle, k) != v]
    if changed:
        for name in changed:
            setattr(vehicle, name, changes[name])
        vehicle.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="vehicle.update",
            obj=vehicle,
            summary=vehicle.name,
            detail={"fields": changed},
        )
    return vehicle


@transaction.atomic
def mission_transition(
    *,
    actor: Actor | None,
    mission: Mission,
    to: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> MissionTransition:
    """Move a mission to its next state; the rule table (missions.lifecycle) says which moves
    exist and who may make them. Setting out takes the vehicles out; the end brings them back."""
    permission_require(actor, "missions.view_mission", doing=_("see missions"))
    mission = _mission_lock(mission)
    problem = lifecycle.transition_problem(mission.state, to, translate=_)
    if problem:
        raise Conflict(problem)
    target = State(to)
    permission_require(
        actor,
        lifecycle.transition_permission(mission.state, target),
        doing=_("make a mission %(state)s") % {"state": _(lifecycle.LABELS[target]).lower()},
    )
    problems = _when_check(at, "at")
    if problems:
        raise ValidationFailed(problems)
    before = mission.state
    row = _transition_write(mission, to=target, actor=actor, note=note, at=at)
    links = MissionVehicle.objects.alive().filter(mission=mission).select_related("vehicle")
    for link in links:
        vehicle = link.vehicle
        if target == State.UNDER_WAY and vehicle.status != VehicleStatus.OUT:
            vehicle.status = VehicleStatus.OUT
            vehicle.save(update_fields=["status"])
        elif target in lifecycle.FINAL and before in lifecycle.OUT:
            vehicle.status = VehicleStatus.READY
            vehicle.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="mission.transition",
        obj=mission,
        summary=f"{mission.name}: {before} -> {target.value}",
        detail={"from": before, "to": target.value, "note": note},
    )
    return row


def member_by_radio_number(mission: Mission, number: int) -> MissionMember | None:
    if number == 0:
        return None
    # One number given at two sites while apart (an alert asks to renumber): the first added.
    members = MissionMember.objects.alive().filter(mission=mission, radio_number=number)
    return members.order_by("id").first()


@transaction.atomic
def mission_checkin(
    *,
    actor: Actor | None,
    mission: Mission,
    member: MissionMember | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    status: str = CheckInStatus.OK,
    note: str = "",
    at: dt.datetime | None = None,
    source: str = Source.WEB,
    seq: int | None = None,
) -> CheckIn:
    """A team checks in. A packet heard twice (same member and packet number) is recorded
    once: the first check-in is returned."""
    permission_require(actor, "missions.checkin_mission", doing=_("check a team in"))
    mission = _mission_lock(mission)
    if mission.state not in lifecycle.OUT:
        label = _(lifecycle.LABELS[State(mission.state)]).lower()
        raise Conflict(
            _("only a team that is out checks in; this mission is %(state)s") % {"state": label}
        )
    problems = {k: [v] for k, v in coordinates_problems(latitude, longitude).items()}
    problems |= _when_check(at, "at")
    if status not in CheckInStatus.values:
        problems["status"] = [
            _("must be one of %(values)s") % {"values": ", ".join(CheckInStatus.values)}
        ]
    if member is not None and member.mission_id != mission.pk:
        problems["member"] = [_("is not in this mission's team")]
    if problems:
        raise ValidationFailed(problems)
    if seq is not None:
        repeat = CheckIn.objects.alive().filter(mission=mission, member=member, seq=seq).first()
        if repeat is not None:
            return repeat
    checkin = CheckIn(
        mission=mission,
        member=member,
        at=at or timezone.now(),
        latitude=latitude,
        longitude=longitude,
        status=status,
        note=note[:300],
        source=source,
        seq=seq,
        recorded_by=actor_user(actor),
    )
    checkin.save()
    audit_record(
        actor=actor,
        action="mission.checkin",
        obj=mission,
        summary=f"{mission.name}: {status}",
        detail={"checkin": str(checkin.pk)},
    )
    if status == CheckInStatus.NEED_HELP:
        alert_raise(
            kind=NEED_HELP_KIND,
            key=str(checkin.pk),
            title=(
                gettext_lazy("%(mission)s asks for help: %(note)s")
                if note
                else gettext_lazy("%(mission)s asks for help")
            ),
            params={"mission": mission.name, "note": note},
            severity=Severity.CRITICAL,
            subject=mission,
            permission="missions.view_mission",
        )
    return checkin


@transaction.atomic
def mission_debrief(
    *,
    actor: Actor | None,
    mission: Mission,
    people_found: int = 0,
    casualties: int = 0,
    supplies_recovered: Iterable[Mapping[str, Any]] = (),
    summary: str = "",
) -> Debrief:
    """The outcomes of a finished mission: people found, supplies recovered, casualties."""
    permission_require(actor, "missions.command_mission", doing=_("debrief missions"))
    mission = _mission_lock(mission)
    if mission.state not in lifecycle.FINAL:
        raise Conflict(_("debrief a mission once it is complete or aborted"))
    if Debrief.objects.alive().filter(mission=mission).exists():
        raise Conflict(_("this mission has been debriefed"))
    problems: dict[str, list[str]] = {}
    if people_found < 0:
        problems["people_found"] = [_("cannot be negative")]
    if casualties < 0:
        problems["casualties"] = [_("cannot be negative")]
    supplies = [dict(s) for s in supplies_recovered]
    if problems:
        raise ValidationFailed(problems)
    # One debrief per mission: the same row at every site that records it, so two sites'
    # debriefs merge field by field instead of colliding on the mission (a tombstoned one
    # is written again).
    debrief_id = uuid_named("missions.debrief", mission.pk)
    debrief = Debrief.objects.filter(pk=debrief_id).first() or Debrief(id=debrief_id)
    debrief.mission = mission
    debrief.people_found, debrief.casualties = people_found, casualties
    debrief.supplies_recovered, debrief.summary = supplies, summary
    debrief.by, debrief.deleted_at = actor_user(actor), None
    debrief.save()
    audit_record(actor=actor, action="mission.debrief", obj=mission, summary=mission.name)
    return debrief


def missions_overdue_sweep(*, now: dt.datetime | None = None) -> list[Alert]:
    """Raise a `mission.overdue` alert for every team out that has missed its check-in window.
    Idempotent: one open alert per mission (alert_raise keys it by the mission id)."""
    from lifeline.missions.selectors import missions_overdue

    alerts = []
    for row in missions_overdue(now=now or timezone.now()):
        mission = row.mission
        alerts.append(
            alert_raise(
                kind=OVERDUE_KIND,
                key=str(mission.pk),
                title=gettext_lazy("%(mission)s is overdue: no check-in since %(since)s"),
                detail=gettext_lazy(
                    "last contact %(last)s UTC; check-in due every %(minutes)s min, due at %(due)s"
                ),
                params={
                    "mission": mission.name,
                    "since": f"{row.last_contact:%H:%M}",
                    "last": f"{row.last_contact:%Y-%m-%d %H:%M}",
                    "minutes": mission.checkin_interval_minutes,
                    "due": f"{row.due_at:%H:%M}",
                },
                severity=Severity.CRITICAL if row.missed_windows >= 2 else Severity.WARNING,
                subject=mission,
                permission="missions.view_mission",
            )
        )
    return alerts
