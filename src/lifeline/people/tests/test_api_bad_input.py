"""Bad input to the registry API: a 4xx in the one error shape, naming the field, and
nothing written (no person, event, change-log row or audit row)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.db import models
from django.utils import timezone
from rest_framework.test import APIClient

from lifeline.core.models import AuditEntry, ChangeLogEntry, Site
from lifeline.people import services
from lifeline.people.models import (
    ConditionObservation,
    Household,
    Person,
    PersonMerge,
    StatusEvent,
)

pytestmark = pytest.mark.django_db

WRITTEN: tuple[type[models.Model], ...] = (
    Person,
    StatusEvent,
    ConditionObservation,
    Household,
    PersonMerge,
    ChangeLogEntry,
    AuditEntry,
)


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def error_of(response: Any) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["error"]
    assert set(error) <= {"code", "message", "fields"}
    return error


def names(error: dict[str, Any]) -> set[str]:
    """The fields an error names, items of a list field under the list's name."""
    return {name.split("[")[0].split(".")[0] for name in error.get("fields", {})}


@pytest.fixture
def amal(commander: Any, site: Site) -> Person:
    return services.person_register(actor=commander, given_name="Amal", family_name="Haddad")


@pytest.fixture
def household(commander: Any, site: Site) -> Household:
    return services.household_create(actor=commander, ration_card="DB-0007")


TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
UNKNOWN_ID = "01900000-0000-7000-8000-000000000000"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "given_name"),
        ({"given_name": "  ", "family_name": ""}, "given_name"),
        ({"given_name": "Amal", "age_years": "forty"}, "age_years"),
        ({"given_name": "Amal", "age_years": 300}, "age_years"),
        ({"given_name": "Amal", "age_years": 30, "date_of_birth": "1990-01-01"}, "age_years"),
        ({"given_name": "Amal", "date_of_birth": "yesterday"}, "date_of_birth"),
        ({"given_name": "Amal", "date_of_birth": TOMORROW}, "date_of_birth"),
        ({"given_name": "Amal", "languages": "Arabic"}, "languages"),
        ({"given_name": "Amal", "other_names": [["nested"]]}, "other_names"),
        ({"given_name": ["Amal"]}, "given_name"),
        ({"given_name": "Amal", "sex": "yes"}, "sex"),
        ({"given_name": "Amal", "status": "lost"}, "status"),
        ({"given_name": "Amal", "conditions": ["sad"]}, "conditions"),
        ({"given_name": "Amal", "conditions": "wounded"}, "conditions"),
        ({"given_name": "Amal", "latitude": 200, "longitude": 10}, "latitude"),
        ({"given_name": "Amal", "latitude": 31.5}, "longitude"),
        ({"given_name": "Amal", "household": UNKNOWN_ID}, "household"),
        ({"given_name": "Amal", "household": "not-an-id"}, "household"),
        ({"given_name": "Amal", "site": "atlantis"}, "site"),
        ({"given_name": "Amal", "occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at"),
        ({"given_name": "Amal", "famly_name": "Haddad"}, "famly_name"),
        ({"given_name": "x" * 101}, "given_name"),
    ],
)
def test_registering_with_bad_input_names_the_field_and_writes_nothing(
    registrar: Any, site: Site, body: dict[str, Any], field: str
) -> None:
    before = rows()

    response = api_as(registrar).post("/api/persons/", body, format="json")

    assert response.status_code == 400, response.json()
    error = error_of(response)
    assert error["code"] == "invalid"
    assert field in names(error), error
    assert field in error["message"]
    assert rows() == before


