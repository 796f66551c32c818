"""Pages: a patient's courses with the dose button, the allocations and one allocation with
its confirm/override form; medics and the commander only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client

from lifeline.care.models import AllocationDecision, DoseGiven, Patient, Treatment
from lifeline.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


def test_the_patient_page_gives_a_dose_with_one_button_and_shows_the_schedule(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(30)
    patient = make_patient("Amal")
    treatment = course(patient)
    client = _client(medic)
    url = f"/care/patients/{patient.pk}/treatments/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Give dose 1 (1 tablet)" in page.content.decode()
    given = client.post(url, {"action": "dose", "treatment": str(treatment.pk)}, follow=True)
    assert DoseGiven.objects.filter(treatment=treatment).count() == 1
    body = given.content.decode()
    assert "Dose given: 1" in body and "1 of 21 given" in body and "Give dose 2" in body


def test_a_dose_the_stock_cannot_cover_shows_the_message_and_writes_nothing(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(1)
    patient = make_patient("Amal")
    treatment = course(patient, dose_quantity=2)
    page = _client(medic).post(
        f"/care/patients/{patient.pk}/treatments/",
        {"action": "dose", "treatment": str(treatment.pk)},
        follow=True,
    )
    assert "nothing was given or recorded" in page.content.decode()
    assert not DoseGiven.objects.exists()


def test_the_patient_page_prescribes_from_the_form(
    medic: Any, stock: Callable[..., Any], make_patient: Callable[..., Patient], clinic: Any
) -> None:
    patient = make_patient("Amal")
    url = f"/care/patients/{patient.pk}/treatments/"
    bad = _client(medic).post(
        url, {"action": "prescribe", "item": "amoxicillin", "dose_quantity": "1", "doses": "0"}
    )
    assert bad.status_code == 200 and not Treatment.objects.exists()
    assert "Number of doses" in bad.content.decode()
    done = _client(medic).post(
        url,
        {
            "action": "prescribe",
            "item": "amoxicillin",
            "dose_quantity": "1",
            "every_hours": "8",
            "doses": "21",
            "benefit": "high",
        },
    )
    assert done.status_code == 302
    assert Treatment.objects.get().benefit == "high"


def test_the_allocation_page_shows_who_goes_without_and_confirms_with_an_override(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(30)
    course(make_patient("Amal", "immediate"))
    meriem = course(make_patient("Meriem", "minor"))
    client = _client(medic)
    proposed = client.post(
        "/care/allocations/",
        {"item": "amoxicillin", "store": "clinic-store", "partial_courses": "false"},
    )
    assert proposed.status_code == 302, proposed.content.decode()
    url = proposed["Location"]
    body = client.get(url).content.decode()
    assert "stock ran out at rank 2: needs 21, 9 left" in body
    assert "Confirm" in body
    no_reason = client.post(url, {f"override-{meriem.pk}": "give", f"reason-{meriem.pk}": ""})
    assert "Meriem Test: an override needs a reason" in no_reason.content.decode()
    assert AllocationDecision.objects.get().status == "proposed"
    done = client.post(
        url,
        {f"override-{meriem.pk}": "give", f"reason-{meriem.pk}": "pregnant, sepsis"},
        follow=True,
    )
    body = done.content.decode()
    assert AllocationDecision.objects.get().status == "overridden"
    assert "given by override: pregnant, sepsis" in body
    assert "Meriem Test (minor) served while Amal Test (immediate) goes without" in body


@pytest.mark.parametrize("role", ["viewer", "logistics", "registrar"])
def test_other_roles_get_not_allowed_pages(
    role: str,
    request: pytest.FixtureRequest,
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    treatment = course(make_patient("Amal"))
    client = _client(request.getfixturevalue(role))
    assert client.get(f"/care/patients/{treatment.patient_id}/treatments/").status_code == 403
    assert client.get("/care/allocations/").status_code == 403


def test_the_board_shows_each_course_under_way_with_its_missed_doses(
    medic: Any, make_patient: Callable[..., Patient], course: Callable[..., Treatment]
) -> None:
    patient = make_patient("Amal")
    course(patient, starts_at=patient.arrived_at - dt.timedelta(hours=9))  # due -10 h and -2 h
    body = _client(medic).get("/care/").content.decode()
    assert "Amoxicillin 500 mg 1 tablet every 8 h: 0 of 21 given, 2 missed" in body
    record = _client(medic).get(f"/care/patients/{patient.pk}/").content.decode()
    assert f"/care/patients/{patient.pk}/treatments/" in record


def test_the_allocation_page_reads_in_a_bounded_number_of_queries(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
    django_assert_max_num_queries: Any,
) -> None:
    from lifeline.care.treatments import services

    stock(50)
    courses = [course(make_patient(f"Survivor{n}", "delayed")) for n in range(6)]
    decision = services.allocation_propose(
        actor=medic, item=courses[0].item, store=courses[0].store
    )
    client = _client(medic)
    with django_assert_max_num_queries(12):
        page = client.get(f"/care/allocations/{decision.pk}/")
    assert page.content.decode().count("stock ran out at rank") == 4
