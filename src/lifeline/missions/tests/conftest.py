"""Fixtures of the missions tests: a planned recon with a team, a vehicle and points."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lifeline.core.models import Site
from lifeline.missions import services
from lifeline.missions.models import Mission, Vehicle
from lifeline.people.models import Person
from lifeline.people.services import person_register


@pytest.fixture
def rafiq(site: Site, commander: Any) -> Person:
    return person_register(actor=commander, given_name="Rafiq", family_name="Haddad")


@pytest.fixture
def vehicle(commander: Any) -> Vehicle:
    return services.vehicle_register(actor=commander, name="Land Cruiser 2", fuel_percent=80)


@pytest.fixture
def mission(
    site: Site, commander: Any, field_team: Any, rafiq: Person, vehicle: Vehicle
) -> Mission:
    return services.mission_plan(
        actor=commander,
        name="Search and rescue Mavrah",
        kind="search_and_rescue",
        objective="Find survivors in Mavrah",
        area="Mavrah",
        standing_orders="No engagement unless necessary",
        planned_start=timezone.now() - dt.timedelta(hours=1),
        checkin_interval_minutes=30,
        latitude=33.51,
        longitude=36.28,
        members=[
            {"person": rafiq, "role": "leader", "callsign": "RAFIQ"},
            {"user": field_team, "role": "radio_operator"},
        ],
        points=[
            {"kind": "waypoint", "name": "km 42", "latitude": 33.45, "longitude": 36.2},
            {"kind": "extraction", "name": "Bravo", "latitude": 33.52, "longitude": 36.29},
        ],
        vehicles=[vehicle],
    )


def set_out(mission: Mission, commander: Any, at: dt.datetime | None = None) -> Mission:
    services.mission_transition(actor=commander, mission=mission, to="briefed")
    services.mission_transition(actor=commander, mission=mission, to="under_way", at=at)
    return Mission.objects.get(pk=mission.pk)
