"""Fixtures of the treatment and allocation tests: the clinic's store, amoxicillin on its
shelf, and patients in care with a triage category."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from lifeline.care.models import Patient, Treatment
from lifeline.care.treatments.services import treatment_prescribe
from lifeline.core.models import Site
from lifeline.people.models import Person
from lifeline.supplies import services as supplies
from lifeline.supplies.models import Item, Location

D = Decimal


@pytest.fixture
def clinic(site: Site, logistics: Any) -> Location:
    return supplies.location_create(
        actor=logistics, code="clinic-store", name="Clinic store", site=site
    )


@pytest.fixture
def amoxicillin(logistics: Any) -> Item:
    return supplies.item_create(
        actor=logistics,
        code="amoxicillin",
        name="Amoxicillin 500 mg",
        category="medicine",
        unit="tablet",
    )


@pytest.fixture
def stock(logistics: Any, clinic: Location, amoxicillin: Item) -> Callable[..., Any]:
    def receive(quantity: int, batch: str = "AMX-1", expires_in_days: int | None = 60) -> Any:
        expiry = (
            None
            if expires_in_days is None
            else timezone.localdate() + dt.timedelta(days=expires_in_days)
        )
        return supplies.stock_receive(
            actor=logistics,
            location=clinic,
            item=amoxicillin,
            quantity=D(quantity),
            batch=batch,
            expiry_date=expiry,
        )

    return receive


@pytest.fixture
def make_patient(site: Site) -> Callable[..., Patient]:
    """A patient in care with a triage category (the cache the triage service keeps), built
    directly: these tests are about treatments, not triage."""

    def make(
        name: str,
        category: str = "delayed",
        age: int | None = 30,
        waited_hours: int = 1,
    ) -> Patient:
        born = None if age is None else timezone.localdate() - dt.timedelta(days=365 * age + 30)
        person = Person(given_name=name, family_name="Test", date_of_birth=born)
        person.save()
        patient = Patient(
            person=person,
            site=site,
            place="granary",
            arrived_at=timezone.now() - dt.timedelta(hours=waited_hours),
            status="in_treatment",
            category=category,
        )
        patient.save()
        return patient

    return make


@pytest.fixture
def course(medic: Any, clinic: Location, amoxicillin: Item) -> Callable[..., Treatment]:
    """A course of amoxicillin: 1 tablet every 8 hours, 21 doses (7 days) unless said."""

    def prescribe(patient: Patient, doses: int = 21, **values: Any) -> Treatment:
        return treatment_prescribe(
            actor=medic,
            patient=patient,
            item=amoxicillin,
            dose_quantity=D(values.pop("dose_quantity", 1)),
            every_hours=values.pop("every_hours", 8),
            doses=doses,
            store=clinic,
            **values,
        )

    return prescribe
