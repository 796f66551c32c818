"""Writes and the route planner of routing: graphs imported or generated, zones drawn, the
risk grid the sightings feed, and the safest route over the stored graph around the active
zones and the sightings' risk. Routing knows risk, not who reports it nor who travels: the
sightings come from the sources another app registers (intel's), and a zone drawn tells the
`risk_raised` signal's listeners (intel's risk watch) which cells it raised.

Routers are built once per stored graph version and kept in this process; before each
query the risk of the active zones is applied, which recomputes only the streets in cells
whose risk changed since the last query (so a new or expired zone reroutes at once).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import math
import os
import shutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.core.errors import Conflict, NotFound, ValidationFailed
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.routing import basemap, risk, selectors
from lifeline.routing.graph import NoSafeRoute, RoadGraph, Route, RouteFound, Router, haversine_m
from lifeline.routing.models import RiskCell, RiskGrid, StoredGraph, ThreatZone
from lifeline.routing.osm import OsmError, graph_import_file
from lifeline.routing.risk import RiskParams, Zone, zone_cells
from lifeline.routing.route_files import route_geojson, route_gpx
from lifeline.routing.signals import risk_raised
from lifeline.routing.town import mavrah_town
from lifeline.routing.turns import Turn, turns_list

RESOLUTION = RiskParams().resolution
# Risk below this is no risk to the router (a sighting's weight after ~10 half-lives); the
# grid drops cells that decayed below it (they only fall further until a sighting adds more).
ROUTER_RISK_FLOOR = 0.01


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
        edge_street=graph.edge_street if graph.edge_street is not None else np.empty(0, np.int64),
        street_names=np.array(graph.street_names, dtype=np.str_),
    )
    return buffer.getvalue()


def graph_unpack(stored: StoredGraph) -> RoadGraph:
    with np.load(io.BytesIO(bytes(stored.arrays))) as arrays:
        # Graphs stored before streets had names have neither array.
        streets = arrays["edge_street"] if "edge_street" in arrays.files else None
        return RoadGraph(
            lat=arrays["lat"],
            lon=arrays["lon"],
            offsets=arrays["offsets"],
            targets=arrays["targets"],
            lengths=arrays["lengths"],
            names={str(k): int(v) for k, v in stored.names.items()},
            symmetric=bool(arrays["symmetric"][0]),
            edge_street=streets if streets is not None and streets.shape[0] else None,
            street_names=tuple(str(n) for n in arrays["street_names"])
            if "street_names" in arrays.files
            else (),
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
    permission_require(actor, "routing.import_graph", doing=_("import road graphs"))
    path = Path(path)
    if not path.is_file():
        raise ValidationFailed({"file": _("%(file)s is not a file") % {"file": path}})
    try:
        graph = graph_import_file(path)
    except OsmError as exc:
        raise ValidationFailed({"file": str(exc)}) from exc
    slug = name or path.name.split(".")[0].lower().replace("_", "-")
    return _graph_store(actor=actor, name=slug, graph=graph, source=path.name)


def graph_generate_demo(*, actor: Actor, name: str = "mavrah") -> StoredGraph:
    """The generated demo town of Mavrah as the road graph `name`."""
    permission_require(actor, "routing.import_graph", doing=_("generate road graphs"))
    return _graph_store(actor=actor, name=name, graph=mavrah_town(), source="demo:mavrah")


# ---- basemaps ------------------------------------------------------------------------------


def basemap_add(*, actor: Actor, source: Path | IO[bytes], name: str = "") -> basemap.BasemapInfo:
    """Keep a PMTiles basemap (a file path, or an uploaded file's stream) under the data
    folder as `name` (the file's stem by default), after checking that Lifeline can draw it.
    A basemap of the same name is replaced. Written to a temporary file, then renamed: a
    refused or cut upload leaves nothing behind."""
    permission_require(actor, "routing.import_graph", doing=_("add basemaps"))
    if isinstance(source, Path) and not source.is_file():
        raise ValidationFailed({"file": str(_("%(file)s is not a file") % {"file": source})})
    stem = name or str(getattr(source, "name", "") or "").split("/")[-1].split(".")[0]
    slug = selectors.basemap_slug(stem)
    if not slug:
        raise ValidationFailed({"name": str(_("give the basemap a name of letters and digits"))})
    folder = selectors.basemap_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{slug}.pmtiles"
    partial = folder / f".{slug}.pmtiles.part"
    try:
        if isinstance(source, Path):
            shutil.copyfile(source, partial)
        else:
            with partial.open("wb") as out:
                shutil.copyfileobj(source, out, length=1 << 20)
        shown = (
            source.name if isinstance(source, Path) else str(getattr(source, "name", "") or "")
        ) or f"{slug}.pmtiles"
        info = basemap.basemap_inspect(partial, shown_as=shown)
    except basemap.BasemapError as exc:
        partial.unlink(missing_ok=True)
        raise ValidationFailed({"file": str(exc)}) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.chmod(0o600)
    os.replace(partial, target)
    audit_record(
        actor=actor,
        action="routing.basemap_add",
        summary=f"basemap {slug}: {info.tile_type} z{info.min_zoom}-{info.max_zoom}, "
        f"{info.size} bytes",
        detail={"name": slug, "bounds": list(info.bounds()), "size": info.size},
    )
    return info


def basemap_demo_make(*, actor: Actor, graph: str = "mavrah", name: str = "") -> Path:
    """The demo's basemap drawn from the stored road graph `graph` (its streets, its named
    places and houses along its streets), kept as `name` (the graph's name by default).
    The same graph gives the same file, byte for byte; an unchanged file is not rewritten."""
    permission_require(actor, "routing.import_graph", doing=_("make basemaps"))
    stored = selectors.graph_get(name=graph)
    geography = basemap.geography_of(graph_unpack(stored), name=stored.name.capitalize())
    blob = basemap.basemap_demo_write(geography)
    slug = selectors.basemap_slug(name or stored.name)
    target = selectors.basemap_dir() / f"{slug}.pmtiles"
    if target.is_file() and target.read_bytes() == blob:
        return target
    basemap_add(actor=actor, source=io.BytesIO(blob), name=slug)
    return target


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
    permission_require(actor, "routing.draw_threatzone", doing=_("draw threat zones"))
    points = [(float(p[0]), float(p[1])) for p in polygon]
    errors: dict[str, str] = {}
    if len(points) < 3:
        errors["polygon"] = _("needs at least three points")
    if not 0.5 <= level <= 5:
        errors["level"] = _("must be between 0.5 and 5")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("is already past")
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
    # A zone drawn near the camp or across a team's way is a rise too: alerted at once, in
    # this transaction, by whoever watches (intel's risk watch).
    cells = set(zone_cells(Zone(tuple(points), level=level), RESOLUTION))
    risk_raised.send(sender=ThreatZone, cells=cells)
    return zone


# ---- routes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnView:
    action: str  # routing.turns' action code
    text: str  # the instruction to read, in the user's language
    street: str
    distance_m: float
    lat: float
    lon: float


@dataclass(frozen=True)
class RouteView:
    path: list[list[float]]
    length_m: float
    exposure: float
    peak_risk: float
    turns: list[TurnView]


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


# The street's name is data, put into the sentence of the user's language as it was mapped.
_ACTION_TEXT = {
    "depart": gettext_lazy("Start along %(street)s, heading %(heading)s"),
    "straight": gettext_lazy("Continue onto %(street)s"),
    "slight_left": gettext_lazy("Bear left onto %(street)s"),
    "slight_right": gettext_lazy("Bear right onto %(street)s"),
    "left": gettext_lazy("Turn left onto %(street)s"),
    "right": gettext_lazy("Turn right onto %(street)s"),
    "sharp_left": gettext_lazy("Turn sharp left onto %(street)s"),
    "sharp_right": gettext_lazy("Turn sharp right onto %(street)s"),
    "u_turn": gettext_lazy("Turn back along %(street)s"),
    "arrive": gettext_lazy("Arrive"),
}
_HEADINGS = (
    gettext_lazy("north"),
    gettext_lazy("north-east"),
    gettext_lazy("east"),
    gettext_lazy("south-east"),
    gettext_lazy("south"),
    gettext_lazy("south-west"),
    gettext_lazy("west"),
    gettext_lazy("north-west"),
)


def turn_text(turn: Turn) -> str:
    """The instruction as a person reads it: "Turn left onto Main Street"."""
    street = turn.street or _("the way with no name")
    heading = str(_HEADINGS[round(turn.bearing / 45.0) % 8])
    return str(_ACTION_TEXT[turn.action]) % {"street": street, "heading": heading}


def turn_line(turn: TurnView) -> str:
    """A line of the printed turn list: the instruction and how far to go along it."""
    if not turn.distance_m:
        return turn.text
    return _("%(instruction)s (%(distance)s)") % {
        "instruction": turn.text,
        "distance": distance_words(turn.distance_m),
    }


def no_route_reason(answer: NoSafeRoute) -> str:
    """Why no route avoids the zones, in the user's language."""
    said = {"level": f"{answer.avoid_level:g}"}
    if answer.cause == "unconnected":
        return _("the two points are not connected by any road or path")
    if answer.cause == "start":
        return _("the start is inside a zone at risk level %(level)s or above") % said
    if answer.cause == "destination":
        return _("the destination is inside a zone at risk level %(level)s or above") % said
    if answer.least_exposed is None:
        return answer.reason
    said["peak"] = f"{answer.least_exposed.peak_risk:g}"
    return (
        _(
            "every way crosses a zone at risk level %(level)s or above; "
            "the least exposed one peaks at %(peak)s"
        )
        % said
    )


def _route_view(router: Router, route: Route) -> RouteView:
    graph = router.graph
    points = [(float(graph.lat[n]), float(graph.lon[n])) for n in route.nodes]
    turns = turns_list(
        points,
        [graph.street_of_edge(e) for e in route.edges],
        graph.lengths[np.asarray(route.edges, np.int64)].tolist(),
    )
    return RouteView(
        path=[[lat, lon] for lat, lon in points],
        length_m=round(route.length_m, 1),
        exposure=round(route.exposure, 1),
        peak_risk=round(route.peak_risk, 2),
        turns=[
            TurnView(
                action=t.action,
                text=turn_text(t),
                street=t.street,
                distance_m=t.distance_m,
                lat=t.lat,
                lon=t.lon,
            )
            for t in turns
        ],
    )


def _ends_on_graph(
    router: Router,
    graph_name: str,
    *,
    origin: tuple[float, float],
    destination: tuple[float, float],
) -> tuple[int, int]:
    """The graph's nodes nearest the two ends; an end farther than
    LIFELINE_ROUTE_MAX_SNAP_M from every road is refused rather than moved onto the map."""
    limit = float(settings.LIFELINE_ROUTE_MAX_SNAP_M)
    nodes: list[int] = []
    problems: dict[str, str] = {}
    for name, (lat, lon) in (("origin", origin), ("destination", destination)):
        node = router.node_nearest(lat, lon)
        away = haversine_m(lat, lon, float(router.graph.lat[node]), float(router.graph.lon[node]))
        if away > limit:
            problems[name] = _(
                "is %(away)s from the nearest road of the map '%(map)s'; "
                "a route starts and ends within %(limit)s of it"
            ) % {"away": distance_words(away), "map": graph_name, "limit": distance_words(limit)}
        nodes.append(node)
    if problems:
        raise ValidationFailed(problems)
    return nodes[0], nodes[1]


def distance_words(metres: float) -> str:
    """A distance as a person reads it, in kilometres from 1 km, in the user's language."""
    if metres >= 1000:
        km = number_format(round(metres / 1000, 1), decimal_pos=1, force_grouping=True)
        return _("%(n)s km") % {"n": km}
    return _("%(n)s m") % {"n": number_format(round(metres), force_grouping=True)}


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
    permission_require(actor, "routing.plan_route", doing=_("plan routes"))
    stored = selectors.graph_get(name=graph)
    zones = selectors.zones_active(now=now or timezone.now())
    loaded = _router_for(stored)
    with loaded.lock:
        router = loaded.router
        levels = risk_levels(now=now or timezone.now(), zones=zones)
        router.risk_apply({c: v for c, v in levels.items() if v >= ROUTER_RISK_FLOOR})
        ends = _ends_on_graph(router, stored.name, origin=origin, destination=destination)
        answer = router.route(
            *ends,
            risk_weight=risk_weight,
            avoid_level=math.inf if avoid_level is None else avoid_level,
            alternatives=alternatives,
        )
        if isinstance(answer, NoSafeRoute):
            least = answer.least_exposed
            return RoutePlan(
                found=False,
                reason=no_route_reason(answer),
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


# A waypoint farther than this from every street is reached off the graph: its legs stay
# straight lines.
STREETS_SNAP_M = 300.0
_streets_cache: dict[tuple[str, int, tuple[tuple[float, float], ...]], list[list[float]]] = {}


def route_streets(*, points: list[tuple[float, float]]) -> list[tuple[float, float]] | None:
    """The streets a way through `points` (in order) follows on the road graph imported last:
    the shortest way by length between each waypoint and the next, whatever the risk (the way
    that is planned, not one that dodges a new threat, so that a threat on it is seen). A leg
    with an end farther than STREETS_SNAP_M from any street stays a straight line. None when
    there is no graph or fewer than two points. A system read: no role applies (the risk
    watch follows every team out)."""
    if len(points) < 2:
        return None
    try:
        stored = selectors.graph_get()
    except NotFound:
        return None
    key = (stored.name, stored.version, tuple(points))
    cached = _streets_cache.get(key)
    if cached is None:
        cached = _streets_find(_router_for(stored), points)
        if len(_streets_cache) >= 256:
            _streets_cache.clear()
        _streets_cache[key] = cached
    return [(lat, lon) for lat, lon in cached]


def _streets_find(loaded: _Loaded, points: list[tuple[float, float]]) -> list[list[float]]:
    router = loaded.router
    graph = router.graph
    path: list[list[float]] = [[points[0][0], points[0][1]]]
    with loaded.lock:
        for (lat1, lon1), (lat2, lon2) in itertools.pairwise(points):
            a, b = router.node_nearest(lat1, lon1), router.node_nearest(lat2, lon2)
            on_graph = (
                haversine_m(lat1, lon1, float(graph.lat[a]), float(graph.lon[a])) <= STREETS_SNAP_M
                and haversine_m(lat2, lon2, float(graph.lat[b]), float(graph.lon[b]))
                <= STREETS_SNAP_M
            )
            answer = router.route(a, b, risk_weight=0.0) if on_graph else None
            if isinstance(answer, RouteFound):
                path.extend([float(graph.lat[n]), float(graph.lon[n])] for n in answer.best.nodes)
            path.append([lat2, lon2])
    return path


EXPORT_FORMATS = ("gpx", "geojson")


@dataclass(frozen=True)
class RouteFile:
    content: str
    content_type: str
    filename: str


def route_export(
    *,
    actor: Actor,
    file_format: str,
    origin: tuple[float, float],
    destination: tuple[float, float],
    risk_weight: float = 1.0,
    avoid_level: float | None = None,
    graph: str | None = None,
    now: dt.datetime | None = None,
) -> RouteFile:
    """The safest route between two points as a file for a GPS unit (GPX) or a map (GeoJSON),
    with its turns; a route that cannot avoid the zones is refused with the reason."""
    if file_format not in EXPORT_FORMATS:
        raise ValidationFailed(
            {"format": _("expected one of %(values)s") % {"values": ", ".join(EXPORT_FORMATS)}}
        )
    plan = route_safest(
        actor=actor,
        origin=origin,
        destination=destination,
        risk_weight=risk_weight,
        avoid_level=avoid_level,
        graph=graph,
        now=now,
    )
    if not plan.found:
        raise Conflict(_("No safe route to export: %(reason)s") % {"reason": plan.reason})
    route = plan.routes[0]
    name = _("Safest route on %(graph)s") % {"graph": plan.graph}
    description = _("%(length)s, exposure %(exposure)s, peak risk %(peak)s") % {
        "length": distance_words(route.length_m),
        "exposure": f"{route.exposure:g}",
        "peak": f"{route.peak_risk:g}",
    }
    stem = f"route-{plan.graph}-{(now or timezone.now()).strftime('%Y%m%d-%H%M')}"
    if file_format == "gpx":
        text = route_gpx(
            name=name,
            description=description,
            path=route.path,
            turns=[(t.lat, t.lon, turn_line(t)) for t in route.turns],
        )
        return RouteFile(text, "application/gpx+xml", f"{stem}.gpx")
    collection = route_geojson(
        name=name,
        properties={
            "graph": plan.graph,
            "length_m": route.length_m,
            "exposure": route.exposure,
            "peak_risk": route.peak_risk,
        },
        path=route.path,
        turns=[
            (
                t.lat,
                t.lon,
                t.text,
                {"action": t.action, "street": t.street, "distance_m": t.distance_m},
            )
            for t in route.turns
        ],
    )
    return RouteFile(json.dumps(collection), "application/geo+json", f"{stem}.geojson")


# ---- the sightings' risk grid (issue 7) ----------------------------------------------------
# A cache of the sightings in two local tables (RiskGrid, RiskCell), kept as routing.risk's
# RiskField keeps it: weights scaled to an epoch, so that a new sighting writes only the ~19
# cells it reaches. It is updated in the transaction that records the sighting: a sighting
# rolled back leaves no risk behind, and the grid never lags the sightings (at every commit it
# equals a full recompute, over the cells at or above ROUTER_RISK_FLOOR). Cells that decayed
# below the floor are deleted at each update and never read, so the table holds the live risk
# (about the last few days' sightings), not every cell ever touched. A grid whose parameters
# differ from the settings, or that counts fewer sightings than the table holds (rows that
# came by sync), is rebuilt from scratch.


class RiskSources(Protocol):
    """Where the grid's sightings come from. Routing reads no sightings table itself: the app
    that records them (intel) registers its sources in its AppConfig.ready."""

    def count(self) -> int:
        """How many sightings there are now."""
        ...

    def every(self) -> Iterable[risk.Sighting]:
        """Every sighting, oldest first."""
        ...


_RISK_SOURCES: dict[str, RiskSources] = {}


def risk_sources_register(name: str, sources: RiskSources) -> None:
    """Feed the grid from `sources` (registered again, replaced)."""
    _RISK_SOURCES[name] = sources


def _sightings_count() -> int:
    return sum(sources.count() for sources in _RISK_SOURCES.values())


def risk_params() -> RiskParams:
    """The risk parameters of the settings (half-life, spread); the resolution is the
    router's."""
    return RiskParams(
        resolution=RESOLUTION,
        half_life_s=float(settings.LIFELINE_RISK_HALF_LIFE_HOURS) * 3600.0,
        spread_rings=int(settings.LIFELINE_RISK_SPREAD_RINGS),
        falloff=float(settings.LIFELINE_RISK_FALLOFF),
    )


def _grid_params(grid: RiskGrid) -> RiskParams:
    return RiskParams(
        resolution=grid.resolution,
        half_life_s=grid.half_life_s,
        spread_rings=grid.spread_rings,
        falloff=grid.falloff,
    )


def _grid_locked() -> tuple[RiskGrid, bool]:
    """The grid row, locked, and whether it was just rebuilt (which it is first if there was
    none or the settings changed its parameters: it then counts every sighting stored)."""
    grid = RiskGrid.objects.select_for_update().order_by("pk").first()
    if grid is None or _grid_params(grid) != risk_params():
        return risk_rebuild(), True
    return grid, False


def _mass_floor(epoch: dt.datetime, now: dt.datetime, params: RiskParams) -> float:
    """The weight scaled to `epoch` whose risk at `now` is ROUTER_RISK_FLOOR: a cell weighing
    less is no risk to the router now, nor later unless a sighting adds to it."""
    return risk.mass_rebased(ROUTER_RISK_FLOOR, now, epoch, params)


def _cells_prune(grid: RiskGrid, now: dt.datetime) -> None:
    """Delete the cells whose risk decayed below the floor, so that the table stays the size
    of the live risk. A sighting that later adds to a pruned cell misses the residue, below
    the floor and still decaying."""
    if grid.epoch is not None:
        RiskCell.objects.filter(mass__lt=_mass_floor(grid.epoch, now, _grid_params(grid))).delete()


@transaction.atomic
def risk_rebuild() -> RiskGrid:
    """Recompute the grid from every sighting, with the parameters of the settings."""
    params = risk_params()
    grid = RiskGrid.objects.select_for_update().order_by("pk").first() or RiskGrid()
    field = risk.RiskField(params=params, epoch=timezone.now())
    count = 0
    for sources in _RISK_SOURCES.values():
        for sighting in sources.every():
            field.sighting_add(sighting)
            count += 1
    RiskCell.objects.all().delete()
    floor = _mass_floor(field.epoch, timezone.now(), params)
    RiskCell.objects.bulk_create(
        [RiskCell(cell=cell, mass=mass) for cell, mass in field.masses().items() if mass >= floor],
        batch_size=2000,
    )
    grid.resolution, grid.half_life_s = params.resolution, params.half_life_s
    grid.spread_rings, grid.falloff = params.spread_rings, params.falloff
    grid.epoch = field.epoch if count else None
    grid.sightings = count
    grid.built_at = timezone.now()
    grid.save()
    return grid


def _cells_add(adds: list[tuple[int, float]]) -> None:
    """Add each weight to its cell, creating the cell if new: one upsert statement (SQLite and
    PostgreSQL both know ON CONFLICT), where the ORM would read, then update and insert."""
    meta = RiskCell._meta
    conn = transaction.get_connection()
    quote = conn.ops.quote_name
    table, cell, mass = quote(meta.db_table), quote("cell"), quote("mass")
    # Names come from the model; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({cell}, {mass}) VALUES (%s, %s) "  # noqa: S608
        f"ON CONFLICT ({cell}) DO UPDATE SET {mass} = {table}.{mass} + excluded.{mass}"
    )
    with conn.cursor() as cursor:
        cursor.executemany(sql, adds)


@transaction.atomic
def risk_sighting_add(*, sighting: risk.Sighting) -> set[int]:
    """Add one recorded sighting to the grid (called by intel's services in the transaction
    that records it, once its row is among the sources); returns the cells whose risk it
    changed."""
    grid, rebuilt = _grid_locked()
    params = _grid_params(grid)
    if not rebuilt and grid.sightings != _sightings_count() - 1:
        risk_rebuild()  # missing rows that came by sync: from scratch
        rebuilt = True
    if rebuilt:  # the rebuild counted this sighting too
        centre = risk.cell_of(sighting.lat, sighting.lon, params.resolution)
        return {cell for cell, _ in risk.spread_cells(centre, params)}
    # First the cells that decayed below the floor: fewer to rebase, and the table stays small.
    _cells_prune(grid, timezone.now())
    if grid.epoch is None or not RiskCell.objects.exists():
        grid.epoch = sighting.at
    elif risk.rebase_needed(grid.epoch, sighting.at, params):
        old = grid.epoch
        cells = list(RiskCell.objects.all())
        for stored in cells:
            stored.mass = risk.mass_rebased(stored.mass, old, sighting.at, params)
        RiskCell.objects.bulk_update(cells, ["mass"], batch_size=2000)
        grid.epoch = sighting.at
    adds = risk.sighting_masses(sighting, epoch=grid.epoch, params=params)
    _cells_add(adds)
    grid.sightings += 1
    grid.save(update_fields=["epoch", "sightings"])
    return {cell for cell, _ in adds}


def risk_levels(*, now: dt.datetime, zones: list[ThreatZone] | None = None) -> dict[int, float]:
    """Risk of every cell that has at least ROUTER_RISK_FLOOR at `now`: the sightings'
    decayed weights, raised to the level of the active zones covering them (routing.risk.
    risk_full's map, without the cells below the floor)."""
    grid = RiskGrid.objects.order_by("pk").first()
    levels: dict[int, float] = {}
    if grid is not None and grid.epoch is not None:
        params = _grid_params(grid)
        floor = _mass_floor(grid.epoch, now, params)
        live = RiskCell.objects.filter(mass__gte=floor, mass__gt=0.0)
        for cell, mass in live.values_list("cell", "mass"):
            levels[cell] = risk.mass_at(mass, grid.epoch, now, params)
    active = zones if zones is not None else selectors.zones_active(now=now)
    for cell, level in _zone_levels(active).items():
        if levels.get(cell, 0.0) < level:
            levels[cell] = level
    return levels


def risk_grid_refresh() -> None:
    """The worker's upkeep of the grid: rebuild it if sightings came by another way (sync),
    else drop the cells that decayed below the floor."""
    with transaction.atomic():
        grid, rebuilt = _grid_locked()
        if not rebuilt and grid.sightings != _sightings_count():
            risk_rebuild()
        elif not rebuilt:
            _cells_prune(grid, timezone.now())
