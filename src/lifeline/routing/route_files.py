"""A planned route as files for GPS units and maps: GPX 1.1 (written with gpxpy: a track of
every point, for the line, and a route of the turns, for units that announce them) and GeoJSON
(RFC 7946: a LineString of [lon, lat] positions and a Point for each turn). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import gpxpy
import gpxpy.gpx


def route_gpx(
    *,
    name: str,
    description: str,
    path: Sequence[Sequence[float]],
    turns: Sequence[tuple[float, float, str]],
) -> str:
    """GPX text: `path` as [lat, lon] points, `turns` as (lat, lon, instruction)."""
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "Lifeline"
    gpx.name = name
    gpx.description = description
    track = gpxpy.gpx.GPXTrack(name=name, description=description)
    segment = gpxpy.gpx.GPXTrackSegment()
    segment.points.extend(gpxpy.gpx.GPXTrackPoint(p[0], p[1]) for p in path)
    track.segments.append(segment)
    gpx.tracks.append(track)
    route = gpxpy.gpx.GPXRoute(name=name, description=description)
    route.points.extend(
        gpxpy.gpx.GPXRoutePoint(lat, lon, name=f"{number}", comment=text, description=text)
        for number, (lat, lon, text) in enumerate(turns, start=1)
    )
    gpx.routes.append(route)
    return str(gpx.to_xml(version="1.1"))


def route_geojson(
    *,
    name: str,
    properties: dict[str, Any],
    path: Sequence[Sequence[float]],
    turns: Sequence[tuple[float, float, str, dict[str, Any]]],
) -> dict[str, Any]:
    """A FeatureCollection: the route's line with `properties`, then each turn as a point
    with its instruction and properties."""
    line = {
        "type": "Feature",
        "geometry": {
            "type": "LineString",
            "coordinates": [[round(p[1], 7), round(p[0], 7)] for p in path],
        },
        "properties": {"name": name, **properties},
    }
    points = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
            "properties": {"step": number, "instruction": text, **extra},
        }
        for number, (lat, lon, text, extra) in enumerate(turns, start=1)
    ]
    return {"type": "FeatureCollection", "features": [line, *points]}
