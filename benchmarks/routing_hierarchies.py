"""Two designs measured against the router's ALT and not kept: a contraction hierarchy
over lengths giving the A* an exact lower bound (CH potentials), and a contraction
hierarchy over the risk-weighted costs answering the query itself. The figures are in the
docstring of lifeline/routing/graph.py; this reproduces them.

    python benchmarks/routing_hierarchies.py [--scale NODES] [--queries N]

The same generated city, 40 zones, risk weight 2 and hard avoid at level 4 as
benchmarks/routing.py; every answer is checked against the router's cost. Slow: each
hierarchy takes tens of seconds to build at 20,000 nodes (a plain builder, and a grid has
little hierarchy to find), so keep --scale small.

The hierarchy is built once per graph (nodes contracted least important first, a shortcut
added only when no witness path is found). Over lengths it never changes with risk: risk only
ever adds to a street's cost, so the road distance over lengths d(v, t) is a consistent lower
bound of the cost from v to t under any risk. The A* asks it for d(v, t) of each node it
reaches, lazily: an upward search from t gives the distances of t's upward cone, and
d(v, t) = min(cone(v), min over v's upward arcs (v, w) of len(v, w) + d(w, t)), evaluated
depth first and remembered for the rest of the query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from pathlib import Path

import numba
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lifeline.routing.graph import RouteFound, Router  # noqa: E402
from lifeline.routing.risk import RiskField, RiskParams, Zone  # noqa: E402
from lifeline.routing.search import (  # noqa: E402
    FloatArray,
    Int32Array,
    IntArray,
    _heap4_pop,
    _heap4_push,
    _heap_pop,
    _heap_push,
)
from lifeline.routing.town import city_generate  # noqa: E402

RISK_WEIGHT = 2.0
AVOID_LEVEL = 4.0


@numba.njit(cache=True, nogil=True)
def _adjacency_put(
    start: IntArray,
    degree: IntArray,
    capacity: IntArray,
    pool_node: Int32Array,
    pool_weight: FloatArray,
    pool_middle: Int32Array,
    used: int,
    u: int,
    v: int,
    weight: float,
    middle: int,
) -> tuple[int, Int32Array, FloatArray, Int32Array]:
    """Add the arc u -> v standing for a path through `middle` (-1: a street), or lower its
    weight; a full block moves to the pool's end (the pool grows when it must)."""
    base = start[u]
    for i in range(base, base + degree[u]):
        if pool_node[i] == v:
            if weight < pool_weight[i]:
                pool_weight[i] = weight
                pool_middle[i] = middle
            return used, pool_node, pool_weight, pool_middle
    if degree[u] == capacity[u]:
        new_capacity = 2 * capacity[u]
        if used + new_capacity > pool_node.shape[0]:
            size = max(2 * pool_node.shape[0], used + new_capacity)
            grown_node = np.empty(size, np.int32)
            grown_weight = np.empty(size, np.float64)
            grown_middle = np.empty(size, np.int32)
            grown_node[:used] = pool_node[:used]
            grown_weight[:used] = pool_weight[:used]
            grown_middle[:used] = pool_middle[:used]
            pool_node, pool_weight, pool_middle = grown_node, grown_weight, grown_middle
        for i in range(degree[u]):
            pool_node[used + i] = pool_node[base + i]
            pool_weight[used + i] = pool_weight[base + i]
            pool_middle[used + i] = pool_middle[base + i]
        start[u] = used
        capacity[u] = new_capacity
        used += new_capacity
        base = start[u]
    pool_node[base + degree[u]] = v
    pool_weight[base + degree[u]] = weight
    pool_middle[base + degree[u]] = middle
    degree[u] += 1
    return used, pool_node, pool_weight, pool_middle


