"""A mission's page draws its points, check-ins and reports on the road graph's streets with the
threats around them (the map page's presenter), or its sketch when it is off the graph."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lifeline.core.models import Site
from lifeline.missions import services as missions
from lifeline.missions.models import Mission
from lifeline.missions.tests.conftest import set_out
from lifeline.routing.tests.test_app import BRAVO, SCHOOL
from lifeline.web.tests.test_home_map import camp

__all__ = ["camp"]

pytestmark = pytest.mark.django_db


def test_a_mission_on_the_road_graph_is_drawn_on_its_streets_with_its_check_ins(
    camp: Site, commander: Any, mission: Mission
) -> None:
    missions.mission_point_add(
        actor=commander,
        mission=mission,
        kind="waypoint",
        name="School gate",
        latitude=SCHOOL[0],
        longitude=SCHOOL[1],
    )
    set_out(mission, commander)
    missions.mission_checkin(
        actor=commander, mission=mission, latitude=BRAVO[0], longitude=BRAVO[1]
    )
    client = Client()
    client.force_login(commander)
    html = client.get(f"/missions/{mission.pk}/").content.decode()
    assert 'id="mission-map"' in html and 'class="sketch"' not in html
    assert ">School gate</text>" in html and 'class="mark mark-checkin"' in html


def test_a_mission_off_the_road_graph_keeps_its_sketch(
    camp: Site, commander: Any, mission: Mission
) -> None:
    client = Client()
    client.force_login(commander)
    html = client.get(f"/missions/{mission.pk}/").content.decode()
    assert 'class="sketch"' in html and 'id="mission-map"' not in html
