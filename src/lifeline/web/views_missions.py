"""The missions pages: the board (who is out, last check-in, overdue in red), a mission's page
with its timeline and sketch map, and report forms made for a phone. They are web's because a
mission's page files intel's reports and intel sits above missions. Each view parses, calls
one service or selector, and renders; errors become pages or messages on the form."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework import serializers

from lifeline.core.api import error_fields
from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.forms import SchemaForm
from lifeline.core.pages import page_view
from lifeline.core.services import permission_require
from lifeline.intel import radio
from lifeline.intel.models import ReportKind
from lifeline.intel.services import report_file_from_input
from lifeline.missions import lifecycle, selectors, services
from lifeline.missions.models import CheckInStatus, Mission, MissionMember
from lifeline.missions.schemas import CheckInInput, TransitionInput
from lifeline.missions.sketch import Mark, sketch_of
from lifeline.web import map_layers
from lifeline.web.minimaps import mission_map


def _parsed(schema: type[serializers.Serializer[Any]], data: dict[str, Any]) -> dict[str, Any]:
    parser = schema(data={k: v for k, v in data.items() if v not in ("", None)})
    if not parser.is_valid():
        raise ValidationFailed(error_fields(parser.errors))
    return dict(parser.validated_data)


@page_view
def mission_board(request: HttpRequest) -> HttpResponse:
    rows = selectors.mission_board(actor=request.user)
    services.missions_overdue_sweep()
    out = [r for r in rows if r.mission.state in lifecycle.OUT]
    planned = [r for r in rows if r.mission.state not in lifecycle.OUT]
    return render(request, "web/missions/board.html", {"out": out, "planned": planned})


def _sketch(record: selectors.MissionRecord) -> Any:
    marks = [Mark(p.kind, p.name, p.latitude, p.longitude) for p in record.points]
    marks += [
        Mark("checkin", f"{c.at:%H:%M} {c.get_status_display()}", c.latitude, c.longitude)
        for c in record.checkins
        if c.latitude is not None and c.longitude is not None
    ]
    marks += [
        Mark("report", e.title, e.latitude, e.longitude)
        for e in record.timeline
        if e.kind == "report" and e.latitude is not None and e.longitude is not None
    ]
    m = record.mission
    if not marks and m.latitude is not None and m.longitude is not None:
        marks.append(Mark("area", m.area or m.name, m.latitude, m.longitude))
    return sketch_of(marks)


def _mission_page(
    request: HttpRequest, mission_id: Any, *, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    now = timezone.now()
    record = selectors.mission_record(actor=request.user, mission_id=mission_id, now=now)
    state = lifecycle.State(record.mission.state)
    due_at = record.status.due_at
    # On the road graph when the mission is on it; else the sketch of its points.
    picture = mission_map(actor=request.user, record=record, now=now)
    moves = [
        (target.value, lifecycle.LABELS[target])
        for (current, target), perm in lifecycle.TRANSITIONS.items()
        if current == state and request.user.has_perm(perm)
    ]
    live = None
    if picture is not None:
        live = map_layers.live_map(
            actor=request.user,
            viewport=picture.viewport,
            map_id="mission-map",
            extra=[map_layers.mission_layer(record)],
            now=now,
        )
    context = {
        "record": record,
        "mission": record.mission,
        "picture": picture,
        "live": live,
        "sketch": _sketch(record) if picture is None else None,
        "now": now,
        "moves": moves,
        "can_checkin": state in lifecycle.OUT and request.user.has_perm("missions.checkin_mission"),
        "can_report": request.user.has_perm("intel.add_fieldreport"),
        "checkin_statuses": CheckInStatus.choices,
        "report_kinds": ReportKind.choices,
        "errors": errors or {},
        "due_in": (due_at - now) if due_at and not record.status.overdue else None,
        "overdue_by": (now - due_at) if due_at and record.status.overdue else None,
    }
    return render(request, "web/missions/detail.html", context, status=400 if errors else 200)


@page_view
def mission_detail(request: HttpRequest, mission_id: uuid.UUID) -> HttpResponse:
    return _mission_page(request, mission_id)


@page_view
@require_POST
def mission_transition(request: HttpRequest, mission_id: uuid.UUID) -> HttpResponse:
    mission = selectors.mission_get(actor=request.user, mission_id=mission_id)
    try:
        values = _parsed(
            TransitionInput, {"to": request.POST.get("to"), "note": request.POST.get("note")}
        )
        row = services.mission_transition(actor=request.user, mission=mission, **values)
    except ValidationFailed as failure:
        return _mission_page(request, mission_id, errors=failure.fields)
    messages.success(
        request,
        _("%(mission)s is now %(state)s.")
        % {"mission": mission.name, "state": row.get_to_state_display().lower()},
    )
    return redirect("web:mission_detail", mission_id=mission.pk)


CHECKIN_FIELDS = ("member", "status", "latitude", "longitude", "note")


def _checkin_form(
    request: HttpRequest, members: list[MissionMember], data: QueryDict | None = None
) -> SchemaForm:
    mine = next((m for m in members if m.user_id == request.user.pk), None)
    return SchemaForm(
        CheckInInput,
        CHECKIN_FIELDS,
        data=data,
        initial={"status": CheckInStatus.OK, "member": str(mine.pk) if mine else ""},
        labels={
            "member": _("Who is checking in"),
            "status": _("How is the team"),
            "latitude": _("Latitude"),
            "longitude": _("Longitude"),
            "note": _("Note"),
        },
        choices={"member": [(str(m.pk), f"U{m.radio_number} {m.display_name}") for m in members]},
        widgets={"latitude": "decimal", "longitude": "decimal"},
    )


@page_view
def mission_checkin(request: HttpRequest, mission_id: uuid.UUID) -> HttpResponse:
    """A team's check-in from a phone: its status and, with "use my position", where it is."""
    permission_require(request.user, "missions.checkin_mission", doing=_("check teams in"))
    mission = selectors.mission_get(actor=request.user, mission_id=mission_id)
    if mission.state not in lifecycle.OUT:
        label = lifecycle.LABELS[lifecycle.State(mission.state)].lower()
        raise Conflict(_("a team checks in while it is out; this mission is %s") % label)
    members = selectors.mission_members(actor=request.user, mission=mission)
    posted = request.POST if request.method == "POST" else None
    form = _checkin_form(request, members, posted)
    if posted is not None:
        checkin = form.submit(
            lambda values: services.mission_checkin(
                actor=request.user,
                mission=mission,
                member=(
                    selectors.member_get(mission=mission, member_id=values.pop("member"))
                    if values.get("member")
                    else None
                ),
                **values,
            )
        )
        if checkin is not None:
            messages.success(request, _("Checked in: %s.") % checkin.get_status_display())
            return redirect("web:mission_detail", mission_id=mission.pk)
    return render(
        request,
        "web/missions/checkin.html",
        {"mission": mission, "form": form},
        status=400 if form.has_errors else 200,
    )


