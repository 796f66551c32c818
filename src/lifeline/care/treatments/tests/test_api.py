"""The treatments and allocation API: the same services, errors in the one JSON shape, roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from lifeline.care.models import DoseGiven, Patient, Treatment
from lifeline.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_medic_prescribes_gives_a_dose_and_reads_the_course(
    medic: Any, stock: Callable[..., Any], make_patient: Callable[..., Patient], clinic: Any
) -> None:
    stock(30)
    patient = make_patient("Amal")
    api = _client(medic)
    created = api.post(
        "/api/care/treatments/",
        {
            "patient": str(patient.pk),
            "item": "amoxicillin",
            "dose_quantity": "1",
            "every_hours": 8,
            "doses": 21,
            "indication": "infected arm wound",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["store"], body["remaining"], body["missed"]) == ("clinic-store", 21, [])
    dose = api.post(f"/api/care/treatments/{body['id']}/doses/", {}, format="json")
    assert dose.status_code == 201, dose.json()
    assert dose.json()["quantity"] == "1.000"
    page = api.get(f"/api/care/treatments/?patient={patient.pk}").json()
    listed = page["results"]  # paginated, as the schema says
    assert page["count"] == 1
    assert [(t["given"], t["remaining"]) for t in listed] == [(1, 20)]
    assert len(listed[0]["dose_rows"]) == 1


def test_a_dose_beyond_the_stock_is_a_400_naming_the_quantity_and_writes_nothing(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(1)
    treatment = course(make_patient("Amal"), dose_quantity=2)
    response = _client(medic).post(f"/api/care/treatments/{treatment.pk}/doses/", {}, format="json")
    assert response.status_code == 400
    assert "nothing was given" in response.json()["error"]["fields"]["quantity"][0]
    assert not DoseGiven.objects.exists()


def test_an_unknown_treatment_is_a_404(medic: Any) -> None:
    api = _client(medic)
    missing = "0190a0a0-0000-7000-8000-000000000000"
    assert api.post(f"/api/care/treatments/{missing}/doses/", {}, format="json").status_code == 404
    assert api.get(f"/api/care/treatments/{missing}/").status_code == 404
    assert api.get("/api/care/treatments/not-an-id/").status_code == 400


def test_the_allocation_is_proposed_and_confirmed_with_an_override_and_its_reason(
    medic: Any,
    commander: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(30)
    course(make_patient("Amal", "immediate"))
    meriem = course(make_patient("Meriem", "minor"))
    proposed = _client(medic).post(
        "/api/care/allocations/", {"item": "amoxicillin", "store": "clinic-store"}, format="json"
    )
    assert proposed.status_code == 201, proposed.json()
    body = proposed.json()
    assert [(r["name"], r["quantity"]) for r in body["rows"]] == [
        ("Amal Test", "21.000"),
        ("Meriem Test", "0.000"),
    ]
    assert body["decision"]["status"] == "proposed"
    url = f"/api/care/allocations/{body['decision']['id']}/confirm/"
    api = _client(commander)
    no_reason = api.post(
        url,
        {"overrides": [{"patient": str(meriem.patient_id), "action": "give", "reason": ""}]},
        format="json",
    )
    assert no_reason.status_code == 400
    assert "overrides[0].reason" in no_reason.json()["error"]["fields"]
    confirmed = api.post(
        url,
        {
            "overrides": [
                {"patient": str(meriem.patient_id), "action": "give", "reason": "pregnant, sepsis"}
            ],
            "note": "decided with Dr. Song",
        },
        format="json",
    )
    assert confirmed.status_code == 200, confirmed.json()
    decided = confirmed.json()
    assert decided["decision"]["status"] == "overridden"
    assert decided["decision"]["jumps"][0]["served"] == "Meriem Test"
    assert [r["name"] for r in decided["rows"] if r["quantity"] != "0.000"] == ["Meriem Test"]
    again = api.post(url, {}, format="json")
    assert again.status_code == 409
    listed = api.get("/api/care/allocations/").json()
    assert listed["count"] == 1


@pytest.mark.parametrize("role", ["viewer", "logistics", "registrar"])
def test_other_roles_are_refused_and_nothing_is_read_for_them(
    role: str,
    request: pytest.FixtureRequest,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(30)
    treatment = course(make_patient("Amal"))
    api = _client(request.getfixturevalue(role))
    before = AuditEntry.objects.filter(action__startswith="treatment.view").count()
    assert api.get(f"/api/care/treatments/?patient={treatment.patient_id}").status_code == 403
    assert api.get(f"/api/care/treatments/{treatment.pk}/").status_code == 403
    assert (
        api.post(f"/api/care/treatments/{treatment.pk}/doses/", {}, format="json").status_code
        == 403
    )
    assert api.get("/api/care/allocations/").status_code == 403
    proposed = api.post(
        "/api/care/allocations/", {"item": "amoxicillin", "store": "clinic-store"}, format="json"
    )
    assert proposed.status_code == 403
    assert AuditEntry.objects.filter(action__startswith="treatment.view").count() == before
    assert not DoseGiven.objects.exists()


def test_reading_a_patients_treatments_is_audited(
    medic: Any, make_patient: Callable[..., Patient], course: Callable[..., Treatment]
) -> None:
    treatment = course(make_patient("Amal"))
    _client(medic).get(f"/api/care/treatments/?patient={treatment.patient_id}")
    entry = AuditEntry.objects.get(action="treatment.view")
    assert entry.actor == medic and entry.object_id == str(treatment.patient_id)


def test_the_lists_read_in_a_bounded_number_of_queries(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
    django_assert_max_num_queries: Any,
) -> None:
    from lifeline.care.treatments import services

    stock(200)
    for n in range(6):
        treatment = course(make_patient(f"Survivor{n}", "delayed"))
        services.dose_give(actor=medic, treatment=treatment)
    api = _client(medic)
    api.get("/api/care/allocations/")  # the permission cache is warm from here on
    decision = api.post(
        "/api/care/allocations/", {"item": "amoxicillin", "store": "clinic-store"}, format="json"
    ).json()["decision"]
    with django_assert_max_num_queries(8):
        listed = api.get("/api/care/treatments/?item=amoxicillin").json()
    assert listed["count"] == 6 and all(t["given"] == 1 for t in listed["results"])
    with django_assert_max_num_queries(6):
        assert len(api.get(f"/api/care/allocations/{decision['id']}/").json()["rows"]) == 6
    # Each read's audit row names the patients it showed.
    shown = {t["patient"] for t in listed["results"]}
    assert set(AuditEntry.objects.get(action="treatment.list").detail["patients"]) == shown
    viewed = AuditEntry.objects.filter(action="allocation.view").latest("at")
    assert set(viewed.detail["patients"]) == shown
