"""Routing's API routes, under /api/."""

from django.urls import URLPattern

from lifeline.core.api import operations
from lifeline.routing import api

urlpatterns: list[URLPattern] = [
    *operations("routes/", api.RoutePlanApi, name="api-routes"),
    *operations("routes/gpx/", api.RouteGpxApi, name="api-route-gpx"),
    *operations("routes/geojson/", api.RouteGeoJsonApi, name="api-route-geojson"),
    *operations(
        "threat-zones/", api.ThreatZoneListApi, api.ThreatZoneDrawApi, name="api-threat-zones"
    ),
]
