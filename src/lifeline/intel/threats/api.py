"""The threat-picture API: hostile groups, sightings, watch posts and the perimeter log. One
class per operation; input through `intel.threats.schemas`, work in one service or selector."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
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
    input_parse,
    input_parse_or_fail,
    path_id,
)
from lifeline.core.services import Actor
from lifeline.intel.threats import selectors, services
from lifeline.intel.threats.schemas import (
    HostileGroupChangeInput,
    HostileGroupInput,
    HostileGroupOutput,
    PerimeterEntryInput,
    PerimeterEntryOutput,
    SightingInput,
    SightingOutput,
    WatchPostInput,
    WatchPostOutput,
)

GROUP_ID = path_id("group_id", "hostile group")


def threat_values_resolve(values: dict[str, Any]) -> dict[str, Any]:
    """Ids in parsed input become the rows they name (a group, a watch post)."""
    if "hostile_group" in values:
        values["hostile_group"] = selectors.hostile_group_for_field(values["hostile_group"])
    if "post" in values:
        values["post"] = selectors.watch_post_for_field(values["post"])
    return values


def sighting_parse_and_record(actor: Actor, data: Any) -> Any:
    values = threat_values_resolve(input_parse_or_fail(SightingInput, data))
    return services.sighting_record(actor=actor, **values)


def perimeter_parse_and_log(actor: Actor, data: Any) -> Any:
    values = threat_values_resolve(input_parse_or_fail(PerimeterEntryInput, data))
    return services.perimeter_log(actor=actor, **values)


class HostileGroupListApi(ListApiView):
    """The hostile groups known, with when and where each was last seen."""

    @extend_schema(
        operation_id="hostile_group_list",
        tags=["threats"],
        responses={200: HostileGroupOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return self.page_response(
            selectors.hostile_group_list(actor=request.user), HostileGroupOutput
        )


class HostileGroupCreateApi(ApiView):
    permission = Needs("intel.add_hostilegroup", gettext_lazy("record hostile groups"))

    @extend_schema(
        operation_id="hostile_group_create",
        tags=["threats"],
        request=HostileGroupInput,
        responses={201: HostileGroupOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(HostileGroupInput, request.data)
        group = services.hostile_group_create(actor=request.user, **values)
        return Response(HostileGroupOutput(group).data, status=status.HTTP_201_CREATED)


class HostileGroupDetailApi(ApiView):
    @extend_schema(
        operation_id="hostile_group_get",
        tags=["threats"],
        parameters=[GROUP_ID],
        responses={200: HostileGroupOutput, **READ_ERRORS},
    )
    def get(self, request: Request, group_id: str) -> Response:
        group = selectors.hostile_group_get(actor=request.user, group_id=group_id)
        return Response(HostileGroupOutput(group).data)


class HostileGroupUpdateApi(ApiView):
    permission = Needs("intel.change_hostilegroup", gettext_lazy("change hostile groups"))

    @extend_schema(
        operation_id="hostile_group_update",
        tags=["threats"],
        parameters=[GROUP_ID],
        request=HostileGroupChangeInput,
        responses={200: HostileGroupOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, group_id: str) -> Response:
        group = selectors.hostile_group_get(actor=request.user, group_id=group_id)
        changes = input_parse(HostileGroupChangeInput, request.data)
        services.hostile_group_update(actor=request.user, group=group, changes=changes)
        group = selectors.hostile_group_get(actor=request.user, group_id=group.pk)
        return Response(HostileGroupOutput(group).data)


class SightingListApi(ListApiView):
    """Sightings, newest first; `?group=ID` for one group's."""

    @extend_schema(
        operation_id="sighting_list",
        tags=["threats"],
        parameters=[OpenApiParameter("group", str, description="a hostile group's id")],
        responses={200: SightingOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        group = None
        if request.query_params.get("group"):
            group = selectors.hostile_group_get(
                actor=request.user, group_id=request.query_params["group"]
            )
        rows = selectors.sighting_list(actor=request.user, group=group)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        selectors.sighting_sources_attach(actor=request.user, sightings=page or [])
        context = {"reporter_visible": selectors.reporter_visible(request.user)}
        return paginator.get_paginated_response(
            SightingOutput(page, many=True, context=context).data
        )


class SightingRecordApi(ApiView):
    """Record a sighting (a radio call, a neighbour's warning); it updates the risk grid and
    may raise an alert when risk rises near the camp or on a mission's route."""

    permission = Needs("intel.add_sighting", gettext_lazy("record sightings"))

    @extend_schema(
        operation_id="sighting_record",
        tags=["threats"],
        request=SightingInput,
        responses={201: SightingOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        sighting = sighting_parse_and_record(request.user, request.data)
        selectors.sighting_sources_attach(actor=request.user, sightings=[sighting])
        context = {"reporter_visible": selectors.reporter_visible(request.user)}
        return Response(
            SightingOutput(sighting, context=context).data, status=status.HTTP_201_CREATED
        )


class WatchPostListApi(ListApiView):
    @extend_schema(
        operation_id="watch_post_list",
        tags=["threats"],
        responses={200: WatchPostOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return self.page_response(selectors.watch_post_list(actor=request.user), WatchPostOutput)


class WatchPostCreateApi(ApiView):
    permission = Needs("intel.add_watchpost", gettext_lazy("set up watch posts"))

    @extend_schema(
        operation_id="watch_post_create",
        tags=["threats"],
        request=WatchPostInput,
        responses={201: WatchPostOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(WatchPostInput, request.data)
        post = services.watch_post_create(actor=request.user, **values)
        return Response(WatchPostOutput(post).data, status=status.HTTP_201_CREATED)


class PerimeterLogListApi(ListApiView):
    @extend_schema(
        operation_id="perimeter_log_list",
        tags=["threats"],
        responses={200: PerimeterEntryOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.perimeter_log_list(actor=request.user)
        return self.page_response(rows, PerimeterEntryOutput)


class PerimeterLogWriteApi(ApiView):
    """Write what a watch post saw; something hostile also becomes a sighting."""

    permission = Needs("intel.add_perimeterlogentry", gettext_lazy("keep the perimeter log"))

    @extend_schema(
        operation_id="perimeter_log_write",
        tags=["threats"],
        request=PerimeterEntryInput,
        responses={201: PerimeterEntryOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        entry = perimeter_parse_and_log(request.user, request.data)
        return Response(PerimeterEntryOutput(entry).data, status=status.HTTP_201_CREATED)
