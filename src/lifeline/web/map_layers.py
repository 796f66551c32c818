"""The layers of the live map (drawn by Leaflet over an offline basemap): each one a GeoJSON
FeatureCollection built from the apps' selectors, and each given only to a role that may see
it (people's positions, a team's check-ins, only to the roles that see missions), so that the
map never refuses a page. The page passes them to its script through `json_script`; the
script (web/static/web/livemap.js) styles each layer by its id and lets them be switched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.clock import site_local
from lifeline.core.errors import NotFound
from lifeline.core.selectors import site_places
from lifeline.core.services import Actor
from lifeline.facilities.selectors import facility_list
from lifeline.intel.threats import selectors as threat_selectors
from lifeline.missions.selectors import MissionRecord, TeamOut, teams_out
from lifeline.routing import map_presenter, risk, selectors
from lifeline.routing.graph import RoadGraph
from lifeline.routing.services import graph_unpack, risk_levels, risk_params
from lifeline.supplies.selectors import location_list

LatLon = tuple[float, float]


@dataclass
class Layer:
    """One layer the map can switch on and off: `id` names its style in the script."""

    id: str
    title: str
    features: list[dict[str, Any]] = field(default_factory=list)
    shown: bool = True

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "shown": self.shown,
            "data": {"type": "FeatureCollection", "features": self.features},
        }


def _point(lat: float, lon: float, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": props,
    }


def _line(path: Iterable[Sequence[float]], **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {
            "type": "LineString",
            "coordinates": [[round(float(p[1]), 6), round(float(p[0]), 6)] for p in path],
        },
        "properties": props,
    }


def route_feature(path: Iterable[Sequence[float]], *, colour: str, dashed: bool) -> dict[str, Any]:
    """A route drawn over the map, in its colour (dashed: an alternative, or the least exposed
    way when none is safe)."""
    return _line(path, kind="route", colour=colour, dashed=dashed)


def _polygon(ring: Iterable[Sequence[float]], **props: Any) -> dict[str, Any]:
    coords = [[round(float(p[1]), 6), round(float(p[0]), 6)] for p in ring]
    if coords and coords[0] != coords[-1]:
        coords.append(coords[0])
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [coords]},
        "properties": props,
    }


def _ago(now: dt.datetime, then: dt.datetime) -> str:
    minutes = max(0, int((now - then).total_seconds() // 60))
    if minutes < 120:
        return _("%(n)s min ago") % {"n": minutes}
    return _("%(n)s h ago") % {"n": minutes // 60}


def map_layers(
    *,
    actor: Actor,
    graph: RoadGraph | None,
    now: dt.datetime | None = None,
    teams: Sequence[TeamOut] | None = None,
) -> list[Layer]:
    """Every layer `actor` may see, in drawing order (areas first, points on top)."""
    now = now or timezone.now()
    layers: list[Layer] = []
    half_life_s = risk_params().half_life_s
    if actor.has_perm("intel.view_sighting"):
        cells = Layer("risk", _("Risk from sightings"))
        for cell, level in sorted(risk_levels(now=now, zones=[]).items()):
            if level >= map_presenter.RISK_CELL_FLOOR:
                cells.features.append(
                    _polygon(
                        risk.cell_boundary(cell),
                        level=round(level, 1),
                        opacity=round(min(0.55, 0.08 + 0.1 * level), 2),
                        label=_("Risk %(level)s from sightings") % {"level": round(level, 1)},
                    )
                )
        layers.append(cells)
    if actor.has_perm("routing.view_threatzone"):
        zones = Layer("zones", _("Threat zones"))
        for zone in selectors.zone_list(actor=actor, now=now):
            if zone.polygon:
                zones.features.append(
                    _polygon(
                        zone.polygon,
                        level=zone.level,
                        opacity=round(min(0.6, 0.1 + 0.1 * zone.level), 2),
                        label=_("%(name)s: level %(level)s")
                        % {"name": zone.name or _("Threat zone"), "level": f"{zone.level:g}"},
                    )
                )
        layers.append(zones)
    if actor.has_perm("intel.view_sighting"):
        seen = Layer("sightings", _("Sightings (fading with age)"))
        since = map_presenter.sightings_shown_since(now, half_life_s)
        rows = threat_selectors.sighting_list(actor=actor, since=since)
        for row in rows[: map_presenter.MAX_SIGHTINGS_DRAWN]:
            age_s = max(0.0, (now - row.seen_at).total_seconds())
            seen.features.append(
                _point(
                    row.latitude,
                    row.longitude,
                    count=row.count,
                    opacity=round(max(0.15, risk.decay_factor(age_s, half_life_s)), 2),
                    label=_("%(count)s seen, %(ago)s")
                    % {"count": row.count, "ago": _ago(now, row.seen_at)},
                )
            )
        layers.append(seen)
    if actor.has_perm("intel.view_hostilegroup"):
        groups = Layer("groups", _("Hostile groups, last seen"))
        for group in threat_selectors.hostile_group_list(actor=actor):
            lat, lon = group.last_seen_latitude, group.last_seen_longitude
            if lat is not None and lon is not None:
                when = group.last_seen_at
                label = group.name if when is None else f"{group.name}, {_ago(now, when)}"
                groups.features.append(_point(lat, lon, label=label))
        layers.append(groups)
    places = Layer("places", _("Sites, camps and places"))
    home = site_local()
    for site in site_places():
        if site.latitude is not None and site.longitude is not None:
            kind = "camp" if site.pk == home.pk else "site"
            places.features.append(
                _point(site.latitude, site.longitude, label=site.name, kind=kind)
            )
    if graph is not None:
        for name, node in sorted(graph.names.items()):
            places.features.append(
                _point(float(graph.lat[node]), float(graph.lon[node]), label=name, kind="place")
            )
    layers.append(places)
    if actor.has_perm("supplies.view_item"):
        stores = Layer("stores", _("Stores and caches"))
        for location in location_list(actor=actor):
            if location.latitude is not None and location.longitude is not None:
                stores.features.append(
                    _point(location.latitude, location.longitude, label=location.name)
                )
        layers.append(stores)
    if actor.has_perm("facilities.view_facility"):
        posts = Layer("facilities", _("Watch posts and facilities"))
        for facility in facility_list(actor=actor):
            if facility.latitude is not None and facility.longitude is not None:
                posts.features.append(
                    _point(
                        facility.latitude,
                        facility.longitude,
                        label=facility.name,
                        kind=facility.kind,
                    )
                )
        layers.append(posts)
    if actor.has_perm("missions.view_mission"):
        layers.append(
            _missions_layer(teams if teams is not None else teams_out(actor=actor, now=now), now)
        )
    return layers


def _missions_layer(teams: Sequence[TeamOut], now: dt.datetime) -> Layer:
    """Each team out: its planned points in order (a dashed line), its extraction point, and
    where it last checked in."""
    missions = Layer("missions", _("Missions out: waypoints, extraction, last check-in"))
    for team in teams:
        mission = team.status.mission
        link = reverse("web:mission_detail", kwargs={"mission_id": mission.pk})
        path = [(p.latitude, p.longitude) for p in team.points]
        if len(path) > 1:
            missions.features.append(_line(path, label=mission.name, kind="plan", href=link))
        for point in team.points:
            missions.features.append(
                _point(
                    point.latitude,
                    point.longitude,
                    label=f"{mission.name}: {point.name}",
                    kind=point.kind,
                    href=link,
                )
            )
        if team.last_position is not None:
            lat, lon = team.last_position
            missions.features.append(
                _point(
                    lat,
                    lon,
                    label=_("%(mission)s: last check-in") % {"mission": mission.name},
                    kind="team-overdue" if team.status.overdue else "team",
                    href=link,
                )
            )
    return missions


def basemaps_json() -> list[dict[str, Any]]:
    """The kept basemaps as the script reads them: where to fetch each, what it covers and its
    kind of tiles ("mvt", "png" or "jpg"). The one added last comes first: the map shows it,
    and offers the others in its layers control (one basemap at a time, since a vector
    basemap's ground would hide an extract under it)."""
    rows = sorted(selectors.basemap_list(), key=lambda row: (-row.added_ns, row.name))
    return [
        {
            "name": row.name,
            "url": reverse("web:basemap_file", kwargs={"name": row.name}),
            "type": row.info.tile_type,
            "min_zoom": row.info.min_zoom,
            "max_zoom": row.info.max_zoom,
            "bounds": [[row.info.south, row.info.west], [row.info.north, row.info.east]],
        }
        for row in rows
    ]


def live_map(
    *,
    actor: Actor,
    viewport: map_presenter.Viewport,
    map_id: str,
    graph: RoadGraph | None = None,
    extra: Sequence[Layer] = (),
    now: dt.datetime | None = None,
) -> dict[str, Any] | None:
    """What web/_map_live.html needs: the basemaps, `actor`'s layers (and `extra` ones on top)
    and the area to show first; None without a basemap (the page keeps its drawn map).
    `graph`: the road graph whose named places are drawn (the one imported last when not
    given)."""
    basemaps = basemaps_json()  # each file's header read once per page
    if not basemaps:
        return None
    if graph is None:
        graph = _graph_latest()
    layers = [layer.as_json() for layer in map_layers(actor=actor, graph=graph, now=now)]
    layers += [layer.as_json() for layer in extra]
    return {
        "basemaps": basemaps,
        "basemaps_id": f"{map_id}-basemaps",
        "layers": layers,
        "layers_id": f"{map_id}-layers",
        "bounds": [viewport.south, viewport.west, viewport.north, viewport.east],
    }


def _graph_latest() -> RoadGraph | None:
    try:
        return graph_unpack(selectors.graph_get())
    except NotFound:
        return None


def live_pick_map(*, actor: Actor, focus: Sequence[LatLon], map_id: str) -> dict[str, Any] | None:
    """A live map for picking a point in a form, around `focus` (else the whole road graph);
    None without a basemap (the form keeps its typed fields and "use my position")."""
    graph = _graph_latest()
    if graph is None and not focus:
        return None
    viewport = (
        map_presenter.viewport_around(list(focus))
        if focus
        else map_presenter.viewport_choose(graph)  # type: ignore[arg-type]
    )
    return live_map(actor=actor, viewport=viewport, map_id=map_id, graph=graph)


def mission_layer(record: MissionRecord) -> Layer:
    """One mission on its page's map: its points in order (a dashed line), the team's check-ins
    with a position and the reports with one."""
    layer = Layer("mission", str(record.mission.name))
    path = [(p.latitude, p.longitude) for p in record.points]
    if len(path) > 1:
        layer.features.append(_line(path, label=record.mission.name, kind="plan"))
    for point in record.points:
        layer.features.append(
            _point(point.latitude, point.longitude, label=point.name, kind=point.kind)
        )
    for checkin in record.checkins:
        if checkin.latitude is not None and checkin.longitude is not None:
            layer.features.append(
                _point(
                    checkin.latitude,
                    checkin.longitude,
                    label=timezone.localtime(checkin.at).strftime("%H:%M"),
                    kind="checkin",
                )
            )
    for event in record.timeline:
        if event.kind == "report" and event.latitude is not None and event.longitude is not None:
            layer.features.append(
                _point(event.latitude, event.longitude, label=event.title, kind="report")
            )
    return layer
