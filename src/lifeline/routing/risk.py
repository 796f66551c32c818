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
import math
from collections.abc import Iterable, Mapping
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
        elif self._half_lives(sighting.at) > _REBASE_HALF_LIVES:
            # Move the epoch forward so that new weights stay far from overflow; weights that
            # underflow then are 2^-1000 of the newest, gone long before anyone reads them.
            shift = -self._half_lives(sighting.at)
            self._mass = {cell: _times_power_of_two(v, shift) for cell, v in self._mass.items()}
            self.epoch = sighting.at
        base = _times_power_of_two(sighting.weight, self._half_lives(sighting.at))
        centre = cell_of(sighting.lat, sighting.lon, self.params.resolution)
        changed: set[int] = set()
        for cell, share in spread_cells(centre, self.params):
            self._mass[cell] = self._mass.get(cell, 0.0) + base * share
            changed.add(cell)
        return changed

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
        shift = -self._half_lives(now)
        levels = {
            cell: _times_power_of_two(value, shift)
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


def cell_boundary(cell: int) -> list[tuple[float, float]]:
    """The hexagon's vertices as (lat, lon), to draw it."""
    return [(float(a), float(b)) for a, b in h3int.cell_to_boundary(cell)]
