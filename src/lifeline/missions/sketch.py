"""A mission's sketch map as plain numbers for an inline SVG: every point projected into a
fixed box (equirectangular, north up, aspect kept). No tiles, no network. Pure: no ORM."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

WIDTH, HEIGHT, MARGIN = 640, 400, 28


@dataclass(frozen=True)
class Mark:
    kind: str  # waypoint, rally, extraction, objective, checkin, report, area
    label: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class PlacedMark:
    kind: str
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class Sketch:
    width: int
    height: int
    marks: list[PlacedMark]
    route: str  # SVG polyline points of the waypoints in order
    scale_m: int  # the length the scale bar shows, in metres
    scale_px: float


def sketch_of(
    marks: Iterable[Mark], route_kinds: frozenset[str] = frozenset({"waypoint"})
) -> Sketch:
    marks = list(marks)
    if not marks:
        return Sketch(WIDTH, HEIGHT, [], "", 0, 0.0)
    lat0 = sum(m.latitude for m in marks) / len(marks)
    shrink = math.cos(math.radians(lat0))  # a degree of longitude is shorter away from the equator
    xs = [m.longitude * shrink for m in marks]
    ys = [m.latitude for m in marks]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 0.002)  # at least ~200 m across
    scale = min(WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    placed = [
        PlacedMark(
            m.kind,
            m.label,
            round(WIDTH / 2 + (x - cx) * scale, 1),
            round(HEIGHT / 2 - (y - cy) * scale, 1),
        )
        for m, x, y in zip(marks, xs, ys, strict=True)
    ]
    route = " ".join(f"{p.x},{p.y}" for p in placed if p.kind in route_kinds)
    metres_per_px = 111_320 / scale
    target = metres_per_px * WIDTH / 5
    step = 10 ** math.floor(math.log10(target))
    scale_m = int(max(s for s in (step, 2 * step, 5 * step) if s <= target))
    return Sketch(WIDTH, HEIGHT, placed, route, scale_m, round(scale_m / metres_per_px, 1))
