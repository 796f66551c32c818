"""The map page shows the threat picture besides the streets and zones: the sightings' risk
cells, the sightings fading with age, the hostile groups where last seen. Planning a route by
clicking two points still works in a real browser."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lifeline.conftest import PASSWORD
from lifeline.core.models import Site
from lifeline.core.tests.browser import needs_chromium, shots_dir
from lifeline.intel.threats.services import (
    hostile_group_create,
    perimeter_log,
    sighting_record,
    watch_post_create,
)
from lifeline.routing import services
from lifeline.routing.models import StoredGraph
from lifeline.routing.town import MAVRAH_PLACES

pytestmark = pytest.mark.django_db

MOSQUE = MAVRAH_PLACES["Mosque"]


@pytest.fixture
def town(site: Site, commander: Any) -> StoredGraph:
    return services.graph_generate_demo(actor=commander)


@pytest.fixture
def threats(town: StoredGraph, commander: Any, field_team: Any) -> None:
    jace = hostile_group_create(actor=commander, name="Jace's band", leader="Jace")
    sighting_record(
        actor=field_team,
        latitude=MOSQUE[0],
        longitude=MOSQUE[1],
        count=6,
        confidence=0.9,
        hostile_group=jace,
    )
    sighting_record(
        actor=field_team,
        latitude=MOSQUE[0] + 0.002,
        longitude=MOSQUE[1],
        count=2,
        confidence=0.6,
        seen_at=timezone.now() - dt.timedelta(hours=12),
    )
    ayoub = hostile_group_create(actor=commander, name="Ayoub Essouibrat's men")
    sighting_record(
        actor=field_team,
        latitude=33.3712,
        longitude=-5.0641,
        count=20,
        confidence=0.6,
        hostile_group=ayoub,
    )


def test_the_map_draws_sightings_fading_with_age_risk_cells_and_groups(
    threats: None, viewer: Any
) -> None:
    client = Client()
    client.force_login(viewer)
    page = client.get("/routing/").content.decode()
    assert page.count('class="sighting"') == 2  # Ayoub's men were seen off this map
    assert 'fill-opacity="1.0"' in page  # the fresh one
    assert 'fill-opacity="0.25"' in page  # 12 hours = two half-lives
    assert "6 seen (Jace&#x27;s band)" in page
    assert 'class="group"' in page and ">Jace&#x27;s band</text>" in page
    assert "Risk " in page and 'class="risk-cells"' in page
    assert "Last seen off this map" in page and "Ayoub Essouibrat&#x27;s men" in page


def test_the_map_draws_a_watch_sighting_without_the_post_it_was_seen_from(
    town: StoredGraph, commander: Any, field_team: Any, viewer: Any
) -> None:
    post = watch_post_create(
        actor=commander, name="Mosque roof", latitude=MOSQUE[0], longitude=MOSQUE[1]
    )
    perimeter_log(
        actor=field_team, post=post, seen="hostile", count=4, notes="behind the bakery wall"
    )
    for user in (viewer, field_team):
        client = Client()
        client.force_login(user)
        page = client.get("/routing/").content.decode()
        assert page.count('class="sighting"') == 1 and "4 seen" in page
        assert "Mosque roof" not in page and "bakery wall" not in page


def test_a_route_planned_through_the_api_goes_around_fresh_sightings(
    threats: None, commander: Any
) -> None:
    school, bravo = MAVRAH_PLACES["School"], MAVRAH_PLACES["Granary"]
    plan = services.route_safest(
        actor=commander, origin=school, destination=bravo, avoid_level=4, risk_weight=5
    )
    assert plan.found and plan.routes[0].peak_risk < 4


@pytest.mark.browser
@needs_chromium
def test_clicking_two_points_on_the_map_with_sightings_draws_a_route(
    live_server: Any, threats: None, field_team: Any, browser: Any
) -> None:
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/routing/")
    page.fill("#id_username", field_team.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/routing/")
    assert page.locator("circle.sighting").count() == 2
    box = page.locator("#route-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.5)
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.5)
    page.wait_for_selector("#route-map-routes polyline")
    assert "Safest:" in page.inner_text("#route-status")
    page.screenshot(path=str(shots_dir() / "lifeline-map-threats-phone.png"), full_page=True)
