"""The map page: our own road graph, the zones, the sightings' risk cells, the sightings (fading
with age), the hostile groups where last seen and the named places drawn as inline SVG (no tile
server), and a little script that plans a route between two clicked points. With `from` and
`to` in the query (LAT,LON) the page plans that route itself and shows the area around it.
What is drawn, and where, is `routing.map_presenter`'s. The page is web's, the operating
picture's: it puts intel's threats on routing's streets, and routing reads nothing of intel."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.errors import ValidationFailed
from lifeline.core.pages import page_view
from lifeline.core.services import permission_require
from lifeline.intel.threats import selectors as threat_selectors
from lifeline.routing import map_presenter, selectors
from lifeline.routing.schemas import RouteInput
from lifeline.routing.services import graph_unpack, risk_levels, risk_params, route_safest

ROUTE_QUERY = {"from": "origin", "to": "destination"}
ROUTE_OPTIONS = ("risk_weight", "avoid_level", "alternatives")


def _route_query(request: HttpRequest) -> dict[str, Any] | None:
    """The route asked for in the query string, validated; None when none is."""
    if not any(key in request.GET for key in ROUTE_QUERY):
        return None
    data = {field: request.GET.get(key, "") for key, field in ROUTE_QUERY.items()}
    data.update({key: request.GET[key] for key in ROUTE_OPTIONS if request.GET.get(key)})
    parser = RouteInput(data=data)
    if not parser.is_valid():
        # Named as the query names them.
        names = {field: key for key, field in ROUTE_QUERY.items()}
        raise ValidationFailed(
            {names.get(k, k): [str(m) for m in v] for k, v in parser.errors.items()}
        )
    return dict(parser.validated_data)


@page_view
def route_map(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, "routing.plan_route", doing=_("plan routes"))
    query = _route_query(request)
    stored = selectors.graph_get(name=request.GET.get("graph") or None)
    graph = graph_unpack(stored)
    now = timezone.now()
    half_life_s = risk_params().half_life_s
    plan = None
    focus: list[tuple[float, float]] = []
    if query is not None:
        plan = route_safest(actor=request.user, graph=stored.name, now=now, **query)
        focus = map_presenter.plan_focus([query["origin"], query["destination"]], plan)
    since = map_presenter.sightings_shown_since(now, half_life_s)
    sightings = threat_selectors.sighting_list(actor=request.user, since=since)
    picture = map_presenter.map_picture(
        graph=graph,
        viewport=map_presenter.viewport_choose(graph, focus),
        zones=selectors.zone_list(actor=request.user, now=now),
        risk_levels=risk_levels(now=now, zones=[]),
        sightings=sightings[: map_presenter.MAX_SIGHTINGS_DRAWN],
        groups=threat_selectors.hostile_group_list(actor=request.user),
        routes=map_presenter.plan_routes(plan) if plan is not None else (),
        now=now,
        half_life_s=half_life_s,
    )
    status = map_presenter.plan_status(plan) if plan is not None else ""
    downloads: dict[str, str] = {}
    if query is not None and plan is not None and plan.found:
        downloads = _route_downloads(query, stored.name)
    return render(
        request,
        "web/map.html",
        {
            "stored": stored,
            "picture": picture,
            "status": status,
            "now": now,
            "downloads": downloads,
        },
    )


def _route_downloads(query: dict[str, Any], graph: str) -> dict[str, str]:
    """The planned route's files (GPX for a GPS unit, GeoJSON), asked of the API as planned."""
    params = {
        "origin": "{},{}".format(*query["origin"]),
        "destination": "{},{}".format(*query["destination"]),
        "risk_weight": query["risk_weight"],
        "graph": graph,
    }
    if query.get("avoid_level") is not None:
        params["avoid_level"] = query["avoid_level"]
    encoded = urlencode(params)
    return {
        "gpx": f"{reverse('api-route-gpx')}?{encoded}",
        "geojson": f"{reverse('api-route-geojson')}?{encoded}",
    }
