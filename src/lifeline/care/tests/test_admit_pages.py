"""Admitting anyone to care through the pages: found by name, with what brings them, then
triage; from the person's page and from the board."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.care.models import Patient
from lifeline.core.models import Site
from lifeline.people.models import ConditionObservation, Person
from lifeline.people.services import person_register

pytestmark = pytest.mark.django_db

ADMIT = "/care/admit/"


@pytest.fixture
def salma(site: Site, commander: Any) -> Person:
    return person_register(
        actor=commander, given_name="Salma", family_name="Idrissi", sex="female", age_years=24
    )


def test_a_medic_finds_a_person_by_name_and_admits_her_malnourished(
    client: Client, medic: Any, salma: Person
) -> None:
    client.force_login(medic)
    found = client.get(ADMIT, {"q": "Selma"})
    assert found.status_code == 200
    assert f"{ADMIT}?person={salma.pk}" in found.content.decode()
    form = client.get(ADMIT, {"person": str(salma.pk)})
    assert form.status_code == 200 and "Admit Salma Idrissi to care" in form.content.decode()
    response = client.post(
        ADMIT,
        {"person": str(salma.pk), "condition": "malnourished", "place": "Clinic tent"},
    )
    patient = Patient.objects.get(person=salma)
    assert response.status_code == 302
    assert response["Location"] == reverse("care:triage", kwargs={"patient_id": patient.pk})
    salma.refresh_from_db()
    assert salma.status == "in_care" and patient.place == "Clinic tent"
    seen = ConditionObservation.objects.get(person=salma)
    assert seen.condition == "malnourished" and seen.present


def test_a_bad_condition_is_named_on_the_form(client: Client, medic: Any, salma: Person) -> None:
    client.force_login(medic)
    response = client.post(ADMIT, {"person": str(salma.pk), "condition": "bored"})
    assert response.status_code == 400
    assert response.context["form"].fields["condition"].errors
    assert not Patient.objects.exists()


def test_a_person_in_care_already_is_shown_their_record(
    client: Client, medic: Any, salma: Person
) -> None:
    client.force_login(medic)
    client.post(ADMIT, {"person": str(salma.pk), "condition": "ill"})
    again = client.get(ADMIT, {"person": str(salma.pk)})
    assert b"Already in care since" in again.content and b"Admit and triage" not in again.content


def test_the_person_page_and_the_board_lead_to_admission(
    client: Client, medic: Any, salma: Person
) -> None:
    client.force_login(medic)
    page = client.get(reverse("web:person_detail", kwargs={"person_id": salma.pk}))
    assert f"{ADMIT}?person={salma.pk}".encode() in page.content
    assert f'href="{ADMIT}"'.encode() in client.get("/care/").content


def test_a_role_that_may_not_admit_is_refused_and_not_offered(
    client: Client, registrar: Any, salma: Person
) -> None:
    client.force_login(registrar)
    assert client.get(ADMIT).status_code == 403
    page = client.get(reverse("web:person_detail", kwargs={"person_id": salma.pk}))
    assert ADMIT.encode() not in page.content


def test_the_board_shows_waits_in_words(client: Client, medic: Any, salma: Person) -> None:
    import datetime as dt

    from django.utils import timezone

    from lifeline.care import services

    services.patient_admit(
        actor=medic, person=salma, arrived_at=timezone.now() - dt.timedelta(hours=6, minutes=2)
    )
    client.force_login(medic)
    content = client.get("/care/").content.decode()
    assert "<td>6 h</td>" in content and "362 min" not in content


def test_the_board_charts_patients_by_category_over_the_days(
    client: Client, medic: Any, salma: Person
) -> None:
    import datetime as dt

    from django.utils import timezone

    from lifeline.care import services
    from lifeline.care.selectors import patients_by_category_per_day

    now = timezone.now()
    patient = services.patient_admit(
        actor=medic, person=salma, arrived_at=now - dt.timedelta(days=2)
    )
    services.triage_record(
        actor=medic,
        patient=patient,
        answers={"walks": True},
        assessed_at=now - dt.timedelta(days=1),
    )
    days, counts = patients_by_category_per_day(actor=medic, days=4, now=now)
    assert [counts.get((d, "untriaged"), 0) for d in days] == [0, 1, 0, 0]
    assert [counts.get((d, "minor"), 0) for d in days] == [0, 0, 1, 1]
    client.force_login(medic)
    content = client.get("/care/").content.decode()
    assert 'class="chart"' in content and "chart-minor" in content


def test_the_registry_charts_arrivals_per_day(client: Client, registrar: Any, site: Site) -> None:
    import datetime as dt

    from django.utils import timezone

    from lifeline.people.selectors import arrivals_per_day

    now = timezone.now()
    for days_ago in (0, 0, 2):
        person_register(
            actor=registrar,
            given_name=f"Arrival{days_ago}",
            site=site,
            occurred_at=now - dt.timedelta(days=days_ago),
        )
    per_day = arrivals_per_day(actor=registrar, site=site.code, days=3)
    assert [n for _day, n in per_day] == [1, 0, 2]
    client.force_login(registrar)
    content = client.get("/people/").content.decode()
    assert 'class="chart"' in content and "Arrivals 2" in content


def test_a_death_in_care_is_recorded_behind_a_page_that_names_the_patient(
    client: Client, medic: Any, salma: Person
) -> None:
    from lifeline.care import services
    from lifeline.core.models import AuditEntry

    patient = services.patient_admit(actor=medic, person=salma)
    client.force_login(medic)
    url = f"/care/patients/{patient.pk}/death/"
    assert url.encode() in client.get(f"/care/patients/{patient.pk}/").content
    page = client.get(url)
    assert page.status_code == 200 and "Record the death of Salma Idrissi" in page.content.decode()
    refused = client.post(url, {"cause": ""})
    assert refused.status_code == 400 and refused.context["form"].fields["cause"].errors
    salma.refresh_from_db()
    assert salma.status == "in_care"
    assert client.post(url, {"cause": "sepsis"}).status_code == 302
    salma.refresh_from_db()
    assert salma.status == "deceased"
    assert AuditEntry.objects.filter(action="care.death").count() == 1


def test_the_registry_death_page_sends_a_patient_in_care_to_the_care_record(
    client: Client, commander: Any, salma: Person
) -> None:
    from lifeline.care import services

    patient = services.patient_admit(actor=commander, person=salma)
    client.force_login(commander)
    response = client.get(reverse("web:person_death", kwargs={"person_id": salma.pk}))
    assert response.status_code == 302
    assert response["Location"] == f"/care/patients/{patient.pk}/death/"


def test_the_board_shows_this_site_and_offers_the_others(
    client: Client, medic: Any, salma: Person, site: Site
) -> None:
    from lifeline.care import services
    from lifeline.core.services import site_ensure

    other = site_ensure(actor=None, code="forest-camp", name="Forest Camp")
    services.patient_admit(actor=medic, person=salma, site=other)
    client.force_login(medic)
    here = client.get("/care/")
    assert here.context["board"].open_count == 0
    assert b"?site=forest-camp" in here.content and b"Forest Camp (1)" in here.content
    there = client.get("/care/", {"site": "forest-camp"})
    assert there.context["board"].open_count == 1
    assert client.get("/care/", {"site": "nowhere"}).status_code == 400
