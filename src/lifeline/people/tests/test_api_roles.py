"""Roles through the API: who may write, who sees locations and which conditions, and the
audit rows that writes and protected reads leave."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from rest_framework.test import APIClient

from lifeline.core.models import AuditEntry, ChangeLogEntry, Site
from lifeline.people import services
from lifeline.people.models import ConditionObservation, Household, Person, StatusEvent

pytestmark = pytest.mark.django_db


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


WRITTEN: tuple[type[models.Model], ...] = (
    Person,
    StatusEvent,
    ConditionObservation,
    Household,
    ChangeLogEntry,
    AuditEntry,
)


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


@pytest.fixture
def child(commander: Any, site: Site) -> Person:
    """A boy found alone in Mavrah: wounded (medical) and unaccompanied (protection)."""
    return services.person_register(
        actor=commander,
        given_name="Sami",
        age_years=9,
        area="Mavrah ruins",
        latitude=33.2,
        longitude=36.4,
        conditions=["wounded", "unaccompanied_child"],
    )


@pytest.fixture
def household(commander: Any, site: Site) -> Household:
    return services.household_create(actor=commander, ration_card="DB-0100")


@pytest.mark.parametrize(
    ("method", "path", "body", "refused"),
    [
        ("post", "/api/persons/", {"given_name": "Amal"}, "register people"),
        ("patch", "/api/persons/{person}/", {"callsign": "Falcon"}, "change people's records"),
        ("delete", "/api/persons/{person}/?reason=test", None, "delete people's records"),
        (
            "post",
            "/api/persons/{person}/status/",
            {"status": "missing"},
            "record a person's status",
        ),
        (
            "post",
            "/api/persons/{person}/conditions/",
            {"condition": "ill"},
            "record a person's condition",
        ),
        ("post", "/api/households/", {"shelter": "Tent 9"}, "create households"),
        ("patch", "/api/households/{household}/", {"shelter": "Tent 9"}, "change households"),
        ("post", "/api/households/{household}/move/", {"area": "South"}, "move households"),
    ],
)
def test_a_viewer_cannot_write_and_is_told_what_was_refused(
    viewer: Any,
    child: Person,
    household: Household,
    method: str,
    path: str,
    body: Any,
    refused: str,
) -> None:
    before = rows()
    url = path.format(person=child.pk, household=household.pk)

    response = getattr(api_as(viewer), method)(url, body, format="json")

    assert response.status_code == 403, response.json()
    error = response.json()["error"]
    assert error["code"] == "forbidden"
    assert refused in error["message"]
    assert rows() == before


def test_a_viewer_cannot_merge_records(viewer: Any, child: Person, commander: Any) -> None:
    other = services.person_register(actor=commander, given_name="Sami")
    before = rows()

    response = api_as(viewer).post(
        f"/api/persons/{child.pk}/merge/", {"duplicate": str(other.pk)}, format="json"
    )

    assert response.status_code == 403
    assert "merge records" in response.json()["error"]["message"]
    assert rows() == before


def test_a_registrar_cannot_delete_a_record(registrar: Any, child: Person) -> None:
    response = api_as(registrar).delete(f"/api/persons/{child.pk}/?reason=duplicate")

    assert response.status_code == 403
    assert "people.delete_person" in response.json()["error"]["message"]


def test_a_logistics_user_sees_no_location_and_no_conditions(logistics: Any, child: Person) -> None:
    response = api_as(logistics).get(f"/api/persons/{child.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["location"] is None
    assert body["conditions"] == []
    assert all(entry["kind"] != "condition" for entry in body["timeline"])
    assert all("Mavrah" not in entry["detail"] for entry in body["timeline"])


def test_a_medic_sees_medical_but_not_protection_conditions(medic: Any, child: Person) -> None:
    body = api_as(medic).get(f"/api/persons/{child.pk}/").json()

    assert [c["condition"] for c in body["conditions"]] == ["wounded"]
    assert body["location"] is None


def test_a_protection_officer_sees_an_unaccompanied_child(
    protection_officer: Any, child: Person
) -> None:
    body = api_as(protection_officer).get(f"/api/persons/{child.pk}/").json()

    assert [c["condition"] for c in body["conditions"]] == ["unaccompanied_child"]
    assert body["location"]["area"] == "Mavrah ruins"


def test_the_history_hides_conditions_the_role_may_not_see(medic: Any, child: Person) -> None:
    entries = api_as(medic).get(f"/api/persons/{child.pk}/history/").json()

    titles = [entry["title"] for entry in entries if entry["kind"] == "condition"]
    assert titles == ["Wounded: observed"]


def test_filtering_by_a_condition_the_role_cannot_see_is_forbidden(
    medic: Any, child: Person
) -> None:
    response = api_as(medic).get("/api/persons/?condition=unaccompanied_child")

    assert response.status_code == 403
    assert "unaccompanied_child" in response.json()["error"]["message"]


def test_a_viewer_cannot_filter_by_any_condition(viewer: Any, child: Person) -> None:
    response = api_as(viewer).get("/api/persons/?condition=wounded")

    assert response.status_code == 403


def test_filtering_by_a_visible_condition_lists_the_people_and_is_audited(
    medic: Any, child: Person
) -> None:
    response = api_as(medic).get("/api/persons/?condition=wounded")

    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [str(child.pk)]
    entry = AuditEntry.objects.get(action="read.protected", actor=medic)
    assert entry.detail["filter"] == {"condition": "wounded"}


def test_reading_a_person_as_commander_writes_a_protected_read_audit_row(
    commander: Any, child: Person
) -> None:
    api_as(commander).get(f"/api/persons/{child.pk}/")

    entry = AuditEntry.objects.get(action="read.protected", object_id=str(child.pk))
    assert entry.actor == commander
    assert sorted(entry.detail["parts"]) == ["conditions", "location"]


def test_reading_a_person_as_viewer_writes_no_audit_row(viewer: Any, child: Person) -> None:
    before = AuditEntry.objects.count()

    response = api_as(viewer).get(f"/api/persons/{child.pk}/")

    assert response.status_code == 200
    assert AuditEntry.objects.count() == before


def test_every_api_write_leaves_an_audit_row_naming_the_actor(registrar: Any, site: Site) -> None:
    client = api_as(registrar)

    person_id = client.post("/api/persons/", {"given_name": "Fiona"}, format="json").json()["id"]
    client.patch(f"/api/persons/{person_id}/", {"callsign": "Mess"}, format="json")
    client.post(f"/api/persons/{person_id}/status/", {"status": "missing"}, format="json")
    household_id = client.post("/api/households/", {"shelter": "Mess hall"}, format="json").json()[
        "id"
    ]
    client.post(f"/api/households/{household_id}/members/", {"person": person_id}, format="json")

    actions = set(AuditEntry.objects.filter(actor=registrar).values_list("action", flat=True))
    assert {
        "person.register",
        "person.update",
        "person.status",
        "household.create",
        "household.member_add",
    } <= actions


def test_a_list_shows_no_location_to_anyone(commander: Any, child: Person) -> None:
    row = api_as(commander).get("/api/persons/").json()["results"][0]

    assert "location" not in row
    assert "conditions" not in row
