"""What the map page draws, and where: the viewport (the whole graph, or the area around a
route or a query's ends), its projection to the SVG's units, and every layer projected and cut
to what the viewport shows. Pure: it takes the road graph's arrays, the risk levels, the zones,
the sightings, the hostile groups and the routes, and returns a `MapPicture`; the view reads
the rows and renders it, and the template only writes the picture out.

The streets are clipped to the viewport and snapped to a grid of one unit (a pixel at the
SVG's 1000-unit width): streets shorter than a pixel merge into their neighbours, and streets
that snap onto the same grid line are sent once. When that still leaves more than
MAX_STREET_SEGMENTS, the grid doubles until it does not, so the page stays the same size
whatever the size of the graph.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from django.utils.translation import gettext as _

from lifeline.routing import risk
from lifeline.routing.graph import EARTH_RADIUS_M, FloatArray, IntArray, RoadGraph

WIDTH = 1000.0
# One unit of the SVG's viewBox is a pixel at its full width: streets are snapped to it.
PIXEL = 1.0
MAX_STREET_SEGMENTS = 12_000
# Sightings older than this many half-lives (under 1/32 of their weight left) are not drawn.
SIGHTING_HALF_LIVES_SHOWN = 5
MAX_SIGHTINGS_DRAWN = 500
RISK_CELL_FLOOR = 0.1  # risk cells below this level are not drawn
# Around a route or a query's ends: this share of the span on every side, and at least this
# many metres across, so that two points close together still show their streets.
FOCUS_MARGIN = 0.15
FOCUS_MIN_SPAN_M = 400.0
# A viewport chosen around points is widened to stay between a wide and a tall screen.
FOCUS_ASPECT = (0.5, 1.25)
ROUTE_COLOURS = ("#0a7d2c", "#d08a00", "#7a3fb0", "#555")
LEAST_EXPOSED_COLOUR = "#b00"

LatLon = tuple[float, float]


class ZoneShown(Protocol):
    @property
    def polygon(self) -> Any: ...  # [[lat, lon], ...]

    @property
    def level(self) -> float: ...


class SightingShown(Protocol):
    @property
    def latitude(self) -> float: ...

    @property
    def longitude(self) -> float: ...

    @property
    def count(self) -> int: ...

    @property
    def seen_at(self) -> dt.datetime: ...


class GroupShown(Protocol):
    @property
    def last_seen_latitude(self) -> float | None: ...

    @property
    def last_seen_longitude(self) -> float | None: ...


class RouteShown(Protocol):
    @property
    def path(self) -> Sequence[Sequence[float]]: ...  # [[lat, lon], ...]

    @property
    def length_m(self) -> float: ...

    @property
    def exposure(self) -> float: ...

    @property
    def peak_risk(self) -> float: ...


class PlanShown(Protocol):
    @property
    def found(self) -> bool: ...

    @property
    def reason(self) -> str: ...

    @property
    def routes(self) -> Sequence[RouteShown]: ...

    @property
    def least_exposed(self) -> RouteShown | None: ...


@dataclass(frozen=True)
class Viewport:
    """The area drawn, in degrees."""

    south: float
    west: float
    north: float
    east: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    def meets(self, points: Iterable[LatLon]) -> bool:
        """Whether the box around `points` overlaps this one."""
        listed = list(points)
        lats = [lat for lat, _ in listed]
        lons = [lon for _, lon in listed]
        return (
            min(lats) <= self.north
            and max(lats) >= self.south
            and min(lons) <= self.east
            and max(lons) >= self.west
        )


def _metres_per_degree_lon(lat: float) -> float:
    return math.radians(1) * EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)


def viewport_around(points: Sequence[LatLon]) -> Viewport:
    """The box around `points` with a margin, at least FOCUS_MIN_SPAN_M across, widened or
    heightened to an aspect a screen shows well."""
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    mid_lat, mid_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    per_lat = math.radians(1) * EARTH_RADIUS_M
    per_lon = _metres_per_degree_lon(mid_lat)
    height_m = max((max(lats) - min(lats)) * per_lat * (1 + 2 * FOCUS_MARGIN), FOCUS_MIN_SPAN_M)
    width_m = max((max(lons) - min(lons)) * per_lon * (1 + 2 * FOCUS_MARGIN), FOCUS_MIN_SPAN_M)
    low, high = FOCUS_ASPECT
    height_m = max(height_m, width_m * low)
    width_m = max(width_m, height_m / high)
    half_lat, half_lon = height_m / per_lat / 2, width_m / per_lon / 2
    return Viewport(mid_lat - half_lat, mid_lon - half_lon, mid_lat + half_lat, mid_lon + half_lon)


def viewport_choose(graph: RoadGraph, focus: Sequence[LatLon] = ()) -> Viewport:
    """Around `focus` (a route, a query's ends) when there is one; else the whole graph."""
    if focus:
        return viewport_around(focus)
    if graph.node_count == 0:
        return viewport_around([(0.0, 0.0)])
    return Viewport(*graph.bounds())


@dataclass(frozen=True)
class Projection:
    """Equirectangular at the viewport's latitude: metres look like metres at this scale."""

    viewport: Viewport
    width: float = WIDTH

    @property
    def height(self) -> float:
        v = self.viewport
        aspect = (v.north - v.south) / max(
            (v.east - v.west) * math.cos(math.radians((v.north + v.south) / 2)), 1e-9
        )
        return self.width * aspect

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        v = self.viewport
        x = (lon - v.west) / max(v.east - v.west, 1e-12) * self.width
        y = (v.north - lat) / max(v.north - v.south, 1e-12) * self.height
        return round(x, 1), round(y, 1)

    def xy_many(self, lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
        v = self.viewport
        x = (lon - v.west) / max(v.east - v.west, 1e-12) * self.width
        y = (v.north - lat) / max(v.north - v.south, 1e-12) * self.height
        return np.asarray(x, np.float64), np.asarray(y, np.float64)

    def points(self, coords: Iterable[LatLon]) -> str:
        """An SVG `points` attribute."""
        return " ".join("{},{}".format(*self.xy(lat, lon)) for lat, lon in coords)


@dataclass(frozen=True)
class ZoneShape:
    zone: ZoneShown
    opacity: float
    points: str


@dataclass(frozen=True)
class RiskCellShape:
    level: float
    opacity: float
    points: str


@dataclass(frozen=True)
class SightingMark:
    row: SightingShown
    x: float
    y: float
    r: float
    opacity: float


@dataclass(frozen=True)
class GroupMark:
    group: GroupShown
    x: float
    y: float


@dataclass(frozen=True)
class PlaceMark:
    name: str
    x: float
    y: float


@dataclass(frozen=True)
class RouteLine:
    points: str
    colour: str
    dashed: bool


@dataclass(frozen=True)
class MarkDrawn:
    """A labelled point to draw on top of the map (a mission's waypoint, a team's last
    check-in): `kind` names its symbol, a CSS class of the page."""

    latitude: float
    longitude: float
    label: str
    kind: str


@dataclass(frozen=True)
class MarkShape:
    mark: MarkDrawn
    x: float
    y: float
    # In the right part of the map the label goes before the mark, so that it stays inside.
    label_before: bool = False


@dataclass(frozen=True)
class RouteDrawn:
    """A route to draw on top of the map: its path of (lat, lon) and its stroke."""

    path: Sequence[LatLon]
    colour: str
    dashed: bool = False


def _path(route: RouteShown) -> list[LatLon]:
    return [(float(point[0]), float(point[1])) for point in route.path]


def plan_routes(plan: PlanShown) -> tuple[RouteDrawn, ...]:
    """A plan's routes as the page's script draws them: the alternatives dashed under the
    safest; when none is safe, the least exposed way dashed in red."""
    if not plan.found:
        least = plan.least_exposed
        return () if least is None else (RouteDrawn(_path(least), LEAST_EXPOSED_COLOUR, True),)
    drawn = [
        RouteDrawn(_path(route), ROUTE_COLOURS[min(i, len(ROUTE_COLOURS) - 1)], dashed=i > 0)
        for i, route in enumerate(plan.routes)
    ]
    return tuple(reversed(drawn))


def _js_number(value: float) -> str:
    """A number as the page's script prints it (no trailing .0)."""
    return repr(float(value)).removesuffix(".0")


def plan_status(plan: PlanShown) -> str:
    """What the page says about a plan, in the words of the page's script."""
    if not plan.found:
        status = _("No safe route: %(reason)s") % {"reason": plan.reason}
        if plan.least_exposed is None:
            return status
        return _("%(status)s (dashed: the least exposed way)") % {"status": status}
    lines = []
    for i, route in enumerate(plan.routes):
        said = {
            "n": i,
            "length": round(route.length_m),
            "exposure": _js_number(route.exposure),
            "peak": _js_number(route.peak_risk),
        }
        if i:
            line = _("Alternative %(n)d: %(length)s m, exposure %(exposure)s, peak risk %(peak)s")
        else:
            line = _("Safest: %(length)s m, exposure %(exposure)s, peak risk %(peak)s")
        lines.append(line % said)
    return " · ".join(lines)


def plan_focus(ends: Sequence[LatLon], plan: PlanShown) -> list[LatLon]:
    """The points the view should show: a query's ends and every route of its plan."""
    points = list(ends)
    for route in [*plan.routes, plan.least_exposed]:
        if route is not None:
            points.extend(_path(route))
    return points


@dataclass(frozen=True)
class MapPicture:
    viewport: Viewport
    width: float
    height: float
    # (x1, y1, x2, y2) in the SVG's units, each street once.
    streets: tuple[tuple[float, float, float, float], ...]
    zones: tuple[ZoneShape, ...]
    risk_cells: tuple[RiskCellShape, ...]
    sightings: tuple[SightingMark, ...]
    groups: tuple[GroupMark, ...]
    groups_elsewhere: tuple[GroupShown, ...]
    places: tuple[PlaceMark, ...]
    routes: tuple[RouteLine, ...]
    marks: tuple[MarkShape, ...] = ()

    @property
    def streets_path(self) -> str:
        """The streets as one SVG path's `d`."""
        return "".join(
            f"M{_number(x1)} {_number(y1)}L{_number(x2)} {_number(y2)}"
            for x1, y1, x2, y2 in self.streets
        )


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


# ---- streets -------------------------------------------------------------------------------


def _clip(
    x1: FloatArray, y1: FloatArray, x2: FloatArray, y2: FloatArray, width: float, height: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The part of each segment inside [0, width] x [0, height] (Liang-Barsky); segments
    wholly outside are dropped."""
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = np.zeros_like(x1), np.ones_like(x1)
    keep = np.ones(x1.shape, bool)
    for p, q in ((-dx, x1), (dx, width - x1), (-dy, y1), (dy, height - y1)):
        # The segment stays inside this edge for t with p * t <= q.
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = q / p
        keep &= ~((p == 0) & (q < 0))
        t0 = np.where(p < 0, np.maximum(t0, ratio), t0)
        t1 = np.where(p > 0, np.minimum(t1, ratio), t1)
    keep &= t0 <= t1
    t0, t1, x1, y1, dx, dy = t0[keep], t1[keep], x1[keep], y1[keep], dx[keep], dy[keep]
    return (
        np.where(t0 > 0, x1 + t0 * dx, x1),
        np.where(t0 > 0, y1 + t0 * dy, y1),
        np.where(t1 < 1, x1 + t1 * dx, x1 + dx),
        np.where(t1 < 1, y1 + t1 * dy, y1 + dy),
    )


def _snapped(
    ends: tuple[FloatArray, FloatArray, FloatArray, FloatArray], step: float, height: float
) -> IntArray:
    """The segments with their ends on a grid of `step` as rows (x1, y1, x2, y2), each once
    and in order, without those that shrank to a point."""
    x1, y1, x2, y2 = (np.rint(coord / step).astype(np.int64) for coord in ends)
    # One number per grid point (the ends are inside the viewport after clipping), so that a
    # segment is a pair of numbers, smaller first, and sorting finds the repeats.
    rows = int(np.rint(height / step)) + 1
    first, second = x1 * rows + y1, x2 * rows + y2
    low, high = np.minimum(first, second), np.maximum(first, second)
    low, high = low[low != high], high[low != high]
    order = np.lexsort((high, low))
    low, high = low[order], high[order]
    fresh = np.ones(low.shape, bool)
    fresh[1:] = (low[1:] != low[:-1]) | (high[1:] != high[:-1])
    low, high = low[fresh], high[fresh]
    return np.stack([low // rows, low % rows, high // rows, high % rows], axis=1)


def streets_project(
    graph: RoadGraph, projection: Projection, *, max_segments: int = MAX_STREET_SEGMENTS
) -> tuple[tuple[float, float, float, float], ...]:
    """The graph's streets inside the viewport, each once, snapped to the pixel grid (or a
    coarser one, doubled until at most `max_segments` are left)."""
    sources, targets = graph.sources(), graph.targets
    # A street is stored both ways: draw each pair of nodes once.
    nodes = max(graph.node_count, 1)
    pairs = np.sort(np.minimum(sources, targets) * nodes + np.maximum(sources, targets))
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if pairs.shape[0] else pairs
    a, b = pairs // nodes, pairs % nodes
    x, y = projection.xy_many(graph.lat, graph.lon)
    ends = _clip(x[a], y[a], x[b], y[b], projection.width, projection.height)
    step = PIXEL
    grid = _snapped(ends, step, projection.height)
    while grid.shape[0] > max_segments:
        # Each coarser grid starts from the last one's fewer segments.
        coarser = tuple(np.asarray(column * step, np.float64) for column in grid.T)
        step *= 2
        grid = _snapped((coarser[0], coarser[1], coarser[2], coarser[3]), step, projection.height)
    return tuple((x1 * step, y1 * step, x2 * step, y2 * step) for x1, y1, x2, y2 in grid.tolist())


def _mark_shape(mark: MarkDrawn, xy: Any, width: float) -> MarkShape:
    x, y = xy(mark.latitude, mark.longitude)
    return MarkShape(mark, x, y, label_before=x > width * 0.6)


# ---- the picture ---------------------------------------------------------------------------


def sightings_shown_since(now: dt.datetime, half_life_s: float) -> dt.datetime:
    """The oldest sighting still drawn."""
    return now - dt.timedelta(seconds=half_life_s * SIGHTING_HALF_LIVES_SHOWN)


def map_picture(
    *,
    graph: RoadGraph,
    viewport: Viewport,
    zones: Iterable[ZoneShown] = (),
    risk_levels: Mapping[int, float] | None = None,
    sightings: Iterable[SightingShown] = (),
    groups: Iterable[GroupShown] = (),
    routes: Sequence[RouteDrawn] = (),
    marks: Sequence[MarkDrawn] = (),
    now: dt.datetime,
    half_life_s: float,
    width: float = WIDTH,
    max_street_segments: int = MAX_STREET_SEGMENTS,
    streets: tuple[tuple[float, float, float, float], ...] | None = None,
    place_names: bool = True,
) -> MapPicture:
    """Everything the map draws inside `viewport`, projected to an SVG `width` units wide.
    `streets`: the graph's streets already projected to this viewport and width (a caller that
    keeps them, since they change only with the graph), else projected here."""
    projection = Projection(viewport, width)
    xy = projection.xy
    zone_shapes = tuple(
        ZoneShape(
            zone=zone,
            opacity=round(min(0.6, 0.1 + 0.1 * zone.level), 2),
            points=projection.points((float(lat), float(lon)) for lat, lon in zone.polygon),
        )
        for zone in zones
        if zone.polygon and viewport.meets((float(lat), float(lon)) for lat, lon in zone.polygon)
    )
    cells = []
    for cell, level in sorted((risk_levels or {}).items()):
        if level < RISK_CELL_FLOOR:
            continue
        boundary = risk.cell_boundary(cell)
        if not viewport.meets(boundary):
            continue
        cells.append(
            RiskCellShape(
                level=round(level, 1),
                opacity=round(min(0.55, 0.08 + 0.1 * level), 2),
                points=projection.points(boundary),
            )
        )
    sighting_marks = []
    for row in sightings:
        if not viewport.contains(row.latitude, row.longitude):
            continue
        x, y = xy(row.latitude, row.longitude)
        age_s = max(0.0, (now - row.seen_at).total_seconds())
        sighting_marks.append(
            SightingMark(
                row=row,
                x=x,
                y=y,
                r=round(4 + 2 * math.sqrt(max(row.count, 1)), 1),
                # Fades as its weight decays: fully drawn when fresh, faint at 5 half-lives.
                opacity=round(max(0.15, risk.decay_factor(age_s, half_life_s)), 2),
            )
        )
    shown: list[GroupMark] = []
    elsewhere: list[GroupShown] = []
    for group in groups:
        lat, lon = group.last_seen_latitude, group.last_seen_longitude
        if lat is None or lon is None:
            continue
        if viewport.contains(lat, lon):
            shown.append(GroupMark(group, *xy(lat, lon)))
        else:
            elsewhere.append(group)
    places = tuple(
        PlaceMark(name, *xy(float(graph.lat[n]), float(graph.lon[n])))
        for name, n in sorted(graph.names.items())
        if place_names and viewport.contains(float(graph.lat[n]), float(graph.lon[n]))
    )
    lines = tuple(
        RouteLine(points=projection.points(route.path), colour=route.colour, dashed=route.dashed)
        for route in routes
        if route.path
    )
    return MapPicture(
        viewport=viewport,
        width=width,
        height=round(projection.height, 1),
        streets=(
            streets
            if streets is not None
            else streets_project(graph, projection, max_segments=max_street_segments)
        ),
        zones=zone_shapes,
        risk_cells=tuple(cells),
        sightings=tuple(sighting_marks),
        groups=tuple(shown),
        groups_elsewhere=tuple(elsewhere),
        places=places,
        routes=lines,
        marks=tuple(
            _mark_shape(mark, xy, width)
            for mark in marks
            if viewport.contains(mark.latitude, mark.longitude)
        ),
    )
