"""Writes and the route planner of routing: graphs imported or generated, zones drawn, and
the safest route over the stored graph around the active zones.

Routers are built once per stored graph version and kept in this process; before each
query the risk of the active zones is applied, which recomputes only the streets in cells
whose risk changed since the last query (so a new or expired zone reroutes at once).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.db import transaction
from django.utils import timezone

from lifeline.core.errors import ValidationFailed
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.routing import selectors
from lifeline.routing.graph import NoSafeRoute, RoadGraph, Route, Router
from lifeline.routing.models import StoredGraph, ThreatZone
from lifeline.routing.osm import OsmError, graph_import_file
from lifeline.routing.risk import RiskParams, Zone, zone_cells
from lifeline.routing.town import mavrah_town

RESOLUTION = RiskParams().resolution


# ---- graphs --------------------------------------------------------------------------------


def graph_pack(graph: RoadGraph) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        lat=graph.lat,
        lon=graph.lon,
        offsets=graph.offsets,
        targets=graph.targets,
        lengths=graph.lengths,
        symmetric=np.array([graph.symmetric]),
    )
    return buffer.getvalue()


def graph_unpack(stored: StoredGraph) -> RoadGraph:
    with np.load(io.BytesIO(bytes(stored.arrays))) as arrays:
        return RoadGraph(
            lat=arrays["lat"],
            lon=arrays["lon"],
            offsets=arrays["offsets"],
            targets=arrays["targets"],
            lengths=arrays["lengths"],
            names={str(k): int(v) for k, v in stored.names.items()},
            symmetric=bool(arrays["symmetric"][0]),
        )


@transaction.atomic
def _graph_store(*, actor: Actor, name: str, graph: RoadGraph, source: str) -> StoredGraph:
    stored = StoredGraph.objects.select_for_update().filter(name=name).first()
    if stored is None:
        stored = StoredGraph(name=name, version=1)
    else:
        stored.version += 1
    stored.source = source[:200]
    stored.node_count = graph.node_count
    stored.edge_count = graph.edge_count
    stored.arrays = graph_pack(graph)
    stored.names = dict(graph.names)
    stored.imported_at = timezone.now()
    stored.save()
    audit_record(
        actor=actor,
        action="routing.graph_store",
        obj=stored,
        summary=f"road graph {name} v{stored.version}: {graph.node_count} nodes from {source}",
    )
    return stored


def graph_import_osm(*, actor: Actor, path: str | Path, name: str = "") -> StoredGraph:
    """Import an .osm or .pbf file as the road graph `name` (the file's stem by default)."""
    permission_require(actor, "routing.import_graph", doing="import road graphs")
    path = Path(path)
    if not path.is_file():
        raise ValidationFailed({"file": f"{path} is not a file"})
    try:
        graph = graph_import_file(path)
    except OsmError as exc:
        raise ValidationFailed({"file": str(exc)}) from exc
    slug = name or path.name.split(".")[0].lower().replace("_", "-")
    return _graph_store(actor=actor, name=slug, graph=graph, source=path.name)


def graph_generate_demo(*, actor: Actor, name: str = "mavrah") -> StoredGraph:
    """The generated demo town of Mavrah as the road graph `name`."""
    permission_require(actor, "routing.import_graph", doing="generate road graphs")
    return _graph_store(actor=actor, name=name, graph=mavrah_town(), source="demo:mavrah")


# ---- zones ---------------------------------------------------------------------------------


@transaction.atomic
def zone_draw(
    *,
    actor: Actor,
    polygon: list[tuple[float, float]] | list[list[float]],
    level: float,
    expires_at: dt.datetime | None = None,
    note: str = "",
    name: str = "",
) -> ThreatZone:
    permission_require(actor, "routing.draw_threatzone", doing="draw threat zones")
    points = [(float(p[0]), float(p[1])) for p in polygon]
    errors: dict[str, str] = {}
    if len(points) < 3:
        errors["polygon"] = "needs at least three points"
    if not 0.5 <= level <= 5:
        errors["level"] = "must be between 0.5 and 5"
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "is already past"
    if errors:
        raise ValidationFailed(errors)
    zone = ThreatZone(
        name=name,
        polygon=[[lat, lon] for lat, lon in points],
        level=level,
        expires_at=expires_at,
        note=note,
        drawn_by=actor.get_username() if actor.is_authenticated else "",
    )
    zone.save()
    audit_record(
        actor=actor,
        action="routing.zone_draw",
        obj=zone,
        summary=f"threat zone {name or zone.pk} level {level:g}",
    )
    return zone


# ---- routes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteView:
    path: list[list[float]]
    length_m: float
    exposure: float
    peak_risk: float


@dataclass(frozen=True)
class RoutePlan:
    found: bool
    reason: str
    graph: str
    routes: list[RouteView]
    least_exposed: RouteView | None


class _Loaded:
    def __init__(self, router: Router) -> None:
        self.router = router
        self.lock = threading.Lock()


_routers: dict[tuple[str, int], _Loaded] = {}
_zone_cells: dict[tuple[str, str], frozenset[int]] = {}
_cache_lock = threading.Lock()


def _router_for(stored: StoredGraph) -> _Loaded:
    key = (stored.name, stored.version)
    with _cache_lock:
        loaded = _routers.get(key)
        if loaded is None:
            for old in [k for k in _routers if k[0] == stored.name]:
                del _routers[old]
            loaded = _Loaded(Router(graph_unpack(stored), resolution=RESOLUTION))
            _routers[key] = loaded
        return loaded


def _zone_levels(zones: list[ThreatZone]) -> dict[int, float]:
    levels: dict[int, float] = {}
    for row in zones:
        key = (str(row.pk), row.version)
        cells = _zone_cells.get(key)
        if cells is None:
            zone = Zone(tuple((float(a), float(b)) for a, b in row.polygon), level=row.level)
            cells = _zone_cells[key] = zone_cells(zone, RESOLUTION)
        for cell in cells:
            if levels.get(cell, 0.0) < row.level:
                levels[cell] = row.level
    return levels


def _route_view(router: Router, route: Route) -> RouteView:
    graph = router.graph
    return RouteView(
        path=[[float(graph.lat[n]), float(graph.lon[n])] for n in route.nodes],
        length_m=round(route.length_m, 1),
        exposure=round(route.exposure, 1),
        peak_risk=route.peak_risk,
    )


def route_safest(
    *,
    actor: Actor,
    origin: tuple[float, float],
    destination: tuple[float, float],
    risk_weight: float = 1.0,
    avoid_level: float | None = None,
    alternatives: int = 0,
    graph: str | None = None,
    now: dt.datetime | None = None,
) -> RoutePlan:
    """The safest route between two points over the stored graph, around the active zones:
    least length + risk_weight x exposure, never through a cell at `avoid_level` or above."""
    permission_require(actor, "routing.plan_route", doing="plan routes")
    stored = selectors.graph_get(name=graph)
    zones = selectors.zones_active(now=now or timezone.now())
    loaded = _router_for(stored)
    with loaded.lock:
        router = loaded.router
        router.risk_apply(_zone_levels(zones))
        answer = router.route_between(
            origin,
            destination,
            risk_weight=risk_weight,
            avoid_level=math.inf if avoid_level is None else avoid_level,
            alternatives=alternatives,
        )
        if isinstance(answer, NoSafeRoute):
            least = answer.least_exposed
            return RoutePlan(
                found=False,
                reason=answer.reason,
                graph=stored.name,
                routes=[],
                least_exposed=_route_view(router, least) if least is not None else None,
            )
        return RoutePlan(
            found=True,
            reason="",
            graph=stored.name,
            routes=[_route_view(router, route) for route in answer.routes],
            least_exposed=None,
        )
