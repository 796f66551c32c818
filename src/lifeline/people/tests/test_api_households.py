"""The household endpoints of the REST API, each on its happy path."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from lifeline.core.models import AuditEntry, Site
from lifeline.core.services import site_ensure
from lifeline.people import services
from lifeline.people.models import Household, Person, StatusEvent

pytestmark = pytest.mark.django_db


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def hana(registrar: Any, site: Site) -> Person:
    return services.person_register(actor=registrar, given_name="Hana", family_name="Song")


@pytest.fixture
def household(registrar: Any, hana: Person) -> Household:
    return services.household_create(
        actor=registrar, ration_card="DB-0042", shelter="Tent 12", area="North", head=hana
    )


def test_a_registrar_creates_a_household_whose_head_is_its_first_member(
    registrar: Any, hana: Person
) -> None:
    response = api_as(registrar).post(
        "/api/households/",
        {"ration_card": "DB-0001", "shelter": "Tent 3", "head": str(hana.pk)},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["ration_card"] == "DB-0001"
    assert body["head"] == str(hana.pk)
    assert [m["id"] for m in body["members"]] == [str(hana.pk)]
    assert AuditEntry.objects.filter(action="household.create", object_id=body["id"]).exists()


def test_the_household_list_finds_households_by_ration_card(
    viewer: Any, household: Household
) -> None:
    response = api_as(viewer).get("/api/households/?q=DB-00")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == str(household.pk)
    assert body["results"][0]["site"]["code"] == household.site.code  # type: ignore[union-attr]


def test_the_household_detail_lists_its_members(
    viewer: Any, household: Household, hana: Person
) -> None:
    response = api_as(viewer).get(f"/api/households/{household.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["shelter"] is None  # a viewer is not shown where the household sleeps
    assert [m["given_name"] for m in body["members"]] == ["Hana"]


def test_patching_a_household_changes_its_shelter(registrar: Any, household: Household) -> None:
    response = api_as(registrar).patch(
        f"/api/households/{household.pk}/", {"shelter": "Container 2"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["shelter"] == "Container 2"
    household.refresh_from_db()
    assert household.shelter == "Container 2"


def test_moving_a_household_to_another_site_transfers_every_member(
    registrar: Any, household: Household, hana: Person
) -> None:
    forest = site_ensure(actor=None, code="forest-camp", name="Forest Camp")

    response = api_as(registrar).post(
        f"/api/households/{household.pk}/move/",
        {"site": "forest-camp", "area": "Clearing", "note": "road to the north is cut"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["site"]["code"] == "forest-camp"
    hana.refresh_from_db()
    assert hana.status == "transferred"
    assert hana.current_site_id == forest.pk
    assert StatusEvent.objects.filter(person=hana, note="road to the north is cut").exists()


def test_adding_a_member_puts_the_person_in_the_household(
    registrar: Any, household: Household
) -> None:
    child = services.person_register(actor=registrar, given_name="Yusuf", age_years=6)

    response = api_as(registrar).post(
        f"/api/households/{household.pk}/members/", {"person": str(child.pk)}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert str(child.pk) in [m["id"] for m in response.json()["members"]]
    child.refresh_from_db()
    assert child.household_id == household.pk


def test_removing_the_head_leaves_the_household_without_one(
    registrar: Any, household: Household, hana: Person
) -> None:
    response = api_as(registrar).delete(f"/api/households/{household.pk}/members/{hana.pk}/")

    assert response.status_code == 200, response.json()
    assert response.json()["members"] == []
    assert response.json()["head"] is None
    hana.refresh_from_db()
    assert hana.household_id is None


def test_removing_someone_who_is_not_a_member_is_refused_naming_the_person(
    registrar: Any, household: Household
) -> None:
    stranger = services.person_register(actor=registrar, given_name="Rahim")

    response = api_as(registrar).delete(f"/api/households/{household.pk}/members/{stranger.pk}/")

    assert response.status_code == 400
    assert "person" in response.json()["error"]["fields"]


@pytest.mark.parametrize("role", ["viewer", "logistics", "medic"])
def test_a_role_that_may_not_see_locations_is_not_shown_a_households_shelter_or_area(
    role: str, request: pytest.FixtureRequest, household: Household
) -> None:
    user = request.getfixturevalue(role)
    client = api_as(user)

    detail = client.get(f"/api/households/{household.pk}/").json()
    listed = client.get("/api/households/").json()["results"][0]
    by_shelter = client.get("/api/households/?q=Tent 12").json()

    assert (detail["shelter"], detail["area"]) == (None, None)
    assert (listed["shelter"], listed["area"]) == (None, None)
    assert by_shelter["count"] == 0
    assert not AuditEntry.objects.filter(action="read.protected", actor=user).exists()


def test_a_registrar_sees_a_households_shelter_and_the_read_is_audited(
    registrar: Any, household: Household
) -> None:
    body = api_as(registrar).get(f"/api/households/{household.pk}/").json()

    assert (body["shelter"], body["area"]) == ("Tent 12", "North")
    entry = AuditEntry.objects.get(action="read.protected", object_id=str(household.pk))
    assert entry.detail == {"parts": ["location"]}
