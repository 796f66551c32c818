"""Threat risk on a hexagonal grid (H3 cells, as 64-bit integers): sightings that decay and
spread, and zones a commander draws. Pure: no ORM, no clock; every function takes `now`.

A sighting of `count` people seen with `confidence` (0..1) weighs `count x confidence`. Its
weight halves every `half_life_s` seconds and spreads to the rings around its cell, ring k
receiving `falloff**k` of it. A cell's risk is the larger of the highest level of the active
zones covering it and the sum of the decayed sighting weights reaching it: a commander's zone
states the level of a place, and sightings can only raise it.

`RiskField` keeps the sightings' weights scaled to a fixed epoch (w x 2^((t - epoch)/h)), so
that one new sighting touches only its own cells and the decay of all of them is one factor at
read time; `risk_full` recomputes from scratch and is what the incremental field must equal.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import h3  # type: ignore[import-untyped]
from h3.api import basic_int as h3int  # type: ignore[import-untyped]

# The scaled weights stay far from float overflow (2^1024) by moving the epoch forward once a
# new sighting is this many half-lives after it.
_REBASE_HALF_LIVES = 64.0


def _times_power_of_two(value: float, exponent: float) -> float:
    """value x 2^exponent, without overflowing the power on the way (inf if the result does)."""
    if -1000.0 < exponent < 1000.0:
        return value * math.pow(2.0, exponent)
    if value <= 0.0:
        return 0.0
    log = math.log(value) + exponent * math.log(2.0)
    return math.exp(log) if log < 709.0 else math.inf


@dataclass(frozen=True)
class RiskParams:
    # H3 resolution 10: hexagons of ~76 m edge, about a city block.
    resolution: int = 10
    half_life_s: float = 6 * 3600.0
    spread_rings: int = 2
    falloff: float = 0.5

    def __post_init__(self) -> None:
        if not 0 <= self.resolution <= 15:
            raise ValueError("resolution must be an H3 resolution, 0..15")
        if self.half_life_s <= 0:
            raise ValueError("half_life_s must be positive")
        if self.spread_rings < 0:
            raise ValueError("spread_rings must be zero or more")
        if not 0 <= self.falloff <= 1:
            raise ValueError("falloff must be between 0 and 1")


@dataclass(frozen=True)
class Sighting:
    lat: float
    lon: float
    at: dt.datetime
    count: int
    confidence: float

    @property
    def weight(self) -> float:
        return self.count * self.confidence


@dataclass(frozen=True)
class Zone:
    """A commander-drawn zone: polygon of (lat, lon) vertices, a level, an optional expiry."""

    polygon: tuple[tuple[float, float], ...]
    level: float
    expires_at: dt.datetime | None = None

    def active(self, now: dt.datetime) -> bool:
        return self.expires_at is None or now < self.expires_at


def decay_factor(age_s: float, half_life_s: float) -> float:
    """The share of a sighting's weight left after `age_s` seconds: 1/2 per half-life."""
    return float(2.0 ** (-age_s / half_life_s))


def cell_of(lat: float, lon: float, resolution: int) -> int:
    return int(h3int.latlng_to_cell(lat, lon, resolution))


def spread_cells(cell: int, params: RiskParams) -> list[tuple[int, float]]:
    """The cells a sighting in `cell` reaches, each with its share of the weight."""
    out = [(cell, 1.0)]
    for ring in range(1, params.spread_rings + 1):
        share = params.falloff**ring
        if share == 0.0:
            break
        out.extend((int(c), share) for c in h3int.grid_ring(cell, ring))
    return out


def zone_cells(zone: Zone, resolution: int) -> frozenset[int]:
    """Every cell the polygon overlaps (not only those whose centre it holds), so that a zone
    narrower than a cell still covers the street it is drawn on."""
    if len(zone.polygon) < 3:
        raise ValueError("a zone needs at least three vertices")
    shape = h3.LatLngPoly(list(zone.polygon))
    cells = h3.polygon_to_cells_experimental(shape, resolution, contain="overlap")
    return frozenset(h3.str_to_int(c) for c in cells)


def sighting_risk(sighting: Sighting, *, now: dt.datetime, params: RiskParams) -> float:
    age = (now - sighting.at).total_seconds()
    return sighting.weight * decay_factor(age, params.half_life_s)


