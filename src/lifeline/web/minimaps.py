"""The small maps of pages other than the map page: home's "where the danger is" (the camp, the
risk and sightings around it, the teams out) and the mission planning page's map, on which the
commander taps the waypoints. Both are `routing.map_presenter` pictures drawn by the same
template as the map page (`web/_map_svg.html`); each layer is drawn only for a role that may
see it, so a small map never refuses a page."""

from __future__ import annotations

import datetime as dt
import functools
import math
import threading
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone

from lifeline.core.clock import site_local
from lifeline.core.errors import NotFound
from lifeline.core.services import Actor
from lifeline.intel.threats import selectors as threat_selectors
from lifeline.missions.selectors import MissionRecord, TeamOut
from lifeline.routing import map_presenter, selectors
from lifeline.routing.graph import RoadGraph
from lifeline.routing.map_presenter import MapPicture, MarkDrawn, RouteDrawn, Viewport
from lifeline.routing.models import StoredGraph
from lifeline.routing.services import graph_unpack, risk_levels, risk_params

# A small map is narrower in its own units than the map page's, so that its labels stay
# readable on a phone (the SVG is scaled to the screen's width).
SMALL_WIDTH = 420.0
SMALL_STREET_SEGMENTS = 3_000
PLAN_WIDTH = 560.0
PLAN_STREET_SEGMENTS = 6_000
TEAM_ROUTE_COLOUR = "#1d4ed8"
# A small map names the road graph's places only when it shows this few metres across.
PLACE_NAMES_UP_TO_M = 12_000.0
# Home's map shows this many times the radius the risk watch calls "near the camp".
CAMP_SURROUNDINGS = 2.0


def _span_m(viewport: Viewport) -> float:
    """The larger of the viewport's width and height, in metres."""
    mid = math.radians((viewport.north + viewport.south) / 2)
    height = (viewport.north - viewport.south) * 111_320.0
    width = (viewport.east - viewport.west) * 111_320.0 * math.cos(mid)
    return max(height, width)


def _around(point: tuple[float, float], radius_m: float) -> list[tuple[float, float]]:
    """Two corners of the box `radius_m` around `point`."""
    lat, lon = point
    dlat = radius_m / 111_320.0
    dlon = radius_m / (111_320.0 * max(math.cos(math.radians(lat)), 1e-6))
    return [(lat - dlat, lon - dlon), (lat + dlat, lon + dlon)]


# The unpacked road graph and its projected streets change only when a graph is imported again:
# home draws them on every visit, so they are kept, the latest import of each graph.
Stamp = tuple[int, dt.datetime]  # a stored graph's version and when it was imported
_graphs: dict[str, tuple[Stamp, RoadGraph]] = {}
_graphs_lock = threading.Lock()


def _graph() -> tuple[StoredGraph, RoadGraph] | None:
    try:
        stored = selectors.graph_get()
    except NotFound:
        return None
    with _graphs_lock:
        kept = _graphs.get(stored.name)
        if kept is None or kept[0] != _stamp(stored):
            kept = (_stamp(stored), graph_unpack(stored))
            _graphs[stored.name] = kept
    return stored, kept[1]


def _stamp(stored: StoredGraph) -> Stamp:
    return (stored.version, stored.imported_at)


@functools.lru_cache(maxsize=16)
def _streets(
    name: str, stamp: Stamp, viewport: Viewport, width: float, max_segments: int
) -> tuple[tuple[float, float, float, float], ...]:
    kept = _graphs.get(name)
    if kept is None or kept[0] != stamp:
        return ()  # imported again meanwhile: the caller's next visit projects the new one
    projection = map_presenter.Projection(viewport, width)
    return map_presenter.streets_project(kept[1], projection, max_segments=max_segments)


def _streets_of(
    loaded: tuple[StoredGraph, RoadGraph] | None,
    viewport: Viewport,
    width: float,
    max_segments: int,
) -> tuple[tuple[float, float, float, float], ...] | None:
    if loaded is None:
        return None
    stored = loaded[0]
    return _streets(stored.name, _stamp(stored), viewport, width, max_segments)


