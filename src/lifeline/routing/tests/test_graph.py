"""The road graph, its exposure to risk, and the safest route (no database)."""

from __future__ import annotations

import datetime as dt
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifeline.routing.graph import NoSafeRoute, RoadGraph, RouteFound, Router
from lifeline.routing.risk import RiskField, RiskParams, Zone, cell_of, risk_full
from lifeline.routing.town import MAVRAH_PLACES, city_generate, mavrah_town

NOW = dt.datetime(2026, 10, 27, 12, tzinfo=dt.UTC)


def ladder() -> RoadGraph:
    """Two parallel streets 500 m apart joined at both ends: a west way and an east way from
    the south end (node 0) to the north end (node 2)."""
    lat = [31.700, 31.705, 31.710, 31.705]
    lon = [-4.030, -4.0325, -4.030, -4.0275]
    return RoadGraph.from_edges(lat, lon, [0, 1, 0, 3], [1, 2, 3, 2])


def box_around(lat: float, lon: float, half: float = 0.0008) -> tuple[tuple[float, float], ...]:
    return (
        (lat - half, lon - half),
        (lat + half, lon - half),
        (lat + half, lon + half),
        (lat - half, lon + half),
    )


def router_with(graph: RoadGraph, zones: list[Zone]) -> Router:
    router = Router(graph)
    router.risk_apply(risk_full([], zones, params=RiskParams(), now=NOW))
    return router


def test_a_route_goes_around_a_hard_avoid_zone_when_another_way_exists() -> None:
    graph = ladder()
    west = Zone(box_around(31.705, -4.0325), level=4)
    answer = router_with(graph, [west]).route(0, 2, avoid_level=4)
    assert isinstance(answer, RouteFound)
    assert answer.best.nodes == (0, 3, 2)
    assert answer.best.peak_risk < 4


def test_no_route_is_planned_through_a_hard_avoid_zone_and_the_answer_says_why() -> None:
    graph = ladder()
    zones = [Zone(box_around(31.705, -4.0325), level=4), Zone(box_around(31.705, -4.0275), 5)]
    answer = router_with(graph, zones).route(0, 2, avoid_level=4)
    assert isinstance(answer, NoSafeRoute)
    assert "every way crosses a zone at risk level 4 or above" in answer.reason
    assert answer.least_exposed is not None
    assert answer.least_exposed.nodes in {(0, 1, 2), (0, 3, 2)}
    assert answer.least_exposed.peak_risk >= 4


def test_a_soft_zone_makes_the_route_take_the_longer_safer_way_when_risk_weighs_enough() -> None:
    lat = [31.700, 31.705, 31.710, 31.705]
    lon = [-4.030, -4.0315, -4.030, -4.0260]  # the west way is the shorter one
    graph = RoadGraph.from_edges(lat, lon, [0, 1, 0, 3], [1, 2, 3, 2])
    router = router_with(graph, [Zone(box_around(31.705, -4.0315), level=2)])
    careless = router.route(0, 2, risk_weight=0.0)
    careful = router.route(0, 2, risk_weight=5.0)
    assert isinstance(careless, RouteFound) and isinstance(careful, RouteFound)
    assert careless.best.nodes == (0, 1, 2)
    assert careful.best.nodes == (0, 3, 2)
    assert careful.best.length_m > careless.best.length_m
    assert careful.best.exposure < careless.best.exposure


def test_points_that_no_road_joins_get_a_clear_answer() -> None:
    graph = RoadGraph.from_edges(
        [31.70, 31.71, 31.80, 31.81], [-4.0, -4.0, -4.0, -4.0], [0, 2], [1, 3]
    )
    answer = Router(graph).route(0, 3)
    assert isinstance(answer, NoSafeRoute)
    assert answer.reason == "the two points are not connected by any road or path"


def test_a_start_inside_a_hard_avoid_zone_is_named_as_the_reason() -> None:
    graph = ladder()
    answer = router_with(graph, [Zone(box_around(31.700, -4.030), level=5)]).route(
        0, 2, avoid_level=3
    )
    assert isinstance(answer, NoSafeRoute)
    assert answer.reason.startswith("the start is inside a zone")


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), risk_weight=st.floats(0.0, 5.0))
def test_the_route_costs_what_networkx_dijkstra_finds_on_the_same_graph(
    seed: int, risk_weight: float
) -> None:
    graph = city_generate(400, seed=seed)
    rng = np.random.default_rng(seed)
    south, west, north, east = graph.bounds()
    zones = [
        Zone(box_around(rng.uniform(south, north), rng.uniform(west, east), 0.001), level=lvl)
        for lvl in (1.0, 2.0, 3.0, 5.0)
    ]
    router = router_with(graph, zones)
    cost = graph.lengths + risk_weight * router.edge_exposure()
    usable = router.edge_peak() < 5.0
    baseline = nx.DiGraph()
    baseline.add_nodes_from(range(graph.node_count))
    baseline.add_weighted_edges_from(
        zip(
            graph.sources()[usable].tolist(),
            graph.targets[usable].tolist(),
            cost[usable].tolist(),
            strict=True,
        )
    )
    for _ in range(5):
        origin, destination = (int(x) for x in rng.integers(0, graph.node_count, 2))
        answer = router.route(origin, destination, risk_weight=risk_weight, avoid_level=5.0)
        try:
            expected = nx.dijkstra_path_length(baseline, origin, destination)
        except nx.NetworkXNoPath:
            assert isinstance(answer, NoSafeRoute)
            continue
        assert isinstance(answer, RouteFound)
        assert answer.best.cost == pytest.approx(expected, rel=1e-9)
        assert answer.best.peak_risk < 5.0


