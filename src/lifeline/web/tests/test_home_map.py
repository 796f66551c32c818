"""Home's "where the danger is" draws a small map from the map page's presenter: the camp, the
risk and the latest sightings around it, the teams out where they last checked in (overdue in
red), linking to the map page; nothing on it a role may not see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lifeline.core.models import Site
from lifeline.intel.threats.services import sighting_record
from lifeline.missions import services as missions
from lifeline.missions.models import Mission
from lifeline.missions.tests.conftest import set_out
from lifeline.routing import services as routing
from lifeline.routing.tests.test_app import BRAVO, SCHOOL

pytestmark = pytest.mark.django_db


@pytest.fixture
def camp(site: Site, commander: Any) -> Site:
    routing.graph_generate_demo(actor=commander)
    site.latitude, site.longitude = SCHOOL
    site.save(update_fields=["latitude", "longitude"])
    return site


def _home(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _danger(html: str) -> str:
    return html.split('id="danger-title"', 1)[1].split("</section>", 1)[0]


def test_home_draws_the_camp_the_sightings_and_an_overdue_team_on_a_small_map(
    camp: Site, commander: Any, mission: Mission
) -> None:
    set_out(mission, commander, at=timezone.now() - dt.timedelta(hours=2))
    missions.mission_checkin(
        actor=commander,
        mission=mission,
        latitude=BRAVO[0],
        longitude=BRAVO[1],
        at=timezone.now() - dt.timedelta(hours=1),
    )
    sighting_record(
        actor=commander,
        latitude=SCHOOL[0] + 0.001,
        longitude=SCHOOL[1],
        count=4,
        confidence=0.8,
        seen_at=timezone.now() - dt.timedelta(minutes=20),
    )
    danger = _danger(_home(commander))
    assert 'id="home-map"' in danger and 'class="map-svg map-small"' in danger
    assert 'class="mark mark-camp"' in danger
    assert 'class="mark mark-team-overdue"' in danger and mission.name in danger
    assert 'class="sighting"' in danger
    assert 'href="/routing/"' in danger
    assert "http://" not in danger.replace("http://www.w3.org/2000/svg", "")


def test_someone_who_may_not_open_the_map_page_gets_the_small_map_without_its_link(
    camp: Site, make_user: Any
) -> None:
    from django.contrib.auth.models import Permission

    lookout = make_user(None, "lookout")
    lookout.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="intel", codename="view_sighting")
    )
    danger = _danger(_home(lookout))
    assert 'id="home-map"' in danger and 'href="/routing/"' not in danger


def test_with_no_road_graph_and_no_camp_position_home_draws_no_map(
    site: Site, commander: Any
) -> None:
    danger = _danger(_home(commander))
    assert 'id="home-map"' not in danger and "No sightings" in danger


def test_the_small_map_names_the_towns_places_near_the_camp_but_not_across_a_district(
    camp: Site, commander: Any, mission: Mission
) -> None:
    assert ">School</text>" in _danger(_home(commander))
    set_out(mission, commander)
    missions.mission_checkin(  # a team 45 km away: the map now spans the district
        actor=commander, mission=mission, latitude=SCHOOL[0] + 0.4, longitude=SCHOOL[1]
    )
    danger = _danger(_home(commander))
    assert mission.name in danger and ">School</text>" not in danger
