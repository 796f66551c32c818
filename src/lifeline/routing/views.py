"""The map page: our own road graph, the zones and the named places drawn as inline SVG (no
tile server), and a little script that plans a route between two clicked points."""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lifeline.core.services import permission_require
from lifeline.routing import selectors
from lifeline.routing.services import graph_unpack
from lifeline.web.errors import page_view

WIDTH = 1000.0


@page_view
def route_map(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, "routing.plan_route", doing="plan routes")
    stored = selectors.graph_get(name=request.GET.get("graph") or None)
    graph = graph_unpack(stored)
    zones = selectors.zone_list(actor=request.user, now=timezone.now())
    south, west, north, east = graph.bounds()
    # Equirectangular at the town's latitude: metres look like metres at this scale.
    aspect = (north - south) / max(
        (east - west) * math.cos(math.radians((north + south) / 2)), 1e-9
    )
    height = WIDTH * aspect

    def xy(lat: float, lon: float) -> tuple[float, float]:
        x = (lon - west) / max(east - west, 1e-12) * WIDTH
        y = (north - lat) / max(north - south, 1e-12) * height
        return round(x, 1), round(y, 1)

    segments: list[str] = []
    sources = graph.sources()
    for a, b in zip(sources.tolist(), graph.targets.tolist(), strict=True):
        if a < b:
            x1, y1 = xy(graph.lat[a], graph.lon[a])
            x2, y2 = xy(graph.lat[b], graph.lon[b])
            segments.append(f"M{x1} {y1}L{x2} {y2}")
    zone_shapes = [
        {
            "zone": zone,
            "opacity": round(min(0.6, 0.1 + 0.1 * zone.level), 2),
            "points": " ".join("{},{}".format(*xy(lat, lon)) for lat, lon in zone.polygon),
        }
        for zone in zones
    ]
    places = [
        {
            "name": name,
            "x": xy(graph.lat[n], graph.lon[n])[0],
            "y": xy(graph.lat[n], graph.lon[n])[1],
        }
        for name, n in sorted(graph.names.items())
    ]
    return render(
        request,
        "routing/map.html",
        {
            "stored": stored,
            "width": WIDTH,
            "height": round(height, 1),
            "streets": "".join(segments),
            "zones": zone_shapes,
            "places": places,
            "frame": {"south": south, "west": west, "north": north, "east": east},
        },
    )
