"""The threat pages: hostile groups and their sightings for every role, the perimeter log for
the watch, made for a phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lifeline.core.models import Site
from lifeline.intel.models import HostileGroup, PerimeterLogEntry, Sighting, WatchPost
from lifeline.intel.threats.services import (
    hostile_group_create,
    sighting_record,
    watch_post_create,
)

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def jace(site: Site, commander: Any, field_team: Any) -> HostileGroup:
    group = hostile_group_create(
        actor=commander, name="Jace's band", leader="Jace", size_estimate=8
    )
    for i in range(3):
        sighting_record(
            actor=field_team,
            latitude=33.842 + 0.001 * i,
            longitude=-5.612,
            count=3 + i,
            confidence=0.6,
            hostile_group=group,
            notes="pulling back west",
        )
    return group


@pytest.fixture
def north_gate(site: Site, commander: Any) -> WatchPost:
    return watch_post_create(actor=commander, name="North gate", latitude=31.95, longitude=-4.40)


def test_a_viewer_sees_the_groups_and_sightings_but_not_who_reported_them(
    jace: HostileGroup, viewer: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_of(viewer)
    with django_assert_max_num_queries(12):
        page = client.get("/intel/groups/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Jace&#x27;s band" in text and "~8" in text and "pulling back west" in text
    assert "Reported by" not in text and "Record a group" not in text
    detail = client.get(f"/intel/groups/{jace.pk}/").content.decode()
    assert "about 8" in detail and detail.count("<circle") == 3
    assert client.get("/intel/watch/").status_code == 403


def test_a_commander_records_a_group_from_the_page_and_is_told_what_is_wrong(
    site: Site, commander: Any
) -> None:
    client = client_of(commander)
    bad = client.post("/intel/groups/", {"name": "", "size_estimate": "lots"})
    assert bad.status_code == 400
    assert "Name:" in bad.content.decode() and "How many, about:" in bad.content.decode()
    made = client.post(
        "/intel/groups/",
        {"name": "Ayoub Essouibrat's men", "leader": "Ayoub Essouibrat", "status": "active"},
    )
    group = HostileGroup.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/intel/groups/{group.pk}/"
    changed = client.post(
        f"/intel/groups/{group.pk}/",
        {
            "name": group.name,
            "leader": "Ayoub Essouibrat",
            "size_estimate": "30",
            "status": "active",
        },
    )
    assert changed.status_code == 302
    group.refresh_from_db()
    assert group.size_estimate == 30


def test_the_watch_logs_a_hostile_entry_from_a_phone_and_it_becomes_a_sighting(
    north_gate: WatchPost, field_team: Any, jace: HostileGroup
) -> None:
    client = client_of(field_team)
    form = client.get("/intel/watch/").content.decode()
    assert 'name="seen"' in form and "North gate" in form and "Jace&#x27;s band" in form
    logged = client.post(
        "/intel/watch/",
        {
            "form": "entry",
            "post": str(north_gate.pk),
            "seen": "hostile",
            "count": "4",
            "direction": "ne",
            "distance_m": "600",
            "hostile_group": str(jace.pk),
            "confidence": "high",
        },
        follow=True,
    )
    assert logged.status_code == 200
    assert "A sighting was recorded" in logged.content.decode()
    entry = PerimeterLogEntry.objects.get()
    assert entry.sighting is not None and entry.sighting.hostile_group == jace
    assert entry.sighting.confidence == 0.9
    assert Sighting.objects.filter(source="watch").count() == 1


def test_a_perimeter_entry_with_a_mistake_keeps_what_was_typed_and_says_what_is_wrong(
    north_gate: WatchPost, field_team: Any
) -> None:
    page = client_of(field_team).post(
        "/intel/watch/",
        {"form": "entry", "post": str(north_gate.pk), "seen": "hostile", "count": "0"},
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "say how many hostiles were seen" in text
    assert PerimeterLogEntry.objects.count() == 0


def test_only_a_commander_sets_up_watch_posts_from_the_page(
    site: Site, commander: Any, field_team: Any
) -> None:
    refused = client_of(field_team).post(
        "/intel/watch/", {"form": "post", "name": "Ridge", "latitude": "31.9", "longitude": "-4.4"}
    )
    assert refused.status_code == 403
    made = client_of(commander).post(
        "/intel/watch/", {"form": "post", "name": "Ridge", "latitude": "31.9", "longitude": "-4.4"}
    )
    assert made.status_code == 302 and WatchPost.objects.get().name == "Ridge"
