"""The map page: our own road graph, the zones, the sightings' risk cells, the sightings (fading
with age), the hostile groups where last seen and the named places drawn as inline SVG (no tile
server), and a little script that plans a route between two clicked points."""

from __future__ import annotations

import datetime as dt
import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lifeline.core.pages import page_view
from lifeline.core.services import permission_require
from lifeline.intel import selectors_threats
from lifeline.routing import risk, selectors
from lifeline.routing.services import graph_unpack, risk_levels, risk_params

WIDTH = 1000.0
# Sightings older than this many half-lives (under 1/32 of their weight left) are not drawn.
SIGHTING_HALF_LIVES_SHOWN = 5
MAX_SIGHTINGS_DRAWN = 500
RISK_CELL_FLOOR = 0.1  # risk cells below this level are not drawn


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
    now = timezone.now()
    half_life_s = risk_params().half_life_s

    def inside(lat: float, lon: float) -> bool:
        return south <= lat <= north and west <= lon <= east

    risk_cells = []
    for cell, level in sorted(risk_levels(now=now, zones=[]).items()):
        if level < RISK_CELL_FLOOR:
            continue
        boundary = risk.cell_boundary(cell)
        if not any(inside(lat, lon) for lat, lon in boundary):
            continue
        risk_cells.append(
            {
                "level": round(level, 1),
                "opacity": round(min(0.55, 0.08 + 0.1 * level), 2),
                "points": " ".join("{},{}".format(*xy(lat, lon)) for lat, lon in boundary),
            }
        )
    since = now - dt.timedelta(seconds=half_life_s * SIGHTING_HALF_LIVES_SHOWN)
    sightings = []
    for row in selectors_threats.sighting_list(actor=request.user, since=since)[
        :MAX_SIGHTINGS_DRAWN
    ]:
        if not inside(row.latitude, row.longitude):
            continue
        x, y = xy(row.latitude, row.longitude)
        age_s = max(0.0, (now - row.seen_at).total_seconds())
        sightings.append(
            {
                "row": row,
                "x": x,
                "y": y,
                "r": round(4 + 2 * math.sqrt(max(row.count, 1)), 1),
                # Fades as its weight decays: fully drawn when fresh, faint at 5 half-lives.
                "opacity": round(max(0.15, risk.decay_factor(age_s, half_life_s)), 2),
            }
        )
    groups, groups_elsewhere = [], []
    for group in selectors_threats.hostile_group_list(actor=request.user):
        lat, lon = group.last_seen_latitude, group.last_seen_longitude
        if lat is None or lon is None:
            continue
        if inside(lat, lon):
            x, y = xy(lat, lon)
            groups.append({"group": group, "x": x, "y": y})
        else:
            groups_elsewhere.append(group)
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
            "risk_cells": risk_cells,
            "sightings": sightings,
            "groups": groups,
            "groups_elsewhere": groups_elsewhere,
            "now": now,
            "frame": {"south": south, "west": west, "north": north, "east": east},
        },
    )
