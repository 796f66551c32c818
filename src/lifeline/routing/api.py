"""The routing REST API: plan a route, list and draw threat zones. One class per operation;
input through `routing.schemas`, work in one service or selector."""

from __future__ import annotations

from dataclasses import asdict

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from lifeline.core.api import READ_ERRORS, WRITE_ERRORS, ApiView, ListApiView, Needs, input_parse
from lifeline.routing import selectors, services
from lifeline.routing.schemas import RouteInput, RoutePlanOutput, ThreatZoneInput, ThreatZoneOutput


class RoutePlanApi(ApiView):
    """The safest route between two points around the active threat zones, with its length
    and exposure; when no way avoids the zones at `avoid_level`, `found` is false, `reason`
    says why and `least_exposed` is the way that crosses them least."""

    permission = Needs("routing.plan_route", "plan routes")

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

    permission = Needs("routing.draw_threatzone", "draw threat zones")

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
