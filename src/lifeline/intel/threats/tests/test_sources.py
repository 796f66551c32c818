"""Every role reads sightings, but not their sources: a sighting made by the watch says nothing of
the post it was seen from (its name, its exact place, the entry's notes) and one made from a
field report says nothing of the report's text or mission, except to the roles that may read the
perimeter log or the reports. Checked through the API, the pages and the CLI."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db.models import QuerySet
from django.test import Client
from rest_framework.test import APIClient
from typer.testing import CliRunner

from lifeline.core.commandline import command_root_build
from lifeline.core.models import Site
from lifeline.intel.models import HostileGroup, PerimeterLogEntry, Sighting, WatchPost
from lifeline.intel.services import report_file
from lifeline.intel.threats.cli import app as threat_app
from lifeline.intel.threats.services import hostile_group_create, perimeter_log, watch_post_create
from lifeline.missions.models import Mission
from lifeline.routing import risk
from lifeline.routing import services as routing

pytestmark = pytest.mark.django_db

POST = (31.9500, -4.4000)
POST_TEXT = ("North gate", "water tower")


def api_rows(user: Any) -> list[dict[str, Any]]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/sightings/")
    assert response.status_code == 200
    return list(response.json()["results"])


def page_of(user: Any, path: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def cli_sightings(user: Any) -> str:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    result = runner.invoke(
        command_root_build({"threat": threat_app}),
        ["--user", user.get_username(), "threat", "sightings"],
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def jace(site: Site, commander: Any) -> HostileGroup:
    return hostile_group_create(actor=commander, name="Jace's band", leader="Jace")


@pytest.fixture
def north_gate(site: Site, commander: Any) -> WatchPost:
    return watch_post_create(
        actor=commander, name="North gate", latitude=POST[0], longitude=POST[1]
    )


@pytest.fixture
def seen_from_the_gate(north_gate: WatchPost, field_team: Any, jace: HostileGroup) -> Sighting:
    """Hostiles seen from the post with no direction given."""
    entry = perimeter_log(
        actor=field_team,
        post=north_gate,
        seen="hostile",
        count=3,
        hostile_group=jace,
        notes="two at the water tower, one on the wall",
    )
    assert entry.sighting is not None
    return entry.sighting


def test_a_watch_sighting_keeps_only_structured_facts_and_the_risk_cell_of_the_post(
    seen_from_the_gate: Sighting, jace: HostileGroup
) -> None:
    sighting = seen_from_the_gate
    assert (sighting.source, sighting.count, sighting.hostile_group) == ("watch", 3, jace)
    assert sighting.notes == ""
    # Not the post's spot, but the cell its risk lands in, so the risk is unchanged.
    assert (sighting.latitude, sighting.longitude) != POST
    assert risk.cell_of(sighting.latitude, sighting.longitude, routing.RESOLUTION) == (
        risk.cell_of(*POST, routing.RESOLUTION)
    )
    jace.refresh_from_db()
    assert (jace.last_seen_latitude, jace.last_seen_longitude) != POST


def test_only_the_watch_reads_the_post_and_its_notes_of_a_sighting(
    seen_from_the_gate: Sighting, viewer: Any, medic: Any, field_team: Any, commander: Any
) -> None:
    for outsider in (viewer, medic):
        (row,) = api_rows(outsider)
        assert row["count"] == 3 and row["source"] == "watch"
        assert row["source_notes"] is None
        assert not any(word in str(row) for word in POST_TEXT)
        assert (row["latitude"], row["longitude"]) != POST
        for text in (page_of(outsider, "/intel/groups/"), cli_sightings(outsider)):
            assert not any(word in text for word in POST_TEXT)
            assert "31.95000" not in text
        detail = page_of(outsider, f"/intel/groups/{seen_from_the_gate.hostile_group_id}/")
        assert not any(word in detail for word in POST_TEXT)
    for watch in (field_team, commander):
        (row,) = api_rows(watch)
        assert row["source_notes"] == (
            "seen from North gate: two at the water tower, one on the wall"
        )
        assert "seen from North gate" in page_of(watch, "/intel/groups/")


def test_a_watch_sighting_given_a_direction_and_distance_names_neither_post_nor_bearing(
    north_gate: WatchPost, field_team: Any, viewer: Any
) -> None:
    entry = perimeter_log(
        actor=field_team, post=north_gate, seen="hostile", count=2, direction="e", distance_m=400
    )
    assert entry.sighting is not None and entry.sighting.notes == ""
    (row,) = api_rows(viewer)
    assert row["source_notes"] is None and "400" not in str(row) and "North" not in str(row)
    (row,) = api_rows(field_team)
    assert row["source_notes"] == "seen from North gate, 400 m east"
    assert PerimeterLogEntry.objects.get().sighting_id == entry.sighting.pk


def test_a_report_sighting_shows_its_text_and_mission_only_to_report_readers(
    mission: Mission, field_team: Any, viewer: Any, medic: Any, django_assert_max_num_queries: Any
) -> None:
    report_file(
        actor=field_team,
        mission=mission,
        kind="sighting",
        count=7,
        armed="yes",
        direction="ne",
        latitude=33.4,
        longitude=36.1,
        text="seven men behind the bakery where the Haddad family hides",
    )
    sighting = Sighting.objects.get()
    assert sighting.notes == "armed: yes; heading ne"
    (row,) = api_rows(viewer)
    assert (row["count"], row["notes"], row["source_notes"]) == (7, "armed: yes; heading ne", None)
    assert "Haddad" not in str(row) and mission.name not in str(row)
    for text in (page_of(viewer, "/intel/groups/"), cli_sightings(viewer)):
        assert "Haddad" not in text and mission.name not in text
    for reader in (medic, field_team):
        with django_assert_max_num_queries(8):
            (row,) = api_rows(reader)
        assert row["source_notes"] == (
            "Search and rescue Mavrah: seven men behind the bakery where the Haddad family hides"
        )
        assert "Haddad family hides" in page_of(reader, "/intel/groups/")


def test_the_migration_rewrites_the_sightings_recorded_before_the_fix(
    seen_from_the_gate: Sighting, jace: HostileGroup, mission: Mission, field_team: Any
) -> None:
    report_file(
        actor=field_team,
        mission=mission,
        kind="sighting",
        count=2,
        armed="no",
        latitude=33.4,
        longitude=36.1,
        text="near the Haddad house",
    )
    # As the code before the fix wrote them (a plain QuerySet: replicated rows refuse update).
    leaky_watch = "seen from North gate: two at the water tower, one on the wall"
    QuerySet(Sighting).filter(pk=seen_from_the_gate.pk).update(
        notes=leaky_watch, latitude=POST[0], longitude=POST[1]
    )
    QuerySet(HostileGroup).filter(pk=jace.pk).update(
        last_seen_latitude=POST[0], last_seen_longitude=POST[1]
    )
    QuerySet(Sighting).filter(source="report").update(
        notes=f"{mission.name}: armed: no. near the Haddad house"
    )
    migration = importlib.import_module(
        "lifeline.intel.migrations.0004_sightings_say_nothing_of_their_source"
    )
    migration.scrub(apps, None)
    watch = Sighting.objects.get(source="watch")
    assert watch.notes == ""
    assert (watch.latitude, watch.longitude) != POST
    assert risk.cell_of(watch.latitude, watch.longitude, routing.RESOLUTION) == risk.cell_of(
        *POST, routing.RESOLUTION
    )
    jace.refresh_from_db()
    assert (jace.last_seen_latitude, jace.last_seen_longitude) == (watch.latitude, watch.longitude)
    assert Sighting.objects.get(source="report").notes == "armed: no"