def risk_full(
    sightings: Iterable[Sighting],
    zones: Iterable[Zone],
    *,
    params: RiskParams,
    now: dt.datetime,
) -> dict[int, float]:
    """Risk of every cell that has any, recomputed from all sightings and zones."""
    mass: dict[int, float] = {}
    for sighting in sightings:
        base = sighting_risk(sighting, now=now, params=params)
        centre = cell_of(sighting.lat, sighting.lon, params.resolution)
        for cell, share in spread_cells(centre, params):
            mass[cell] = mass.get(cell, 0.0) + base * share
    levels = {cell: value for cell, value in mass.items() if value > 0.0}
    for zone in zones:
        if not zone.active(now):
            continue
        for cell in zone_cells(zone, params.resolution):
            levels[cell] = max(levels.get(cell, 0.0), zone.level)
    return levels


def rebase_needed(epoch: dt.datetime, at: dt.datetime, params: RiskParams) -> bool:
    """Whether a sighting at `at` is so long after `epoch` that the epoch must move to it."""
    return (at - epoch).total_seconds() / params.half_life_s > _REBASE_HALF_LIVES


def mass_rebased(
    mass: float, old_epoch: dt.datetime, new_epoch: dt.datetime, params: RiskParams
) -> float:
    """A weight scaled to `old_epoch`, scaled to `new_epoch` instead."""
    return _times_power_of_two(mass, -(new_epoch - old_epoch).total_seconds() / params.half_life_s)


def mass_at(mass: float, epoch: dt.datetime, now: dt.datetime, params: RiskParams) -> float:
    """The risk at `now` of a weight scaled to `epoch`."""
    return _times_power_of_two(mass, -(now - epoch).total_seconds() / params.half_life_s)


def sighting_masses(
    sighting: Sighting, *, epoch: dt.datetime, params: RiskParams
) -> list[tuple[int, float]]:
    """What one sighting adds to each cell it reaches, scaled to `epoch`: w x 2^((t - epoch)/h)
    times the cell's share. The same numbers whether kept in memory or in a table."""
    base = _times_power_of_two(
        sighting.weight, (sighting.at - epoch).total_seconds() / params.half_life_s
    )
    centre = cell_of(sighting.lat, sighting.lon, params.resolution)
    return [(cell, base * share) for cell, share in spread_cells(centre, params)]


@dataclass
class RiskField:
    """The incrementally kept risk: add a sighting or a zone, read the levels at any time."""

    params: RiskParams
    epoch: dt.datetime
    _mass: dict[int, float] = field(default_factory=dict)
    _zones: dict[str, tuple[Zone, frozenset[int]]] = field(default_factory=dict)

    def _half_lives(self, at: dt.datetime) -> float:
        return (at - self.epoch).total_seconds() / self.params.half_life_s

    def sighting_add(self, sighting: Sighting) -> set[int]:
        """Add one sighting; returns the cells whose risk it changed."""
        if not self._mass:
            self.epoch = sighting.at
        elif rebase_needed(self.epoch, sighting.at, self.params):
            # Move the epoch forward so that new weights stay far from overflow; weights that
            # underflow then are 2^-1000 of the newest, gone long before anyone reads them.
            self._mass = {
                cell: mass_rebased(v, self.epoch, sighting.at, self.params)
                for cell, v in self._mass.items()
            }
            self.epoch = sighting.at
        changed: set[int] = set()
        for cell, mass in sighting_masses(sighting, epoch=self.epoch, params=self.params):
            self._mass[cell] = self._mass.get(cell, 0.0) + mass
            changed.add(cell)
        return changed

    def masses(self) -> dict[int, float]:
        """The weights scaled to `epoch`, cell by cell (what a stored grid keeps)."""
        return dict(self._mass)

    def zone_put(self, key: str, zone: Zone) -> set[int]:
        """Add or replace the zone named `key`; returns the cells it covered or covers now."""
        before = self._zones.get(key, (zone, frozenset()))[1]
        cells = zone_cells(zone, self.params.resolution)
        self._zones[key] = (zone, cells)
        return set(before | cells)

    def zone_remove(self, key: str) -> set[int]:
        gone = self._zones.pop(key, None)
        return set(gone[1]) if gone is not None else set()

    def levels(self, now: dt.datetime) -> dict[int, float]:
        """Risk of every cell that has any, at `now` (the same map `risk_full` draws)."""
        levels = {
            cell: mass_at(value, self.epoch, now, self.params)
            for cell, value in self._mass.items()
            if value > 0.0
        }
        for zone, cells in self._zones.values():
            if not zone.active(now):
                continue
            for cell in cells:
                levels[cell] = max(levels.get(cell, 0.0), zone.level)
        return levels


def levels_close(a: Mapping[int, float], b: Mapping[int, float], *, rel: float = 1e-9) -> bool:
    """Whether two risk maps agree cell by cell up to float rounding."""
    for cell in a.keys() | b.keys():
        if not math.isclose(a.get(cell, 0.0), b.get(cell, 0.0), rel_tol=rel, abs_tol=1e-12):
            return False
    return True


