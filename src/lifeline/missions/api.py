"""The missions REST API: one class per operation. Each parses its input with the shared
schema (`missions.schemas`), calls one selector or service, and renders an output schema."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from lifeline.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    ApiView,
    ListApiView,
    Needs,
    input_parse,
    path_id,
)
from lifeline.missions import selectors, services
from lifeline.missions.lifecycle import TRANSITIONS
from lifeline.missions.schemas import (
    BoardRowOutput,
    CheckInInput,
    CheckInOutput,
    DebriefInput,
    DebriefOutput,
    MemberInput,
    MemberOutput,
    MissionDetailOutput,
    MissionInput,
    MissionOutput,
    MissionPointInput,
    MissionPointOutput,
    MissionUpdateInput,
    TransitionInput,
    TransitionOutput,
    VehicleAssignInput,
    VehicleInput,
    VehicleOutput,
    VehicleUpdateInput,
)

MISSION_ID = path_id("mission_id", "mission")
VEHICLE_ID = path_id("vehicle_id", "vehicle")


# A transition's permission depends on the states; any of them lets the body be read.
TRANSITION_PERMISSIONS = tuple(sorted(set(TRANSITIONS.values())))


class MissionBoardApi(ApiView):
    """The missions board: teams out first (overdue first), then planned missions. Reading it
    also raises the alerts of overdue teams."""

    @extend_schema(
        operation_id="mission_board",
        tags=["missions"],
        responses={200: BoardRowOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        actor = request.user
        rows = selectors.mission_board(actor=actor)
        services.missions_overdue_sweep()
        return Response(BoardRowOutput(rows, many=True).data)


class MissionPlanApi(ApiView):
    """Plan a mission, with its team, points and vehicles if known."""

    permission = Needs("missions.add_mission", gettext_noop("plan missions"))

    @extend_schema(
        operation_id="mission_plan",
        tags=["missions"],
        request=MissionInput,
        responses={201: MissionOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(MissionInput, request.data)
        mission = services.mission_plan(actor=request.user, **values)
        return Response(MissionOutput(mission).data, status=status.HTTP_201_CREATED)


class MissionDetailApi(ApiView):
    """One mission: team, points, vehicles, history, check-ins and its timeline."""

    @extend_schema(
        operation_id="mission_get",
        tags=["missions"],
        parameters=[MISSION_ID],
        responses={200: MissionDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, mission_id: str) -> Response:
        record = selectors.mission_record(actor=request.user, mission_id=mission_id)
        return Response(MissionDetailOutput(record).data)


class MissionUpdateApi(ApiView):
    """Change the plan (only while planned or briefed)."""

    permission = Needs("missions.change_mission", gettext_noop("change missions"))

    @extend_schema(
        operation_id="mission_update",
        tags=["missions"],
        parameters=[MISSION_ID],
        request=MissionUpdateInput,
        responses={200: MissionOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, mission_id: str) -> Response:
        actor = request.user
        mission = selectors.mission_get(actor=actor, mission_id=mission_id)
        changes = input_parse(MissionUpdateInput, request.data)
        mission = services.mission_update(actor=actor, mission=mission, changes=changes)
        return Response(MissionOutput(mission).data)


class MissionTransitionApi(ApiView):
    """Move the mission on: briefed, under way, returning, complete or aborted."""

    permission = Needs(TRANSITION_PERMISSIONS, gettext_noop("move missions on"))

    @extend_schema(
        operation_id="mission_transition",
        tags=["missions"],
        parameters=[MISSION_ID],
        request=TransitionInput,
        responses={201: TransitionOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, mission_id: str) -> Response:
        actor = request.user
        mission = selectors.mission_get(actor=actor, mission_id=mission_id)
        values = input_parse(TransitionInput, request.data)
        row = services.mission_transition(actor=actor, mission=mission, **values)
        return Response(TransitionOutput(row).data, status=status.HTTP_201_CREATED)


class MissionMemberAddApi(ApiView):
    permission = Needs("missions.change_mission", gettext_noop("change a mission's team"))

    @extend_schema(
        operation_id="mission_member_add",
        tags=["missions"],
        parameters=[MISSION_ID],
        request=MemberInput,
        responses={201: MemberOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, mission_id: str) -> Response:
        actor = request.user
        mission = selectors.mission_get(actor=actor, mission_id=mission_id)
        values = input_parse(MemberInput, request.data)
        member = services.mission_member_add(actor=actor, mission=mission, **values)
        return Response(MemberOutput(member).data, status=status.HTTP_201_CREATED)


class MissionPointAddApi(ApiView):
    permission = Needs("missions.change_mission", gettext_noop("change a mission's points"))

    @extend_schema(
        operation_id="mission_point_add",
        tags=["missions"],
        parameters=[MISSION_ID],
        request=MissionPointInput,
        responses={201: MissionPointOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, mission_id: str) -> Response:
        actor = request.user
        mission = selectors.mission_get(actor=actor, mission_id=mission_id)
        values = input_parse(MissionPointInput, request.data)
        point = services.mission_point_add(actor=actor, mission=mission, **values)
        return Response(MissionPointOutput(point).data, status=status.HTTP_201_CREATED)


class MissionVehicleAssignApi(ApiView):
    permission = Needs("missions.change_mission", gettext_noop("assign vehicles"))

    @extend_schema(
        operation_id="mission_vehicle_assign",
        tags=["missions"],
        parameters=[MISSION_ID],
        request=VehicleAssignInput,
        responses={201: VehicleOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, mission_id: str) -> Response:
        actor = request.user
        mission = selectors.mission_get(actor=actor, mission_id=mission_id)
        values = input_parse(VehicleAssignInput, request.data)
        link = services.mission_vehicle_assign(actor=actor, mission=mission, **values)
        return Response(VehicleOutput(link.vehicle).data, status=status.HTTP_201_CREATED)


class MissionCheckInApi(ApiView):
    """A team checks in with its position and status."""

    permission = Needs("missions.checkin_mission", gettext_noop("check a team in"))

    @extend_schema(
        operation_id="mission_checkin",
        tags=["missions"],
        parameters=[MISSION_ID],
        request=CheckInInput,
        responses={201: CheckInOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, mission_id: str) -> Response:
        actor = request.user
        mission = selectors.mission_get(actor=actor, mission_id=mission_id)
        values: dict[str, Any] = input_parse(CheckInInput, request.data)
        member_id = values.pop("member", None)
        member = selectors.member_get(mission=mission, member_id=member_id) if member_id else None
        checkin = services.mission_checkin(actor=actor, mission=mission, member=member, **values)
        return Response(CheckInOutput(checkin).data, status=status.HTTP_201_CREATED)


class MissionDebriefApi(ApiView):
    """The outcomes of a finished mission."""

    permission = Needs("missions.command_mission", gettext_noop("debrief missions"))

    @extend_schema(
        operation_id="mission_debrief",
        tags=["missions"],
        parameters=[MISSION_ID],
        request=DebriefInput,
        responses={201: DebriefOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, mission_id: str) -> Response:
        actor = request.user
        mission = selectors.mission_get(actor=actor, mission_id=mission_id)
        values = input_parse(DebriefInput, request.data)
        debrief = services.mission_debrief(actor=actor, mission=mission, **values)
        return Response(DebriefOutput(debrief).data, status=status.HTTP_201_CREATED)


class VehicleListApi(ListApiView):
    @extend_schema(
        operation_id="vehicle_list",
        tags=["missions"],
        responses={200: VehicleOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return self.page_response(selectors.vehicle_list(actor=request.user), VehicleOutput)


class VehicleRegisterApi(ApiView):
    permission = Needs("missions.add_vehicle", gettext_noop("register vehicles"))

    @extend_schema(
        operation_id="vehicle_register",
        tags=["missions"],
        request=VehicleInput,
        responses={201: VehicleOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(VehicleInput, request.data)
        vehicle = services.vehicle_register(actor=request.user, **values)
        return Response(VehicleOutput(vehicle).data, status=status.HTTP_201_CREATED)


class VehicleUpdateApi(ApiView):
    """Status (ready, in repair, out) and fuel of a vehicle."""

    permission = Needs("missions.change_vehicle", gettext_noop("change vehicles"))

    @extend_schema(
        operation_id="vehicle_update",
        tags=["missions"],
        parameters=[VEHICLE_ID],
        request=VehicleUpdateInput,
        responses={200: VehicleOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, vehicle_id: str) -> Response:
        actor = request.user
        vehicle = selectors.vehicle_get(actor=actor, vehicle_id=vehicle_id)
        changes = input_parse(VehicleUpdateInput, request.data)
        vehicle = services.vehicle_update(actor=actor, vehicle=vehicle, changes=changes)
        return Response(VehicleOutput(vehicle).data)
