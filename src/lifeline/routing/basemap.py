"""Offline basemaps: reading a PMTiles file a user brings (is it one, what does it cover, what
kind of tiles) and writing the demo's own small one from its geography. Pure: no Django.

The demo's tiles follow the Protomaps basemap schema (layers `earth`, `roads`, `buildings`,
`places` with a `kind`), so the same style draws the demo's map and a user's Protomaps extract.
Writing is deterministic: the same geography gives the same bytes (tiles uncompressed, the
metadata gzipped with no time stamp, buildings placed by a seeded generator).
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mapbox_vector_tile
import numpy as np
import shapely
from django.utils.translation import gettext as _
from pmtiles.tile import (
    Compression,
    MagicNumberNotFound,
    SpecVersionUnsupported,
    TileType,
    deserialize_header,
    zxy_to_tileid,
)
from pmtiles.writer import Writer
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from lifeline.routing.graph import RoadGraph

HEADER_BYTES = 127
EXTENT = 4096
# What a tile carries beyond its edge, in its own units, so that lines join across tiles.
TILE_BUFFER = 64
EARTH_HALF = 20037508.342789244  # Web Mercator's half width in metres
TILE_TYPES_DRAWN = {TileType.MVT: "mvt", TileType.PNG: "png", TileType.JPEG: "jpg"}
DEMO_ZOOMS = (10, 16)  # the browser enlarges the last zoom's tiles beyond it
DEMO_BUILDING_MIN_ZOOM = 14
DEMO_SEED = 18

LatLon = tuple[float, float]


class BasemapError(ValueError):
    """A file that is not a basemap Lifeline can draw; the message says why, for a person."""


@dataclass(frozen=True)
class BasemapInfo:
    """What a PMTiles file's header says: its tiles, zooms and the area it covers."""

    tile_type: str  # "mvt" (vector), "png" or "jpg"
    min_zoom: int
    max_zoom: int
    south: float
    west: float
    north: float
    east: float
    centre_zoom: int
    size: int

    @property
    def vector(self) -> bool:
        return self.tile_type == "mvt"

    def bounds(self) -> tuple[float, float, float, float]:
        return (self.south, self.west, self.north, self.east)


def basemap_inspect(path: Path, *, shown_as: str = "") -> BasemapInfo:
    """The header of the PMTiles file at `path`, checked: a PMTiles v3 archive of vector, PNG
    or JPEG tiles with sane zooms and bounds, its sections inside the file. Messages name it
    `shown_as` (the name the user knows it by), else by its file name."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEADER_BYTES)
    except OSError as exc:
        raise BasemapError(
            _("cannot read %(name)s: %(why)s")
            % {"name": shown_as or path.name, "why": exc.strerror}
        ) from exc
    return basemap_header_check(head, size=size, name=shown_as or path.name)


def basemap_header_check(head: bytes, *, size: int, name: str = "the file") -> BasemapInfo:
    if len(head) < HEADER_BYTES:
        raise BasemapError(_("%(name)s is too short to be a PMTiles basemap") % {"name": name})
    try:
        header = deserialize_header(head)
    except (MagicNumberNotFound, UnicodeDecodeError) as exc:
        raise BasemapError(
            _(
                "%(name)s is not a PMTiles basemap (an .mbtiles file can be turned into one with "
                "`pmtiles convert`)"
            )
            % {"name": name}
        ) from exc
    except SpecVersionUnsupported as exc:
        raise BasemapError(
            _("%(name)s is an old PMTiles version; convert it to version 3 with `pmtiles convert`")
            % {"name": name}
        ) from exc
    except ValueError as exc:  # an unknown compression or tile type number
        raise BasemapError(
            _("%(name)s has a header Lifeline cannot read") % {"name": name}
        ) from exc
    tile_type = TILE_TYPES_DRAWN.get(header["tile_type"])
    if tile_type is None:
        raise BasemapError(
            _("%(name)s holds %(kind)s tiles; Lifeline draws vector (MVT), PNG or JPEG tiles")
            % {"name": name, "kind": header["tile_type"].name.lower()}
        )
    if header["tile_compression"] not in (Compression.NONE, Compression.GZIP):
        raise BasemapError(
            _(
                "the tiles of %(name)s are compressed with %(kind)s; Lifeline reads uncompressed "
                "or gzip tiles"
            )
            % {"name": name, "kind": header["tile_compression"].name.lower()}
        )
    min_zoom, max_zoom = header["min_zoom"], header["max_zoom"]
    if not 0 <= min_zoom <= max_zoom <= 24:
        raise BasemapError(
            _("%(name)s has impossible zoom levels (%(low)s to %(high)s)")
            % {"name": name, "low": min_zoom, "high": max_zoom}
        )
    south, west = header["min_lat_e7"] / 1e7, header["min_lon_e7"] / 1e7
    north, east = header["max_lat_e7"] / 1e7, header["max_lon_e7"] / 1e7
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise BasemapError(
            _("%(name)s covers no area on Earth (its bounds are impossible)") % {"name": name}
        )
    ends = [
        header["root_offset"] + header["root_length"],
        header["metadata_offset"] + header["metadata_length"],
        header["leaf_directory_offset"] + header["leaf_directory_length"],
        header["tile_data_offset"] + header["tile_data_length"],
    ]
    if header["root_length"] == 0 or max(ends) > size:
        raise BasemapError(
            _("%(name)s is cut short: its directory or tiles lie past its end") % {"name": name}
        )
    return BasemapInfo(
        tile_type=tile_type,
        min_zoom=min_zoom,
        max_zoom=max_zoom,
        south=south,
        west=west,
        north=north,
        east=east,
        centre_zoom=header["center_zoom"],
        size=size,
    )


# ---- the demo's basemap -------------------------------------------------------------------


@dataclass(frozen=True)
class Geography:
    """What the demo's basemap shows: streets as pairs of points, named places and the
    area's name. Buildings are placed along the streets, water drawn where there is any."""

    streets: Sequence[tuple[LatLon, LatLon]]
    places: Mapping[str, LatLon]
    name: str
    water: Sequence[Sequence[LatLon]] = ()


