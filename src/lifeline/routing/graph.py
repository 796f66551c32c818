"""The road and path graph in compact arrays, its exposure to threat risk, and the safest
route between two points. Pure: numpy arrays and a compiled kernel, no ORM.

The graph is CSR: the edges leaving node u are `offsets[u]:offsets[u+1]` of `targets` and
`lengths` (metres). Each edge is sampled every half cell-edge along its length and each sample
is mapped to its H3 cell once, when the router is built; an edge's exposure is the sum over its
samples of (risk of the sample's cell x the length the sample stands for), in risk·metres, and
its peak is the highest risk it passes through. When the risk changes, only the edges with a
sample in a changed cell are recomputed.

The search is A* with landmarks (ALT) in a numba kernel over those arrays. Risk only ever adds
to a street's cost, so bounds computed on lengths alone stay valid under any risk: the
heuristic is the larger of the chord to the target and, for each of 32 landmarks picked
farthest-first, |d(k, t) - d(k, v)| (road distances over lengths, computed once when the
router is built). It never overestimates and is consistent, so the route is exact, and a new
zone needs no preprocessing at all: the next query reads the refreshed risk arrays in place.
The router numbers nodes along a Z-order curve so that nearby streets are near in memory,
keeps a node's label in one row and uses a 4-ary heap.

Measured with benchmarks/routing.py (250,000 nodes, 1M edges, 40 zones, 200 random pairs,
CPU per route with its path, on a shared 2-core machine under load ~11):
  * unidirectional ALT, 8 landmarks (before): p95 7.7 ms, 23,400 nodes settled at p95;
  * bidirectional ALT on the average potential (Goldberg-Harrelson), 8 landmarks: p95 12-15
    ms, 31,000-33,000 settled: the averaged bound is weaker than either side's on this grid,
    and each node pays two bounds;
  * 16 / 32 landmarks, spatial order, packed labels, 4-ary heap: p95 4.1 / 3.5 ms, 16,600 /
    11,600 settled; only 6-12 "active" landmarks per query settled more for no time saved;
  * RoutingKit's CCH (pyroutingkit) on the same costs, same run: p95 ~1.9 ms, but 13-150 s of
    preprocessing and 0.8-23 s to take new weights, against ~8 ms here from a new zone over 1%
    of the edges to the first correct route.
The remaining cost is the grid's plateau: between two points of a street grid many ways are
nearly as short, and any bound from lengths leaves them all to be looked at; only a hierarchy
(CCH) avoids that, at the price of its customization after every change of risk.

Tried next and not kept (benchmarks/routing_hierarchies.py reproduces them; 20,000 nodes,
same zones and costs, 200 pairs, every cost equal to ALT's):
  * a contraction hierarchy over lengths as the A*'s bound (exact d(v, t) over lengths, read
    lazily from t's upward cone, "CH potentials"): settled p95 800 against ALT's 1,400, but
    p95 1.2 ms against 0.5: each bound walks the node's upward arcs, and on a grid (which
    has no hierarchy to find) the upward cones are wide. 43% of the benchmark's length-
    shortest paths cross some risk, and there the bound is short by the detour, so the
    plateau comes back; a length-only CH query with a risk check would serve only the
    other 57% and leave the p95 where it is;
  * a contraction hierarchy over the risk-weighted costs (witness search, bidirectional
    upward query, shortcuts unpacked): p95 0.6 ms against 0.5, settled p95 1,550, and 2 to
    40 s to build at 5,000 and 20,000 nodes in numba, to be redone after each change;
  * landmark distances as float32 with the label in one row (half the bytes read per
    node, settled nodes reopened for exactness): within the machine's noise at 60,000 and
    250,000 nodes; 64 landmarks as float32 (the bytes of 32 as float64): p95 3.8 ms against
    3.6 at 250,000 nodes, for twice the preprocessing.
So at 250,000 nodes the ALT stays: p95 3.5 ms CPU against CCH's 1.6-2.0 ms in the same
runs (9 ms from a new zone to a correct route, CCH 5 s to recustomize). The 1.5 ms target is
below what RoutingKit's own CCH query reaches on this grid and machine; a hierarchy whose
customization follows risk (CCH, with ALT answering while it recustomizes) would come near
it, not under it, and was not built here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from h3.api import basic_int as h3int  # type: ignore[import-untyped]

# The constant and array types stay importable from here (the map presenter reads them).
from lifeline.routing.search import EARTH_RADIUS_M as EARTH_RADIUS_M
from lifeline.routing.search import FloatArray as FloatArray
from lifeline.routing.search import IntArray as IntArray
from lifeline.routing.search import Workspace, astar, distances_from, streets_refresh

_LEAST_EXPOSED_WEIGHT = 1000.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def haversine_many(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a))), np.float64)


def _unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    p, lam = np.radians(lat), np.radians(lon)
    return np.ascontiguousarray(
        np.stack([np.cos(p) * np.cos(lam), np.cos(p) * np.sin(lam), np.sin(p)], axis=1)
    )


@dataclass
class RoadGraph:
    """Nodes (lat, lon), directed edges in CSR, and named places (node index by name)."""

    lat: FloatArray
    lon: FloatArray
    offsets: IntArray
    targets: IntArray
    lengths: FloatArray
    names: dict[str, int] = field(default_factory=dict)
    # Every edge has its reverse with the same length (the landmark bounds need it).
    symmetric: bool = False
    # The name of the street each edge runs along, for turn lists: an index into
    # `street_names`, -1 for a way with no name (or no names at all: None).
    edge_street: IntArray | None = None
    street_names: tuple[str, ...] = ()

    @classmethod
    def from_edges(
        cls,
        lat: Sequence[float] | FloatArray,
        lon: Sequence[float] | FloatArray,
        sources: Sequence[int] | IntArray,
        targets: Sequence[int] | IntArray,
        lengths: Sequence[float] | FloatArray | None = None,
        *,
        both_ways: bool = True,
        names: Mapping[str, int] | None = None,
        edge_names: Sequence[str] | None = None,
    ) -> RoadGraph:
        """A graph from an edge list; lengths default to the haversine distance; `edge_names`
        names the street of each edge ("" for none)."""
        lat_a = np.asarray(lat, np.float64)
        lon_a = np.asarray(lon, np.float64)
        src = np.asarray(sources, np.int64)
        dst = np.asarray(targets, np.int64)
        if lengths is None:
            length = haversine_many(lat_a[src], lon_a[src], lat_a[dst], lon_a[dst])
        else:
            length = np.asarray(lengths, np.float64)
        street: IntArray | None = None
        street_names: tuple[str, ...] = ()
        if edge_names is not None:
            street_names = tuple(sorted({n for n in edge_names if n}))
            number = {n: i for i, n in enumerate(street_names)}
            street = np.fromiter(
                (number.get(n, -1) for n in edge_names), np.int64, count=len(edge_names)
            )
        if both_ways:
            src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
            length = np.concatenate([length, length])
            if street is not None:
                street = np.concatenate([street, street])
        order = np.argsort(src, kind="stable")
        counts = np.bincount(src, minlength=lat_a.shape[0])
        offsets = np.zeros(lat_a.shape[0] + 1, np.int64)
        np.cumsum(counts, out=offsets[1:])
        return cls(
            lat=lat_a,
            lon=lon_a,
            offsets=offsets,
            targets=np.ascontiguousarray(dst[order]),
            lengths=np.ascontiguousarray(length[order]),
            names=dict(names or {}),
            symmetric=both_ways,
            edge_street=None if street is None else np.ascontiguousarray(street[order]),
            street_names=street_names,
        )

    def street_of_edge(self, edge: int) -> str:
        """The name of the street the edge runs along ("" when it has none)."""
        if self.edge_street is None:
            return ""
        index = int(self.edge_street[edge])
        return self.street_names[index] if index >= 0 else ""

    @property
    def node_count(self) -> int:
        return int(self.lat.shape[0])

    @property
    def edge_count(self) -> int:
        return int(self.targets.shape[0])

    def sources(self) -> IntArray:
        return np.repeat(np.arange(self.node_count, dtype=np.int64), np.diff(self.offsets))

    def bounds(self) -> tuple[float, float, float, float]:
        """(south, west, north, east)."""
        return (
            float(self.lat.min()),
            float(self.lon.min()),
            float(self.lat.max()),
            float(self.lon.max()),
        )


# ---- routes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    nodes: tuple[int, ...]
    edges: tuple[int, ...]
    length_m: float
    exposure: float  # risk x metres along the way
    peak_risk: float  # the highest risk of any cell it passes through
    cost: float


@dataclass(frozen=True)
class RouteFound:
    routes: tuple[Route, ...]  # the best first, then the alternatives
    origin: int
    destination: int

    @property
    def best(self) -> Route:
        return self.routes[0]


@dataclass(frozen=True)
class NoSafeRoute:
    """No way avoids the cells at or above `avoid_level`; `least_exposed` is the way that
    crosses them least (None when the two points are not connected at all)."""

    reason: str
    origin: int
    destination: int
    avoid_level: float
    least_exposed: Route | None
    # Which of NO_ROUTE_CAUSES: the services say the reason again in the user's language.
    cause: str = "crossing"


NO_ROUTE_CAUSES = ("unconnected", "start", "destination", "crossing")


RouteAnswer = RouteFound | NoSafeRoute


def _spatial_order(lat: FloatArray, lon: FloatArray) -> IntArray:
    """The nodes along a Z-order (Morton) curve over their positions."""

    def spread(value: FloatArray) -> npt.NDArray[np.uint64]:
        if not value.shape[0]:
            return np.zeros(0, np.uint64)
        span = float(value.max() - value.min())
        scaled = (value - value.min()) / (span or 1.0) * 65535.0
        x = scaled.astype(np.uint64)
        for shift, mask in ((8, 0x00FF00FF), (4, 0x0F0F0F0F), (2, 0x33333333), (1, 0x55555555)):
            x = (x | (x << np.uint64(shift))) & np.uint64(mask)
        return np.asarray(x, np.uint64)

    codes = spread(lat) | (spread(lon) << np.uint64(1))
    return np.argsort(codes, kind="stable").astype(np.int64)


class Router:
    """A graph with its risk exposure, ready to answer safest-route queries.

    Exposure is kept per street (an unordered pair of nodes), shared by both directions of
    travel: a street is sampled once, and a node's cell stands for the whole street when both
    ends lie in the same hexagon (a hexagon is convex, so the street stays inside it)."""

    def __init__(
        self,
        graph: RoadGraph,
        *,
        resolution: int = 10,
        landmarks: int = 32,
    ) -> None:
        self.graph = graph
        self.resolution = resolution
        self._unit = _unit_vectors(graph.lat, graph.lon)
        self._edge_sources = graph.sources()
        self._ones = np.ones(graph.edge_count, np.float64)
        self._streets_build()
        self._sample(resolution)
        self.exposure = np.zeros(self.street_count, np.float64)
        self.peak = np.zeros(self.street_count, np.float64)
        # The search runs on its own numbering of the nodes, in space-filling-curve order, so
        # that streets near each other are near in memory (an OSM file numbers nodes by when
        # they were drawn); node and edge numbers in and out stay the graph's.
        order = _spatial_order(graph.lat, graph.lon)
        self._rank = np.empty(graph.node_count, np.int64)
        self._rank[order] = np.arange(graph.node_count, dtype=np.int64)
        inner_sources = self._rank[self._edge_sources]
        self._edge_order = np.argsort(inner_sources, kind="stable")
        self._edge_rank = np.empty(graph.edge_count, np.int64)
        self._edge_rank[self._edge_order] = np.arange(graph.edge_count, dtype=np.int64)
        self._offsets = np.zeros(graph.node_count + 1, np.int64)
        np.cumsum(np.bincount(inner_sources, minlength=graph.node_count), out=self._offsets[1:])
        self._targets32 = self._rank[graph.targets[self._edge_order]].astype(np.int32)
        self._sources32 = inner_sources[self._edge_order].astype(np.int32)
        landmark_distances = self._landmarks_pick(landmarks)
        self._node_data = np.ascontiguousarray(
            np.concatenate([self._unit, landmark_distances], axis=1)[order]
        )
        self._edge_data = np.zeros((graph.edge_count, 3), np.float64)
        self._edge_data[:, 0] = graph.lengths[self._edge_order]
        # Street -> its directed edges, to copy a refreshed street's figures onto them.
        self._street_edges = np.argsort(self._street_of, kind="stable")
        self._street_edge_offsets = np.zeros(self.street_count + 1, np.int64)
        np.cumsum(
            np.bincount(self._street_of, minlength=self.street_count),
            out=self._street_edge_offsets[1:],
        )
        self._work = Workspace(graph.node_count, graph.edge_count)
        self.last_settled = 0

    def _streets_build(self) -> None:
        graph = self.graph
        src, dst = self._edge_sources, graph.targets
        low, high = np.minimum(src, dst), np.maximum(src, dst)
        keys = low * graph.node_count + high
        unique, first, street_of = np.unique(keys, return_index=True, return_inverse=True)
        self._street_of = street_of.astype(np.int64)
        self._street_a = unique // graph.node_count
        self._street_b = unique % graph.node_count
        self._street_length = graph.lengths[first]

    @property
    def street_count(self) -> int:
        return int(self._street_a.shape[0])

    def _cells_of(self, lat: FloatArray, lon: FloatArray) -> IntArray:
        to_cell = h3int.latlng_to_cell
        resolution = self.resolution
        return np.fromiter(
            (to_cell(a, b, resolution) for a, b in zip(lat.tolist(), lon.tolist(), strict=True)),
            dtype=np.uint64,
            count=lat.shape[0],
        ).astype(np.int64)

    def _sample(self, resolution: int) -> None:
        graph = self.graph
        a, b = self._street_a, self._street_b
        node_cell = self._cells_of(graph.lat, graph.lon)
        spacing = float(h3int.average_hexagon_edge_length(resolution, "m")) / 2.0
        inside = node_cell[a] == node_cell[b]
        counts = np.where(
            inside, 1, np.maximum(1, np.ceil(self._street_length / spacing)).astype(np.int64)
        )
        self._sample_offsets = np.zeros(self.street_count + 1, np.int64)
        np.cumsum(counts, out=self._sample_offsets[1:])
        sample_street = np.repeat(np.arange(self.street_count, dtype=np.int64), counts)
        raw = np.repeat(node_cell[a], counts)
        crossing = ~inside[sample_street]
        along = sample_street[crossing]
        step = np.arange(sample_street.shape[0])[crossing] - self._sample_offsets[along]
        frac = (step + 0.5) / counts[along]
        sa, sb = a[along], b[along]
        lat = graph.lat[sa] + (graph.lat[sb] - graph.lat[sa]) * frac
        lon = graph.lon[sa] + (graph.lon[sb] - graph.lon[sa]) * frac
        raw[crossing] = self._cells_of(lat, lon)
        self.cells, sample_cell = np.unique(raw, return_inverse=True)
        self._sample_cell = sample_cell.astype(np.int64)
        self._sample_length = (self._street_length / counts)[sample_street]
        self._sample_street = sample_street
        # Cell -> samples, to find the streets a changed cell touches.
        self._cell_samples = np.argsort(self._sample_cell, kind="stable")
        self._cell_offsets = np.zeros(self.cells.shape[0] + 1, np.int64)
        np.cumsum(
            np.bincount(self._sample_cell, minlength=self.cells.shape[0]),
            out=self._cell_offsets[1:],
        )
        self.cell_risk = np.zeros(self.cells.shape[0], np.float64)

    def _landmarks_pick(self, count: int) -> FloatArray:
        """Road distances to `count` landmarks spread far apart (each the node farthest from
        those picked before), for the A* lower bound; none when a street is one-way."""
        graph = self.graph
        if not graph.symmetric or count <= 0 or graph.node_count < 2:
            return np.zeros((graph.node_count, 0), np.float64)
        columns: list[FloatArray] = []
        nearest = distances_from(graph.offsets, graph.targets, graph.lengths, 0)
        for _ in range(count):
            finite = np.where(np.isfinite(nearest), nearest, -1.0)
            landmark = int(np.argmax(finite))
            if finite[landmark] <= 0:
                break
            column = distances_from(graph.offsets, graph.targets, graph.lengths, landmark)
            columns.append(column)
            nearest = np.minimum(nearest, column) if len(columns) > 1 else column
        if not columns:
            return np.zeros((graph.node_count, 0), np.float64)
        return np.ascontiguousarray(np.stack(columns, axis=1))

    def risk_apply(self, levels: Mapping[int, float]) -> int:
        """Set the risk of every cell (cells absent from `levels` have none); recompute the
        streets that pass through a cell whose risk changed. Returns how many streets."""
        new = np.zeros_like(self.cell_risk)
        if levels and self.cells.shape[0]:
            keys = np.fromiter(levels.keys(), dtype=np.uint64, count=len(levels)).astype(np.int64)
            values = np.fromiter(levels.values(), dtype=np.float64, count=len(levels))
            where = np.minimum(np.searchsorted(self.cells, keys), self.cells.shape[0] - 1)
            hit = self.cells[where] == keys
            new[where[hit]] = values[hit]
        changed = np.nonzero(new != self.cell_risk)[0]
        self.cell_risk = new
        if changed.shape[0] == 0:
            return 0
        starts = self._cell_offsets[changed]
        sizes = self._cell_offsets[changed + 1] - starts
        ranges = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
        streets = np.unique(self._sample_street[self._cell_samples[ranges]])
        self._refresh(streets)
        return int(streets.shape[0])

    def _refresh(self, streets: IntArray) -> None:
        streets_refresh(
            streets,
            self._sample_offsets,
            self._sample_cell,
            self._sample_length,
            self.cell_risk,
            self.exposure,
            self.peak,
        )
        starts = self._street_edge_offsets[streets]
        sizes = self._street_edge_offsets[streets + 1] - starts
        ranges = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
        edges = self._street_edges[ranges]
        street = self._street_of[edges]
        inner = self._edge_rank[edges]
        self._edge_data[inner, 1] = self.exposure[street]
        self._edge_data[inner, 2] = self.peak[street]

    def risk_recompute_all(self) -> None:
        """Every street from scratch (what the incremental refresh must equal)."""
        self._refresh(np.arange(self.street_count, dtype=np.int64))

    def edge_exposure(self) -> FloatArray:
        """Exposure of each directed edge (that of its street)."""
        return np.asarray(self.exposure[self._street_of], np.float64)

    def edge_peak(self) -> FloatArray:
        return np.asarray(self.peak[self._street_of], np.float64)

    def node_nearest(self, lat: float, lon: float) -> int:
        point = _unit_vectors(np.array([lat]), np.array([lon]))[0]
        return int(np.argmin(((self._unit - point) ** 2).sum(axis=1)))

    def node_risk(self, node: int) -> float:
        graph = self.graph
        cell = int(h3int.latlng_to_cell(graph.lat[node], graph.lon[node], self.resolution))
        where = int(np.searchsorted(self.cells, cell))
        if where < self.cells.shape[0] and int(self.cells[where]) == cell:
            return float(self.cell_risk[where])
        return 0.0

    def _search(
        self,
        origin: int,
        destination: int,
        risk_weight: float,
        avoid_level: float,
        penalty: FloatArray,
    ) -> Route | None:
        work = self._work
        with work.lock:
            cost, path, self.last_settled = astar(
                self._offsets,
                self._targets32,
                self._edge_data,
                penalty if penalty is self._ones else penalty[self._edge_order],
                penalty is not self._ones,
                self._node_data,
                self._sources32,
                int(self._rank[origin]),
                int(self._rank[destination]),
                risk_weight,
                avoid_level,
                work.next_generation(),
                work.label,
                work.prev,
                work.stamp,
                work.heap_keys,
                work.heap_items,
            )
        if not math.isfinite(cost):
            return None
        return self._route_of(origin, self._edge_order[path], risk_weight)

    def _route_of(self, origin: int, index: IntArray, risk_weight: float) -> Route:
        streets = self._street_of[index]
        length = float(self.graph.lengths[index].sum())
        exposure = float(self.exposure[streets].sum())
        peak = float(self.peak[streets].max()) if index.shape[0] else self.node_risk(origin)
        nodes = (origin, *self.graph.targets[index].tolist())
        return Route(
            nodes=nodes,
            edges=tuple(index.tolist()),
            length_m=length,
            exposure=exposure,
            peak_risk=peak,
            cost=length + risk_weight * exposure,
        )

    def route(
        self,
        origin: int,
        destination: int,
        *,
        risk_weight: float = 1.0,
        avoid_level: float = math.inf,
        alternatives: int = 0,
        alternative_penalty: float = 0.6,
    ) -> RouteAnswer:
        """The safest route from node to node: least length + risk_weight x exposure, never
        through a cell at or above `avoid_level`; then up to `alternatives` other routes,
        found by making the edges of the routes so far `alternative_penalty` dearer."""
        if risk_weight < 0:
            raise ValueError("risk_weight must be zero or more")
        best = self._search(origin, destination, risk_weight, avoid_level, self._ones)
        if best is None:
            return self._no_safe_route(origin, destination, risk_weight, avoid_level)
        routes = [best]
        if alternatives > 0:
            penalty = self._ones.copy()
            seen = {best.edges}
            for _ in range(alternatives * 2):
                penalty[np.asarray(routes[-1].edges, np.int64)] *= 1.0 + alternative_penalty
                other = self._search(origin, destination, risk_weight, avoid_level, penalty)
                if other is None:
                    break
                if other.edges not in seen:
                    seen.add(other.edges)
                    routes.append(other)
                    if len(routes) > alternatives:
                        break
        return RouteFound(routes=tuple(routes), origin=origin, destination=destination)

    def _no_safe_route(
        self, origin: int, destination: int, risk_weight: float, avoid_level: float
    ) -> NoSafeRoute:
        least = None
        if math.isfinite(avoid_level):
            # Weighting risk far above length finds the way that is exposed least.
            weight = max(risk_weight, _LEAST_EXPOSED_WEIGHT)
            least = self._search(origin, destination, weight, math.inf, self._ones)
        cause = "crossing"
        if least is None:
            cause, reason = "unconnected", "the two points are not connected by any road or path"
        elif self.node_risk(origin) >= avoid_level:
            cause = "start"
            reason = f"the start is inside a zone at risk level {avoid_level:g} or above"
        elif self.node_risk(destination) >= avoid_level:
            cause = "destination"
            reason = f"the destination is inside a zone at risk level {avoid_level:g} or above"
        else:
            reason = (
                f"every way crosses a zone at risk level {avoid_level:g} or above; "
                f"the least exposed one peaks at {least.peak_risk:g}"
            )
        return NoSafeRoute(
            reason=reason,
            origin=origin,
            destination=destination,
            avoid_level=avoid_level,
            least_exposed=least,
            cause=cause,
        )

    def route_between(
        self,
        origin: tuple[float, float],
        destination: tuple[float, float],
        *,
        risk_weight: float = 1.0,
        avoid_level: float = math.inf,
        alternatives: int = 0,
    ) -> RouteAnswer:
        """As `route`, from the nodes nearest two (lat, lon) points."""
        return self.route(
            self.node_nearest(*origin),
            self.node_nearest(*destination),
            risk_weight=risk_weight,
            avoid_level=avoid_level,
            alternatives=alternatives,
        )