def cell_centre(cell: int) -> tuple[float, float]:
    """The hexagon's centre as (lat, lon)."""
    lat, lon = h3int.cell_to_latlng(cell)
    return float(lat), float(lon)


def cell_boundary(cell: int) -> list[tuple[float, float]]:
    """The hexagon's vertices as (lat, lon), to draw it."""
    return [(float(a), float(b)) for a, b in h3int.cell_to_boundary(cell)]


# ---- watching risk near the camp and along routes ------------------------------------------

# Bands of risk that raise an alert when a place's risk climbs into them, and the alert's
# severity: about one armed man seen for sure (1), a small party (2), a strong group or a zone a
# commander marked dangerous (4). Zones are drawn at 0.5 (watch) .. 5 (deadly).
RISK_BANDS: tuple[tuple[float, str], ...] = ((1.0, "info"), (2.0, "warning"), (4.0, "critical"))


def risk_band(level: float) -> int:
    """0 below the first band, else 1.. len(RISK_BANDS): the highest band `level` reaches."""
    return sum(1 for floor, _ in RISK_BANDS if level >= floor)


def band_severity(band: int) -> str:
    return RISK_BANDS[band - 1][1]


def _edge_m(resolution: int) -> float:
    return float(h3int.average_hexagon_edge_length(resolution, unit="m"))


@functools.lru_cache(maxsize=64)
def cells_within(lat: float, lon: float, radius_m: float, resolution: int) -> frozenset[int]:
    """The cells whose centre lies within `radius_m` of a point (and the point's own cell)."""
    centre = cell_of(lat, lon, resolution)
    edge = _edge_m(resolution)
    # Neighbouring cell centres are sqrt(3) x edge apart.
    rings = math.ceil(radius_m / (edge * math.sqrt(3.0))) + 1
    out = {centre}
    for cell in h3int.grid_disk(centre, rings):
        if h3.great_circle_distance((lat, lon), h3int.cell_to_latlng(cell), unit="m") <= radius_m:
            out.add(int(cell))
    return frozenset(out)


def cells_along(
    points: Sequence[tuple[float, float]], *, resolution: int, buffer_m: float
) -> frozenset[int]:
    """The cells a path of (lat, lon) points crosses, widened by `buffer_m` on each side."""
    return _cells_along(tuple(points), resolution, buffer_m)


# Watched routes are re-read on every sighting and every tick: the same path, the same cells.
@functools.lru_cache(maxsize=256)
def _cells_along(
    points: tuple[tuple[float, float], ...], resolution: int, buffer_m: float
) -> frozenset[int]:
    if not points:
        return frozenset()
    edge = _edge_m(resolution)
    step = edge / 2.0
    crossed: set[int] = {cell_of(points[0][0], points[0][1], resolution)}
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(points):
        length = h3.great_circle_distance((lat1, lon1), (lat2, lon2), unit="m")
        # A long leg between two far waypoints is sampled no finer than 5,000 points.
        steps = min(5000, max(1, math.ceil(length / step)))
        for i in range(1, steps + 1):
            t = i / steps
            crossed.add(cell_of(lat1 + (lat2 - lat1) * t, lon1 + (lon2 - lon1) * t, resolution))
    # Rings of neighbours (sqrt(3) x edge apart) nearest to the buffer asked for.
    rings = round(buffer_m / (edge * math.sqrt(3.0))) if buffer_m > 0 else 0
    if rings == 0:
        return frozenset(crossed)
    out: set[int] = set()
    for cell in crossed:
        out.update(int(c) for c in h3int.grid_disk(cell, rings))
    return frozenset(out)


def risk_peak(levels: Mapping[int, float], cells: Iterable[int]) -> tuple[int, float] | None:
    """The cell of highest risk among `cells` (the lowest cell id on a tie), or None."""
    best: tuple[int, float] | None = None
    for cell in cells:
        level = levels.get(cell, 0.0)
        if level > 0.0 and (
            best is None or level > best[1] or (level == best[1] and cell < best[0])
        ):
            best = (cell, level)
    return best


def offset_point(
    lat: float, lon: float, *, bearing_deg: float, distance_m: float
) -> tuple[float, float]:
    """The point `distance_m` away from (lat, lon) towards `bearing_deg` (0 = north)."""
    radius = 6_371_008.8
    phi, lam = math.radians(lat), math.radians(lon)
    theta, delta = math.radians(bearing_deg), distance_m / radius
    phi2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta)
    )
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(phi2), (math.degrees(lam2) + 540.0) % 360.0 - 180.0
