"""The care pages: the board by category with overdue re-triage in red, the triage form one
question at a time without JavaScript, a patient's page, the roles refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lifeline.care import services
from lifeline.care.models import Patient, TriageAssessment
from lifeline.care.tests.conftest import START_IMMEDIATE
from lifeline.core.models import AuditEntry
from lifeline.people.models import Person, Status

pytestmark = pytest.mark.django_db


def client_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_board_shows_categories_in_words_and_an_overdue_re_triage_in_red(
    amal_patient: Patient, medic: Any, django_assert_max_num_queries: Any
) -> None:
    services.triage_record(
        actor=medic,
        patient=amal_patient,
        answers=START_IMMEDIATE,
        assessed_at=timezone.now() - dt.timedelta(minutes=40),
    )
    client = client_as(medic)
    with django_assert_max_num_queries(20):
        page = client.get("/care/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Immediate (red)" in html and "Amal Benali" in html and "granary" in html
    assert 'class="overdue"' in html and "OVERDUE" in html
    assert 'href="/care/"' in html  # the nav link


def test_the_triage_form_asks_one_question_at_a_time_then_records(
    amal_patient: Patient, medic: Any
) -> None:
    client = client_as(medic)
    url = f"/care/patients/{amal_patient.pk}/triage/"
    first = client.get(url).content.decode()
    assert 'data-question="walks"' in first and "respiratory" not in first
    second = client.post(url, {"walks": "no"}).content.decode()
    assert 'id="question" data-question="breathes"' in second
    third = client.post(url, {"walks": "no", "breathes": "yes"}).content.decode()
    assert 'id="question" data-question="respiratory_rate"' in third
    bad = client.post(url, {"walks": "no", "breathes": "yes", "respiratory_rate": "fast"})
    assert bad.status_code == 400 and 'data-question="respiratory_rate"' in bad.content.decode()
    result = client.post(url, {"walks": "no", "breathes": "yes", "respiratory_rate": "36"})
    html = result.content.decode()
    assert 'id="result"' in html and "Immediate (red)" in html
    assert not TriageAssessment.objects.exists()
    recorded = client.post(
        url, {"walks": "no", "breathes": "yes", "respiratory_rate": "36", "action": "record"}
    )
    assert recorded.status_code == 302
    row = TriageAssessment.objects.get()
    assert row.category == "immediate" and row.answers["respiratory_rate"] == 36


def test_a_child_s_triage_switches_to_jumpstart_by_look(amal_patient: Patient, medic: Any) -> None:
    url = f"/care/patients/{amal_patient.pk}/triage/"
    html = client_as(medic).post(url, {"walks": "no", "looks": "child"}).content.decode()
    assert "JumpSTART (child)" in html


def test_the_wounded_are_admitted_from_the_board_into_triage(amal: Person, medic: Any) -> None:
    client = client_as(medic)
    assert "Admit and triage" in client.get("/care/").content.decode()
    response = client.post("/care/admit/", {"person": str(amal.pk), "place": "clinic"})
    patient = Patient.objects.get(person=amal)
    assert response.status_code == 302
    assert response["Location"] == f"/care/patients/{patient.pk}/triage/"


def test_the_patient_page_records_vitals_and_a_death(
    amal_patient: Patient, amal: Person, medic: Any
) -> None:
    client = client_as(medic)
    url = f"/care/patients/{amal_patient.pk}/"
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="read.medical", object_id=str(amal_patient.pk))
    bad = client.post(url + "vitals/", {"spo2": "120"})
    assert bad.status_code == 400 and "spo2" in bad.content.decode()
    assert client.post(url + "vitals/", {"pulse": "110"}).status_code == 302
    assert client.post(url + "death/", {"cause": "sepsis"}).status_code == 302
    assert Person.objects.get(pk=amal.pk).status == Status.DECEASED
    assert "sepsis" in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["viewer", "registrar", "logistics"])
def test_roles_without_medical_access_get_no_care_page_and_no_nav_link(
    role: str, amal_patient: Patient, request: pytest.FixtureRequest
) -> None:
    client = client_as(request.getfixturevalue(role))
    for url in (
        "/care/",
        f"/care/patients/{amal_patient.pk}/",
        f"/care/patients/{amal_patient.pk}/triage/",
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(f"/care/patients/{amal_patient.pk}/death/", {"cause": "x"}).status_code == 403
    )
    assert 'href="/care/"' not in client.get("/").content.decode()
