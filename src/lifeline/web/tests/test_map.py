"""The map page (web's: it draws routing's graph, zones and risk with intel's sightings):
the town and its zones, a bounded number of streets for a large graph, a route asked in the
query with the area around it."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.core.models import Site
from lifeline.routing import services
from lifeline.routing.models import StoredGraph
from lifeline.routing.tests.test_app import BRAVO, SCHOOL, around

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(site: Site, commander: Any) -> StoredGraph:
    return services.graph_generate_demo(actor=commander)


def test_the_map_page_draws_the_town_and_its_zones(
    town: StoredGraph, commander: Any, client: Any
) -> None:
    services.zone_draw(actor=commander, polygon=around(BRAVO, 0.001), level=3, name="Jace")
    client.force_login(commander)
    response = client.get("/routing/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "Extraction Bravo" in page and "Jace: level 3" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_the_map_page_of_a_large_graph_sends_a_bounded_number_of_streets(
    site: Site, commander: Any, client: Any
) -> None:
    from lifeline.routing.map_presenter import MAX_STREET_SEGMENTS
    from lifeline.routing.tests.test_map_presenter import grid_graph

    graph = grid_graph(300, 300, spacing=0.0001)  # 90,000 nodes, 179,400 streets
    StoredGraph.objects.create(
        name="city",
        node_count=graph.node_count,
        edge_count=graph.edge_count,
        arrays=services.graph_pack(graph),
    )
    client.force_login(commander)
    page = client.get("/routing/?graph=city").content.decode()
    streets = page.split('<path d="', 1)[1].split('"', 1)[0]
    assert 1000 < streets.count("M") <= MAX_STREET_SEGMENTS


def test_the_map_page_plans_the_route_in_its_query_and_shows_the_area_around_it(
    town: StoredGraph, commander: Any, client: Any
) -> None:
    client.force_login(commander)
    whole = client.get("/routing/").content.decode()
    query = f"from={SCHOOL[0]},{SCHOOL[1]}&to={BRAVO[0]},{BRAVO[1]}&alternatives=1"
    page = client.get(f"/routing/?{query}").content.decode()
    assert 'id="route-status" role="status">Safest: ' in page
    assert page.count("<polyline ") == 2 and 'stroke-dasharray="8 6"' in page
    # Zoomed in: fewer streets than the whole town, and the far corner's place left out.
    assert page.count("L") < whole.count("L")
    assert "Extraction Bravo" in page and "Extraction Alpha" not in page
    refused = client.get("/routing/?from=north&to=31.7,-4.0")
    assert refused.status_code == 400
    assert "<strong><bdi>from</bdi></strong>: expected [lat, lon]" in refused.content.decode()


def test_a_route_planned_on_the_map_page_offers_its_gpx_and_geojson(
    town: StoredGraph, commander: Any, client: Any
) -> None:
    import html
    import re

    client.force_login(commander)
    assert 'id="route-downloads"' not in client.get("/routing/").content.decode()
    query = f"from={SCHOOL[0]},{SCHOOL[1]}&to={BRAVO[0]},{BRAVO[1]}&avoid_level=4"
    page = client.get(f"/routing/?{query}").content.decode()
    links = [html.unescape(h) for h in re.findall(r'href="(/api/routes/[^"]+)" download', page)]
    assert [link.split("?")[0] for link in links] == ["/api/routes/gpx/", "/api/routes/geojson/"]
    gpx = client.get(links[0])
    assert gpx.status_code == 200 and gpx["Content-Type"] == "application/gpx+xml"
    assert "avoid_level=4" in links[0]