@numba.njit(cache=True, nogil=True)
def _witness(
    start: IntArray,
    degree: IntArray,
    pool_node: Int32Array,
    pool_weight: FloatArray,
    source: int,
    avoid: int,
    limit: float,
    settle_limit: int,
    generation: int,
    dist: FloatArray,
    stamp: Int32Array,
    keys: FloatArray,
    items: IntArray,
) -> None:
    """Dijkstra from source in the graph left, around `avoid`, up to `limit` or as many
    settled nodes; dist[x] holds where stamp[x] == generation (an upper bound elsewhere)."""
    dist[source] = 0.0
    stamp[source] = generation
    size = _heap_push(keys, items, 0, 0.0, source)
    settled = 0
    while size > 0:
        key = keys[0]
        u = items[0]
        size = _heap_pop(keys, items, size)
        if key > dist[u]:
            continue
        if key > limit:
            break
        settled += 1
        if settled > settle_limit:
            break
        for i in range(start[u], start[u] + degree[u]):
            x = pool_node[i]
            if x == avoid:
                continue
            nd = key + pool_weight[i]
            if stamp[x] != generation or nd < dist[x]:
                if size + 1 >= keys.shape[0]:
                    return  # out of room: the pairs left get shortcuts, which is never wrong
                dist[x] = nd
                stamp[x] = generation
                size = _heap_push(keys, items, size, nd, x)


@numba.njit(cache=True, nogil=True)
def _shortcuts(
    v: int,
    start: IntArray,
    degree: IntArray,
    pool_node: Int32Array,
    pool_weight: FloatArray,
    settle_limit: int,
    generation: int,
    dist: FloatArray,
    stamp: Int32Array,
    keys: FloatArray,
    items: IntArray,
    out_a: IntArray,
    out_b: IntArray,
    out_w: FloatArray,
) -> tuple[int, int]:
    """The shortcuts contracting v needs (as many as fit in out_*); returns how many and the
    next generation."""
    count = 0
    base = start[v]
    deg = degree[v]
    for i in range(deg):
        u = pool_node[base + i]
        wu = pool_weight[base + i]
        limit = 0.0
        for j in range(i + 1, deg):
            limit = max(limit, wu + pool_weight[base + j])
        if i + 1 >= deg:
            continue
        generation += 1
        _witness(
            start,
            degree,
            pool_node,
            pool_weight,
            u,
            v,
            limit,
            settle_limit,
            generation,
            dist,
            stamp,
            keys,
            items,
        )
        for j in range(i + 1, deg):
            x = pool_node[base + j]
            need = wu + pool_weight[base + j]
            if stamp[x] == generation and dist[x] <= need:
                continue
            if count < out_a.shape[0]:
                out_a[count] = u
                out_b[count] = x
                out_w[count] = need
            count += 1
    return count, generation


