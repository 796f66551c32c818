"""What the map draws, without a database: the projection, the viewport around a route, the
streets cut to what the viewport shows, a route drawn on top, and a page whose size does not
grow with the graph."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from lifeline.routing import risk
from lifeline.routing.graph import RoadGraph
from lifeline.routing.map_presenter import (
    MAX_STREET_SEGMENTS,
    Projection,
    RouteDrawn,
    Viewport,
    map_picture,
    plan_focus,
    plan_routes,
    plan_status,
    streets_project,
    viewport_around,
    viewport_choose,
)

NOW = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
HOUR = 3600.0
# A square of about 1.1 km at the equator: one unit of latitude is as long as one of longitude.
SQUARE = Viewport(south=0.0, west=0.0, north=0.01, east=0.01)


@dataclass
class Zone:
    polygon: list[list[float]]
    level: float = 3.0


@dataclass
class SightingRow:
    latitude: float
    longitude: float
    count: int = 1
    seen_at: dt.datetime = NOW


@dataclass
class Group:
    name: str
    last_seen_latitude: float | None
    last_seen_longitude: float | None


@dataclass
class RouteRow:
    path: list[list[float]]
    length_m: float = 1234.4
    exposure: float = 0.0
    peak_risk: float = 0.5


@dataclass
class Plan:
    found: bool
    routes: list[RouteRow] = field(default_factory=list)
    least_exposed: RouteRow | None = None
    reason: str = ""


def grid_graph(rows: int, cols: int, *, spacing: float = 0.001) -> RoadGraph:
    """A lattice of streets, `spacing` degrees apart, from (0, 0) north and east."""
    lat = np.repeat(np.arange(rows) * spacing, cols)
    lon = np.tile(np.arange(cols) * spacing, rows)
    ids = np.arange(rows * cols).reshape(rows, cols)
    sources = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    targets = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    return RoadGraph.from_edges(lat, lon, sources, targets)


def picture_of(graph: RoadGraph, viewport: Viewport = SQUARE, **layers: Any) -> Any:
    return map_picture(graph=graph, viewport=viewport, now=NOW, half_life_s=6 * HOUR, **layers)


def test_the_projection_puts_north_west_at_the_origin_and_keeps_metres_square() -> None:
    projection = Projection(SQUARE)
    assert projection.xy(0.01, 0.0) == (0.0, 0.0)
    assert projection.xy(0.0, 0.01) == (1000.0, 1000.0)
    assert projection.xy(0.005, 0.005) == (500.0, 500.0)
    # Twice as wide in degrees of longitude as high in latitude: half as high as wide.
    assert Projection(Viewport(0.0, 0.0, 0.01, 0.02)).height == pytest.approx(500.0)


def test_without_a_route_the_viewport_is_the_whole_graph() -> None:
    graph = grid_graph(3, 4)
    assert viewport_choose(graph) == Viewport(0.0, 0.0, 0.002, 0.003)


def test_the_viewport_around_a_route_holds_it_with_a_margin() -> None:
    ends = [(0.002, 0.002), (0.006, 0.003)]
    box = viewport_around(ends)
    for lat, lon in ends:
        assert box.contains(lat, lon)
    assert box.south < 0.002 and box.north > 0.006
    height = Projection(box).height
    assert 500 <= height <= 1250  # neither a sliver nor a tower


def test_two_points_close_together_still_show_their_street() -> None:
    box = viewport_around([(0.005, 0.005), (0.005, 0.005001)])
    assert (box.north - box.south) * 111_195 >= 399
    assert (box.east - box.west) * 111_195 >= 399


def test_each_street_is_drawn_once_though_it_is_stored_both_ways() -> None:
    graph = RoadGraph.from_edges([0.0, 0.0], [0.0, 0.01], [0], [1])
    assert graph.edge_count == 2
    assert streets_project(graph, Projection(SQUARE)) == ((0.0, 1000.0, 1000.0, 1000.0),)


def test_streets_outside_the_viewport_are_not_sent() -> None:
    graph = grid_graph(30, 30)  # 0 .. 0.029 degrees: the square sees a third of each side
    shown = streets_project(graph, Projection(SQUARE))
    everything = streets_project(graph, Projection(viewport_choose(graph)))
    assert 0 < len(shown) < len(everything) / 5
    for x1, y1, x2, y2 in shown:
        assert min(x1, x2) >= 0 and max(x1, x2) <= 1000
        assert min(y1, y2) >= 0 and max(y1, y2) <= 1000


def test_a_street_crossing_the_edge_of_the_viewport_is_cut_at_the_edge() -> None:
    graph = RoadGraph.from_edges([0.005, 0.005], [-0.01, 0.005], [0], [1])
    assert streets_project(graph, Projection(SQUARE)) == ((0.0, 500.0, 500.0, 500.0),)


def test_streets_shorter_than_a_pixel_merge_into_their_neighbours() -> None:
    # A street of 100 pieces each a tenth of a pixel long is drawn as one pixel-long steps.
    lon = np.linspace(0.0, 0.0001, 101)  # 0.0001 degrees = 10 units
    graph = RoadGraph.from_edges(np.full(101, 0.005), lon, range(100), range(1, 101))
    shown = streets_project(graph, Projection(SQUARE))
    assert len(shown) == 10
    assert sum(x2 - x1 for x1, _, x2, _ in shown) == pytest.approx(10.0)


def test_an_empty_graph_draws_no_streets_and_still_draws_the_other_layers() -> None:
    empty = RoadGraph.from_edges([], [], [], [])
    picture = picture_of(empty, sightings=[SightingRow(0.005, 0.005)])
    assert picture.streets == () and picture.streets_path == ""
    assert len(picture.sightings) == 1
    assert viewport_choose(empty).contains(0.0, 0.0)


def test_layers_outside_the_viewport_are_left_out_and_groups_are_named_elsewhere() -> None:
    inside, outside = (0.005, 0.005), (0.05, 0.05)
    near_cell = risk.cell_of(*inside, 10)
    far_cell = risk.cell_of(*outside, 10)
    picture = picture_of(
        grid_graph(2, 2),
        zones=[Zone([[0.004, 0.004], [0.006, 0.004], [0.006, 0.006]]), Zone([[0.05, 0.05]] * 3)],
        risk_levels={near_cell: 2.0, far_cell: 2.0, risk.cell_of(0.007, 0.007, 10): 0.01},
        sightings=[SightingRow(*inside, count=4), SightingRow(*outside)],
        groups=[Group("Jace", *inside), Group("Ayoub", *outside), Group("Unseen", None, None)],
    )
    assert len(picture.zones) == 1 and len(picture.risk_cells) == 1
    assert [(s.x, s.y, s.r, s.opacity) for s in picture.sightings] == [(500.0, 500.0, 8.0, 1.0)]
    assert [g.group.name for g in picture.groups] == ["Jace"]
    assert [g.name for g in picture.groups_elsewhere] == ["Ayoub"]


def test_a_sighting_fades_as_its_weight_decays() -> None:
    old = SightingRow(0.005, 0.005, seen_at=NOW - dt.timedelta(hours=12))
    ancient = SightingRow(0.005, 0.005, seen_at=NOW - dt.timedelta(days=3))
    picture = picture_of(grid_graph(2, 2), sightings=[old, ancient])
    assert [s.opacity for s in picture.sightings] == [0.25, 0.15]


def test_named_places_are_drawn_where_their_node_is() -> None:
    graph = RoadGraph.from_edges([0.0, 0.01], [0.0, 0.01], [0], [1], names={"School": 1})
    assert [(p.name, p.x, p.y) for p in picture_of(graph).places] == [("School", 1000.0, 0.0)]


def test_a_route_is_drawn_on_top_with_its_alternatives_dashed_beneath() -> None:
    safest = RouteRow([[0.001, 0.001], [0.001, 0.009]], length_m=890.4, exposure=1.5)
    other = RouteRow([[0.001, 0.001], [0.009, 0.009]], length_m=1200.0, peak_risk=2.0)
    plan = Plan(found=True, routes=[safest, other])
    picture = picture_of(grid_graph(11, 11), routes=plan_routes(plan))
    assert [(r.points, r.dashed) for r in picture.routes] == [
        ("100.0,900.0 900.0,100.0", True),
        ("100.0,900.0 900.0,900.0", False),
    ]
    assert picture.routes[-1].colour == "#0a7d2c"
    assert plan_status(plan) == (
        "Safest: 890 m, exposure 1.5, peak risk 0.5 · "
        "Alternative 1: 1200 m, exposure 0, peak risk 2"
    )


def test_when_no_route_is_safe_the_least_exposed_way_is_dashed_in_red() -> None:
    least = RouteRow([[0.001, 0.001], [0.009, 0.009]])
    plan = Plan(found=False, least_exposed=least, reason="every way crosses level 4")
    assert plan_routes(plan) == (
        RouteDrawn([(0.001, 0.001), (0.009, 0.009)], colour="#b00", dashed=True),
    )
    assert plan_status(plan) == (
        "No safe route: every way crosses level 4 (dashed: the least exposed way)"
    )
    assert plan_routes(Plan(found=False, reason="no way")) == ()


def test_the_view_of_a_plan_holds_its_ends_and_every_route() -> None:
    plan = Plan(found=True, routes=[RouteRow([[0.001, 0.001], [0.02, 0.002], [0.003, 0.003]])])
    box = viewport_choose(grid_graph(30, 30), plan_focus([(0.001, 0.001), (0.003, 0.003)], plan))
    assert box.contains(0.02, 0.002) and box.contains(0.001, 0.001)
    assert not box.contains(0.029, 0.029)


def test_a_large_graph_sends_a_bounded_number_of_street_segments() -> None:
    graph = grid_graph(300, 300, spacing=0.0001)  # 90,000 nodes, 179,400 streets
    whole = Projection(viewport_choose(graph))
    shown = streets_project(graph, whole)
    assert 1000 < len(shown) <= MAX_STREET_SEGMENTS
    smaller = streets_project(graph, whole, max_segments=500)
    assert 0 < len(smaller) <= 500
    path = picture_of(graph, viewport_choose(graph)).streets_path
    assert path.count("M") <= MAX_STREET_SEGMENTS


def test_marks_are_drawn_inside_the_viewport_with_their_labels_kept_inside() -> None:
    import datetime as dt

    from lifeline.routing.map_presenter import MarkDrawn, Viewport, map_picture

    graph = grid_graph(3, 3, spacing=0.001)
    picture = map_picture(
        graph=graph,
        viewport=Viewport(0.0, 0.0, 0.002, 0.002),
        marks=[
            MarkDrawn(0.001, 0.0002, "Camp", "camp"),
            MarkDrawn(0.001, 0.0019, "Team east", "team"),
            MarkDrawn(0.5, 0.5, "Far away", "team"),
        ],
        now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        half_life_s=3600.0,
        width=400.0,
    )
    assert [(m.mark.label, m.label_before) for m in picture.marks] == [
        ("Camp", False),
        ("Team east", True),
    ]
    assert picture.marks[0].x == pytest.approx(40.0)