def test_alternatives_are_distinct_routes_each_with_its_length_and_exposure() -> None:
    graph = city_generate(900, seed=3)
    router = Router(graph)
    answer = router.route(0, graph.node_count - 1, alternatives=2)
    assert isinstance(answer, RouteFound)
    assert len(answer.routes) == 3
    assert len({route.edges for route in answer.routes}) == 3
    assert answer.routes[0].cost <= min(route.cost for route in answer.routes[1:])
    for route in answer.routes:
        assert route.nodes[0] == 0 and route.nodes[-1] == graph.node_count - 1
        assert route.length_m == pytest.approx(float(graph.lengths[list(route.edges)].sum()))


def test_updating_risk_refreshes_only_streets_in_changed_cells_and_equals_a_full_recompute() -> (
    None
):
    graph = city_generate(2500, seed=5)
    router = Router(graph)
    field = RiskField(RiskParams(), epoch=NOW)
    south, west, north, east = graph.bounds()
    rng = np.random.default_rng(5)
    for index in range(6):
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        field.zone_put(str(index), Zone(box_around(lat, lon, 0.0015), level=float(index + 1)))
        refreshed = router.risk_apply(field.levels(NOW))
        assert 0 < refreshed < router.street_count
        incremental = (router.exposure.copy(), router.peak.copy())
        router.risk_recompute_all()
        assert np.allclose(incremental[0], router.exposure, rtol=1e-12, atol=0)
        assert np.array_equal(incremental[1], router.peak)
    assert router.risk_apply(field.levels(NOW)) == 0  # nothing changed, nothing recomputed


def test_a_zone_change_reroutes_the_next_query() -> None:
    graph = ladder()
    router = Router(graph)
    field = RiskField(RiskParams(), epoch=NOW)
    before = router.route(0, 2, avoid_level=3)
    assert isinstance(before, RouteFound)
    on_route = before.best.nodes[1]
    field.zone_put("new", Zone(box_around(graph.lat[on_route], graph.lon[on_route]), level=4))
    router.risk_apply(field.levels(NOW))
    after = router.route(0, 2, avoid_level=3)
    assert isinstance(after, RouteFound)
    assert on_route not in after.best.nodes


def test_the_demo_town_of_mavrah_is_the_same_every_time_and_joins_every_named_place() -> None:
    town, again = mavrah_town(), mavrah_town()
    assert np.array_equal(town.lat, again.lat) and np.array_equal(town.targets, again.targets)
    assert set(town.names) == set(MAVRAH_PLACES)
    router = Router(town)
    bravo, granary = town.names["Extraction Bravo"], town.names["Granary"]
    answer = router.route(town.names["School"], bravo, alternatives=1)
    assert isinstance(answer, RouteFound)
    assert isinstance(router.route(granary, bravo), RouteFound)
    for name, (lat, lon) in MAVRAH_PLACES.items():
        node = town.names[name]
        assert (town.lat[node], town.lon[node]) == (lat, lon)
        assert router.node_nearest(lat, lon) == node


def test_the_nearest_node_is_found_from_a_point() -> None:
    graph = ladder()
    assert Router(graph).node_nearest(31.7049, -4.0276) == 3
    assert math.isclose(cell_of(31.7, -4.03, 10), cell_of(31.7, -4.03, 10))


def test_routes_are_exact_whatever_order_the_graph_numbers_its_nodes_in() -> None:
    """The router searches on its own spatial numbering: nodes and edges in and out are the
    graph's, as an OSM file numbers them (here shuffled)."""
    grid = city_generate(900, seed=5)
    rng = np.random.default_rng(5)
    shuffle = rng.permutation(grid.node_count)
    rank = np.empty_like(shuffle)
    rank[shuffle] = np.arange(grid.node_count)
    keep = grid.sources() < grid.targets
    graph = RoadGraph.from_edges(
        grid.lat[shuffle],
        grid.lon[shuffle],
        rank[grid.sources()[keep]],
        rank[grid.targets[keep]],
        grid.lengths[keep],
    )
    south, west, north, east = graph.bounds()
    zones = [Zone(box_around((south + north) / 2, (west + east) / 2, 0.002), level=3.0)]
    router = router_with(graph, zones)
    baseline = nx.DiGraph()
    cost = graph.lengths + 2.0 * router.edge_exposure()
    baseline.add_weighted_edges_from(
        zip(graph.sources().tolist(), graph.targets.tolist(), cost.tolist(), strict=True)
    )
    for _ in range(10):
        origin, destination = (int(x) for x in rng.integers(0, graph.node_count, 2))
        answer = router.route(origin, destination, risk_weight=2.0, alternatives=1)
        assert isinstance(answer, RouteFound)
        best = answer.best
        assert best.cost == pytest.approx(nx.dijkstra_path_length(baseline, origin, destination))
        assert best.nodes[0] == origin and best.nodes[-1] == destination
        sources = graph.sources()
        assert [int(sources[e]) for e in best.edges] == list(best.nodes[:-1])
        assert [int(graph.targets[e]) for e in best.edges] == list(best.nodes[1:])
        for other in answer.routes[1:]:
            assert other.nodes[0] == origin and other.nodes[-1] == destination
            assert other.cost >= best.cost