@numba.njit(cache=True, nogil=True)
def hierarchy_build(
    node_count: int,
    edge_a: IntArray,
    edge_b: IntArray,
    edge_w: FloatArray,
    settle_limit: int,
) -> tuple[IntArray, IntArray, Int32Array, FloatArray, Int32Array]:
    """Contract every node of an undirected graph; returns each node's rank and its upward
    arcs in CSR (offsets, heads, lengths): the arcs to the neighbours it still had when it
    was contracted, shortcuts included."""
    n = node_count
    degree0 = np.zeros(n, np.int64)
    for k in range(edge_a.shape[0]):
        if edge_a[k] != edge_b[k]:
            degree0[edge_a[k]] += 1
            degree0[edge_b[k]] += 1
    capacity = np.maximum(4, 2 * degree0)
    start = np.zeros(n, np.int64)
    used = 0
    for v in range(n):
        start[v] = used
        used += capacity[v]
    pool_node = np.empty(used * 2, np.int32)
    pool_weight = np.empty(used * 2, np.float64)
    pool_middle = np.empty(used * 2, np.int32)
    degree = np.zeros(n, np.int64)
    for k in range(edge_a.shape[0]):
        a, b, w = edge_a[k], edge_b[k], edge_w[k]
        if a == b:
            continue
        used, pool_node, pool_weight, pool_middle = _adjacency_put(
            start, degree, capacity, pool_node, pool_weight, pool_middle, used, a, b, w, -1
        )
        used, pool_node, pool_weight, pool_middle = _adjacency_put(
            start, degree, capacity, pool_node, pool_weight, pool_middle, used, b, a, w, -1
        )

    dist = np.zeros(n, np.float64)
    stamp = np.zeros(n, np.int32)
    wkeys = np.empty(4 * n + 16, np.float64)
    witems = np.empty(4 * n + 16, np.int64)
    out_cap = 4096
    out_a = np.empty(out_cap, np.int64)
    out_b = np.empty(out_cap, np.int64)
    out_w = np.empty(out_cap, np.float64)
    generation = 0
    sim_limit = max(8, settle_limit // 4)

    deleted = np.zeros(n, np.int64)
    priority = np.empty(n, np.float64)
    contracted = np.zeros(n, np.bool_)
    keys = np.empty(n + 1, np.float64)
    items = np.empty(n + 1, np.int64)
    size = 0
    for v in range(n):
        count, generation = _shortcuts(
            v,
            start,
            degree,
            pool_node,
            pool_weight,
            sim_limit,
            generation,
            dist,
            stamp,
            wkeys,
            witems,
            out_a,
            out_b,
            out_w,
        )
        priority[v] = float(2 * count - degree[v])
        size = _heap_push(keys, items, size, priority[v], v)

    rank = np.empty(n, np.int64)
    up_offsets = np.zeros(n + 1, np.int64)
    arc_cap = max(16, 3 * edge_a.shape[0])
    up_from = np.empty(arc_cap, np.int64)
    up_head = np.empty(arc_cap, np.int32)
    up_weight = np.empty(arc_cap, np.float64)
    up_middle = np.empty(arc_cap, np.int32)
    arcs = 0
    order = 0
    while size > 0:
        key = keys[0]
        v = items[0]
        size = _heap_pop(keys, items, size)
        if contracted[v] or key != priority[v]:
            continue
        if generation > 2**30:
            generation = 0
            stamp[:] = 0
        while True:
            count, generation = _shortcuts(
                v,
                start,
                degree,
                pool_node,
                pool_weight,
                settle_limit,
                generation,
                dist,
                stamp,
                wkeys,
                witems,
                out_a,
                out_b,
                out_w,
            )
            if count <= out_a.shape[0]:
                break
            out_cap = 2 * count
            out_a = np.empty(out_cap, np.int64)
            out_b = np.empty(out_cap, np.int64)
            out_w = np.empty(out_cap, np.float64)
        rank[v] = order
        order += 1
        contracted[v] = True
        base = start[v]
        for i in range(degree[v]):
            if arcs == up_head.shape[0]:
                grown_from = np.empty(2 * arcs, np.int64)
                grown_head = np.empty(2 * arcs, np.int32)
                grown_weight = np.empty(2 * arcs, np.float64)
                grown_middle = np.empty(2 * arcs, np.int32)
                grown_from[:arcs] = up_from[:arcs]
                grown_head[:arcs] = up_head[:arcs]
                grown_weight[:arcs] = up_weight[:arcs]
                grown_middle[:arcs] = up_middle[:arcs]
                up_from, up_head, up_weight = grown_from, grown_head, grown_weight
                up_middle = grown_middle
            u = pool_node[base + i]
            up_from[arcs] = v
            up_head[arcs] = u
            up_weight[arcs] = pool_weight[base + i]
            up_middle[arcs] = pool_middle[base + i]
            arcs += 1
            # v leaves u's list (swap with the last).
            ub = start[u]
            for j in range(ub, ub + degree[u]):
                if pool_node[j] == v:
                    last = ub + degree[u] - 1
                    pool_node[j] = pool_node[last]
                    pool_weight[j] = pool_weight[last]
                    pool_middle[j] = pool_middle[last]
                    degree[u] -= 1
                    break
            deleted[u] += 1
        for k in range(count):
            a, b, w = out_a[k], out_b[k], out_w[k]
            used, pool_node, pool_weight, pool_middle = _adjacency_put(
                start, degree, capacity, pool_node, pool_weight, pool_middle, used, a, b, w, v
            )
            used, pool_node, pool_weight, pool_middle = _adjacency_put(
                start, degree, capacity, pool_node, pool_weight, pool_middle, used, b, a, w, v
            )
        degree[v] = 0
        # The neighbours' priorities change with v gone.
        for k in range(arcs - 1, -1, -1):
            if up_from[k] != v:
                break
            u = up_head[k]
            count, generation = _shortcuts(
                u,
                start,
                degree,
                pool_node,
                pool_weight,
                sim_limit,
                generation,
                dist,
                stamp,
                wkeys,
                witems,
                out_a,
                out_b,
                out_w,
            )
            priority[u] = float(2 * count - degree[u] + deleted[u])
            if size == keys.shape[0]:
                grown_keys = np.empty(2 * size, np.float64)
                grown_items = np.empty(2 * size, np.int64)
                grown_keys[:size] = keys[:size]
                grown_items[:size] = items[:size]
                keys, items = grown_keys, grown_items
            size = _heap_push(keys, items, size, priority[u], u)

    for k in range(arcs):
        up_offsets[up_from[k] + 1] += 1
    for v in range(n):
        up_offsets[v + 1] += up_offsets[v]
    heads = np.empty(arcs, np.int32)
    weights = np.empty(arcs, np.float64)
    middles = np.empty(arcs, np.int32)
    fill = up_offsets[:-1].copy()
    for k in range(arcs):
        v = up_from[k]
        heads[fill[v]] = up_head[k]
        weights[fill[v]] = up_weight[k]
        middles[fill[v]] = up_middle[k]
        fill[v] += 1
    return rank, up_offsets, heads, weights, middles


@numba.njit(cache=True, nogil=True)
def _cone_from(
    up_offsets: IntArray,
    up_heads: Int32Array,
    up_weights: FloatArray,
    target: int,
    generation: int,
    cone: FloatArray,
    cone_stamp: Int32Array,
    keys: FloatArray,
    items: Int32Array,
) -> None:
    """Distances from target over upward arcs (its upward cone): exact for the up-down
    paths whose top is the cone's node."""
    cone[target] = 0.0
    cone_stamp[target] = generation
    size = _heap4_push(keys, items, 0, 0.0, target)
    while size > 0:
        key = keys[0]
        u = items[0]
        size = _heap4_pop(keys, items, size)
        if key > cone[u]:
            continue
        for e in range(up_offsets[u], up_offsets[u + 1]):
            x = up_heads[e]
            nd = key + up_weights[e]
            if cone_stamp[x] != generation or nd < cone[x]:
                cone[x] = nd
                cone_stamp[x] = generation
                size = _heap4_push(keys, items, size, nd, x)


@numba.njit(cache=True, nogil=True)
def _bound(
    v: int,
    up_offsets: IntArray,
    up_heads: Int32Array,
    up_weights: FloatArray,
    generation: int,
    cone: FloatArray,
    cone_stamp: Int32Array,
    bound: FloatArray,
    bound_stamp: Int32Array,
    stack: Int32Array,
) -> float:
    """d(v, t) over lengths, from the bounds of v's upward neighbours (depth first)."""
    if bound_stamp[v] == generation:
        return bound[v]
    top = 0
    stack[0] = v
    while top >= 0:
        x = stack[top]
        if bound_stamp[x] == generation:
            top -= 1
            continue
        pending = False
        for e in range(up_offsets[x], up_offsets[x + 1]):
            w = up_heads[e]
            if bound_stamp[w] != generation:
                top += 1
                stack[top] = w
                pending = True
        if pending:
            continue
        best = cone[x] if cone_stamp[x] == generation else np.inf
        for e in range(up_offsets[x], up_offsets[x + 1]):
            through = up_weights[e] + bound[up_heads[e]]
            if through < best:
                best = through
        bound[x] = best
        bound_stamp[x] = generation
        top -= 1
    return bound[v]


@numba.njit(cache=True, nogil=True)
def astar_exact(
    offsets: IntArray,
    targets: Int32Array,
    edge_data: FloatArray,
    penalty: FloatArray,
    use_penalty: bool,
    edge_sources: Int32Array,
    up_offsets: IntArray,
    up_heads: Int32Array,
    up_weights: FloatArray,
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
    cone: FloatArray,
    cone_stamp: Int32Array,
    bound: FloatArray,
    bound_stamp: Int32Array,
    stack: Int32Array,
) -> tuple[float, IntArray, int]:
    """A* from source to target with the road distance over lengths as its bound; returns
    the cost, the edges of the path and the number of nodes settled. `edge_data[e]` is
    (length, exposure, peak risk)."""
    _cone_from(up_offsets, up_heads, up_weights, target, generation, cone, cone_stamp, keys, items)
    # Rounding: a bound a hair too high could settle a node early; shave it.
    shave = 1.0 - 1e-9
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
                h = _bound(
                    v,
                    up_offsets,
                    up_heads,
                    up_weights,
                    generation,
                    cone,
                    cone_stamp,
                    bound,
                    bound_stamp,
                    stack,
                )
                if h == np.inf:
                    continue  # no road at all from v to the target
                stamp[v] = reached
                label[v, 1] = h * shave
            elif nd >= label[v, 0]:
                continue
            label[v, 0] = nd
            prev[v] = e
            size = _heap4_push(keys, items, size, nd + label[v, 1], v)
    if not found:
        return math.inf, np.empty(0, np.int64), settled
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
def _upward(
    up_offsets: IntArray,
    up_heads: Int32Array,
    up_weights: FloatArray,
    dist: FloatArray,
    stamp: Int32Array,
    parent: Int32Array,
    keys: FloatArray,
    items: Int32Array,
    size: int,
    generation: int,
    other_dist: FloatArray,
    other_stamp: Int32Array,
    best: float,
    meet: int,
) -> tuple[int, float, int]:
    """Settle one node of an upward search; returns the heap's size, the best meeting cost
    and its node."""
    key = keys[0]
    u = items[0]
    size = _heap4_pop(keys, items, size)
    if key > dist[u]:
        return size, best, meet
    if other_stamp[u] == generation and key + other_dist[u] < best:
        best = key + other_dist[u]
        meet = u
    # Stall on demand: a node reached more cheaply from above needs no expanding.
    for e in range(up_offsets[u], up_offsets[u + 1]):
        x = up_heads[e]
        if stamp[x] == generation and dist[x] + up_weights[e] < key:
            return size, best, meet
    for e in range(up_offsets[u], up_offsets[u + 1]):
        x = up_heads[e]
        nd = key + up_weights[e]
        if stamp[x] != generation or nd < dist[x]:
            dist[x] = nd
            stamp[x] = generation
            parent[x] = e
            size = _heap4_push(keys, items, size, nd, x)
    return size, best, meet


@numba.njit(cache=True, nogil=True)
def hierarchy_route(
    up_offsets: IntArray,
    up_tails: Int32Array,
    up_heads: Int32Array,
    up_weights: FloatArray,
    up_middles: Int32Array,
    offsets: IntArray,
    targets: Int32Array,
    edge_data: FloatArray,
    risk_weight: float,
    avoid_level: float,
    source: int,
    target: int,
    generation: int,
    dist_f: FloatArray,
    stamp_f: Int32Array,
    parent_f: Int32Array,
    keys_f: FloatArray,
    items_f: Int32Array,
    dist_b: FloatArray,
    stamp_b: Int32Array,
    parent_b: Int32Array,
    keys_b: FloatArray,
    items_b: Int32Array,
    stack: Int32Array,
) -> tuple[float, IntArray, int]:
    """The cheapest route in a hierarchy built over these costs (bidirectional upward
    search, then its shortcuts unpacked into edges); returns the cost, the edges and the
    number of nodes settled."""
    dist_f[source] = 0.0
    stamp_f[source] = generation
    parent_f[source] = -1
    dist_b[target] = 0.0
    stamp_b[target] = generation
    parent_b[target] = -1
    size_f = _heap4_push(keys_f, items_f, 0, 0.0, source)
    size_b = _heap4_push(keys_b, items_b, 0, 0.0, target)
    best = np.inf
    meet = -1
    settled = 0
    while True:
        go_f = size_f > 0 and keys_f[0] < best
        go_b = size_b > 0 and keys_b[0] < best
        if not go_f and not go_b:
            break
        settled += 1
        if go_f and (not go_b or keys_f[0] <= keys_b[0]):
            size_f, best, meet = _upward(
                up_offsets,
                up_heads,
                up_weights,
                dist_f,
                stamp_f,
                parent_f,
                keys_f,
                items_f,
                size_f,
                generation,
                dist_b,
                stamp_b,
                best,
                meet,
            )
        else:
            size_b, best, meet = _upward(
                up_offsets,
                up_heads,
                up_weights,
                dist_b,
                stamp_b,
                parent_b,
                keys_b,
                items_b,
                size_b,
                generation,
                dist_f,
                stamp_f,
                best,
                meet,
            )
    if meet < 0:
        return math.inf, np.empty(0, np.int64), settled
    # The arcs as travelled: up from the source to the meeting node, down to the target;
    # each (from, to, arc) pushed so that the first to walk is on top.
    top = -1
    node = target
    down = 0
    node = meet
    while node != target:
        e = parent_b[node]
        node = up_tails[e]
        down += 1
    # Down part, last arc first (pushed first, walked last).
    chain = np.empty(down, np.int32)
    node = meet
    i = 0
    while node != target:
        e = parent_b[node]
        chain[i] = e
        node = up_tails[e]
        i += 1
    for i in range(down - 1, -1, -1):
        e = chain[i]
        top += 3
        stack[top - 2] = up_heads[e]
        stack[top - 1] = up_tails[e]
        stack[top] = e
    node = meet
    while node != source:
        e = parent_f[node]
        top += 3
        stack[top - 2] = up_tails[e]
        stack[top - 1] = up_heads[e]
        stack[top] = e
        node = up_tails[e]
    path = np.empty(offsets.shape[0], np.int64)
    hops = 0
    while top >= 0:
        a = stack[top - 2]
        b = stack[top - 1]
        e = stack[top]
        top -= 3
        m = up_middles[e]
        if m < 0:
            pick = -1
            cheapest = np.inf
            for k in range(offsets[a], offsets[a + 1]):
                if targets[k] == b and edge_data[k, 2] < avoid_level:
                    cost = edge_data[k, 0] + risk_weight * edge_data[k, 1]
                    if cost < cheapest:
                        cheapest = cost
                        pick = k
            path[hops] = pick
            hops += 1
            continue
        # a -> m -> b, with m below both: find its arcs up to a and to b.
        to_a = -1
        to_b = -1
        for k in range(up_offsets[m], up_offsets[m + 1]):
            if up_heads[k] == a:
                to_a = k
            elif up_heads[k] == b:
                to_b = k
        top += 3
        stack[top - 2] = m
        stack[top - 1] = b
        stack[top] = to_b
        top += 3
        stack[top - 2] = a
        stack[top - 1] = m
        stack[top] = to_a
    return best, path[:hops].copy(), settled


def _square(lat: float, lon: float, size: float) -> tuple[tuple[float, float], ...]:
    return ((lat, lon), (lat + size, lon), (lat + size, lon + size * 1.2), (lat, lon + size * 1.2))


def _percentiles(values: list[float]) -> str:
    return f"p50 {np.percentile(values, 50):.3f} p95 {np.percentile(values, 95):.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--witness-settled", type=int, default=50)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    graph = city_generate(args.scale, seed=args.seed)
    router = Router(graph)
    n = graph.node_count
    now = dt.datetime(2026, 10, 27, 12, tzinfo=dt.UTC)
    field = RiskField(RiskParams(), epoch=now)
    south, west, north, east = graph.bounds()
    span = min(north - south, east - west)
    for index in range(40):
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        zone = Zone(_square(lat, lon, span * 0.02), level=float(rng.integers(1, 6)))
        field.zone_put(f"z{index}", zone)
    router.risk_apply(field.levels(now))
    pairs = [(int(a), int(b)) for a, b in rng.integers(0, n, (args.queries, 2))]
    sources = router._sources32.astype(np.int64)
    heads = router._targets32.astype(np.int64)
    data = router._edge_data
    work = router._work

    expected: list[float] = []
    alt_ms: list[float] = []
    alt_settled: list[float] = []
    for origin, destination in pairs:
        c0 = time.thread_time()
        answer = router.route(origin, destination, risk_weight=RISK_WEIGHT, avoid_level=AVOID_LEVEL)
        alt_ms.append((time.thread_time() - c0) * 1000)
        alt_settled.append(router.last_settled)
        expected.append(answer.best.cost if isinstance(answer, RouteFound) else np.inf)
    print(
        f"{n:,} nodes; ALT (32 landmarks): {_percentiles(alt_ms)} ms CPU, "
        f"settled p95 {np.percentile(alt_settled, 95):.0f}"
    )

    def agrees(cost: float, want: float) -> bool:
        return bool(cost == want or abs(cost - want) <= 1e-9 * max(1.0, want))

    for name, weights, keep in (
        ("CH over lengths as the A*'s bound", data[:, 0].copy(), np.ones(len(heads), bool)),
        (
            "CH over the costs, queried",
            data[:, 0] + RISK_WEIGHT * data[:, 1],
            data[:, 2] < AVOID_LEVEL,
        ),
    ):
        t0 = time.perf_counter()
        _rank, up_offsets, up_heads, up_weights, up_middles = hierarchy_build(
            n,
            sources[keep],
            heads[keep],
            np.ascontiguousarray(weights[keep]),
            args.witness_settled,
        )
        build_s = time.perf_counter() - t0
        tails = np.repeat(np.arange(n, dtype=np.int32), np.diff(up_offsets)).astype(np.int32)
        room = up_heads.shape[0] + 1
        f = (
            np.zeros(n),
            np.zeros(n, np.int32),
            np.zeros(n, np.int32),
            np.empty(room),
            np.empty(room, np.int32),
        )
        b = (
            np.zeros(n),
            np.zeros(n, np.int32),
            np.zeros(n, np.int32),
            np.empty(room),
            np.empty(room, np.int32),
        )
        stack = np.empty(max(room, 6 * n + 6), np.int32)
        ms: list[float] = []
        settled_all: list[float] = []
        wrong = 0
        for (origin, destination), want in zip(pairs, expected, strict=True):
            s, t = int(router._rank[origin]), int(router._rank[destination])
            c0 = time.thread_time()
            if name.startswith("CH over the costs"):
                cost, _path, settled = hierarchy_route(
                    up_offsets,
                    tails,
                    up_heads,
                    up_weights,
                    up_middles,
                    router._offsets,
                    router._targets32,
                    data,
                    RISK_WEIGHT,
                    AVOID_LEVEL,
                    s,
                    t,
                    work.next_generation(),
                    *f,
                    *b,
                    stack,
                )
            else:
                cost, _path, settled = astar_exact(
                    router._offsets,
                    router._targets32,
                    data,
                    router._ones,
                    False,
                    router._sources32,
                    up_offsets,
                    up_heads,
                    up_weights,
                    s,
                    t,
                    RISK_WEIGHT,
                    AVOID_LEVEL,
                    work.next_generation(),
                    work.label,
                    work.prev,
                    work.stamp,
                    work.heap_keys,
                    work.heap_items,
                    f[0],
                    f[1],
                    b[0],
                    b[1],
                    stack,
                )
            ms.append((time.thread_time() - c0) * 1000)
            settled_all.append(settled)
            wrong += not agrees(cost, want)
        print(
            f"{name}: built in {build_s:.1f} s ({up_heads.shape[0]:,} upward arcs), "
            f"{_percentiles(ms)} ms CPU, settled p95 {np.percentile(settled_all, 95):.0f}, "
            f"{wrong} costs unlike ALT's"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