@pytest.mark.parametrize("body", [[{"given_name": "Amal"}], "Amal", 42, None])
def test_a_body_that_is_not_a_json_object_is_refused_naming_the_body(
    registrar: Any, site: Site, body: Any
) -> None:
    before = rows()

    response = api_as(registrar).post(
        "/api/persons/", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 400
    assert "body" in error_of(response)["fields"]
    assert rows() == before


def test_a_body_that_is_not_json_is_a_400_parse_error(registrar: Any, site: Site) -> None:
    before = rows()

    response = api_as(registrar).post(
        "/api/persons/", '{"given_name": "Amal",', content_type="application/json"
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"
    assert "JSON" in error_of(response)["message"]
    assert rows() == before


def test_a_form_encoded_body_is_refused_as_an_unsupported_media_type(
    registrar: Any, site: Site
) -> None:
    before = rows()

    response = api_as(registrar).post("/api/persons/", {"given_name": "Amal"})

    assert response.status_code == 415
    assert "multipart/form-data" in error_of(response)["message"]
    assert rows() == before


def test_a_body_above_the_size_limit_is_a_413_and_writes_nothing(
    registrar: Any, site: Site, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = rows()

    response = api_as(registrar).post(
        "/api/persons/", {"given_name": "Amal", "notes": "x" * 2000}, format="json"
    )

    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"
    assert "1000 bytes" in error_of(response)["message"]
    assert rows() == before


def test_a_body_above_the_default_limit_is_a_413(registrar: Any, site: Site) -> None:
    before = rows()
    notes = "x" * (2 * 1024 * 1024 + 1)

    response = api_as(registrar).post(
        "/api/persons/", {"given_name": "Amal", "notes": notes}, format="json"
    )

    assert response.status_code == 413
    assert rows() == before


def test_a_body_just_under_the_limit_is_read(registrar: Any, site: Site, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"given_name": "Amal", "notes": "x" * 900})
    assert len(body) <= 1000

    response = api_as(registrar).post("/api/persons/", body, content_type="application/json")

    assert response.status_code == 201


def test_an_oversized_status_event_is_a_413_and_writes_nothing(
    medic: Any, amal: Person, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 500
    before = rows()

    response = api_as(medic).post(
        f"/api/persons/{amal.pk}/status/",
        {"status": "in_care", "note": "x" * 1000},
        format="json",
    )

    assert response.status_code == 413
    assert rows() == before


# ---- unknown and malformed ids --------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/persons/{id}/", None),
        ("patch", "/api/persons/{id}/", {"callsign": "Falcon"}),
        ("delete", "/api/persons/{id}/?reason=duplicate", None),
        ("post", "/api/persons/{id}/status/", {"status": "present"}),
        ("post", "/api/persons/{id}/conditions/", {"condition": "wounded"}),
        ("get", "/api/persons/{id}/history/", None),
        ("post", "/api/persons/{id}/merge/", {"duplicate": UNKNOWN_ID}),
        ("post", "/api/merges/{id}/undo/", {}),
        ("get", "/api/households/{id}/", None),
        ("patch", "/api/households/{id}/", {"shelter": "Tent 1"}),
        ("post", "/api/households/{id}/move/", {"area": "South"}),
        ("post", "/api/households/{id}/members/", {"person": UNKNOWN_ID}),
    ],
)
def test_an_unknown_id_is_a_404_naming_the_id(
    commander: Any, site: Site, method: str, path: str, body: Any
) -> None:
    before = rows()

    response = getattr(api_as(commander), method)(path.format(id=UNKNOWN_ID), body, format="json")

    assert response.status_code == 404, response.json()
    assert error_of(response)["code"] == "not_found"
    assert UNKNOWN_ID in error_of(response)["message"]
    assert rows() == before


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/persons/not-a-uuid/", "person"),
        ("/api/persons/12345/history/", "person"),
        ("/api/households/DB-0007/", "household"),
    ],
)
def test_a_malformed_id_is_a_400_naming_it(
    commander: Any, site: Site, path: str, field: str
) -> None:
    response = api_as(commander).get(path)

    assert response.status_code == 400
    error = error_of(response)
    assert "is not a valid id" in error["fields"][field][0]


def test_removing_an_unknown_person_from_a_household_is_a_404(
    commander: Any, household: Household
) -> None:
    before = rows()

    response = api_as(commander).delete(f"/api/households/{household.pk}/members/{UNKNOWN_ID}/")

    assert response.status_code == 404
    assert UNKNOWN_ID in error_of(response)["message"]
    assert rows() == before


# ---- bad input to the other writes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("status/", {}, "status"),
        ("status/", {"status": "lost"}, "status"),
        ("status/", {"status": "present", "latitude": "north"}, "latitude"),
        ("status/", {"status": "present", "occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at"),
        ("status/", {"status": "present", "site": "atlantis"}, "site"),
        ("conditions/", {}, "condition"),
        ("conditions/", {"condition": "sad"}, "condition"),
        ("conditions/", {"condition": "wounded", "present": "maybe"}, "present"),
        ("conditions/", {"condition": "ill", "observed_at": "2999-01-01T00:00:00Z"}, "observed_at"),
        ("merge/", {}, "duplicate"),
        ("merge/", {"duplicate": UNKNOWN_ID}, "duplicate"),
        ("merge/", {"duplicate": "someone"}, "duplicate"),
        ("merge/", {"duplicate": 7}, "duplicate"),
    ],
)
def test_bad_events_and_merges_name_the_field_and_write_nothing(
    commander: Any, amal: Person, path: str, body: dict[str, Any], field: str
) -> None:
    before = rows()

    response = api_as(commander).post(f"/api/persons/{amal.pk}/{path}", body, format="json")

    assert response.status_code == 400, response.json()
    assert field in names(error_of(response)), response.json()
    assert rows() == before


