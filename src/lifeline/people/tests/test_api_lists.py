"""The list endpoints: filters, pagination, and a query count that does not grow with rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lifeline.core.models import Site
from lifeline.core.services import site_ensure
from lifeline.people import services
from lifeline.people.models import Household

pytestmark = pytest.mark.django_db


def api_as(user: Any) -> APIClient:
    """A client that signs in with a token, as a real API client does."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def register_many(actor: Any, count: int, *, household: Household | None = None) -> None:
    for n in range(count):
        services.person_register(
            actor=actor,
            given_name=f"Person{n:03d}",
            family_name="Camp",
            age_years=20 + n % 40,
            sex="female" if n % 2 else "male",
            household=household,
            conditions=["malnourished"] if n % 3 == 0 else [],
        )


def queries_for(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/api/persons/",
        "/api/persons/?q=camp&sex=female&age_band=18-59",
        "/api/persons/?condition=malnourished",
        "/api/households/",
    ],
)
def test_a_list_takes_the_same_number_of_queries_for_3_rows_as_for_30(
    commander: Any, site: Site, url: str
) -> None:
    client = api_as(commander)
    household = services.household_create(actor=commander, ration_card="DB-0001")
    register_many(commander, 3, household=household)
    few = queries_for(client, url)

    register_many(commander, 27, household=household)
    for n in range(27):
        services.household_create(actor=commander, ration_card=f"DB-1{n:03d}")
    many = queries_for(client, url)

    assert many == few


def test_the_person_list_of_30_people_takes_at_most_6_queries(
    commander: Any, site: Site, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    register_many(commander, 30)
    client = api_as(commander)

    # token, the user's permissions (two), count, page; one more for an audited filter
    with django_assert_max_num_queries(6):
        response = client.get("/api/persons/?condition=malnourished")

    assert response.json()["count"] == 10
    with django_assert_max_num_queries(5):
        response = client.get("/api/persons/")
    assert response.json()["count"] == 30


def test_the_household_list_of_30_households_takes_at_most_5_queries(
    commander: Any, site: Site, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    for n in range(30):
        head = services.person_register(actor=commander, given_name=f"Head{n}")
        services.household_create(actor=commander, ration_card=f"DB-{n:04d}", head=head)
    client = api_as(commander)

    with django_assert_max_num_queries(5):
        response = client.get("/api/households/")

    assert response.json()["count"] == 30


def test_the_household_detail_takes_the_same_queries_for_2_members_as_for_20(
    commander: Any, site: Site
) -> None:
    household = services.household_create(actor=commander, ration_card="DB-0001")
    register_many(commander, 2, household=household)
    client = api_as(commander)
    few = queries_for(client, f"/api/households/{household.pk}/")

    register_many(commander, 18, household=household)
    many = queries_for(client, f"/api/households/{household.pk}/")

    assert many == few


def test_the_person_list_is_paginated_with_a_page_size(
    viewer: Any, commander: Any, site: Site
) -> None:
    register_many(commander, 7)
    client = api_as(viewer)

    first = client.get("/api/persons/?page_size=3").json()
    last = client.get("/api/persons/?page_size=3&page=3").json()

    assert first["count"] == 7
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert len(last["results"]) == 1
    assert last["next"] is None
    names = [p["given_name"] for p in first["results"]]
    assert names == sorted(names)


def test_the_page_size_is_capped(viewer: Any, commander: Any, site: Site) -> None:
    register_many(commander, 3)

    body = api_as(viewer).get("/api/persons/?page_size=100000").json()

    assert body["count"] == 3


@pytest.fixture
def camp(commander: Any, site: Site) -> dict[str, Any]:
    """A few people spread over statuses, ages, sexes, sites and a household."""
    forest = site_ensure(actor=None, code="forest-camp", name="Forest Camp")
    household = services.household_create(actor=commander, ration_card="DB-0009")
    born = timezone.localdate() - dt.timedelta(days=365 * 3)
    people = {
        "amal": services.person_register(
            actor=commander, given_name="Amal", family_name="Haddad", sex="female", age_years=34
        ),
        "maaz": services.person_register(
            actor=commander, given_name="Maaz", sex="male", age_years=22, household=household
        ),
        "lina": services.person_register(
            actor=commander,
            given_name="Lina",
            sex="female",
            date_of_birth=born,
            household=household,
            conditions=["malnourished"],
        ),
        "rahim": services.person_register(
            actor=commander, given_name="Rahim", sex="male", age_years=67, site=forest
        ),
    }
    services.person_status_record(actor=commander, person=people["maaz"], status="missing")
    return {**people, "household": household}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=amal", ["amal"]),
        ("q=HADDAD amal", ["amal"]),
        ("q=nobody", []),
        ("status=missing", ["maaz"]),
        ("site=forest-camp", ["rahim"]),
        ("age_band=0-4", ["lina"]),
        ("age_band=60%2B", ["rahim"]),
        ("age_band=18-59&sex=male", ["maaz"]),
        ("sex=female", ["amal", "lina"]),
        ("condition=malnourished", ["lina"]),
        ("status=&sex=", ["amal", "lina", "maaz", "rahim"]),
    ],
)
def test_the_person_list_filters(
    commander: Any, camp: dict[str, Any], query: str, expected: list[str]
) -> None:
    body = api_as(commander).get(f"/api/persons/?{query}").json()

    ids = {str(camp[name].pk) for name in expected}
    assert {p["id"] for p in body["results"]} == ids


def test_the_person_list_filters_by_household(commander: Any, camp: dict[str, Any]) -> None:
    body = api_as(commander).get(f"/api/persons/?household={camp['household'].pk}").json()

    assert {p["given_name"] for p in body["results"]} == {"Maaz", "Lina"}


def test_the_person_list_filters_by_site_id(commander: Any, camp: dict[str, Any]) -> None:
    site_id = camp["rahim"].current_site_id

    body = api_as(commander).get(f"/api/persons/?site={site_id}").json()

    assert [p["given_name"] for p in body["results"]] == ["Rahim"]


def test_a_deleted_person_is_not_listed(commander: Any, camp: dict[str, Any]) -> None:
    services.person_delete(actor=commander, person=camp["amal"], reason="test")

    body = api_as(commander).get("/api/persons/?q=amal").json()

    assert body["count"] == 0


def test_the_household_list_filters_by_site(commander: Any, camp: dict[str, Any]) -> None:
    client = api_as(commander)

    here = client.get("/api/households/?site=desert-base").json()
    there = client.get("/api/households/?site=forest-camp").json()

    assert [h["ration_card"] for h in here["results"]] == ["DB-0009"]
    assert there["count"] == 0
