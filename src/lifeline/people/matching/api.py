"""The API of name search, duplicates, tracing and protection cases: one class per operation,
each parsing with `people.matching.schemas`, calling one service or selector, rendering."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern
from django.utils.translation import gettext_lazy
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
    operations,
    path_id,
)
from lifeline.people import protection
from lifeline.people.matching import selectors
from lifeline.people.matching import services as duplicate_services
from lifeline.people.matching.schemas import (
    CaseCloseInput,
    CaseFilterInput,
    CaseOutput,
    CaseUpdateInput,
    DecisionInput,
    DuplicateDecisionOutput,
    DuplicateDismissInput,
    DuplicateMergeInput,
    DuplicateOutput,
    SearchInput,
    SearchMatchOutput,
    TracingCloseInput,
    TracingDetailOutput,
    TracingFilterInput,
    TracingInput,
    TracingMatchOutput,
    TracingOutput,
)
from lifeline.people.models import TracingRequest
from lifeline.people.schemas import PersonMergeOutput

REQUEST_ID = path_id("request_id", "tracing request")
MATCH_ID = path_id("match_id", "tracing match")
CASE_ID = path_id("case_id", "protection case")


class PersonSearchApi(ApiView):
    """People whose names match in any spelling, script or order, scored with age, sex and
    site, with the reasons."""

    @extend_schema(
        operation_id="person_search",
        tags=["matching"],
        parameters=[SearchInput],
        responses={200: SearchMatchOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        values = input_parse(SearchInput, request.query_params, strict=False)
        found = selectors.person_search(
            actor=request.user,
            query=values["q"],
            age=values.get("age"),
            sex=values.get("sex"),
            site=values.get("site"),
            limit=values["limit"],
        )
        return Response(SearchMatchOutput(found, many=True).data)


class DuplicateListApi(ListApiView):
    """The duplicates queue: every pair of records that are probably one person and not yet
    decided, most likely first, with the reasons; paged (`?page=`, `?page_size=`)."""

    @extend_schema(
        operation_id="duplicate_list",
        tags=["matching"],
        responses={200: DuplicateOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        found = selectors.duplicates_all(actor=request.user)
        return self.page_response(found, DuplicateOutput)  # type: ignore[arg-type]


class DuplicateMergeApi(ApiView):
    """Merge a proposed pair: the duplicate folded into the survivor, with the reason."""

    permission = Needs("people.merge_person", gettext_lazy("merge records"))

    @extend_schema(
        operation_id="duplicate_merge",
        tags=["matching"],
        request=DuplicateMergeInput,
        responses={200: PersonMergeOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(DuplicateMergeInput, request.data)
        merge = duplicate_services.duplicate_merge(actor=request.user, **values)
        return Response(PersonMergeOutput(merge).data)


class DuplicateDismissApi(ApiView):
    """Two records proposed as one person are not: the pair is never proposed again."""

    permission = Needs("people.merge_person", gettext_lazy("decide on duplicate records"))

    @extend_schema(
        operation_id="duplicate_dismiss",
        tags=["matching"],
        request=DuplicateDismissInput,
        responses={201: DuplicateDecisionOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(DuplicateDismissInput, request.data)
        decision = duplicate_services.duplicate_dismiss(actor=request.user, **values)
        return Response(DuplicateDecisionOutput(decision).data, status=status.HTTP_201_CREATED)


def tracing_body(request: TracingRequest) -> dict[str, Any]:
    matches = protection.tracing_matches(request=request)
    return {**TracingOutput(request).data, "matches": TracingMatchOutput(matches, many=True).data}


class TracingListApi(ApiView):
    @extend_schema(
        operation_id="tracing_list",
        tags=["tracing"],
        parameters=[TracingFilterInput],
        responses={200: TracingOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        values = input_parse(TracingFilterInput, request.query_params, strict=False)
        requests = protection.tracing_request_list(actor=request.user, status=values.get("status"))
        return Response(TracingOutput(requests[:500], many=True).data)


class TracingFileApi(ApiView):
    """File a tracing request; it is matched against the registry at once."""

    permission = Needs("people.trace_family", gettext_lazy("file tracing requests"))

    @extend_schema(
        operation_id="tracing_file",
        tags=["tracing"],
        request=TracingInput,
        responses={201: TracingDetailOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(TracingInput, request.data)
        filed = protection.tracing_request_file(actor=request.user, **values)
        return Response(tracing_body(filed), status=status.HTTP_201_CREATED)


class TracingDetailApi(ApiView):
    @extend_schema(
        operation_id="tracing_get",
        tags=["tracing"],
        parameters=[REQUEST_ID],
        responses={200: TracingDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, request_id: str) -> Response:
        found = protection.tracing_request_get(actor=request.user, request_id=request_id)
        return Response(tracing_body(found))


class TracingCloseApi(ApiView):
    """Close a request without a confirmed match (found by other means, or withdrawn)."""

    permission = Needs("people.confirm_tracing", gettext_lazy("close tracing requests"))

    @extend_schema(
        operation_id="tracing_close",
        tags=["tracing"],
        parameters=[REQUEST_ID],
        request=TracingCloseInput,
        responses={200: TracingDetailOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, request_id: str) -> Response:
        found = protection.tracing_request_get(actor=request.user, request_id=request_id)
        values = input_parse(TracingCloseInput, request.data)
        closed = protection.tracing_request_close(actor=request.user, request=found, **values)
        return Response(tracing_body(closed))


class TracingConfirmApi(ApiView):
    """The person proposed is the one sought: the family is linked, the request closed."""

    permission = Needs("people.confirm_tracing", gettext_lazy("confirm tracing matches"))

    @extend_schema(
        operation_id="tracing_confirm",
        tags=["tracing"],
        parameters=[MATCH_ID],
        request=DecisionInput,
        responses={200: TracingMatchOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, match_id: str) -> Response:
        note = input_parse(DecisionInput, request.data)["note"]
        match = protection.tracing_match_get(actor=request.user, match_id=match_id)
        match = protection.tracing_match_confirm(actor=request.user, match=match, note=note)
        return Response(TracingMatchOutput(match).data)


class TracingRejectApi(ApiView):
    permission = Needs("people.confirm_tracing", gettext_lazy("reject tracing matches"))

    @extend_schema(
        operation_id="tracing_reject",
        tags=["tracing"],
        parameters=[MATCH_ID],
        request=DecisionInput,
        responses={200: TracingMatchOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, match_id: str) -> Response:
        note = input_parse(DecisionInput, request.data)["note"]
        match = protection.tracing_match_get(actor=request.user, match_id=match_id)
        match = protection.tracing_match_reject(actor=request.user, match=match, note=note)
        return Response(TracingMatchOutput(match).data)


class CaseListApi(ApiView):
    """Children's protection cases, highest risk first (protection officers and the
    commander only; every read is audited)."""

    @extend_schema(
        operation_id="case_list",
        tags=["protection"],
        parameters=[CaseFilterInput],
        responses={200: CaseOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        values = input_parse(CaseFilterInput, request.query_params, strict=False)
        wanted = values.get("status", "open")
        cases = protection.case_list(actor=request.user, status=None if wanted == "all" else wanted)
        return Response(CaseOutput(cases, many=True).data)


class CaseReviewApi(ApiView):
    """Open a case for every child present with no adult of their household present."""

    permission = Needs("people.manage_protection", gettext_lazy("open protection cases"))

    @extend_schema(
        operation_id="case_review",
        tags=["protection"],
        request=None,
        responses={201: CaseOutput(many=True), **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        opened = protection.cases_open_for_unaccompanied(actor=request.user)
        return Response(CaseOutput(opened, many=True).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(ApiView):
    @extend_schema(
        operation_id="case_get",
        tags=["protection"],
        parameters=[CASE_ID],
        responses={200: CaseOutput, **READ_ERRORS},
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = protection.case_get(actor=request.user, case_id=case_id)
        return Response(CaseOutput(case).data)


class CaseUpdateApi(ApiView):
    permission = Needs("people.manage_protection", gettext_lazy("change protection cases"))

    @extend_schema(
        operation_id="case_update",
        tags=["protection"],
        parameters=[CASE_ID],
        request=CaseUpdateInput,
        responses={200: CaseOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, case_id: str) -> Response:
        case = protection.case_get(actor=request.user, case_id=case_id)
        changes = input_parse(CaseUpdateInput, request.data)
        case = protection.case_update(actor=request.user, case=case, changes=changes)
        return Response(CaseOutput(case).data)


class CaseCloseApi(ApiView):
    permission = Needs("people.manage_protection", gettext_lazy("close protection cases"))

    @extend_schema(
        operation_id="case_close",
        tags=["protection"],
        parameters=[CASE_ID],
        request=CaseCloseInput,
        responses={200: CaseOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = protection.case_get(actor=request.user, case_id=case_id)
        values = input_parse(CaseCloseInput, request.data)
        case = protection.case_close(actor=request.user, case=case, **values)
        return Response(CaseOutput(case).data)


urlpatterns: list[URLPattern] = [
    *operations("search/persons/", PersonSearchApi, name="api-person-search"),
    *operations("duplicates/", DuplicateListApi, name="api-duplicates"),
    *operations("duplicates/merge/", DuplicateMergeApi, name="api-duplicates-merge"),
    *operations("duplicates/dismiss/", DuplicateDismissApi, name="api-duplicates-dismiss"),
    *operations("tracing/", TracingListApi, TracingFileApi, name="api-tracing"),
    *operations("tracing/<str:request_id>/", TracingDetailApi, name="api-tracing-request"),
    *operations("tracing/<str:request_id>/close/", TracingCloseApi, name="api-tracing-close"),
    *operations(
        "tracing-matches/<str:match_id>/confirm/", TracingConfirmApi, name="api-tracing-confirm"
    ),
    *operations(
        "tracing-matches/<str:match_id>/reject/", TracingRejectApi, name="api-tracing-reject"
    ),
    *operations("cases/", CaseListApi, name="api-cases"),
    *operations("cases/review/", CaseReviewApi, name="api-cases-review"),
    *operations("cases/<str:case_id>/", CaseDetailApi, CaseUpdateApi, name="api-case"),
    *operations("cases/<str:case_id>/close/", CaseCloseApi, name="api-case-close"),
]
