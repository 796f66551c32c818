"""The routing app through its services, API and CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from typer.testing import CliRunner

from lifeline.core.commandline import command_root_build
from lifeline.core.errors import Forbidden, ValidationFailed
from lifeline.core.models import AuditEntry, ChangeLogEntry, Site
from lifeline.routing import services
from lifeline.routing.cli import app as route_app
from lifeline.routing.models import StoredGraph, ThreatZone
from lifeline.routing.tests.test_osm import SMALL_OSM
from lifeline.routing.town import MAVRAH_PLACES

pytestmark = pytest.mark.django_db

SCHOOL = MAVRAH_PLACES["School"]
BRAVO = MAVRAH_PLACES["Extraction Bravo"]
AT_SCHOOL, AT_BRAVO = (f"{lat},{lon}" for lat, lon in (SCHOOL, BRAVO))


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def around(point: tuple[float, float], half: float) -> list[list[float]]:
    lat, lon = point
    return [
        [lat - half, lon - half],
        [lat + half, lon - half],
        [lat + half, lon + half],
        [lat - half, lon + half],
    ]


@pytest.fixture
def town(site: Site, commander: Any) -> StoredGraph:
    return services.graph_generate_demo(actor=commander)


def test_a_route_through_the_demo_town_goes_around_a_zone_drawn_on_its_way(
    town: StoredGraph, commander: Any
) -> None:
    first = services.route_safest(actor=commander, origin=SCHOOL, destination=BRAVO)
    assert first.found and first.routes[0].peak_risk == 0
    middle = first.routes[0].path[len(first.routes[0].path) // 2]
    services.zone_draw(
        actor=commander, polygon=around((middle[0], middle[1]), 0.0007), level=5, name="Jace"
    )
    second = services.route_safest(actor=commander, origin=SCHOOL, destination=BRAVO, avoid_level=5)
    assert second.found
    assert second.routes[0].peak_risk < 5
    assert second.routes[0].path != first.routes[0].path


def test_a_route_that_cannot_avoid_a_zone_says_so(town: StoredGraph, commander: Any) -> None:
    services.zone_draw(actor=commander, polygon=around(BRAVO, 0.002), level=4)
    plan = services.route_safest(actor=commander, origin=SCHOOL, destination=BRAVO, avoid_level=4)
    assert not plan.found
    assert "destination is inside a zone" in plan.reason
    assert plan.least_exposed is not None and plan.least_exposed.peak_risk >= 4


def test_an_expired_zone_no_longer_shapes_routes(town: StoredGraph, commander: Any) -> None:
    services.zone_draw(
        actor=commander,
        polygon=around(BRAVO, 0.002),
        level=4,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    later = timezone.now() + dt.timedelta(hours=2)
    plan = services.route_safest(
        actor=commander, origin=SCHOOL, destination=BRAVO, avoid_level=4, now=later
    )
    assert plan.found


def test_only_a_commander_draws_zones(site: Site, field_team: Any, viewer: Any) -> None:
    for user in (field_team, viewer):
        with pytest.raises(Forbidden):
            services.zone_draw(actor=user, polygon=around(BRAVO, 0.001), level=3)
    assert ThreatZone.objects.count() == 0


def test_drawing_a_zone_writes_the_change_log_and_the_audit(site: Site, commander: Any) -> None:
    zone = services.zone_draw(actor=commander, polygon=around(BRAVO, 0.001), level=3)
    assert ChangeLogEntry.objects.filter(object_id=zone.pk).count() == 1
    assert AuditEntry.objects.filter(action="routing.zone_draw", object_id=str(zone.pk)).exists()
    assert zone.drawn_by == commander.get_username()


def test_importing_an_osm_file_stores_a_new_version_each_time(
    site: Site, commander: Any, tmp_path: Path
) -> None:
    path = tmp_path / "mavrah.osm"
    path.write_text(SMALL_OSM)
    first = services.graph_import_osm(actor=commander, path=path)
    again = services.graph_import_osm(actor=commander, path=path)
    assert (first.name, first.node_count, again.version) == ("mavrah", 4, 2)
    broken = tmp_path / "broken.osm"
    broken.write_text("<osm><node")
    with pytest.raises(ValidationFailed) as caught:
        services.graph_import_osm(actor=commander, path=broken)
    assert "file" in caught.value.fields


def test_planning_with_no_graph_names_what_to_do(site: Site, commander: Any) -> None:
    response = api_as(commander).post(
        "/api/routes/", {"origin": [31.7, -4.03], "destination": [31.71, -4.03]}, format="json"
    )
    assert response.status_code == 404
    assert "import-osm" in response.json()["error"]["message"]


def test_the_api_plans_a_route_with_alternatives(town: StoredGraph, medic: Any) -> None:
    response = api_as(medic).post(
        "/api/routes/",
        {"origin": list(SCHOOL), "destination": "31.7062,-4.0417", "alternatives": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["found"] is True and len(body["routes"]) == 2
    assert {"path", "length_m", "exposure", "peak_risk"} <= set(body["routes"][0])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"origin": [31.7], "destination": [31.7, -4.0]}, "origin"),
        ({"origin": [31.7, -4.0], "destination": "north"}, "destination"),
        ({"origin": [95, -4.0], "destination": [31.7, -4.0]}, "origin"),
        ({"origin": [31.7, -4.0], "destination": [31.7, -4.0], "risk_weight": -1}, "risk_weight"),
        ({"origin": [31.7, -4.0], "destination": [31.7, -4.0], "speed": 3}, "speed"),
    ],
)
def test_a_route_request_with_bad_input_names_the_field(
    town: StoredGraph, commander: Any, body: dict[str, Any], field: str
) -> None:
    response = api_as(commander).post("/api/routes/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"polygon": [[31.7, -4.0], [31.71, -4.0]], "level": 3}, "polygon"),
        ({"polygon": [[31.7, -4.0], [31.71, -4.0], "x"], "level": 3}, "polygon"),
        ({"polygon": around(BRAVO, 0.001), "level": 9}, "level"),
        ({"polygon": around(BRAVO, 0.001)}, "level"),
        (
            {"polygon": around(BRAVO, 0.001), "level": 3, "expires_at": "2001-01-01T00:00:00Z"},
            "expires_at",
        ),
    ],
)
def test_drawing_a_zone_with_bad_input_names_the_field_and_writes_nothing(
    site: Site, commander: Any, body: dict[str, Any], field: str
) -> None:
    response = api_as(commander).post("/api/threat-zones/", body, format="json")
    assert response.status_code == 400
    assert any(name.split("[")[0] == field for name in response.json()["error"]["fields"])
    assert ThreatZone.objects.count() == 0
    assert ChangeLogEntry.objects.count() == 0


def test_the_api_lists_the_zones_in_force(
    site: Site, commander: Any, viewer: Any, django_assert_max_num_queries: Any
) -> None:
    drawn = api_as(commander).post(
        "/api/threat-zones/", {"polygon": around(BRAVO, 0.001), "level": 3}, format="json"
    )
    assert drawn.status_code == 201
    client = api_as(viewer)
    with django_assert_max_num_queries(8):
        response = client.get("/api/threat-zones/")
    assert response.status_code == 200
    assert [row["level"] for row in response.json()["results"]] == [3.0]


def test_the_cli_plans_a_route_and_imports_a_file(
    site: Site, commander: Any, tmp_path: Path
) -> None:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    app = command_root_build({"route": route_app})
    user = commander.get_username()
    made = runner.invoke(app, ["--user", user, "route", "demo-town"], catch_exceptions=False)
    assert made.exit_code == 0 and "road graph mavrah v1" in made.output
    planned = runner.invoke(
        app,
        ["--user", user, "route", "plan", "--from", "31.6998,-4.0366", "--to", "31.7062,-4.0417"],
        catch_exceptions=False,
    )
    assert planned.exit_code == 0, planned.output
    assert planned.output.startswith("safest: ")
    bad = runner.invoke(app, ["--user", user, "route", "plan", "--from", "x", "--to", "31.7,-4.0"])
    assert bad.exit_code == 2 and "--from" in bad.output
    path = tmp_path / "town.osm"
    path.write_text(SMALL_OSM)
    imported = runner.invoke(app, ["--user", user, "route", "import-osm", str(path)])
    assert imported.exit_code == 0 and "road graph town v1: 4 nodes, 6 edges" in imported.output


def test_the_demo_part_stores_mavrah_and_its_zones_once(site: Site, commander: Any) -> None:
    from lifeline.demo import routing as demo_routing

    demo_routing.load(actor_by_role={"commander": commander})
    demo_routing.load(actor_by_role={"commander": commander})
    assert ThreatZone.objects.count() == len(demo_routing.DEMO_ZONES)
    plan = services.route_safest(
        actor=commander, origin=SCHOOL, destination=MAVRAH_PLACES["Extraction Alpha"], avoid_level=4
    )
    assert plan.found and plan.routes[0].peak_risk < 4


def test_the_api_gives_each_route_its_turn_list(town: StoredGraph, medic: Any) -> None:
    response = api_as(medic).post(
        "/api/routes/", {"origin": list(SCHOOL), "destination": list(BRAVO)}, format="json"
    )
    route = response.json()["routes"][0]
    turns = route["turns"]
    assert turns[0]["action"] == "depart" and turns[-1]["action"] == "arrive"
    assert turns[0]["text"].startswith("Start along")
    assert sum(t["distance_m"] for t in turns) == pytest.approx(route["length_m"], abs=1.0)


def test_a_route_exports_as_gpx_that_gpxpy_reads_back(town: StoredGraph, medic: Any) -> None:
    import gpxpy

    query = {"origin": AT_SCHOOL, "destination": AT_BRAVO, "risk_weight": 2}
    response = api_as(medic).get("/api/routes/gpx/", query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gpx+xml"
    assert response["Content-Disposition"].startswith('attachment; filename="route-mavrah-')
    plan = services.route_safest(actor=medic, origin=SCHOOL, destination=BRAVO, risk_weight=2)
    gpx = gpxpy.parse(response.content.decode())
    points = gpx.tracks[0].segments[0].points
    assert [[p.latitude, p.longitude] for p in points] == plan.routes[0].path
    assert gpx.length_2d() == pytest.approx(plan.routes[0].length_m, rel=0.01)
    turns = gpx.routes[0].points
    assert len(turns) == len(plan.routes[0].turns)
    assert turns[0].comment.startswith("Start along") and turns[-1].comment == "Arrive"


def test_a_route_exports_as_geojson_in_lon_lat_order(town: StoredGraph, medic: Any) -> None:
    import json

    query = {"origin": AT_SCHOOL, "destination": AT_BRAVO}
    response = api_as(medic).get("/api/routes/geojson/", query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = json.loads(response.content)
    line, *turns = body["features"]
    assert line["geometry"]["type"] == "LineString"
    first = line["geometry"]["coordinates"][0]
    assert first[1] == pytest.approx(SCHOOL[0], abs=0.002)  # [lon, lat]
    assert first[0] == pytest.approx(SCHOOL[1], abs=0.002)
    assert line["properties"]["length_m"] > 0
    assert turns[-1]["properties"]["action"] == "arrive"


def test_a_route_that_cannot_avoid_the_zones_is_not_exported(
    town: StoredGraph, commander: Any
) -> None:
    services.zone_draw(actor=commander, polygon=around(BRAVO, 0.001), level=5)
    query = {"origin": AT_SCHOOL, "destination": AT_BRAVO, "avoid_level": 4}
    response = api_as(commander).get("/api/routes/gpx/", query)
    assert response.status_code == 409
    assert "No safe route" in response.json()["error"]["message"]


def test_an_export_with_a_bad_point_names_the_field(town: StoredGraph, medic: Any) -> None:
    response = api_as(medic).get("/api/routes/geojson/", {"origin": "north", "destination": "1,2"})
    assert response.status_code == 400
    assert "origin" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"origin": [0, 0], "destination": [89, 179]}, "origin"),
        ({"origin": list(SCHOOL), "destination": [89, 179]}, "destination"),
        ({"origin": [SCHOOL[0] + 0.05, SCHOOL[1]], "destination": list(BRAVO)}, "origin"),
    ],
)
def test_a_route_with_an_end_far_off_the_map_is_refused_naming_the_end(
    town: StoredGraph, commander: Any, body: dict[str, Any], field: str
) -> None:
    response = api_as(commander).post("/api/routes/", body, format="json")
    assert response.status_code == 400, response.json()
    message = response.json()["error"]["fields"][field][0]
    assert "from the nearest road" in message and "within 2.0 km" in message


def test_an_end_a_little_off_the_road_is_moved_onto_it(
    town: StoredGraph, commander: Any, settings: Any
) -> None:
    near = [SCHOOL[0] + 0.002, SCHOOL[1]]  # about 220 m north
    response = api_as(commander).post(
        "/api/routes/", {"origin": near, "destination": list(BRAVO)}, format="json"
    )
    assert response.status_code == 200
    settings.LIFELINE_ROUTE_MAX_SNAP_M = 1
    refused = api_as(commander).post(
        "/api/routes/", {"origin": near, "destination": list(BRAVO)}, format="json"
    )
    assert refused.status_code == 400 and "origin" in refused.json()["error"]["fields"]
