"""Plan and brief a mission from a phone: what and when, the team, the vehicles, the waypoints
and the extraction point tapped on a map (or typed), the check-in interval and the briefing.
One form over `missions.schemas.MissionInput`, one call of `missions.services.mission_plan`;
the map is `routing.map_presenter`'s (web/minimaps.py), the taps are web/static/web/
mission_plan.js's, which fill the same typed fields a phone without JavaScript fills by hand."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.core.errors import ValidationFailed
from lifeline.core.forms import SchemaForm, schema_errors
from lifeline.core.pages import page_view
from lifeline.core.services import Actor, permission_require
from lifeline.missions import selectors, services
from lifeline.missions.models import PointKind, VehicleStatus
from lifeline.missions.schemas import MissionInput, MissionPointInput
from lifeline.people.selectors import person_list
from lifeline.routing.map_presenter import MarkDrawn
from lifeline.web import map_layers
from lifeline.web.minimaps import plan_map

PLAN_FIELDS = (
    "name",
    "kind",
    "objective",
    "area",
    "planned_start",
    "planned_end",
    "checkin_interval_minutes",
    "standing_orders",
)
WAYPOINT_ROWS = 6
MAX_TEAM_PEOPLE = 200  # registry people with a call sign offered for a team
DEFAULT_CHECKIN_MINUTES = 30
LABELS = {
    "name": gettext_lazy("Mission name"),
    "kind": gettext_lazy("Kind of mission"),
    "objective": gettext_lazy("Objective"),
    "area": gettext_lazy("Area"),
    "planned_start": gettext_lazy("Sets out"),
    "planned_end": gettext_lazy("Back by"),
    "checkin_interval_minutes": gettext_lazy("Check in every (minutes)"),
    "standing_orders": gettext_lazy("Briefing and standing orders"),
}
HINTS = {
    "checkin_interval_minutes": gettext_lazy(
        "The team is overdue, and the commander alerted, when a check-in is this late."
    ),
    "standing_orders": gettext_lazy("What every member must know: route, rules, signals."),
}
_POINT_ERROR = re.compile(r"^points\[(\d+)\]\.(\w+)$")


@dataclass
class PointRow:
    """One point of the plan as the form shows it: typed or filled by a tap on the map."""

    index: int
    kind: str
    label: str
    name: str = ""
    latitude: str = ""
    longitude: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        return not (self.name.strip() or self.latitude.strip() or self.longitude.strip())

    @property
    def default_name(self) -> str:
        if self.kind == PointKind.EXTRACTION:
            return _("Extraction")
        return _("WP%(n)d") % {"n": self.index + 1}


def _point_rows(data: QueryDict | None) -> list[PointRow]:
    rows = [
        PointRow(i, PointKind.WAYPOINT, _("Waypoint %(n)d") % {"n": i + 1})
        for i in range(WAYPOINT_ROWS)
    ]
    rows.append(PointRow(WAYPOINT_ROWS, PointKind.EXTRACTION, _("Extraction point")))
    if data is None:
        return rows
    for row in rows:
        row.name = data.get(f"point_name_{row.index}", "").strip()
        row.latitude = data.get(f"point_lat_{row.index}", "").strip()
        row.longitude = data.get(f"point_lon_{row.index}", "").strip()
    return rows


def _points_input(rows: list[PointRow]) -> tuple[list[dict[str, Any]], list[PointRow]]:
    """The filled rows as the schema's points (waypoints in order, the extraction point last)
    and the rows they came from; a row's own mistakes are put on it, and it is left out."""
    points, used = [], []
    for row in rows:
        if row.is_blank:
            continue
        data = {"kind": row.kind, "name": row.name or row.default_name}
        # A coordinate left blank is missing, not a bad number.
        data |= {k: v for k, v in (("latitude", row.latitude), ("longitude", row.longitude)) if v}
        parser = MissionPointInput(data=data)
        if not parser.is_valid():
            labels = {"latitude": _("latitude"), "longitude": _("longitude"), "name": _("name")}
            for name, msgs in schema_errors(parser.errors).items():
                row.errors += [f"{labels.get(name, name)}: {m}" for m in msgs]
            continue
        points.append(data)
        used.append(row)
    return points, used


def _team_choices(actor: Actor) -> list[tuple[str, str]]:
    """Who may go: the users who may check a team in, then the registry's people with a call
    sign (the camp's own teams), each as "user:NAME" or "person:ID"."""
    users = [
        (f"user:{user.get_username()}", user.get_full_name() or user.get_username())
        for user in selectors.team_candidates(actor=actor)
    ]
    people: list[tuple[str, str]] = []
    if actor.has_perm("people.view_person"):
        with_callsign = person_list(actor=actor).exclude(callsign="")
        people = [
            (f"person:{p.pk}", f"{p.full_name} ({p.callsign})")
            for p in with_callsign.order_by("callsign")[:MAX_TEAM_PEOPLE]
        ]
    return users + people


