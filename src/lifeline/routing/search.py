"""The compiled kernels of routing (numba): the heaps, the A* search over the graph's arrays,
Dijkstra over lengths for the landmarks, and the refresh of streets' exposure. Pure: numpy
arrays in and out; `graph.Router` owns the arrays and says why the search is built this way.
"""

from __future__ import annotations

import math
import threading

import numba
import numpy as np
import numpy.typing as npt

EARTH_RADIUS_M = 6_371_008.8

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
AnyIntArray = npt.NDArray[np.int64] | npt.NDArray[np.int32]


@numba.njit(cache=True, nogil=True)
def _heap_push(keys: FloatArray, items: AnyIntArray, size: int, key: float, item: int) -> int:
    i = size
    keys[i] = key
    items[i] = item
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= keys[i]:
            break
        keys[parent], keys[i] = keys[i], keys[parent]
        items[parent], items[i] = items[i], items[parent]
        i = parent
    return size + 1


@numba.njit(cache=True, nogil=True)
def _heap_pop(keys: FloatArray, items: AnyIntArray, size: int) -> int:
    """Remove the top (read it first from keys[0], items[0]); returns the new size."""
    size -= 1
    keys[0] = keys[size]
    items[0] = items[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and keys[left + 1] < keys[left]:
            child = left + 1
        if keys[i] <= keys[child]:
            break
        keys[child], keys[i] = keys[i], keys[child]
        items[child], items[i] = items[i], items[child]
        i = child
    return size


@numba.njit(cache=True, nogil=True)
def _heap4_push(keys: FloatArray, items: Int32Array, size: int, key: float, item: int) -> int:
    """Push onto a 4-ary min-heap: half the depth of a binary one, and the four children of
    a node share a cache line, which matters more here than the extra comparisons."""
    i = size
    while i > 0:
        parent = (i - 1) >> 2
        if keys[parent] <= key:
            break
        keys[i] = keys[parent]
        items[i] = items[parent]
        i = parent
    keys[i] = key
    items[i] = item
    return size + 1


@numba.njit(cache=True, nogil=True)
def _heap4_pop(keys: FloatArray, items: Int32Array, size: int) -> int:
    """Remove the top (read it first from keys[0], items[0]); returns the new size."""
    size -= 1
    key = keys[size]
    item = items[size]
    i = 0
    while True:
        first = 4 * i + 1
        if first >= size:
            break
        child = first
        child_key = keys[first]
        for c in range(first + 1, min(first + 4, size)):
            if keys[c] < child_key:
                child_key = keys[c]
                child = c
        if key <= child_key:
            break
        keys[i] = child_key
        items[i] = items[child]
        i = child
    keys[i] = key
    items[i] = item
    return size


class Workspace:
    """Per-node arrays reused by every search. A node's stamp says what the current search
    knows of it (2g: reached, 2g + 1: settled, anything else: nothing), so no search pays to
    clear 250,000 entries first; its label row is (distance so far, lower bound to the goal),
    one cache line with the stamp's neighbours."""

    def __init__(self, nodes: int, edges: int) -> None:
        self.generation = 0
        self.label = np.zeros((nodes, 2), np.float64)
        self.prev = np.empty(nodes, np.int32)
        self.stamp = np.zeros(nodes, np.int32)
        self.heap_keys = np.empty(edges + 1, np.float64)
        self.heap_items = np.empty(edges + 1, np.int32)
        self.lock = threading.Lock()

    def next_generation(self) -> int:
        if self.generation >= 2**30 - 2:
            self.generation = 0
            self.stamp[:] = 0
        self.generation += 1
        return self.generation


@numba.njit(cache=True, nogil=True)
def astar(
    offsets: IntArray,
    targets: Int32Array,
    edge_data: FloatArray,
    penalty: FloatArray,
    use_penalty: bool,
    node_data: FloatArray,
    edge_sources: Int32Array,
    source: int,
    target: int,
    risk_weight: float,
    avoid_level: float,
    generation: int,
    label: FloatArray,
    prev: Int32Array,
    stamp: Int32Array,
    keys: FloatArray,
    items: Int32Array,
) -> tuple[float, IntArray, int]:
    """A* from source to target; returns the cost, the edges of the path and the number of
    nodes settled.

    `edge_data[e]` is (length, exposure, peak risk); `node_data[v]` is the node's unit vector
    then its road distance to each landmark (on a graph whose every street runs both ways),
    so the lower bound from v to t is the larger of the chord and |d(k, t) - d(k, v)| (the
    triangle inequality). One row per node and per edge keeps a step to a few cache lines:
    the search is bound by memory, not arithmetic."""
    width = node_data.shape[1]
    goal = node_data[target]
    # The chord is never longer than the arc; the factor absorbs float rounding.
    scale = EARTH_RADIUS_M * (1.0 - 1e-9)
    reached = 2 * generation
    settled_mark = reached + 1
    label[source, 0] = 0.0
    prev[source] = -1
    stamp[source] = reached
    size = _heap4_push(keys, items, 0, 0.0, source)
    settled = 0
    found = False
    while size > 0:
        u = items[0]
        size = _heap4_pop(keys, items, size)
        if stamp[u] == settled_mark:
            continue
        stamp[u] = settled_mark
        settled += 1
        if u == target:
            found = True
            break
        du = label[u, 0]
        for e in range(offsets[u], offsets[u + 1]):
            if edge_data[e, 2] >= avoid_level:
                continue
            v = targets[e]
            known = stamp[v]
            if known == settled_mark:
                continue
            step = edge_data[e, 0] + risk_weight * edge_data[e, 1]
            if use_penalty:
                step *= penalty[e]
            nd = du + step
            if known != reached:
                stamp[v] = reached
                row = node_data[v]
                dx = row[0] - goal[0]
                dy = row[1] - goal[1]
                dz = row[2] - goal[2]
                bound = scale * math.sqrt(dx * dx + dy * dy + dz * dz)
                for k in range(3, width):
                    a = goal[k]
                    b = row[k]
                    if a < np.inf and b < np.inf:
                        gap = abs(a - b) * (1.0 - 1e-9)
                        if gap > bound:
                            bound = gap
                label[v, 1] = bound
            elif nd >= label[v, 0]:
                continue
            label[v, 0] = nd
            prev[v] = e
            size = _heap4_push(keys, items, size, nd + label[v, 1], v)
    if not found:
        return np.inf, np.empty(0, np.int64), settled
    hops = 0
    node = target
    while node != source:
        hops += 1
        node = edge_sources[prev[node]]
    path = np.empty(hops, np.int64)
    node = target
    while node != source:
        hops -= 1
        path[hops] = prev[node]
        node = edge_sources[prev[node]]
    return label[target, 0], path, settled


@numba.njit(cache=True, nogil=True)
def distances_from(
    offsets: IntArray, targets: IntArray, lengths: FloatArray, source: int
) -> FloatArray:
    """Road distance from source to every node (Dijkstra over lengths only)."""
    n = offsets.shape[0] - 1
    dist = np.full(n, np.inf)
    closed = np.zeros(n, np.bool_)
    keys = np.empty(targets.shape[0] + 1, np.float64)
    items = np.empty(targets.shape[0] + 1, np.int64)
    dist[source] = 0.0
    size = _heap_push(keys, items, 0, 0.0, source)
    while size > 0:
        u = items[0]
        size = _heap_pop(keys, items, size)
        if closed[u]:
            continue
        closed[u] = True
        for e in range(offsets[u], offsets[u + 1]):
            v = targets[e]
            nd = dist[u] + lengths[e]
            if nd < dist[v]:
                dist[v] = nd
                size = _heap_push(keys, items, size, nd, v)
    return dist


@numba.njit(cache=True, nogil=True)
def streets_refresh(
    streets: IntArray,
    sample_offsets: IntArray,
    sample_cell: IntArray,
    sample_length: FloatArray,
    cell_risk: FloatArray,
    exposure: FloatArray,
    peak: FloatArray,
) -> None:
    for i in range(streets.shape[0]):
        s = streets[i]
        total = 0.0
        top = 0.0
        for j in range(sample_offsets[s], sample_offsets[s + 1]):
            risk = cell_risk[sample_cell[j]]
            total += risk * sample_length[j]
            if risk > top:
                top = risk
        exposure[s] = total
        peak[s] = top