def _report_data(kind: str, post: Any) -> dict[str, Any]:
    """The phone form's flat fields shaped as the report schema's input."""
    data: dict[str, Any] = {"kind": kind}
    for name in (
        "latitude",
        "longitude",
        "text",
        "place",
        "count",
        "armed",
        "direction",
        "hostile_group",
        "casualty",
        "severity",
        "member",
    ):
        value = post.get(name, "").strip()
        if value:
            data[name] = value
    if kind == ReportKind.SURVIVORS:
        condition = post.get("condition", "unhurt")
        data["groups"] = [
            {"age_band": band, "condition": condition, "count": post.get(f"band_{i}")}
            for i, band in enumerate(radio.AGE_BANDS)
            if post.get(f"band_{i}", "").strip() not in ("", "0")
        ]
        if post.get("band_unknown", "").strip() not in ("", "0"):
            data["groups"].append(
                {"age_band": "", "condition": condition, "count": post.get("band_unknown")}
            )
    if kind == ReportKind.CACHE:
        data["items"] = [
            {
                "name": post.get(f"item_{i}"),
                "quantity": post.get(f"quantity_{i}") or 0,
                "unit": post.get(f"unit_{i}") or "piece",
            }
            for i in range(3)
            if post.get(f"item_{i}", "").strip()
        ]
    return data


