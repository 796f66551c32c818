"""The facilities REST API: one class per operation, each parsing with `facilities.schemas`
and calling one selector or service."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from lifeline.core.api import (
    ANY_CALLER,
    READ_ERRORS,
    WRITE_ERRORS,
    ApiView,
    Needs,
    input_parse,
    path_id,
)
from lifeline.facilities import schemas, selectors, services

FACILITY_ID = path_id("facility_id", "facility")
WORK_ID = path_id("work_id", "work order")
SHIFT_ID = path_id("shift_id", "shift")
TAGS = ["facilities"]


class FacilityListApi(ApiView):
    """This site's facilities, those that need work first."""

    @extend_schema(
        operation_id="facility_list",
        tags=TAGS,
        parameters=[schemas.FacilityListQuery],
        responses={200: schemas.FacilityOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = input_parse(schemas.FacilityListQuery, request.query_params, strict=False)
        rows = selectors.facility_list(actor=request.user, **query)
        return Response(schemas.FacilityOutput(rows, many=True).data)


class FacilityRegisterApi(ApiView):
    permission = Needs("facilities.add_facility", gettext_lazy("register facilities"))

    @extend_schema(
        operation_id="facility_register",
        tags=TAGS,
        request=schemas.FacilityInput,
        responses={201: schemas.FacilityOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(schemas.FacilityInput, request.data)
        facility = services.facility_register(actor=request.user, **values)
        return Response(schemas.FacilityOutput(facility).data, status=status.HTTP_201_CREATED)


class FacilityDetailApi(ApiView):
    """One facility with its assessments and its repair work."""

    @extend_schema(
        operation_id="facility_get",
        tags=TAGS,
        parameters=[FACILITY_ID],
        responses={200: schemas.FacilityRecordOutput, **READ_ERRORS},
    )
    def get(self, request: Request, facility_id: str) -> Response:
        record = selectors.facility_record(actor=request.user, facility_id=facility_id)
        return Response(schemas.FacilityRecordOutput(record).data)


class AssessmentApi(ApiView):
    """Record how a facility stands after an event (photos are added through the page)."""

    permission = Needs("facilities.add_damageassessment", gettext_lazy("assess damage"))

    @extend_schema(
        operation_id="facility_assess",
        tags=TAGS,
        parameters=[FACILITY_ID],
        request=schemas.AssessmentInput,
        responses={201: schemas.AssessmentOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, facility_id: str) -> Response:
        facility = selectors.facility_get(actor=request.user, facility_id=facility_id)
        values = input_parse(schemas.AssessmentInput, request.data)
        assessment = services.damage_assess(actor=request.user, facility=facility, **values)
        return Response(schemas.AssessmentOutput(assessment).data, status=status.HTTP_201_CREATED)


class WorkOpenApi(ApiView):
    """Open and started repair work, most urgent first."""

    @extend_schema(
        operation_id="work_open_list",
        tags=TAGS,
        responses={200: schemas.WorkOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.work_open_list(actor=request.user)
        return Response(schemas.WorkOutput(rows, many=True).data)


class WorkRaiseApi(ApiView):
    permission = Needs("facilities.add_workorder", gettext_lazy("raise repair work"))

    @extend_schema(
        operation_id="work_raise",
        tags=TAGS,
        request=schemas.WorkInput,
        responses={201: schemas.WorkOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = selectors.work_rows(
            actor=request.user, values=input_parse(schemas.WorkInput, request.data)
        )
        order = services.work_order_raise(actor=request.user, **values)
        return Response(schemas.WorkOutput(order).data, status=status.HTTP_201_CREATED)


class WorkStartApi(ApiView):
    permission = Needs("facilities.change_workorder", gettext_lazy("start repair work"))

    @extend_schema(
        operation_id="work_start",
        tags=TAGS,
        parameters=[WORK_ID],
        request=None,
        responses={200: schemas.WorkOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, work_id: str) -> Response:
        order = selectors.work_get(actor=request.user, work_id=work_id)
        order = services.work_order_start(actor=request.user, order=order)
        return Response(schemas.WorkOutput(order).data)


class WorkMaterialApi(ApiView):
    """Draw material from the store for the work (the ledger's issue)."""

    permission = Needs("facilities.change_workorder", gettext_lazy("draw material for repairs"))

    @extend_schema(
        operation_id="work_material_draw",
        tags=TAGS,
        parameters=[WORK_ID],
        request=schemas.MaterialInput,
        responses={201: schemas.MaterialOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, work_id: str) -> Response:
        order = selectors.work_get(actor=request.user, work_id=work_id)
        values = input_parse(schemas.MaterialInput, request.data)
        line = services.work_material_draw(actor=request.user, order=order, **values)
        return Response(schemas.MaterialOutput(line).data, status=status.HTTP_201_CREATED)


class WorkCloseApi(ApiView):
    permission = Needs("facilities.change_workorder", gettext_lazy("close repair work"))

    @extend_schema(
        operation_id="work_close",
        tags=TAGS,
        parameters=[WORK_ID],
        request=schemas.WorkCloseInput,
        responses={200: schemas.WorkOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, work_id: str) -> Response:
        order = selectors.work_get(actor=request.user, work_id=work_id)
        values = input_parse(schemas.WorkCloseInput, request.data)
        order = services.work_order_close(actor=request.user, order=order, **values)
        return Response(schemas.WorkOutput(order).data)


class RosterApi(ApiView):
    """The watch roster over a span (from now, 24 hours, unless asked), with the rules'
    findings: posts uncovered, watchers on two posts, short rests, long days."""

    @extend_schema(
        operation_id="watch_roster",
        tags=TAGS,
        parameters=[
            OpenApiParameter("start", str, description="ISO 8601; now if absent"),
            OpenApiParameter("hours", int, description="1 to 336; 24 if absent"),
        ],
        responses={200: schemas.RosterOutput, **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = input_parse(schemas.RosterQuery, request.query_params, strict=False)
        start = query.get("start") or timezone.now()
        view = selectors.roster_view(actor=request.user, start=start, hours=query["hours"])
        return Response(schemas.RosterOutput(view).data)


class ShiftPlanApi(ApiView):
    permission = Needs("facilities.plan_shift", gettext_lazy("plan the watch"))

    @extend_schema(
        operation_id="watch_shift_plan",
        tags=TAGS,
        request=schemas.ShiftInput,
        responses={201: schemas.ShiftOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(schemas.ShiftInput, request.data)
        shift = services.shift_plan(actor=request.user, **values)
        return Response(schemas.ShiftOutput(shift).data, status=status.HTTP_201_CREATED)


class ShiftMineApi(ApiView):
    """The caller's own shifts from now on."""

    @extend_schema(
        operation_id="watch_my_shifts",
        tags=TAGS,
        responses={200: schemas.ShiftOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.shifts_of_user(actor=request.user)
        return Response(schemas.ShiftOutput(rows, many=True).data)


class ShiftAssignApi(ApiView):
    permission = Needs("facilities.plan_shift", gettext_lazy("change the watch"))

    @extend_schema(
        operation_id="watch_shift_assign",
        tags=TAGS,
        parameters=[SHIFT_ID],
        request=schemas.ShiftAssignInput,
        responses={200: schemas.ShiftOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, shift_id: str) -> Response:
        shift = selectors.shift_get(actor=request.user, shift_id=shift_id)
        values = input_parse(schemas.ShiftAssignInput, request.data)
        shift = services.shift_assign(actor=request.user, shift=shift, **values)
        return Response(schemas.ShiftOutput(shift).data)


class ShiftHandoverApi(ApiView):
    permission = ANY_CALLER  # the service lets the watcher or the commander write it

    @extend_schema(
        operation_id="watch_shift_handover",
        tags=TAGS,
        parameters=[SHIFT_ID],
        request=schemas.HandoverInput,
        responses={200: schemas.ShiftOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, shift_id: str) -> Response:
        shift = selectors.shift_get(actor=request.user, shift_id=shift_id)
        values = input_parse(schemas.HandoverInput, request.data)
        shift = services.shift_handover(actor=request.user, shift=shift, **values)
        return Response(schemas.ShiftOutput(shift).data)