def test_merging_a_record_into_itself_is_refused(commander: Any, amal: Person) -> None:
    before = rows()

    response = api_as(commander).post(
        f"/api/persons/{amal.pk}/merge/", {"duplicate": str(amal.pk)}, format="json"
    )

    assert response.status_code == 400
    assert "duplicate" in error_of(response)["fields"]
    assert rows() == before


def test_a_deceased_person_cannot_be_made_present_again(commander: Any, amal: Person) -> None:
    services.person_status_record(actor=commander, person=amal, status="deceased")
    before = rows()

    response = api_as(commander).post(
        f"/api/persons/{amal.pk}/status/", {"status": "present"}, format="json"
    )

    assert response.status_code == 400
    assert "deceased" in error_of(response)["fields"]["status"][0]
    assert rows() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"given_name": "", "family_name": ""}, "given_name"),
        ({"other_names": "Um Yusuf"}, "other_names"),
        ({"age_years": -1}, "age_years"),
        ({"household": "nowhere"}, "household"),
        ({"status": "missing"}, "status"),
    ],
)
def test_patching_a_person_with_bad_input_names_the_field_and_writes_nothing(
    commander: Any, amal: Person, body: dict[str, Any], field: str
) -> None:
    before = rows()

    response = api_as(commander).patch(f"/api/persons/{amal.pk}/", body, format="json")

    assert response.status_code == 400, response.json()
    assert field in error_of(response)["fields"]
    assert rows() == before


def test_deleting_without_a_reason_is_refused_and_deletes_nothing(
    commander: Any, amal: Person
) -> None:
    before = rows()

    response = api_as(commander).delete(f"/api/persons/{amal.pk}/")

    assert response.status_code == 400
    assert "reason" in error_of(response)["fields"]
    amal.refresh_from_db()
    assert not amal.is_deleted
    assert rows() == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("", {"ration_card": "DB-0007"}, "ration_card"),
        ("", {"head": UNKNOWN_ID}, "head"),
        ("", {"site": "atlantis"}, "site"),
        ("", {"shelter": ["Tent 1"]}, "shelter"),
        ("{id}/", {"ration_card": "DB-0008", "site": "forest-camp"}, "site"),
        ("{id}/move/", {}, "site"),
        ("{id}/move/", {"site": "atlantis"}, "site"),
        ("{id}/members/", {}, "person"),
        ("{id}/members/", {"person": UNKNOWN_ID}, "person"),
    ],
)
def test_bad_household_input_names_the_field_and_writes_nothing(
    commander: Any, household: Household, path: str, body: dict[str, Any], field: str
) -> None:
    services.household_create(actor=commander, ration_card="DB-0008")
    before = rows()
    method = "patch" if path == "{id}/" else "post"

    response = getattr(api_as(commander), method)(
        f"/api/households/{path.format(id=household.pk)}", body, format="json"
    )

    assert response.status_code == 400, response.json()
    assert field in names(error_of(response)), response.json()
    assert rows() == before


def test_a_bad_filter_is_a_400_naming_it(viewer: Any, site: Site) -> None:
    for query, field in [
        ("status=lost", "status"),
        ("age_band=old", "age_band"),
        ("sex=yes", "sex"),
        ("household=nope", "household"),
    ]:
        response = api_as(viewer).get(f"/api/persons/?{query}")
        assert response.status_code == 400, query
        assert field in error_of(response)["fields"], query


def test_a_page_past_the_end_is_a_404(viewer: Any, site: Site) -> None:
    response = api_as(viewer).get("/api/persons/?page=9")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_an_unknown_id_in_a_uuid_shape_is_never_a_server_error(commander: Any, site: Site) -> None:
    response = api_as(commander).get(f"/api/persons/{uuid.uuid4()}/")

    assert response.status_code == 404
