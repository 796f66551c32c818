"""Road and path graphs from OpenStreetMap files: .osm XML (parsed with defusedxml, which
refuses entity expansion and external entities in files that come from anywhere) and .pbf
(read with pyosmium, the OSM project's own library). Pure: returns a `RoadGraph`.

Every way with a `highway` tag people can move along becomes streets between its consecutive
nodes, both ways (on foot, a one-way sign does not stop anyone), with haversine lengths.
Named points (amenities, shops, places) become named places, joined to the nearest street node.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import IO

import numpy as np

from lifeline.routing.graph import RoadGraph, haversine_many

# Highways no one can walk or drive along (yet, any more, or at all).
NOT_PASSABLE = frozenset(
    {"proposed", "construction", "abandoned", "disused", "razed", "platform", "raceway", "elevator"}
)
NAMED_POINT_KEYS = ("amenity", "shop", "place", "building", "military", "emergency")


class OsmError(ValueError):
    """The file is not OSM data this importer can read."""


@dataclass
class OsmData:
    nodes: dict[int, tuple[float, float]] = field(default_factory=dict)
    ways: list[list[int]] = field(default_factory=list)
    way_names: list[str] = field(default_factory=list)  # each way's name ("" for none)
    points: dict[str, tuple[float, float]] = field(default_factory=dict)


def _passable(tags: dict[str, str]) -> bool:
    highway = tags.get("highway")
    return highway is not None and highway not in NOT_PASSABLE and tags.get("access") != "no"


def _point_name(tags: dict[str, str]) -> str | None:
    name = tags.get("name")
    if name and any(key in tags for key in NAMED_POINT_KEYS):
        return name
    return None


def _way_name(tags: dict[str, str]) -> str:
    """What a walker reads on the sign, else the road's number."""
    return tags.get("name") or tags.get("ref") or ""


def read_osm_xml(source: str | Path | IO[bytes]) -> OsmData:
    from xml.etree.ElementTree import ParseError

    from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]

    data = OsmData()
    tags: dict[str, str] = {}
    refs: list[int] = []
    try:
        for _, element in iterparse(source, events=("end",)):
            tag = element.tag
            if tag == "tag":
                tags[element.get("k", "")] = element.get("v", "")
            elif tag == "nd":
                refs.append(int(element.get("ref")))
            elif tag == "node":
                location = (float(element.get("lat")), float(element.get("lon")))
                data.nodes[int(element.get("id"))] = location
                name = _point_name(tags)
                if name is not None:
                    data.points[name] = location
                tags, refs = {}, []
                element.clear()
            elif tag == "way":
                if _passable(tags) and len(refs) >= 2:
                    data.ways.append(refs)
                    data.way_names.append(_way_name(tags))
                tags, refs = {}, []
                element.clear()
            elif tag == "relation":
                tags, refs = {}, []
                element.clear()
    except (ParseError, TypeError, ValueError) as exc:
        raise OsmError(f"not a readable .osm file: {exc}") from exc
    return data


def read_osm_pbf(path: str | Path) -> OsmData:
    import osmium

    data = OsmData()
    try:
        for obj in osmium.FileProcessor(str(path)).with_locations():
            if isinstance(obj, osmium.osm.Node):
                tags = {t.k: t.v for t in obj.tags}
                location = (obj.location.lat, obj.location.lon)
                data.nodes[obj.id] = location
                name = _point_name(tags)
                if name is not None:
                    data.points[name] = location
            elif isinstance(obj, osmium.osm.Way):
                tags = {t.k: t.v for t in obj.tags}
                if _passable(tags) and len(obj.nodes) >= 2:
                    data.ways.append([n.ref for n in obj.nodes])
                    data.way_names.append(_way_name(tags))
    except RuntimeError as exc:
        raise OsmError(f"not a readable .pbf file: {exc}") from exc
    return data


def _pairs(
    ways: Iterable[tuple[list[int], str]], known: dict[int, int]
) -> Iterator[tuple[int, int, str]]:
    for refs, name in ways:
        for a, b in pairwise(refs):
            if a != b and a in known and b in known:
                yield known[a], known[b], name


def graph_from_osm(data: OsmData) -> RoadGraph:
    """The street graph of the ways; only nodes on a way are kept."""
    on_ways = sorted({ref for refs in data.ways for ref in refs if ref in data.nodes})
    if not on_ways:
        raise OsmError("the file has no passable ways (highway=*) with known nodes")
    index = {ref: i for i, ref in enumerate(on_ways)}
    lat = np.array([data.nodes[ref][0] for ref in on_ways])
    lon = np.array([data.nodes[ref][1] for ref in on_ways])
    names_of = data.way_names if len(data.way_names) == len(data.ways) else [""] * len(data.ways)
    street: dict[tuple[int, int], str] = {}
    for a, b, way_name in _pairs(zip(data.ways, names_of, strict=True), index):
        key = (min(a, b), max(a, b))  # one street, whichever way the ways were drawn
        if not street.get(key):
            street[key] = way_name
    ordered = sorted(street)
    pairs = np.array(ordered, dtype=np.int64).reshape(-1, 2)
    names: dict[str, int] = {}
    for name, (plat, plon) in sorted(data.points.items()):
        distance = haversine_many(np.full_like(lat, plat), np.full_like(lon, plon), lat, lon)
        names[name] = int(np.argmin(distance))
    return RoadGraph.from_edges(
        lat, lon, pairs[:, 0], pairs[:, 1], names=names, edge_names=[street[k] for k in ordered]
    )


def graph_import_file(path: str | Path) -> RoadGraph:
    """A graph from an .osm (XML) or .pbf file, by its extension."""
    path = Path(path)
    suffixes = "".join(path.suffixes).lower()
    if suffixes.endswith(".pbf"):
        return graph_from_osm(read_osm_pbf(path))
    if suffixes.endswith(".osm") or suffixes.endswith(".xml"):
        return graph_from_osm(read_osm_xml(path))
    raise OsmError(f"{path.name}: expected an .osm or .pbf file")
