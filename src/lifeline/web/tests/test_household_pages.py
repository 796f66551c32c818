"""Households from the pages: create one with a ration card, add members found in the registry,
name the head, issue or replace the card; each form only for a role that may use it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.core.models import AuditEntry
from lifeline.people import services
from lifeline.people.models import Household, Person

pytestmark = pytest.mark.django_db


def _page(household: Household) -> str:
    return reverse("web:household_detail", kwargs={"household_id": household.pk})


def test_a_registrar_creates_a_household_with_the_next_free_card(
    client: Client, registrar: Any, household: Household
) -> None:
    client.force_login(registrar)
    form = client.get(reverse("web:household_new"))
    assert form.status_code == 200
    assert 'value="DB-0043"' in form.content.decode()  # after the fixture's DB-0042
    response = client.post(
        reverse("web:household_new"),
        {"ration_card": "DB-0043", "site": "desert-base", "shelter": "Tent 14", "notes": ""},
        follow=True,
    )
    created = Household.objects.get(ration_card="DB-0043")
    assert response.redirect_chain[-1][0] == _page(created)
    assert "Household DB-0043 created: now add its members." in response.content.decode()
    assert created.shelter == "Tent 14"
    assert AuditEntry.objects.filter(action="household.create", object_id=str(created.pk)).exists()


def test_a_card_already_held_is_refused_beside_the_card(
    client: Client, registrar: Any, household: Household
) -> None:
    client.force_login(registrar)
    response = client.post(reverse("web:household_new"), {"ration_card": "DB-0042"})
    assert response.status_code == 400
    assert 'id="id_ration_card_error"' in response.content.decode()
    assert Household.objects.count() == 1


@pytest.mark.parametrize("role", ["logistics", "medic", "viewer"])
def test_a_role_that_may_not_create_households_gets_no_form(
    client: Client, request: pytest.FixtureRequest, role: str, household: Household
) -> None:
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("web:household_new")).status_code == 403
    assert client.post(reverse("web:household_new"), {"ration_card": "X-1"}).status_code == 403
    detail = client.get(_page(household)).content.decode()
    assert "Issue a ration card" not in detail and "Replace the ration card" not in detail
    assert "Add a member from the registry" not in detail
    assert (
        reverse("web:household_new")
        not in client.get(reverse("web:household_list")).content.decode()
    )
    assert Household.objects.count() == 1


def test_members_are_found_in_the_registry_added_and_one_made_head(
    client: Client, registrar: Any, commander: Any, household: Household
) -> None:
    samir = services.person_register(
        actor=commander, given_name="Samir", family_name="Nassar", age_years=40
    )
    client.force_login(registrar)
    found = client.get(_page(household), {"q": "nassar"}).content.decode()
    assert "Samir Nassar" in found and "40 y" in found
    url = reverse("web:household_member", kwargs={"household_id": household.pk})
    client.post(url, {"person": str(samir.pk)})
    assert Person.objects.get(pk=samir.pk).household_id == household.pk
    client.post(url, {"person": str(samir.pk), "head": "1"})
    assert Household.objects.get(pk=household.pk).head_id == samir.pk
    page = client.get(_page(household)).content.decode()
    assert "Members (1)" in page and "head" in page


def test_adding_nobody_says_so(client: Client, registrar: Any, household: Household) -> None:
    client.force_login(registrar)
    url = reverse("web:household_member", kwargs={"household_id": household.pk})
    response = client.post(url, {"person": "not-a-person"}, follow=True)
    assert "Choose a person from the registry." in response.content.decode()


def test_a_household_without_a_card_is_issued_one_and_can_have_it_replaced(
    client: Client, registrar: Any, commander: Any, household: Household
) -> None:
    bare = services.household_create(actor=commander, shelter="Tent 20")
    client.force_login(registrar)
    page = client.get(_page(bare)).content.decode()
    assert "Issue a ration card" in page and 'value="DB-0043"' in page
    url = reverse("web:household_card_issue", kwargs={"household_id": bare.pk})
    issued = client.post(url, {"ration_card": "DB-0043"}, follow=True)
    assert "Ration card DB-0043 issued." in issued.content.decode()
    replaced = client.post(url, {"ration_card": "DB-0099"}, follow=True)
    assert "Ration card DB-0099 replaces DB-0043." in replaced.content.decode()
    assert Household.objects.get(pk=bare.pk).ration_card == "DB-0099"


def test_a_card_of_another_household_is_refused_on_the_page(
    client: Client, registrar: Any, commander: Any, household: Household
) -> None:
    bare = services.household_create(actor=commander)
    client.force_login(registrar)
    url = reverse("web:household_card_issue", kwargs={"household_id": bare.pk})
    response = client.post(url, {"ration_card": "DB-0042"})
    assert response.status_code == 400
    assert "already the card of another household" in response.content.decode()
    assert Household.objects.get(pk=bare.pk).ration_card is None


def test_a_role_that_may_not_change_households_cannot_post_a_card_or_a_member(
    client: Client, logistics: Any, household: Household, amal: Person
) -> None:
    client.force_login(logistics)
    card = reverse("web:household_card_issue", kwargs={"household_id": household.pk})
    member = reverse("web:household_member", kwargs={"household_id": household.pk})
    assert client.post(card, {"ration_card": "Z-1"}).status_code == 403
    assert client.post(member, {"person": str(amal.pk), "head": "1"}).status_code == 403
    assert Household.objects.get(pk=household.pk).ration_card == "DB-0042"
