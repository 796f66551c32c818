"""Fixtures of the care tests: Amal (an adult, wounded) and a small boy from the granary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lifeline.care import services
from lifeline.care.models import Patient
from lifeline.core.models import Site
from lifeline.people.models import Person
from lifeline.people.services import person_register

# Answers that reach each START category, for tests that need a triaged patient.
START_IMMEDIATE = {"walks": "no", "breathes": "yes", "respiratory_rate": 34}
START_DELAYED = {
    "walks": False,
    "breathes": True,
    "respiratory_rate": 20,
    "radial_pulse": True,
    "capillary_refill_seconds": 1.5,
    "obeys_commands": True,
}
START_MINOR = {"walks": True}


@pytest.fixture
def amal(site: Site, commander: Any) -> Person:
    return person_register(
        actor=commander,
        given_name="Amal",
        family_name="Benali",
        sex="female",
        age_years=34,
        conditions=["wounded"],
        occurred_at=timezone.now() - dt.timedelta(days=1),
    )


@pytest.fixture
def boy(site: Site, commander: Any) -> Person:
    return person_register(
        actor=commander,
        given_name="Yunus",
        sex="male",
        age_years=5,
        occurred_at=timezone.now() - dt.timedelta(days=1),
    )


@pytest.fixture
def amal_patient(amal: Person, medic: Any) -> Patient:
    return services.patient_admit(
        actor=medic,
        person=amal,
        place="granary",
        complaint="gunshot wound, left arm",
        arrived_at=timezone.now() - dt.timedelta(hours=2),
    )