def _vehicle_choices(actor: Actor) -> list[tuple[str, str, bool]]:
    """Every vehicle: (id, what it is, whether it may go: one in repair may not)."""
    return [
        (
            str(v.pk),
            _("%(name)s, fuel %(fuel)d%%") % {"name": v.name, "fuel": v.fuel_percent}
            + (f" ({v.get_status_display().lower()})" if v.status != VehicleStatus.READY else ""),
            v.status != VehicleStatus.IN_REPAIR,
        )
        for v in selectors.vehicle_list(actor=actor)
    ]


def _plan_form(data: QueryDict | None) -> SchemaForm:
    start = timezone.localtime().replace(second=0, microsecond=0)
    return SchemaForm(
        MissionInput,
        PLAN_FIELDS,
        data=data,
        initial={
            "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
            "checkin_interval_minutes": DEFAULT_CHECKIN_MINUTES,
            "kind": "recon",
        },
        labels={k: str(v) for k, v in LABELS.items()},
        hints={k: str(v) for k, v in HINTS.items()},
        widgets={"objective": "textarea", "standing_orders": "textarea"},
    )


def _members_input(team: list[str], leader: str) -> list[dict[str, Any]]:
    """The team's "user:NAME" and "person:ID" as the schema's members; the leader is in it."""
    if leader and leader not in team:
        team = [leader, *team]
    members = []
    for value in team:
        kind, _sep, ref = value.partition(":")
        field_name = "person" if kind == "person" else "user"
        role = "leader" if value == leader else "member"
        members.append({field_name: ref, "role": role})
    return members


def _errors_place(
    failure: dict[str, list[str]], form: SchemaForm, used: list[PointRow]
) -> dict[str, list[str]]:
    """Put each message beside what it names: a point's on its row, the rest on the form.
    Returns the team's and vehicles' messages, shown in their own fieldsets."""
    others: dict[str, list[str]] = {}
    for key, msgs in failure.items():
        point = _POINT_ERROR.match(key)
        if point and int(point.group(1)) < len(used):
            used[int(point.group(1))].errors += [f"{point.group(2)}: {m}" for m in msgs]
        elif key.split("[", 1)[0].split(".", 1)[0] in ("members", "vehicles"):
            others.setdefault(key.split("[", 1)[0].split(".", 1)[0], []).extend(msgs)
        elif key.split("[", 1)[0] == "points":
            form.errors_other.extend(msgs)
        else:
            form.errors_add({key: msgs})
    return others


@page_view
def mission_new(request: HttpRequest) -> HttpResponse:
    actor = request.user
    permission_require(actor, "missions.add_mission", doing=_("plan missions"))
    posted = request.POST if request.method == "POST" else None
    form = _plan_form(posted)
    rows = _point_rows(posted)
    team = posted.getlist("team") if posted is not None else []
    leader = posted.get("leader", "") if posted is not None else ""
    vehicles = posted.getlist("vehicles") if posted is not None else []
    other_errors: dict[str, list[str]] = {}
    if posted is not None:
        points, used = _points_input(rows)
        values = form.schema_input() | {
            "points": points,
            "members": _members_input(team, leader),
            "vehicles": vehicles,
        }
        parser = MissionInput(data=values)
        if parser.is_valid() and not any(row.errors for row in rows):
            try:
                mission = services.mission_plan(actor=actor, **dict(parser.validated_data))
            except ValidationFailed as failure:
                other_errors = _errors_place(failure.fields, form, used)
            else:
                messages.success(request, _("%(name)s is planned.") % {"name": mission.name})
                return redirect("web:mission_detail", mission_id=mission.pk)
        elif not parser.is_valid():
            other_errors = _errors_place(schema_errors(parser.errors), form, used)
        if not form.has_errors and (other_errors or any(row.errors for row in rows)):
            form.errors_other.append(_("Some points, team members or vehicles need another look."))
    marks = [
        MarkDrawn(float(r.latitude), float(r.longitude), r.name or r.default_name, r.kind)
        for r in rows
        if not r.errors and _is_number(r.latitude) and _is_number(r.longitude)
    ]
    picture = plan_map(actor=actor, marks=marks)
    context = {
        "form": form,
        "rows": rows,
        "team_choices": _team_choices(actor),
        "team": team,
        "leader": leader,
        "vehicle_choices": _vehicle_choices(actor),
        "vehicles": vehicles,
        "other_errors": other_errors,
        "picture": picture,
        "live": map_layers.live_map(actor=actor, viewport=picture.viewport, map_id="plan-map")
        if picture is not None
        else None,
        "now": timezone.now(),
        "can_route": actor.has_perm("routing.plan_route"),
    }
    status = 400 if posted is not None else 200
    return render(request, "web/missions/plan.html", context, status=status)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
