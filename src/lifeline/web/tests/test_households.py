"""Households: the list with its search, and one household with its members."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.people import services
from lifeline.people.models import Household, Person

pytestmark = pytest.mark.django_db


def test_the_household_page_shows_card_head_and_members_with_status_and_age(
    client: Client, registrar: Any, commander: Any, household: Household, amal: Person
) -> None:
    child = services.person_register(
        actor=commander,
        given_name="Lina",
        family_name="Haddad",
        age_years=7,
        household=household,
        status="missing",
    )
    client.force_login(registrar)
    response = client.get(reverse("web:household_detail", kwargs={"household_id": household.pk}))
    content = response.content.decode()
    assert "DB-0042" in content and "Tent 12" in content and "Block C" in content
    assert reverse("web:person_detail", kwargs={"person_id": amal.pk}) in content
    assert reverse("web:person_detail", kwargs={"person_id": child.pk}) in content
    assert "Members (2)" in content
    assert "Missing" in content and "~7" in content


def test_the_household_list_searches_by_ration_card(
    client: Client, viewer: Any, commander: Any, household: Household
) -> None:
    services.household_create(actor=commander, ration_card="FC-0007", shelter="Cabin 3")
    client.force_login(viewer)
    response = client.get(reverse("web:household_list"), {"q": "fc-00"})
    cards = [h.ration_card for h in response.context["page"].object_list]
    assert cards == ["FC-0007"]


def test_an_unknown_household_is_a_404_page(client: Client, viewer: Any) -> None:
    client.force_login(viewer)
    response = client.get(reverse("web:household_detail", kwargs={"household_id": uuid.uuid4()}))
    assert response.status_code == 404
    assert b"no household with id" in response.content


def test_the_household_list_makes_a_few_queries_however_many_rows(
    client: Client, commander: Any, site: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        services.household_create(actor=commander, ration_card=f"DB-{i:04d}")
    client.force_login(commander)
    # One of them counts the open alerts for the header's badge, whatever the page.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("web:household_list"))
    assert len(response.context["page"].object_list) == 30
