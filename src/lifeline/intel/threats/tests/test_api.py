"""The threat picture through the API and the CLI: bad input is refused with a message naming
each field and nothing written; roles decide who sees what."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient
from typer.testing import CliRunner

from lifeline.core.commandline import command_root_build
from lifeline.core.models import ChangeLogEntry, Site
from lifeline.intel.models import HostileGroup, Sighting
from lifeline.intel.threats.cli import app as threat_app
from lifeline.intel.threats.services import (
    hostile_group_create,
    sighting_record,
    watch_post_create,
)

pytestmark = pytest.mark.django_db


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


GOOD = {"latitude": 31.7, "longitude": -4.03, "count": 4, "confidence": "high"}


def test_a_commander_names_a_group_and_a_field_team_records_its_sighting(
    site: Site, commander: Any, field_team: Any
) -> None:
    made = api_as(commander).post(
        "/api/hostile-groups/",
        {"name": "Ayoub Essouibrat's men", "leader": "Ayoub Essouibrat", "size_estimate": 30},
        format="json",
    )
    assert made.status_code == 201, made.json()
    group_id = made.json()["id"]
    seen = api_as(field_team).post(
        "/api/sightings/", {**GOOD, "group_name": "ayoub essouibrat"}, format="json"
    )
    assert seen.status_code == 201, seen.json()
    assert seen.json()["hostile_group"] == group_id and seen.json()["confidence"] == 0.9
    group = api_as(field_team).get(f"/api/hostile-groups/{group_id}/").json()
    assert group["sightings"] == 1 and group["last_seen_latitude"] == 31.7


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**GOOD, "latitude": 200}, "latitude"),
        ({**GOOD, "longitude": None}, "longitude"),
        ({**GOOD, "count": "many"}, "count"),
        ({**GOOD, "count": -2}, "count"),
        ({**GOOD, "confidence": "sure"}, "confidence"),
        ({**GOOD, "confidence": 1.5}, "confidence"),
        ({**GOOD, "seen_at": "yesterday"}, "seen_at"),
        ({**GOOD, "seen_at": "2999-01-01T00:00:00Z"}, "seen_at"),
        ({**GOOD, "hostile_group": "not-an-id"}, "hostile_group"),
        ({**GOOD, "hostile_group": "0190a9c4-0000-7000-8000-000000000000"}, "hostile_group"),
        ({**GOOD, "source": "rumour"}, "source"),
        ({**GOOD, "speed": 3}, "speed"),
    ],
)
def test_a_sighting_with_bad_input_names_the_field_and_writes_nothing(
    site: Site, field_team: Any, body: dict[str, Any], field: str
) -> None:
    response = api_as(field_team).post("/api/sightings/", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert Sighting.objects.count() == 0
    assert ChangeLogEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"seen": "hostile", "count": 3, "post": "nope"}, "post"),
        ({"seen": "dragons"}, "seen"),
        ({"seen": "hostile", "count": 0}, "count"),
        ({"seen": "hostile", "count": 2, "direction": "up"}, "direction"),
        ({"seen": "hostile", "count": 2, "distance_m": 300}, "direction"),
        ({"seen": "nothing", "count": 4}, "count"),
    ],
)
def test_a_perimeter_entry_with_bad_input_names_the_field(
    site: Site, commander: Any, field_team: Any, body: dict[str, Any], field: str
) -> None:
    post = watch_post_create(actor=commander, name="North gate", latitude=31.95, longitude=-4.4)
    response = api_as(field_team).post(
        "/api/perimeter-log/", {"post": str(post.pk), **body}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert Sighting.objects.count() == 0


def test_the_watch_logs_a_hostile_entry_through_the_api(
    site: Site, commander: Any, field_team: Any
) -> None:
    post = watch_post_create(actor=commander, name="Ridge", latitude=31.95, longitude=-4.4)
    response = api_as(field_team).post(
        "/api/perimeter-log/",
        {"post": str(post.pk), "seen": "hostile", "count": 3, "direction": "e", "distance_m": 400},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["sighting"] is not None
    assert Sighting.objects.get().source == "watch"


def test_a_viewer_sees_groups_and_sightings_but_not_who_reported_them_nor_the_watch(
    site: Site, commander: Any, field_team: Any, viewer: Any, django_assert_max_num_queries: Any
) -> None:
    group = hostile_group_create(actor=commander, name="Jace's band", leader="Jace")
    for _ in range(3):
        sighting_record(
            actor=field_team,
            latitude=33.84,
            longitude=-5.61,
            count=4,
            confidence=0.6,
            hostile_group=group,
        )
    client = api_as(viewer)
    with django_assert_max_num_queries(8):
        rows = client.get("/api/sightings/").json()["results"]
    assert len(rows) == 3
    assert {r["reported_by"] for r in rows} == {None}
    assert {r["hostile_group_name"] for r in rows} == {"Jace's band"}
    assert client.get("/api/hostile-groups/").json()["results"][0]["sightings"] == 3
    assert client.get("/api/perimeter-log/").status_code == 403
    assert client.get("/api/watch-posts/").status_code == 403
    assert client.post("/api/sightings/", GOOD, format="json").status_code == 403
    seen_by_commander = api_as(commander).get("/api/sightings/").json()["results"]
    assert {r["reported_by"] for r in seen_by_commander} == {field_team.get_username()}


def test_changing_a_group_through_the_api(site: Site, commander: Any, field_team: Any) -> None:
    group = hostile_group_create(actor=commander, name="Jace's band")
    url = f"/api/hostile-groups/{group.pk}/"
    assert api_as(field_team).patch(url, {"size_estimate": 4}, format="json").status_code == 403
    changed = api_as(commander).patch(url, {"size_estimate": 4, "status": "quiet"}, format="json")
    assert changed.status_code == 200 and changed.json()["status"] == "quiet"
    bad = api_as(commander).patch(url, {"status": "asleep"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]
    assert api_as(commander).get("/api/hostile-groups/nope/").status_code == 400


def test_the_cli_names_a_group_records_a_sighting_and_refuses_a_bad_place(
    site: Site, commander: Any
) -> None:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    app = command_root_build({"threat": threat_app})
    user = ["--user", commander.get_username(), "threat"]
    made = runner.invoke(
        app, [*user, "group-add", "Jace's band", "--leader", "Jace", "--size", "8"]
    )
    assert made.exit_code == 0, made.output
    seen = runner.invoke(
        app, [*user, "sighting", "--at", "33.84,-5.61", "--count", "5", "--group", "Jace"]
    )
    assert seen.exit_code == 0 and "(Jace's band)" in seen.output
    listed = runner.invoke(app, [*user, "groups"])
    assert "Jace's band (Jace, ~8, Active): last seen" in listed.output
    assert listed.output.rstrip().endswith(", 1 sighting")
    bad = runner.invoke(app, [*user, "sighting", "--at", "north", "--count", "5"])
    assert bad.exit_code == 2 and "latitude" in bad.output
    assert HostileGroup.objects.count() == 1 and Sighting.objects.count() == 1