def geography_of(graph: RoadGraph, *, name: str) -> Geography:
    """A road graph's streets (each once) and named places, as the demo's basemap draws them."""
    sources, targets = graph.sources().tolist(), graph.targets.tolist()
    pairs = sorted({(min(a, b), max(a, b)) for a, b in zip(sources, targets, strict=True)})
    lat, lon = graph.lat.tolist(), graph.lon.tolist()
    return Geography(
        streets=[((lat[a], lon[a]), (lat[b], lon[b])) for a, b in pairs],
        places={place: (lat[node], lon[node]) for place, node in sorted(graph.names.items())},
        name=name,
    )


def _mercator(lat: float, lon: float) -> tuple[float, float]:
    x = math.radians(lon) * EARTH_HALF / math.pi
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * EARTH_HALF / math.pi
    return x, y


def _tile_box(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    size = 2 * EARTH_HALF / (1 << z)
    west = -EARTH_HALF + x * size
    north = EARTH_HALF - y * size
    return west, north - size, west + size, north


def _tile_of(z: int, mx: float, my: float) -> tuple[int, int]:
    n = 1 << z
    size = 2 * EARTH_HALF / n
    x = min(n - 1, max(0, int((mx + EARTH_HALF) // size)))
    y = min(n - 1, max(0, int((EARTH_HALF - my) // size)))
    return x, y


def _buildings(streets: Sequence[tuple[tuple[float, float], tuple[float, float]]]) -> list[Polygon]:
    """Houses along the streets (in Mercator metres, scaled to ground metres at the town's
    latitude): one each side of every street long enough, facing it, kept off every street and
    off each other; some left out, as in a ruined town. Seeded: always the same houses."""
    rng = random.Random(DEMO_SEED)  # noqa: S311 - a deterministic demo map, not a secret
    lines = [LineString(s) for s in streets]
    if not lines:
        return []
    mid_y = sum(a[1] + b[1] for a, b in streets) / (2 * len(streets))
    scale = 1 / math.cos(2 * math.atan(math.exp(mid_y * math.pi / EARTH_HALF)) - math.pi / 2)
    tree = STRtree(lines)
    placed: list[Polygon] = []
    for (ax, ay), (bx, by) in streets:
        length = math.hypot(bx - ax, by - ay)
        if length < 30 * scale:
            continue
        ux, uy = (bx - ax) / length, (by - ay) / length
        for side in (1, -1):
            if rng.random() < 0.25:
                continue
            along, across = rng.uniform(9, 14) * scale, rng.uniform(6, 9) * scale
            offset = (across + rng.uniform(4, 6) * scale) * side
            cx = (ax + bx) / 2 - uy * offset
            cy = (ay + by) / 2 + ux * offset
            corners = [
                (cx + ux * along * sa - uy * across * sc, cy + uy * along * sa + ux * across * sc)
                for sa, sc in ((-1, -1), (1, -1), (1, 1), (-1, 1))
            ]
            house = Polygon(corners)
            halo = house.buffer(2 * scale, join_style="mitre")
            if len(tree.query(halo, predicate="intersects")) or any(
                halo.intersects(p) for p in placed[-40:]
            ):
                continue
            placed.append(house)
    return placed


def _quantize(geometry: BaseGeometry, tile: tuple[float, float, float, float]) -> BaseGeometry:
    """In the tile's own units (0 to EXTENT, y up as the encoder expects), whole numbers."""
    west, south, east, north = tile
    scale = np.array([EXTENT / (east - west), EXTENT / (north - south)])
    origin = np.array([west, south])
    return shapely.transform(geometry, lambda xy: np.rint((xy - origin) * scale))


@dataclass(frozen=True)
class _TileLayer:
    """One layer's shapes (Mercator metres) and properties, indexed to find a tile's."""

    name: str
    shapes: Sequence[BaseGeometry]
    props: Sequence[dict[str, Any]]
    min_zoom: int = 0

    @functools.cached_property
    def tree(self) -> STRtree:
        return STRtree(self.shapes)

    def features(self, tile: tuple[float, float, float, float]) -> list[dict[str, Any]]:
        west, south, east, north = tile
        pad = (east - west) * TILE_BUFFER / EXTENT
        frame = box(west - pad, south - pad, east + pad, north + pad)
        out = []
        for index in sorted(int(i) for i in self.tree.query(frame)):
            clipped = self.shapes[index].intersection(frame)
            if not clipped.is_empty:
                out.append({"geometry": _quantize(clipped, tile), "properties": self.props[index]})
        return out


def basemap_demo_tiles(geography: Geography) -> dict[tuple[int, int, int], bytes]:
    """Every tile of the demo's basemap, by (z, x, y), as uncompressed MVT."""
    ordered = sorted(geography.streets, key=lambda s: (s[0], s[1]))
    streets = [(_mercator(*a), _mercator(*b)) for a, b in ordered]
    place_nodes = set(geography.places.values())
    kinds = ["path" if a in place_nodes or b in place_nodes else "minor_road" for a, b in ordered]
    xs = [p[0] for s in streets for p in s] or [0.0]
    ys = [p[1] for s in streets for p in s] or [0.0]
    margin = 1500.0  # metres of land drawn around the streets
    land = box(min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin)
    centre = Point((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    houses = _buildings(streets)
    water = [Polygon([_mercator(*p) for p in ring]) for ring in geography.water]
    layers = [
        _TileLayer("earth", [land], [{"kind": "earth"}]),
        _TileLayer("water", water, [{"kind": "water"}] * len(water)),
        _TileLayer(
            "roads",
            [LineString(s) for s in streets],
            [{"kind": k, "min_zoom": 12 if k == "minor_road" else 14} for k in kinds],
        ),
        _TileLayer(
            "buildings",
            houses,
            [{"kind": "building"}] * len(houses),
            min_zoom=DEMO_BUILDING_MIN_ZOOM,
        ),
        _TileLayer(
            "places",
            [centre],
            [{"kind": "locality", "name": geography.name, "min_zoom": 9, "population_rank": 8}],
        ),
    ]
    tiles: dict[tuple[int, int, int], bytes] = {}
    low, high = DEMO_ZOOMS
    for z in range(low, high + 1):
        x0, y0 = _tile_of(z, land.bounds[0], land.bounds[3])
        x1, y1 = _tile_of(z, land.bounds[2], land.bounds[1])
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                tile = _tile_box(z, x, y)
                drawn = [
                    {"name": layer.name, "features": layer.features(tile)}
                    for layer in layers
                    if z >= layer.min_zoom and layer.shapes
                ]
                tiles[(z, x, y)] = mapbox_vector_tile.encode(
                    [layer for layer in drawn if layer["features"]],
                    default_options={"extents": EXTENT},
                )
    return tiles


def basemap_demo_write(geography: Geography) -> bytes:
    """The demo's basemap as the bytes of a PMTiles file."""
    tiles = basemap_demo_tiles(geography)
    buffer = io.BytesIO()
    writer = Writer(buffer)  # type: ignore[no-untyped-call]
    for (z, x, y), data in sorted(tiles.items(), key=lambda item: zxy_to_tileid(*item[0])):
        writer.write_tile(zxy_to_tileid(z, x, y), data)  # type: ignore[no-untyped-call]
    lats = [p[0] for s in geography.streets for p in s]
    lons = [p[1] for s in geography.streets for p in s]
    low, high = DEMO_ZOOMS
    header = {
        "tile_type": TileType.MVT,
        "tile_compression": Compression.NONE,
        "min_zoom": low,
        "max_zoom": high,
        "min_lon_e7": math.floor((min(lons) - 0.01) * 1e7),
        "min_lat_e7": math.floor((min(lats) - 0.01) * 1e7),
        "max_lon_e7": math.ceil((max(lons) + 0.01) * 1e7),
        "max_lat_e7": math.ceil((max(lats) + 0.01) * 1e7),
        "center_zoom": 15,
        "center_lon_e7": round((min(lons) + max(lons)) / 2 * 1e7),
        "center_lat_e7": round((min(lats) + max(lats)) / 2 * 1e7),
    }
    metadata = {
        "name": geography.name,
        "attribution": "Lifeline demo (generated)",
        "vector_layers": [
            {"id": layer, "fields": {"kind": "String"}}
            for layer in ("earth", "water", "roads", "buildings", "places")
        ],
    }
    writer.finalize(header, metadata)  # type: ignore[no-untyped-call]
    return buffer.getvalue()


def basemap_metadata(blob: bytes) -> dict[str, Any]:
    """The metadata of PMTiles bytes (tests and `lifeline map` read it)."""
    header = deserialize_header(blob[:HEADER_BYTES])
    raw = blob[header["metadata_offset"] : header["metadata_offset"] + header["metadata_length"]]
    if header["internal_compression"] == Compression.GZIP:
        raw = gzip.decompress(raw)
    loaded: dict[str, Any] = json.loads(raw)
    return loaded
