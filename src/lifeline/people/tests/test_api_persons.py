"""The person endpoints of the REST API, each on its happy path."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from lifeline.core.models import AuditEntry, Site
from lifeline.people import services
from lifeline.people.models import ConditionObservation, Person, PersonMerge, StatusEvent

pytestmark = pytest.mark.django_db


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def amal(commander: Any, site: Site) -> Person:
    return services.person_register(
        actor=commander,
        given_name="Amal",
        family_name="Haddad",
        age_years=34,
        area="Block C",
        latitude=31.5,
        longitude=35.1,
        conditions=["wounded"],
    )


def test_a_registrar_registers_a_person_and_gets_the_record_back(
    registrar: Any, site: Site
) -> None:
    response = api_as(registrar).post(
        "/api/persons/",
        {
            "given_name": "Rachid",
            "family_name": "Benali",
            "sex": "male",
            "age_years": 41,
            "languages": ["Arabic", "French"],
            "area": "Tent row 4",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert (person.given_name, person.family_name, person.sex) == ("Rachid", "Benali", "male")
    assert body["age"] == 41
    assert body["birth_date_estimated"] is True
    assert body["languages"] == ["Arabic", "French"]
    assert body["status"] == "present"
    assert body["site"]["code"] == site.code
    assert StatusEvent.objects.filter(person=person).count() == 1


def test_registering_with_conditions_seen_at_intake_records_them(
    commander: Any, site: Site
) -> None:
    response = api_as(commander).post(
        "/api/persons/",
        {"given_name": "Maaz", "conditions": ["wounded", "dehydrated"]},
        format="json",
    )

    assert response.status_code == 201
    observed = ConditionObservation.objects.filter(person_id=response.json()["id"])
    assert sorted(observed.values_list("condition", flat=True)) == ["dehydrated", "wounded"]


def test_the_person_detail_shows_location_conditions_and_timeline_to_a_commander(
    commander: Any, amal: Person
) -> None:
    response = api_as(commander).get(f"/api/persons/{amal.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(amal.pk)
    assert body["given_name"] == "Amal"
    assert body["location"]["area"] == "Block C"
    assert body["location"]["latitude"] == 31.5
    assert [c["condition"] for c in body["conditions"]] == ["wounded"]
    assert [entry["kind"] for entry in body["timeline"]] == ["status", "condition"]
    assert body["merged_records"] == []


def test_patching_a_person_changes_only_the_fields_sent(registrar: Any, amal: Person) -> None:
    response = api_as(registrar).patch(
        f"/api/persons/{amal.pk}/",
        {"callsign": "Falcon", "other_names": ["Um Yusuf"]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    amal.refresh_from_db()
    assert amal.callsign == "Falcon"
    assert amal.other_names == ["Um Yusuf"]
    assert amal.family_name == "Haddad"
    assert response.json()["callsign"] == "Falcon"
    assert AuditEntry.objects.filter(action="person.update", object_id=str(amal.pk)).exists()


def test_patching_an_age_replaces_the_date_of_birth_with_an_estimate(
    registrar: Any, amal: Person
) -> None:
    response = api_as(registrar).patch(f"/api/persons/{amal.pk}/", {"age_years": 12}, format="json")

    assert response.status_code == 200
    assert response.json()["age"] == 12
    assert response.json()["birth_date_estimated"] is True


def test_deleting_a_person_with_a_reason_in_the_body_tombstones_the_record(
    commander: Any, amal: Person
) -> None:
    response = api_as(commander).delete(
        f"/api/persons/{amal.pk}/", {"reason": "registered twice by mistake"}, format="json"
    )

    assert response.status_code == 204
    amal.refresh_from_db()
    assert amal.is_deleted
    entry = AuditEntry.objects.get(action="person.delete", object_id=str(amal.pk))
    assert entry.detail["reason"] == "registered twice by mistake"


def test_deleting_a_person_accepts_the_reason_in_the_query_string(
    commander: Any, amal: Person
) -> None:
    response = api_as(commander).delete(f"/api/persons/{amal.pk}/?reason=test+record")

    assert response.status_code == 204
    amal.refresh_from_db()
    assert amal.is_deleted


def test_a_deleted_person_is_not_found_any_more(commander: Any, amal: Person) -> None:
    api_as(commander).delete(f"/api/persons/{amal.pk}/?reason=duplicate")

    response = api_as(commander).get(f"/api/persons/{amal.pk}/")

    assert response.status_code == 404
    assert str(amal.pk) in response.json()["error"]["message"]


def test_recording_a_status_appends_an_event_and_changes_the_current_status(
    medic: Any, amal: Person
) -> None:
    response = api_as(medic).post(
        f"/api/persons/{amal.pk}/status/",
        {"status": "in_care", "area": "Clinic tent", "note": "arm dressed"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "in_care"
    assert body["person"] == str(amal.pk)
    assert body["recorded_by"] == "medic"
    amal.refresh_from_db()
    assert amal.status == "in_care"
    assert StatusEvent.objects.filter(person=amal).count() == 2


def test_a_status_event_shows_its_place_only_to_roles_that_see_locations(
    medic: Any, registrar: Any, amal: Person
) -> None:
    by_medic = api_as(medic).post(
        f"/api/persons/{amal.pk}/status/", {"status": "in_care", "area": "Clinic"}, format="json"
    )
    by_registrar = api_as(registrar).post(
        f"/api/persons/{amal.pk}/status/", {"status": "present", "area": "Block D"}, format="json"
    )

    assert by_medic.json()["location"] is None
    assert by_registrar.json()["location"]["area"] == "Block D"


def test_recording_a_condition_appends_an_observation(medic: Any, amal: Person) -> None:
    response = api_as(medic).post(
        f"/api/persons/{amal.pk}/conditions/",
        {"condition": "wounded", "present": False, "note": "healed"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["present"] is False
    assert response.json()["observed_by"] == "medic"
    detail = api_as(medic).get(f"/api/persons/{amal.pk}/").json()
    assert detail["conditions"] == []


def test_the_history_is_the_timeline_oldest_first(medic: Any, amal: Person) -> None:
    api_as(medic).post(f"/api/persons/{amal.pk}/status/", {"status": "in_care"}, format="json")

    response = api_as(medic).get(f"/api/persons/{amal.pk}/history/")

    assert response.status_code == 200
    entries = response.json()
    assert [e["title"] for e in entries if e["kind"] == "status"] == ["Present", "In care"]
    assert entries == sorted(entries, key=lambda e: e["at"])


def test_merging_a_duplicate_keeps_both_histories_and_tombstones_the_duplicate(
    registrar: Any, amal: Person
) -> None:
    duplicate = services.person_register(
        actor=registrar, given_name="Amal", family_name="Hadad", phone="+961 555"
    )

    response = api_as(registrar).post(
        f"/api/persons/{amal.pk}/merge/",
        {"duplicate": str(duplicate.pk), "reason": "same woman, name misspelt"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["survivor"], body["duplicate"]) == (str(amal.pk), str(duplicate.pk))
    assert body["merged_by"] == "registrar"
    duplicate.refresh_from_db()
    assert duplicate.is_deleted and duplicate.merged_into_id == amal.pk
    amal.refresh_from_db()
    assert amal.phone == "+961 555"


def test_undoing_a_merge_restores_the_duplicate(registrar: Any, amal: Person) -> None:
    duplicate = services.person_register(actor=registrar, given_name="Amal", family_name="Hadad")
    merged = api_as(registrar).post(
        f"/api/persons/{amal.pk}/merge/", {"duplicate": str(duplicate.pk)}, format="json"
    )

    response = api_as(registrar).post(
        f"/api/merges/{merged.json()['id']}/undo/", {"reason": "not the same"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["id"] == str(duplicate.pk)
    duplicate.refresh_from_db()
    assert not duplicate.is_deleted and duplicate.merged_into_id is None
    assert PersonMerge.objects.get(pk=merged.json()["id"]).undone_at is not None


def test_undoing_a_merge_twice_is_a_conflict(registrar: Any, amal: Person) -> None:
    duplicate = services.person_register(actor=registrar, given_name="Amal", family_name="Hadad")
    merge = services.person_merge(actor=registrar, survivor=amal, duplicate=duplicate)
    client = api_as(registrar)
    client.post(f"/api/merges/{merge.pk}/undo/", {}, format="json")

    response = client.post(f"/api/merges/{merge.pk}/undo/", {}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
