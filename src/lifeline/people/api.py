"""The registry's REST API: one class per operation. Each parses its input with the shared
schema (`people.schemas`), calls one selector or service, and renders an output schema.
Roles, validation and audit rows are the services' and selectors' business, not the views'."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

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
from lifeline.people import selectors, services
from lifeline.people.models import Household
from lifeline.people.schemas import (
    ConditionInput,
    ConditionObservationOutput,
    DeleteInput,
    HouseholdDetailOutput,
    HouseholdFilterInput,
    HouseholdInput,
    HouseholdMoveInput,
    HouseholdOutput,
    HouseholdUpdateInput,
    MemberInput,
    MergeInput,
    MergeUndoInput,
    PersonDetailOutput,
    PersonFilterInput,
    PersonInput,
    PersonMergeOutput,
    PersonOutput,
    PersonSummaryOutput,
    PersonUpdateInput,
    StatusEventOutput,
    StatusInput,
    TimelineEntryOutput,
)

PERSON_ID = path_id("person_id", "person")
HOUSEHOLD_ID = path_id("household_id", "household")
MERGE_ID = path_id("merge_id", "merge")


# ---- persons -------------------------------------------------------------------------------


class PersonListApi(ListApiView):
    """People in the registry, filtered; filtering by a condition needs a role that sees it."""

    @extend_schema(
        operation_id="person_list",
        tags=["people"],
        parameters=[PersonFilterInput],
        responses={200: PersonSummaryOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = input_parse(PersonFilterInput, request.query_params, strict=False)
        people = selectors.person_list(
            actor=actor_of(request), filters=selectors.PersonFilters(**filters)
        )
        return self.page_response(people, PersonSummaryOutput)


class PersonRegisterApi(ApiView):
    """Register a person with their first status and place, and conditions seen at intake."""

    permission = Needs("people.add_person", gettext_lazy("register people"))

    @extend_schema(
        operation_id="person_register",
        tags=["people"],
        request=PersonInput,
        responses={201: PersonOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(PersonInput, request.data)
        person = services.person_register(actor=actor_of(request), **values)
        return Response(PersonOutput(person).data, status=status.HTTP_201_CREATED)


class PersonDetailApi(ApiView):
    """One person as the caller's role may see them. Seeing a location or a condition is
    written to the audit log."""

    @extend_schema(
        operation_id="person_get",
        tags=["people"],
        parameters=[PERSON_ID],
        responses={200: PersonDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, person_id: str) -> Response:
        record = selectors.person_record(actor=actor_of(request), person_id=person_id)
        return Response(PersonDetailOutput(record).data)


class PersonUpdateApi(ApiView):
    """Change identity fields; status and conditions have their own endpoints."""

    permission = Needs("people.change_person", gettext_lazy("change people's records"))

    @extend_schema(
        operation_id="person_update",
        tags=["people"],
        parameters=[PERSON_ID],
        request=PersonUpdateInput,
        responses={200: PersonOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, person_id: str) -> Response:
        actor = actor_of(request)
        person = selectors.person_get(actor=actor, person_id=person_id)
        changes = input_parse(PersonUpdateInput, request.data)
        person = services.person_update(actor=actor, person=person, changes=changes)
        return Response(PersonOutput(person).data)


class PersonDeleteApi(ApiView):
    """Delete a record (a tombstone: it can be restored). Say why, in `?reason=` or in a JSON
    body `{"reason": "..."}`."""

    permission = Needs("people.delete_person", gettext_lazy("delete people's records"))

    @extend_schema(
        operation_id="person_delete",
        tags=["people"],
        parameters=[
            PERSON_ID,
            OpenApiParameter(
                "reason",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description="why the record is deleted, when the body does not say",
            ),
        ],
        request=DeleteInput,
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, person_id: str) -> Response:
        actor = actor_of(request)
        person = selectors.person_get(actor=actor, person_id=person_id)
        body: Any = request.data
        if not body and "reason" in request.query_params:
            body = {"reason": request.query_params["reason"]}
        values = input_parse(DeleteInput, body)
        services.person_delete(actor=actor, person=person, reason=values["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonStatusRecordApi(ApiView):
    """Append a status event (where the person is, in what state); the current status and
    location are derived from these events."""

    permission = Needs("people.record_status", gettext_lazy("record a person's status"))

    @extend_schema(
        operation_id="person_status_record",
        tags=["people"],
        parameters=[PERSON_ID],
        request=StatusInput,
        responses={201: StatusEventOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, person_id: str) -> Response:
        actor = actor_of(request)
        person = selectors.person_get(actor=actor, person_id=person_id)
        values = input_parse(StatusInput, request.data)
        event = services.person_status_record(actor=actor, person=person, **values)
        context = {"location_visible": selectors.can_see_location(actor)}
        return Response(
            StatusEventOutput(event, context=context).data, status=status.HTTP_201_CREATED
        )


class PersonConditionRecordApi(ApiView):
    """Append a condition observation (seen present, or `present: false` when resolved)."""

    permission = Needs("people.record_condition", gettext_lazy("record a person's condition"))

    @extend_schema(
        operation_id="person_condition_record",
        tags=["people"],
        parameters=[PERSON_ID],
        request=ConditionInput,
        responses={201: ConditionObservationOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, person_id: str) -> Response:
        actor = actor_of(request)
        person = selectors.person_get(actor=actor, person_id=person_id)
        values = input_parse(ConditionInput, request.data)
        observation = services.person_condition_record(actor=actor, person=person, **values)
        return Response(
            ConditionObservationOutput(observation).data, status=status.HTTP_201_CREATED
        )


class PersonHistoryApi(ApiView):
    """The person's timeline: status events, the conditions the role may see, merges."""

    @extend_schema(
        operation_id="person_history",
        tags=["people"],
        parameters=[PERSON_ID],
        responses={200: TimelineEntryOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, person_id: str) -> Response:
        record = selectors.person_record(actor=actor_of(request), person_id=person_id)
        return Response(TimelineEntryOutput(record.timeline, many=True).data)


class PersonMergeApi(ApiView):
    """Fold the record `duplicate` into this one: both histories kept, the duplicate
    tombstoned; reversible through the merge's undo."""

    permission = Needs("people.merge_person", gettext_lazy("merge records"))

    @extend_schema(
        operation_id="person_merge",
        tags=["people"],
        parameters=[PERSON_ID],
        request=MergeInput,
        responses={201: PersonMergeOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, person_id: str) -> Response:
        actor = actor_of(request)
        survivor = selectors.person_get(actor=actor, person_id=person_id)
        values = input_parse(MergeInput, request.data)
        merge = services.person_merge(
            actor=actor,
            survivor=survivor,
            duplicate=values["duplicate"],
            reason=values.get("reason", ""),
        )
        return Response(PersonMergeOutput(merge).data, status=status.HTTP_201_CREATED)


class PersonMergeUndoApi(ApiView):
    """Undo a merge: the duplicate comes back as it was. Answers with the restored record."""

    permission = Needs("people.merge_person", gettext_lazy("undo a merge"))

    @extend_schema(
        operation_id="person_merge_undo",
        tags=["people"],
        parameters=[MERGE_ID],
        request=MergeUndoInput,
        responses={200: PersonOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, merge_id: str) -> Response:
        actor = actor_of(request)
        merge = selectors.person_merge_get(actor=actor, merge_id=merge_id)
        values = input_parse(MergeUndoInput, request.data)
        person = services.person_merge_undo(actor=actor, merge=merge, **values)
        return Response(PersonOutput(person).data)


# ---- households ----------------------------------------------------------------------------


def _household_detail(request: Request, household: Household) -> dict[str, Any]:
    actor = actor_of(request)
    members = selectors.household_members(actor=actor, household=household)
    context = {"members": list(members), "location_visible": selectors.can_see_location(actor)}
    return dict(HouseholdDetailOutput(household, context=context).data)


class HouseholdListApi(ListApiView):
    """Households, by ration card or shelter (`q`) and site."""

    @extend_schema(
        operation_id="household_list",
        tags=["households"],
        parameters=[HouseholdFilterInput],
        responses={200: HouseholdOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = input_parse(HouseholdFilterInput, request.query_params, strict=False)
        households = selectors.household_list(
            actor=actor_of(request), q=filters.get("q", ""), site=filters.get("site") or None
        )
        context = {"location_visible": selectors.can_see_location(actor_of(request))}
        return self.page_response(households, HouseholdOutput, context=context)


class HouseholdCreateApi(ApiView):
    """Create a household; a head, if given, becomes its first member."""

    permission = Needs("people.add_household", gettext_lazy("create households"))

    @extend_schema(
        operation_id="household_create",
        tags=["households"],
        request=HouseholdInput,
        responses={201: HouseholdDetailOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(HouseholdInput, request.data)
        household = services.household_create(actor=actor_of(request), **values)
        return Response(_household_detail(request, household), status=status.HTTP_201_CREATED)


class HouseholdDetailApi(ApiView):
    """One household with its members."""

    @extend_schema(
        operation_id="household_get",
        tags=["households"],
        parameters=[HOUSEHOLD_ID],
        responses={200: HouseholdDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, household_id: str) -> Response:
        household = selectors.household_get(actor=actor_of(request), household_id=household_id)
        return Response(_household_detail(request, household))


class HouseholdUpdateApi(ApiView):
    """Change a household's card, shelter, area, head or notes; moving it is `move/`."""

    permission = Needs("people.change_household", gettext_lazy("change households"))

    @extend_schema(
        operation_id="household_update",
        tags=["households"],
        parameters=[HOUSEHOLD_ID],
        request=HouseholdUpdateInput,
        responses={200: HouseholdDetailOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, household_id: str) -> Response:
        actor = actor_of(request)
        household = selectors.household_get(actor=actor, household_id=household_id)
        changes = input_parse(HouseholdUpdateInput, request.data)
        household = services.household_update(actor=actor, household=household, changes=changes)
        return Response(_household_detail(request, household))


class HouseholdMoveApi(ApiView):
    """Move a household to another shelter, area or site; every member's history shows it."""

    permission = Needs("people.change_household", gettext_lazy("move households"))

    @extend_schema(
        operation_id="household_move",
        tags=["households"],
        parameters=[HOUSEHOLD_ID],
        request=HouseholdMoveInput,
        responses={200: HouseholdDetailOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, household_id: str) -> Response:
        actor = actor_of(request)
        household = selectors.household_get(actor=actor, household_id=household_id)
        values = input_parse(HouseholdMoveInput, request.data)
        household = services.household_move(actor=actor, household=household, **values)
        return Response(_household_detail(request, household))


class HouseholdMemberAddApi(ApiView):
    """Add a person to the household (they leave any household they were in)."""

    permission = Needs("people.change_household", gettext_lazy("change households"))

    @extend_schema(
        operation_id="household_member_add",
        tags=["households"],
        parameters=[HOUSEHOLD_ID],
        request=MemberInput,
        responses={200: HouseholdDetailOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, household_id: str) -> Response:
        actor = actor_of(request)
        household = selectors.household_get(actor=actor, household_id=household_id)
        values = input_parse(MemberInput, request.data)
        services.household_member_add(actor=actor, household=household, person=values["person"])
        return Response(_household_detail(request, household))


class HouseholdMemberRemoveApi(ApiView):
    """Take a person out of the household; if they were its head, it has none."""

    permission = Needs("people.change_household", gettext_lazy("change households"))

    @extend_schema(
        operation_id="household_member_remove",
        tags=["households"],
        parameters=[HOUSEHOLD_ID, PERSON_ID],
        responses={200: HouseholdDetailOutput, **WRITE_ERRORS},
    )
    def delete(self, request: Request, household_id: str, person_id: str) -> Response:
        actor = actor_of(request)
        household = selectors.household_get(actor=actor, household_id=household_id)
        person = selectors.person_get(actor=actor, person_id=person_id)
        services.household_member_remove(actor=actor, household=household, person=person)
        return Response(_household_detail(request, household))