def _empty_graph() -> RoadGraph:
    import numpy as np

    return RoadGraph(
        lat=np.zeros(0),
        lon=np.zeros(0),
        offsets=np.zeros(1, dtype=np.int64),
        targets=np.zeros(0, dtype=np.int64),
        lengths=np.zeros(0),
        names={},
        symmetric=True,
    )


def camp_position() -> tuple[float, float] | None:
    site = site_local()
    if site.latitude is None or site.longitude is None:
        return None
    return (site.latitude, site.longitude)


def _threat_layers(
    actor: Actor, now: dt.datetime, half_life_s: float
) -> tuple[list[object], dict[int, float], list[object], list[object]]:
    """Zones, risk, sightings and hostile groups: each only for a role that may see it."""
    zones: list[object] = []
    levels: dict[int, float] = {}
    sightings: list[object] = []
    groups: list[object] = []
    if actor.has_perm("routing.view_threatzone"):
        zones = list(selectors.zone_list(actor=actor, now=now))
    if actor.has_perm("intel.view_sighting"):
        levels = risk_levels(now=now, zones=[])
        since = map_presenter.sightings_shown_since(now, half_life_s)
        sightings = list(
            threat_selectors.sighting_list(actor=actor, since=since)[
                : map_presenter.MAX_SIGHTINGS_DRAWN
            ]
        )
    if actor.has_perm("intel.view_hostilegroup"):
        groups = list(threat_selectors.hostile_group_list(actor=actor))
    return zones, levels, sightings, groups


def camp_map(
    *, actor: Actor, teams_out: Sequence[TeamOut], now: dt.datetime | None = None
) -> MapPicture | None:
    """Home's map: the camp, the risk and the latest sightings around it, and every team out
    (its route of points and its last check-in). None when there is nothing to place it by
    (no road graph and no position of the camp)."""
    now = now or timezone.now()
    loaded = _graph()
    graph = loaded[1] if loaded is not None else None
    camp = camp_position()
    marks: list[MarkDrawn] = []
    routes: list[RouteDrawn] = []
    focus: list[tuple[float, float]] = []
    if camp is not None:
        marks.append(MarkDrawn(camp[0], camp[1], site_local().name, "camp"))
        focus += _around(camp, CAMP_SURROUNDINGS * float(settings.LIFELINE_RISK_CAMP_RADIUS_M))
    for team in teams_out:
        mission = team.status.mission
        path = [(p.latitude, p.longitude) for p in team.points]
        if len(path) > 1:
            routes.append(RouteDrawn(path, TEAM_ROUTE_COLOUR, dashed=True))
        last = team.last_position
        if last is not None:
            kind = "team-overdue" if team.status.overdue else "team"
            marks.append(MarkDrawn(last[0], last[1], mission.name, kind))
            focus.append(last)
        elif path:
            focus.append(path[0])
    if graph is None and not focus:
        return None
    graph = graph or _empty_graph()
    viewport = map_presenter.viewport_choose(graph, focus)
    half_life_s = risk_params().half_life_s
    zones, levels, sightings, groups = _threat_layers(actor, now, half_life_s)
    return map_presenter.map_picture(
        graph=graph,
        viewport=viewport,
        zones=zones,  # type: ignore[arg-type]
        risk_levels=levels,
        sightings=sightings,  # type: ignore[arg-type]
        groups=groups,  # type: ignore[arg-type]
        routes=routes,
        marks=marks,
        now=now,
        half_life_s=half_life_s,
        width=SMALL_WIDTH,
        max_street_segments=SMALL_STREET_SEGMENTS,
        streets=_streets_of(loaded, viewport, SMALL_WIDTH, SMALL_STREET_SEGMENTS),
        # A town's place names would pile up on a map of the whole district.
        place_names=_span_m(viewport) <= PLACE_NAMES_UP_TO_M,
    )


