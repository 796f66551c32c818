"""Reads of missions with the caller's role applied: the board (who is out, last check-in,
overdue computed on read), one mission with its timeline, vehicles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission, User
from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.ids import id_parse
from lifeline.core.services import Actor, permission_require
from lifeline.missions import lifecycle
from lifeline.missions.models import (
    CheckIn,
    Mission,
    MissionMember,
    MissionPoint,
    MissionTransition,
    MissionVehicle,
    Vehicle,
)


@dataclass(frozen=True)
class MissionStatus:
    """A mission as the board shows it: when it last heard from the team and whether the
    team has missed its check-in window."""

    mission: Mission
    last_checkin_at: dt.datetime | None
    last_contact: dt.datetime | None  # the last check-in, or setting out
    due_at: dt.datetime | None
    overdue: bool
    missed_windows: int


def _with_last_checkin(qs: QuerySet[Mission]) -> QuerySet[Mission]:
    last = (
        CheckIn.objects.alive()
        .filter(mission=OuterRef("pk"))
        .values("mission")
        .annotate(m=Max("at"))
        .values("m")
    )
    set_out = (
        MissionTransition.objects.alive()
        .filter(mission=OuterRef("pk"), to_state=lifecycle.State.UNDER_WAY)
        .values("mission")
        .annotate(m=Max("at"))
        .values("m")
    )
    return qs.annotate(last_checkin_at=Subquery(last), set_out_at=Subquery(set_out))


def _status_of(mission: Any, now: dt.datetime) -> MissionStatus:
    last_checkin: dt.datetime | None = mission.last_checkin_at
    contacts = [t for t in (last_checkin, mission.set_out_at) if t is not None]
    last_contact = max(contacts) if contacts else None
    due_at = overdue = None
    missed = 0
    if mission.state in lifecycle.OUT and last_contact is not None:
        interval = mission.checkin_interval_minutes
        due_at = lifecycle.checkin_due(last_contact, interval)
        overdue = lifecycle.is_overdue(now, last_contact, interval)
        missed = int((now - last_contact) / dt.timedelta(minutes=interval)) if overdue else 0
    return MissionStatus(
        mission=mission,
        last_checkin_at=last_checkin,
        last_contact=last_contact,
        due_at=due_at,
        overdue=bool(overdue),
        missed_windows=missed,
    )


def missions_overdue(*, now: dt.datetime) -> list[MissionStatus]:
    """Every team out that has missed its check-in window (no role: the sweep's read)."""
    qs = _with_last_checkin(Mission.objects.alive().filter(state__in=lifecycle.OUT))
    return [s for s in (_status_of(m, now) for m in qs) if s.overdue]


def mission_board(
    *, actor: Actor | None, now: dt.datetime | None = None, include_final: bool = False
) -> list[MissionStatus]:
    """Missions out first (overdue first among them), then planned ones, then (optionally)
    finished ones; each with its team."""
    permission_require(actor, "missions.view_mission", doing=_("see missions"))
    now = now or timezone.now()
    base: QuerySet[Mission] = Mission.objects.alive()
    if not include_final:
        base = base.exclude(state__in=lifecycle.FINAL)
    members = MissionMember.objects.alive().select_related("person", "user")
    qs = _with_last_checkin(base).prefetch_related(Prefetch("members", queryset=members))
    rows = [_status_of(m, now) for m in qs.order_by("planned_start")]
    order = {s: i for i, s in enumerate(lifecycle.State)}
    rows.sort(
        key=lambda r: (
            r.mission.state not in lifecycle.OUT,
            not r.overdue,
            order[lifecycle.State(r.mission.state)] if r.mission.state in order else 99,
            r.mission.planned_start,
        )
    )
    return rows


def mission_get(*, actor: Actor | None, mission_id: Any) -> Mission:
    permission_require(actor, "missions.view_mission", doing=_("see missions"))
    pk = id_parse(mission_id, "mission")
    mission = Mission.objects.alive().filter(pk=pk).first()
    if mission is None:
        raise NotFound(_("no mission with id %(id)s") % {"id": pk})
    return mission


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "transition", "checkin", or another app's ("report")
    summary: str
    by: str
    latitude: float | None = None
    longitude: float | None = None
    overdue: bool = False
    title: str = ""  # what it is in a word or two, as the sketch map labels it


# What other apps record about a mission joins its timeline without missions importing them
# (intel adds the field reports, which sit above missions): each app registers a source in
# its AppConfig.ready. A source applies the actor's role itself and gives nothing to a role
# that may not see its rows.
MissionTimelineSource = Callable[[Actor | None, Mission], Iterable[TimelineEntry]]
_TIMELINE_SOURCES: dict[str, MissionTimelineSource] = {}


def mission_timeline_source_register(name: str, source: MissionTimelineSource) -> None:
    """Add `source`'s entries to every mission's timeline (registered again, replaced)."""
    _TIMELINE_SOURCES[name] = source


@dataclass(frozen=True)
class MissionRecord:
    mission: Mission
    status: MissionStatus
    members: list[MissionMember]
    points: list[MissionPoint]
    vehicles: list[Vehicle]
    transitions: list[MissionTransition]
    checkins: list[CheckIn]
    timeline: list[TimelineEntry]


def _with_note(summary: str, note: str) -> str:
    return _("%(summary)s: %(note)s") % {"summary": summary, "note": note} if note else summary


def mission_record(
    *, actor: Actor | None, mission_id: Any, now: dt.datetime | None = None
) -> MissionRecord:
    """One mission with everything a mission page shows, and on its timeline what other
    apps registered (field reports, only for roles that may see them: they say where people
    were found)."""
    mission = mission_get(actor=actor, mission_id=mission_id)
    status = _status_of(
        _with_last_checkin(Mission.objects.filter(pk=mission.pk)).get(), now or timezone.now()
    )
    members = list(
        MissionMember.objects.alive().filter(mission=mission).select_related("person", "user")
    )
    points = list(MissionPoint.objects.alive().filter(mission=mission))
    vehicles = [
        link.vehicle
        for link in MissionVehicle.objects.alive().filter(mission=mission).select_related("vehicle")
    ]
    transitions = list(
        MissionTransition.objects.alive().filter(mission=mission).select_related("by")
    )
    checkins = list(
        CheckIn.objects.alive()
        .filter(mission=mission)
        .select_related("member__person", "member__user", "recorded_by")
    )
    timeline = [
        TimelineEntry(
            t.at,
            "transition",
            _with_note(_(lifecycle.LABELS[lifecycle.State(t.to_state)]), t.note),
            t.by.get_username() if t.by else _("system"),
        )
        for t in transitions
    ]
    timeline += [
        TimelineEntry(
            c.at,
            "checkin",
            _with_note(_("Check-in %(status)s") % {"status": c.get_status_display()}, c.note),
            c.member.display_name
            if c.member
            else (c.recorded_by.get_username() if c.recorded_by else ""),
            c.latitude,
            c.longitude,
        )
        for c in checkins
    ]
    for source in _TIMELINE_SOURCES.values():
        timeline += source(actor, mission)
    timeline.sort(key=lambda e: e.at)
    return MissionRecord(
        mission, status, members, points, vehicles, transitions, checkins, timeline
    )


def vehicle_list(*, actor: Actor | None) -> QuerySet[Vehicle]:
    permission_require(actor, "missions.view_vehicle", doing=_("see vehicles"))
    return Vehicle.objects.alive().order_by("name")


def vehicle_get(*, actor: Actor | None, vehicle_id: Any) -> Vehicle:
    permission_require(actor, "missions.view_vehicle", doing=_("see vehicles"))
    pk = id_parse(vehicle_id, "vehicle")
    vehicle = Vehicle.objects.alive().filter(pk=pk).first()
    if vehicle is None:
        raise NotFound(_("no vehicle with id %(id)s") % {"id": pk})
    return vehicle


def member_get(*, mission: Mission, member_id: Any, field: str = "member") -> MissionMember:
    pk = id_parse(member_id, field)
    member = MissionMember.objects.alive().filter(pk=pk, mission=mission).first()
    if member is None:
        raise ValidationFailed({field: _("no member %(id)s in this mission's team") % {"id": pk}})
    return member


def missions_out_with_points() -> list[tuple[Mission, list[MissionPoint]]]:
    """Every team out (under way or returning), by planned start, with its points in order:
    what the risk watch follows (a read of the system's, not of a person: no role applies)."""
    missions = list(
        Mission.objects.alive().filter(state__in=lifecycle.OUT).order_by("planned_start")
    )
    points: dict[object, list[MissionPoint]] = {}
    for point in MissionPoint.objects.alive().filter(mission__in=missions):
        points.setdefault(point.mission_id, []).append(point)
    return [
        (m, sorted(points.get(m.pk, []), key=lambda p: (p.sequence, p.created_at)))
        for m in missions
    ]


@dataclass(frozen=True)
class TeamOut:
    """A team out as a map shows it: its board row, its points in order and where it last
    checked in with a position."""

    status: MissionStatus
    points: list[MissionPoint]
    last_position: tuple[float, float] | None


def teams_out(*, actor: Actor | None, now: dt.datetime | None = None) -> list[TeamOut]:
    """Every team under way or returning, as the board orders them, with its points and its
    last position (three queries whatever the number of teams)."""
    rows = [r for r in mission_board(actor=actor, now=now) if r.mission.state in lifecycle.OUT]
    ids = [r.mission.pk for r in rows]
    points: dict[object, list[MissionPoint]] = {}
    for point in (
        MissionPoint.objects.alive().filter(mission__in=ids).order_by("sequence", "created_at")
    ):
        points.setdefault(point.mission_id, []).append(point)
    last: dict[object, tuple[float, float]] = {}
    positioned = (
        CheckIn.objects.alive()
        .filter(mission__in=ids, latitude__isnull=False, longitude__isnull=False)
        .order_by("mission", "-at")
        .values_list("mission", "latitude", "longitude")
    )
    for mission_id, lat, lon in positioned:
        if lat is not None and lon is not None:
            last.setdefault(mission_id, (lat, lon))
    return [TeamOut(r, points.get(r.mission.pk, []), last.get(r.mission.pk)) for r in rows]


def team_candidates(*, actor: Actor | None) -> list[User]:
    """Whom a commander may put in a team from the planning page: every active user whose
    role may check a team in (field teams and commanders), by name."""
    permission_require(actor, "missions.add_mission", doing=_("plan missions"))
    may = Q(codename="checkin_mission", content_type__app_label="missions")
    perms = Permission.objects.filter(may)
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=perms) | Q(user_permissions__in=perms))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def mission_members(*, actor: Actor | None, mission: Mission) -> list[MissionMember]:
    """A mission's team, by radio number."""
    permission_require(actor, "missions.view_mission", doing=_("see missions"))
    return list(
        MissionMember.objects.alive()
        .filter(mission=mission)
        .select_related("person", "user")
        .order_by("radio_number")
    )
