"""The turn list of a route: what a person reads on paper (no database)."""

from __future__ import annotations

import pytest

from lifeline.routing.graph import RouteFound, Router
from lifeline.routing.osm import graph_from_osm, read_osm_xml
from lifeline.routing.turns import turn_action, turns_list

# Main Street runs north from node 1 through the crossing (2) to 3; Market Road runs east
# from the crossing to 4 then 5; an unnamed alley bends from 5 north then west to 6.
NAMED_OSM = b"""<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="31.7000" lon="-4.0300"/>
  <node id="2" lat="31.7010" lon="-4.0300"/>
  <node id="3" lat="31.7020" lon="-4.0300"/>
  <node id="4" lat="31.7010" lon="-4.0290"/>
  <node id="5" lat="31.7010" lon="-4.0280"/>
  <node id="6" lat="31.7020" lon="-4.0280"/>
  <node id="7" lat="31.7020" lon="-4.0288"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/><tag k="name" v="Main Street"/></way>
  <way id="11"><nd ref="2"/><nd ref="4"/><nd ref="5"/>
    <tag k="highway" v="residential"/><tag k="name" v="Market Road"/></way>
  <way id="12"><nd ref="5"/><nd ref="6"/><nd ref="7"/>
    <tag k="highway" v="footway"/></way>
</osm>
"""


@pytest.mark.parametrize(
    ("change", "action"),
    [
        (0.0, "straight"),
        (-15.0, "straight"),
        (40.0, "slight_right"),
        (-40.0, "slight_left"),
        (90.0, "right"),
        (-90.0, "left"),
        (150.0, "sharp_right"),
        (-150.0, "sharp_left"),
        (178.0, "u_turn"),
    ],
)
def test_a_change_of_heading_is_named_as_a_walker_turns(change: float, action: str) -> None:
    assert turn_action(change) == action


def test_a_route_reads_as_its_streets_with_the_turns_between_them_and_their_lengths() -> None:
    import io

    graph = graph_from_osm(read_osm_xml(io.BytesIO(NAMED_OSM)))
    router = Router(graph)
    south = router.node_nearest(31.7000, -4.0300)
    alley_end = router.node_nearest(31.7020, -4.0288)
    answer = router.route(south, alley_end)
    assert isinstance(answer, RouteFound)
    route = answer.best
    points = [(float(graph.lat[n]), float(graph.lon[n])) for n in route.nodes]
    streets = [graph.street_of_edge(e) for e in route.edges]
    lengths = [float(graph.lengths[e]) for e in route.edges]
    turns = turns_list(points, streets, lengths)
    assert [(t.action, t.street) for t in turns] == [
        ("depart", "Main Street"),
        ("right", "Market Road"),
        ("left", ""),  # the nameless alley north ...
        ("left", ""),  # ... and where it bends west
        ("arrive", ""),
    ]
    assert turns[0].bearing == 0  # north
    assert turns[1].distance_m == pytest.approx(sum(lengths[1:3]), abs=0.1)
    assert sum(t.distance_m for t in turns) == pytest.approx(route.length_m, abs=0.5)


def test_a_route_of_no_edges_only_arrives() -> None:
    turns = turns_list([(31.7, -4.03)], [], [])
    assert [t.action for t in turns] == ["arrive"]


def test_points_and_streets_that_do_not_match_are_refused() -> None:
    with pytest.raises(ValueError, match="one point more"):
        turns_list([(31.7, -4.03)], ["Main Street"], [10.0])