def plan_map(
    *, actor: Actor, marks: Sequence[MarkDrawn] = (), now: dt.datetime | None = None
) -> MapPicture | None:
    """The planning page's map: the whole road graph (or the area around the camp when there
    is none), the threats a commander plans around, and the points already chosen."""
    now = now or timezone.now()
    loaded = _graph()
    graph = loaded[1] if loaded is not None else None
    camp = camp_position()
    focus = [(m.latitude, m.longitude) for m in marks]
    all_marks = list(marks)
    if camp is not None:
        all_marks.insert(0, MarkDrawn(camp[0], camp[1], site_local().name, "camp"))
    if graph is None:
        if camp is None and not focus:
            return None
        graph = _empty_graph()
        focus = [*focus, *([camp] if camp is not None else [])]
    else:
        # The whole graph, and any point typed outside it.
        south, west, north, east = graph.bounds() if graph.node_count else (0, 0, 0, 0)
        if graph.node_count and not all(
            south <= lat <= north and west <= lon <= east for lat, lon in focus
        ):
            focus = [*focus, (south, west), (north, east)]
        else:
            focus = []
    half_life_s = risk_params().half_life_s
    zones, levels, sightings, groups = _threat_layers(actor, now, half_life_s)
    viewport = map_presenter.viewport_choose(graph, focus)
    return map_presenter.map_picture(
        graph=graph,
        viewport=viewport,
        zones=zones,  # type: ignore[arg-type]
        risk_levels=levels,
        sightings=sightings,  # type: ignore[arg-type]
        groups=groups,  # type: ignore[arg-type]
        marks=all_marks,
        now=now,
        half_life_s=half_life_s,
        width=PLAN_WIDTH,
        max_street_segments=PLAN_STREET_SEGMENTS,
        streets=_streets_of(loaded, viewport, PLAN_WIDTH, PLAN_STREET_SEGMENTS),
    )


def mission_map(
    *, actor: Actor, record: MissionRecord, now: dt.datetime | None = None
) -> MapPicture | None:
    """A mission's page's map on the road graph: its points in order, the team's check-ins
    and the reports with a position, among the streets and the threats around them. None
    when there is no road graph or nothing of the mission is on it (the page then draws its
    sketch)."""
    loaded = _graph()
    if loaded is None:
        return None
    graph = loaded[1]
    marks = [MarkDrawn(p.latitude, p.longitude, p.name, p.kind) for p in record.points]
    marks += [
        MarkDrawn(
            c.latitude,
            c.longitude,
            timezone.localtime(c.at).strftime("%H:%M"),
            "checkin",
        )
        for c in record.checkins
        if c.latitude is not None and c.longitude is not None
    ]
    marks += [
        MarkDrawn(e.latitude, e.longitude, e.title, "report")
        for e in record.timeline
        if e.kind == "report" and e.latitude is not None and e.longitude is not None
    ]
    if not marks or graph.node_count == 0:
        return None
    south, west, north, east = graph.bounds()
    if not any(south <= m.latitude <= north and west <= m.longitude <= east for m in marks):
        return None
    now = now or timezone.now()
    viewport = map_presenter.viewport_around([(m.latitude, m.longitude) for m in marks])
    path = [(p.latitude, p.longitude) for p in record.points]
    half_life_s = risk_params().half_life_s
    zones, levels, sightings, groups = _threat_layers(actor, now, half_life_s)
    return map_presenter.map_picture(
        graph=graph,
        viewport=viewport,
        zones=zones,  # type: ignore[arg-type]
        risk_levels=levels,
        sightings=sightings,  # type: ignore[arg-type]
        groups=groups,  # type: ignore[arg-type]
        routes=[RouteDrawn(path, TEAM_ROUTE_COLOUR, dashed=True)] if len(path) > 1 else [],
        marks=marks,
        now=now,
        half_life_s=half_life_s,
        width=PLAN_WIDTH,
        max_street_segments=PLAN_STREET_SEGMENTS,
        streets=_streets_of(loaded, viewport, PLAN_WIDTH, PLAN_STREET_SEGMENTS),
        place_names=_span_m(viewport) <= PLACE_NAMES_UP_TO_M,
    )