# The radio codec's words (intel.radio keeps plain codes) as the phone form shows them.
RADIO_WORDS: dict[str, Promise] = {
    "unknown": gettext_lazy("unknown"),
    "no": gettext_lazy("no"),
    "yes": gettext_lazy("yes"),
    "n": gettext_lazy("north"),
    "ne": gettext_lazy("north-east"),
    "e": gettext_lazy("east"),
    "se": gettext_lazy("south-east"),
    "s": gettext_lazy("south"),
    "sw": gettext_lazy("south-west"),
    "w": gettext_lazy("west"),
    "nw": gettext_lazy("north-west"),
    "stationary": gettext_lazy("stationary"),
    "unhurt": gettext_lazy("unhurt"),
    "wounded": gettext_lazy("wounded"),
    "ill": gettext_lazy("ill"),
    "malnourished": gettext_lazy("malnourished"),
    "dehydrated": gettext_lazy("dehydrated"),
    "critical": gettext_lazy("critical"),
    "minor": gettext_lazy("minor"),
    "serious": gettext_lazy("serious"),
    "killed": gettext_lazy("killed"),
    "piece": gettext_lazy("piece"),
    "box": gettext_lazy("box"),
    "crate": gettext_lazy("crate"),
    "litre": gettext_lazy("litre"),
    "kg": gettext_lazy("kg"),
    "dose": gettext_lazy("dose"),
}


def _radio_choices(codes: list[str]) -> list[tuple[str, Promise | str]]:
    return [(code, RADIO_WORDS.get(code, code)) for code in codes]


@page_view
def report_new(request: HttpRequest, mission_id: uuid.UUID) -> HttpResponse:
    mission: Mission = selectors.mission_get(actor=request.user, mission_id=mission_id)
    kind = request.GET.get("kind") or request.POST.get("kind") or ReportKind.SITREP
    if kind not in ReportKind.values:
        kind = ReportKind.SITREP
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            report = report_file_from_input(
                actor=request.user, mission=mission, data=_report_data(kind, request.POST)
            )
        except ValidationFailed as failure:
            errors = failure.fields
        else:
            messages.success(request, _("%(kind)s filed.") % {"kind": report.get_kind_display()})
            if report.evacuation_mission_id:
                messages.info(request, _("An evacuation mission was planned for the survivors."))
            return redirect("web:mission_detail", mission_id=mission.pk)
    members = list(mission.members.alive().select_related("person"))
    context = {
        "mission": mission,
        "kind": kind,
        "kind_label": ReportKind(kind).label,
        "kinds": ReportKind.choices,
        "members": members,
        "errors": errors,
        "post": request.POST if request.method == "POST" else {},
        "age_bands": list(enumerate(radio.AGE_BANDS)),
        "armed": _radio_choices(radio.ARMED),
        "directions": _radio_choices(radio.DIRECTIONS),
        "conditions": _radio_choices(radio.SURVIVOR_CONDITIONS),
        "severities": _radio_choices(radio.SEVERITIES),
        "units": _radio_choices(radio.UNITS),
        "item_rows": range(3),
        "live": map_layers.live_pick_map(
            actor=request.user,
            focus=list(mission.points.alive().values_list("latitude", "longitude")),
            map_id="report-map",
        ),
    }
    return render(request, "web/missions/report_form.html", context, status=400 if errors else 200)
