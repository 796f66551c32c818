"""The treatments and allocation API, under /api/care/treatments/ and /api/care/allocations/:
one class per operation; each parses with `care.treatments.schemas`, calls one service or
selector and renders an output schema."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from lifeline.care.treatments import schemas, selectors, services
from lifeline.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    ApiView,
    ListApiView,
    Needs,
    actor_of,
    input_parse,
    path_id,
)

TAGS = ["care"]
TREATMENT_ID = path_id("treatment_id", "treatment")
ALLOCATION_ID = path_id("allocation_id", "allocation")


def overrides_of(values: list[dict[str, Any]] | None) -> list[services.OverrideInput]:
    """The parsed overrides as the service takes them (shared by the API, CLI and pages)."""
    return [
        services.OverrideInput(
            patient=o["patient"], action=o["action"], reason=o["reason"], quantity=o.get("quantity")
        )
        for o in values or []
    ]


class TreatmentListApi(ListApiView):
    """Courses with their doses, next due and missed doses: of one patient (`?patient=`), or
    the active courses (of an item, `?item=`), newest first. Audited."""

    @extend_schema(
        operation_id="treatment_list",
        tags=TAGS,
        parameters=[
            OpenApiParameter("patient", str, description="a patient's id"),
            OpenApiParameter("item", str, description="an item's code"),
        ],
        responses={200: schemas.TreatmentOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        actor = actor_of(request)
        filters = input_parse(schemas.TreatmentFilterInput, request.query_params, strict=False)
        paginator = self.pagination_class()
        if filters.get("patient") is not None:
            # Paginated like the other list, as the schema says (issue 17: it was a bare list).
            every = selectors.patient_treatments(actor=actor, patient=filters["patient"])
            rows: Any = list(every)  # DRF pages a list as well as a queryset
            shown = paginator.paginate_queryset(rows, request, view=self) or []
            return paginator.get_paginated_response(schemas.TreatmentOutput(shown, many=True).data)
        qs = selectors.treatment_list(actor=actor, item=filters.get("item"))
        page = paginator.paginate_queryset(selectors.with_doses(qs), request, view=self)
        states = selectors.treatment_page_states(actor=actor, page=page or [])
        return paginator.get_paginated_response(schemas.TreatmentOutput(states, many=True).data)


class TreatmentCreateApi(ApiView):
    """Prescribe a course: a dose every N hours for M doses, from a store."""

    permission = Needs("care.prescribe_treatment", gettext_lazy("prescribe treatments"))

    @extend_schema(
        operation_id="treatment_prescribe",
        tags=TAGS,
        request=schemas.TreatmentInput,
        responses={201: schemas.TreatmentOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        values = input_parse(schemas.TreatmentInput, request.data)
        treatment = services.treatment_prescribe(actor=actor, **values)
        state = selectors.treatment_get(actor=actor, treatment_id=treatment.pk)
        return Response(schemas.TreatmentOutput(state).data, status=status.HTTP_201_CREATED)


class TreatmentDetailApi(ApiView):
    @extend_schema(
        operation_id="treatment_get",
        tags=TAGS,
        parameters=[TREATMENT_ID],
        responses={200: schemas.TreatmentOutput, **READ_ERRORS},
    )
    def get(self, request: Request, treatment_id: str) -> Response:
        state = selectors.treatment_get(actor=actor_of(request), treatment_id=treatment_id)
        return Response(schemas.TreatmentOutput(state).data)


class DoseCreateApi(ApiView):
    """Give a dose: issues it from the course's store (first expiry first) in the same
    transaction; refused, with nothing written, when the store has not enough."""

    permission = Needs("care.prescribe_treatment", gettext_lazy("give doses"))

    @extend_schema(
        operation_id="dose_give",
        tags=TAGS,
        parameters=[TREATMENT_ID],
        request=schemas.DoseInput,
        responses={201: schemas.DoseOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, treatment_id: str) -> Response:
        values = input_parse(schemas.DoseInput, request.data)
        actor = actor_of(request)
        treatment = selectors.treatment_find(actor=actor, treatment_id=treatment_id)
        dose = services.dose_give(actor=actor, treatment=treatment, **values)
        return Response(schemas.DoseOutput(dose).data, status=status.HTTP_201_CREATED)


class TreatmentStopApi(ApiView):
    permission = Needs("care.prescribe_treatment", gettext_lazy("stop treatments"))

    @extend_schema(
        operation_id="treatment_stop",
        tags=TAGS,
        parameters=[TREATMENT_ID],
        request=schemas.StopInput,
        responses={200: schemas.TreatmentOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, treatment_id: str) -> Response:
        actor = actor_of(request)
        values = input_parse(schemas.StopInput, request.data)
        treatment = services.treatment_stop(
            actor=actor,
            treatment=selectors.treatment_find(actor=actor, treatment_id=treatment_id),
            reason=values["reason"],
        )
        state = selectors.treatment_get(actor=actor, treatment_id=treatment.pk)
        return Response(schemas.TreatmentOutput(state).data)


class AllocationListApi(ListApiView):
    @extend_schema(
        operation_id="allocation_list",
        tags=TAGS,
        responses={200: schemas.AllocationSummaryOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return self.page_response(
            selectors.allocation_list(actor=actor_of(request)), schemas.AllocationSummaryOutput
        )


class AllocationProposeApi(ApiView):
    """Propose who gets the item's stock at the store among the courses waiting for it, by
    the rule of docs/care-allocation.md. Nothing is decided until it is confirmed."""

    permission = Needs("care.allocate_medicine", gettext_lazy("propose allocations of medicine"))

    @extend_schema(
        operation_id="allocation_propose",
        tags=TAGS,
        request=schemas.AllocationProposeInput,
        responses={201: schemas.AllocationOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        values = input_parse(schemas.AllocationProposeInput, request.data)
        decision = services.allocation_propose(
            actor=actor,
            item=values["item"],
            store=values["store"],
            partial=values["partial_courses"],
        )
        view = selectors.allocation_get(actor=actor, decision_id=decision.pk)
        return Response(schemas.AllocationOutput(view).data, status=status.HTTP_201_CREATED)


class AllocationDetailApi(ApiView):
    @extend_schema(
        operation_id="allocation_get",
        tags=TAGS,
        parameters=[ALLOCATION_ID],
        responses={200: schemas.AllocationOutput, **READ_ERRORS},
    )
    def get(self, request: Request, allocation_id: str) -> Response:
        view = selectors.allocation_get(actor=actor_of(request), decision_id=allocation_id)
        return Response(schemas.AllocationOutput(view).data)


class AllocationConfirmApi(ApiView):
    """Confirm a proposal as it is, or with overrides (`give` or `withhold`, each with its
    reason). An override serving a lower triage category first is recorded as such."""

    permission = Needs("care.allocate_medicine", gettext_lazy("confirm allocations of medicine"))

    @extend_schema(
        operation_id="allocation_confirm",
        tags=TAGS,
        parameters=[ALLOCATION_ID],
        request=schemas.AllocationConfirmInput,
        responses={200: schemas.AllocationOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, allocation_id: str) -> Response:
        actor = actor_of(request)
        values = input_parse(schemas.AllocationConfirmInput, request.data)
        decision = selectors.allocation_find(actor=actor, decision_id=allocation_id)
        services.allocation_confirm(
            actor=actor,
            decision=decision,
            overrides=overrides_of(values.get("overrides")),
            note=values.get("note", ""),
        )
        view = selectors.allocation_get(actor=actor, decision_id=decision.pk)
        return Response(schemas.AllocationOutput(view).data)
