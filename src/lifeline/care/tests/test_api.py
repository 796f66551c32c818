"""The care API: each operation, the triage asked one question at a time, roles refused."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from lifeline.care.models import Patient, TriageAssessment
from lifeline.core.models import AuditEntry
from lifeline.people.models import Person, Status

pytestmark = pytest.mark.django_db


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_medic_admits_triages_step_by_step_and_records_vitals_and_a_death(
    amal: Person, medic: Any
) -> None:
    api = api_as(medic)
    response = api.post(
        "/api/care/patients/",
        {"person": str(amal.pk), "place": "granary", "complaint": "gunshot wound"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pid = response.json()["id"]

    nxt = api.post(f"/api/care/patients/{pid}/triage/next/", {"answers": {}}, format="json")
    assert nxt.json()["next_question"]["key"] == "walks"
    nxt = api.post(
        f"/api/care/patients/{pid}/triage/next/",
        {"answers": {"walks": False, "breathes": True}},
        format="json",
    )
    assert nxt.json()["algorithm"] == "start"
    assert nxt.json()["next_question"]["key"] == "respiratory_rate"

    refused = api.post(
        f"/api/care/patients/{pid}/triage/",
        {"answers": {"walks": False, "breathes": True}},
        format="json",
    )
    assert refused.status_code == 400
    assert set(refused.json()["error"]["fields"]) == {"respiratory_rate"}

    done = api.post(
        f"/api/care/patients/{pid}/triage/",
        {"answers": {"walks": False, "breathes": True, "respiratory_rate": 36}},
        format="json",
    )
    assert done.status_code == 201, done.json()
    assert done.json()["category"] == "immediate"
    assert [s["question"] for s in done.json()["path"]] == [
        "walks",
        "breathes",
        "respiratory_rate",
    ]

    vitals = api.post(
        f"/api/care/patients/{pid}/vitals/", {"pulse": 118, "spo2": 93}, format="json"
    )
    assert vitals.status_code == 201 and vitals.json()["pulse"] == 118

    board = api.get("/api/care/board/").json()
    immediate = next(g for g in board["groups"] if g["key"] == "immediate")
    assert immediate["rows"][0]["patient"]["id"] == pid
    assert immediate["rows"][0]["vitals"]["spo2"] == 93

    death = api.post(f"/api/care/patients/{pid}/death/", {"cause": "sepsis"}, format="json")
    assert death.status_code == 201
    assert Person.objects.get(pk=amal.pk).status == Status.DECEASED
    record = api.get(f"/api/care/patients/{pid}/").json()
    assert record["patient"]["status"] == "dead" and record["deaths"][0]["cause"] == "sepsis"
    assert record["triages"][0]["category"] == "immediate"


def test_a_misspelt_vital_sign_is_refused_and_nothing_written(
    amal_patient: Patient, medic: Any
) -> None:
    response = api_as(medic).post(
        f"/api/care/patients/{amal_patient.pk}/vitals/", {"puls": 80}, format="json"
    )
    assert response.status_code == 400 and "puls" in response.json()["error"]["fields"]


def test_discharge_through_the_api_closes_the_stay(amal_patient: Patient, medic: Any) -> None:
    response = api_as(medic).post(
        f"/api/care/patients/{amal_patient.pk}/discharge/", {"note": "healed"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "discharged"


@pytest.mark.parametrize("role", ["viewer", "registrar", "logistics"])
def test_roles_without_medical_access_are_refused_every_care_operation(
    role: str, amal_patient: Patient, amal: Person, request: pytest.FixtureRequest
) -> None:
    api = api_as(request.getfixturevalue(role))
    before = (TriageAssessment.objects.count(), AuditEntry.objects.count())
    pid = amal_patient.pk
    assert api.get("/api/care/board/").status_code == 403
    assert api.get(f"/api/care/patients/{pid}/").status_code == 403
    assert (
        api.post("/api/care/patients/", {"person": str(amal.pk)}, format="json").status_code == 403
    )
    triage = api.post(
        f"/api/care/patients/{pid}/triage/", {"answers": {"walks": True}}, format="json"
    )
    assert triage.status_code == 403
    death = api.post(f"/api/care/patients/{pid}/death/", {"cause": "x"}, format="json")
    assert death.status_code == 403
    assert (TriageAssessment.objects.count(), AuditEntry.objects.count()) == before


def test_a_misspelt_triage_question_is_refused_not_dropped(
    amal_patient: Patient, medic: Any
) -> None:
    response = api_as(medic).post(
        f"/api/care/patients/{amal_patient.pk}/triage/",
        {"answers": {"walks": False, "breathing": True}},
        format="json",
    )
    assert response.status_code == 400
    assert "answers.breathing" in response.json()["error"]["fields"]
