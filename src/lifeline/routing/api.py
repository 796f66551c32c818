"""The routing REST API: plan a route, list and draw threat zones. One class per operation;
input through `routing.schemas`, work in one service or selector."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from lifeline.core.api import READ_ERRORS, WRITE_ERRORS, ApiView, ListApiView, Needs, input_parse
from lifeline.routing import selectors, services
from lifeline.routing.schemas import (
    RouteExportInput,
    RouteInput,
    RoutePlanOutput,
    ThreatZoneInput,
    ThreatZoneOutput,
)


class RoutePlanApi(ApiView):
    """The safest route between two points around the active threat zones, with its length
    and exposure; when no way avoids the zones at `avoid_level`, `found` is false, `reason`
    says why and `least_exposed` is the way that crosses them least."""

    permission = Needs("routing.plan_route", gettext_lazy("plan routes"))

    @extend_schema(
        operation_id="route_plan",
        tags=["routing"],
        request=RouteInput,
        responses={200: RoutePlanOutput, **READ_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(RouteInput, request.data)
        plan = services.route_safest(actor=request.user, **values)
        return Response(RoutePlanOutput(asdict(plan)).data)


def _route_file(request: Request, file_format: str) -> HttpResponse:
    values = input_parse(RouteExportInput, request.query_params)
    routed = services.route_export(actor=request.user, file_format=file_format, **values)
    response = HttpResponse(routed.content, content_type=routed.content_type)
    response["Content-Disposition"] = f'attachment; filename="{routed.filename}"'
    return response


_CONFLICT = {409: OpenApiResponse(description="No route avoids the zones at avoid_level")}


class RouteGpxApi(ApiView):
    """The safest route between two points as a GPX 1.1 file for a GPS unit: a track of every
    point and a route of the turns, each named with its instruction."""

    @extend_schema(
        operation_id="route_gpx",
        tags=["routing"],
        parameters=[RouteExportInput],
        responses={
            (200, "application/gpx+xml"): OpenApiTypes.STR,
            **READ_ERRORS,
            **_CONFLICT,
        },
    )
    def get(self, request: Request) -> HttpResponse:
        return _route_file(request, "gpx")


class RouteGeoJsonApi(ApiView):
    """The safest route between two points as GeoJSON: the line ([lon, lat]) with its length
    and exposure, and a point for each turn with its instruction and distance."""

    @extend_schema(
        operation_id="route_geojson",
        tags=["routing"],
        parameters=[RouteExportInput],
        responses={
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
            **READ_ERRORS,
            **_CONFLICT,
        },
    )
    def get(self, request: Request) -> HttpResponse:
        return _route_file(request, "geojson")


class ThreatZoneListApi(ListApiView):
    """The threat zones in force (not expired, not deleted), newest first."""

    @extend_schema(
        operation_id="threat_zone_list",
        tags=["routing"],
        responses={200: ThreatZoneOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.zone_list(actor=request.user, now=timezone.now())
        return self.page_response(rows, ThreatZoneOutput)


class ThreatZoneDrawApi(ApiView):
    """Draw a threat zone: polygon of [lat, lon] points, level 0.5..5, optional expiry."""

    permission = Needs("routing.draw_threatzone", gettext_lazy("draw threat zones"))

    @extend_schema(
        operation_id="threat_zone_draw",
        tags=["routing"],
        request=ThreatZoneInput,
        responses={201: ThreatZoneOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(ThreatZoneInput, request.data)
        zone = services.zone_draw(actor=request.user, **values)
        return Response(ThreatZoneOutput(zone).data, status=status.HTTP_201_CREATED)
