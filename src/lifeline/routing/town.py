"""Generated street graphs: a city-like grid of any size (benchmarks, tests) and the demo
town of Mavrah with its named places. Deterministic: the same arguments give the same graph.
"""

from __future__ import annotations

import math
import random
from collections import deque

import numpy as np

from lifeline.routing.graph import RoadGraph, haversine_m, haversine_many

# Places the stories name (as in lifeline.demo.scenario, which this pure module cannot import).
MAVRAH_PLACES: dict[str, tuple[float, float]] = {
    "Storage building": (31.7021, -4.0348),
    "Bakery": (31.7006, -4.0321),
    "School": (31.6998, -4.0366),
    "Mosque": (31.7013, -4.0302),
    "Granary": (31.6979, -4.0281),
    "Extraction Bravo": (31.7062, -4.0417),
    "Extraction Alpha": (31.6952, -4.0262),
}
MAVRAH_CENTRE = (31.7008, -4.0340)


def city_generate(
    nodes: int,
    *,
    seed: int = 7,
    centre: tuple[float, float] = (31.70, -4.03),
    spacing_m: float = 80.0,
) -> RoadGraph:
    """A city-like graph of about `nodes` nodes: a jittered street grid with some diagonal
    alleys and some blocked streets, every street both ways (about 4 directed edges a node).
    Lengths are the straight distance stretched by up to 15% (streets are not straight)."""
    rng = np.random.default_rng(seed)
    side = max(2, round(math.sqrt(nodes)))
    rows, cols = np.divmod(np.arange(side * side), side)
    metres_per_deg_lat = 111_320.0
    metres_per_deg_lon = metres_per_deg_lat * math.cos(math.radians(centre[0]))
    jitter = rng.uniform(-0.25, 0.25, size=(2, side * side)) * spacing_m
    y = (rows - side / 2) * spacing_m + jitter[0]
    x = (cols - side / 2) * spacing_m + jitter[1]
    lat = centre[0] + y / metres_per_deg_lat
    lon = centre[1] + x / metres_per_deg_lon
    index = np.arange(side * side).reshape(side, side)
    right = np.stack([index[:, :-1].ravel(), index[:, 1:].ravel()])
    down = np.stack([index[:-1, :].ravel(), index[1:, :].ravel()])
    diagonal = np.stack([index[:-1, :-1].ravel(), index[1:, 1:].ravel()])
    streets = np.concatenate([right, down], axis=1)
    # About 3% of streets blocked (rubble), about 6% of blocks crossed by an alley.
    streets = streets[:, rng.random(streets.shape[1]) >= 0.03]
    alleys = diagonal[:, rng.random(diagonal.shape[1]) < 0.06]
    edges = np.concatenate([streets, alleys], axis=1)
    src, dst = edges[0], edges[1]
    length = haversine_many(lat[src], lon[src], lat[dst], lon[dst])
    length *= 1.0 + rng.uniform(0.0, 0.15, size=length.shape[0])
    return RoadGraph.from_edges(lat, lon, src, dst, length)


def _connected(adjacency: list[set[int]], a: int, b: int) -> bool:
    seen = {a}
    queue = deque([a])
    while queue:
        node = queue.popleft()
        if node == b:
            return True
        for other in adjacency[node] - seen:
            seen.add(other)
            queue.append(other)
    return False


def mavrah_town(*, seed: int = 27) -> RoadGraph:
    """The ruined town of Mavrah: crooked streets about 60 m apart, some blocked by rubble
    (never cutting the town in two), a few alleys, and the named places of the stories each
    joined to the two nearest street corners."""
    rng = random.Random(seed)  # noqa: S311 - a deterministic demo town, not a secret
    south, north = 31.6940, 31.7075
    west, east = -4.0430, -4.0245
    rows, cols = 24, 30
    lat: list[float] = []
    lon: list[float] = []
    for r in range(rows):
        for c in range(cols):
            lat.append(south + (north - south) * (r + rng.uniform(-0.2, 0.2)) / (rows - 1))
            lon.append(west + (east - west) * (c + rng.uniform(-0.2, 0.2)) / (cols - 1))
    edges: set[tuple[int, int]] = set()
    for r in range(rows):
        for c in range(cols):
            here = r * cols + c
            if c + 1 < cols:
                edges.add((here, here + 1))
            if r + 1 < rows:
                edges.add((here, here + cols))
            if r + 1 < rows and c + 1 < cols and rng.random() < 0.08:
                edges.add((here, here + cols + 1))
    adjacency: list[set[int]] = [set() for _ in lat]
    for a, b in edges:
        adjacency[a].add(b)
        adjacency[b].add(a)
    for a, b in sorted(edges):
        if rng.random() < 0.12:
            adjacency[a].discard(b)
            adjacency[b].discard(a)
            if _connected(adjacency, a, b):
                edges.discard((a, b))
            else:
                adjacency[a].add(b)
                adjacency[b].add(a)
    names: dict[str, int] = {}
    corners = len(lat)
    for name, (plat, plon) in MAVRAH_PLACES.items():
        node = len(lat)
        nearest = sorted(range(corners), key=lambda i: haversine_m(plat, plon, lat[i], lon[i]))
        lat.append(plat)
        lon.append(plon)
        names[name] = node
        for other in nearest[:2]:
            edges.add((other, node))
    ordered = sorted(edges)
    return RoadGraph.from_edges(
        lat, lon, [a for a, _ in ordered], [b for _, b in ordered], names=names
    )
