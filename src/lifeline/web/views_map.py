"""The map page: our own road graph, the zones, the sightings' risk cells, the sightings (fading
with age), the hostile groups where last seen and the named places drawn as inline SVG (no tile
server), and a little script that plans a route between two clicked points. With `from` and
`to` in the query (LAT,LON) the page plans that route itself and shows the area around it.
What is drawn, and where, is `routing.map_presenter`'s. The page is web's, the operating
picture's: it puts intel's threats on routing's streets, and routing reads nothing of intel."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.errors import LifelineError, ValidationFailed
from lifeline.core.pages import page_view
from lifeline.core.services import permission_require
from lifeline.intel.threats import selectors as threat_selectors
from lifeline.routing import map_presenter, selectors
from lifeline.routing.graph import RoadGraph
from lifeline.routing.schemas import RouteInput
from lifeline.routing.services import graph_unpack, risk_levels, risk_params, route_safest
from lifeline.web import map_layers

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
    live = _live_map(request, graph, picture.viewport, plan, now)
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
            "live": live,
        },
    )


def _live_map(
    request: HttpRequest,
    graph: RoadGraph,
    viewport: map_presenter.Viewport,
    plan: map_presenter.PlanShown | None,
    now: dt.datetime,
) -> dict[str, Any] | None:
    """What the live map over the basemap needs: the basemaps, this role's layers and the
    planned route (when the query asked for one), and the area to show first."""
    extra = []
    if plan is not None:
        routes = map_layers.Layer("route", _("Planned route"))
        for drawn in map_presenter.plan_routes(plan):
            routes.features.append(
                map_layers.route_feature(drawn.path, colour=drawn.colour, dashed=drawn.dashed)
            )
        extra.append(routes)
    return map_layers.live_map(
        actor=request.user,
        viewport=viewport,
        map_id="route-map",
        graph=graph,
        extra=extra,
        now=now,
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


# ---- basemap files -------------------------------------------------------------------------

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# A phone keeps the parts of the basemap it read for an hour (the file changes only when a
# basemap of the same name is added again).
BASEMAP_CACHE = "private, max-age=3600"


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte a `Range` header asks of a file of `size` bytes; None when it
    asks for none we can give (416). Only one range: what PMTiles readers send."""
    match = RANGE.match(header.strip())
    if match is None or size == 0:
        return None
    first, last = match.groups()
    if first == "":
        if last == "" or int(last) == 0:
            return None
        return max(0, size - int(last)), size - 1  # the last N bytes
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if start > end:
        return None
    return start, end


@login_required
def basemap_file(request: HttpRequest, name: str) -> HttpResponseBase:
    """A basemap kept under the data folder, served by us in the parts the map asks for (HTTP
    range requests answered 206): no tile server, no outside host. Its refusals are bare
    statuses: the map's script reads them, not a person."""
    try:
        permission_require(request.user, "routing.plan_route", doing=_("see the map"))
        path = selectors.basemap_path(name=name)
    except LifelineError as error:
        return HttpResponse(error.message, status=error.http_status, content_type="text/plain")
    size = path.stat().st_size
    header = request.headers.get("Range")
    if header is None:
        whole = FileResponse(path.open("rb"), content_type="application/octet-stream")
        whole["Accept-Ranges"] = "bytes"
        whole["Cache-Control"] = BASEMAP_CACHE
        return whole
    wanted = byte_range(header, size)
    if wanted is None:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    start, end = wanted
    with path.open("rb") as handle:
        handle.seek(start)
        part = handle.read(end - start + 1)
    response = HttpResponse(part, status=206, content_type="application/octet-stream")
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = BASEMAP_CACHE
    return response
