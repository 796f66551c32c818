"""Printable cards: the person card and the household's ration card carry a QR code that reads
back as the person's id and the card number, show only what the role may see, and are audited
as reads of the record."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.core.models import AuditEntry
from lifeline.core.tests.qr_decode import needs_node, qr_decode
from lifeline.people.models import Household, Person

pytestmark = pytest.mark.django_db

_SVG = re.compile(r'<svg role="img"[^>]*class="qr".*?</svg>', re.S)


def _card(client: Client, user: Any, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _person_card_url(person: Person) -> str:
    return reverse("web:person_card", kwargs={"person_id": person.pk})


def _ration_card_url(household: Household) -> str:
    return reverse("web:household_card", kwargs={"household_id": household.pk})


@needs_node
def test_the_ration_cards_qr_code_reads_back_as_the_card_number(
    client: Client, logistics: Any, amal: Person, household: Household
) -> None:
    page = _card(client, logistics, _ration_card_url(household))
    svg = _SVG.search(page)
    assert svg is not None
    assert qr_decode(svg[0]) == "DB-0042"


@needs_node
def test_the_person_cards_qr_code_reads_back_as_the_persons_id(
    client: Client, registrar: Any, amal: Person
) -> None:
    page = _card(client, registrar, _person_card_url(amal))
    svg = _SVG.search(page)
    assert svg is not None
    assert qr_decode(svg[0]) == str(amal.pk)


def test_the_person_card_shows_the_area_only_to_a_role_that_sees_locations(
    client: Client, registrar: Any, logistics: Any, amal: Person
) -> None:
    assert "Clinic tent" in _card(client, registrar, _person_card_url(amal))
    seen_by_logistics = _card(Client(), logistics, _person_card_url(amal))
    assert "Amal Haddad" in seen_by_logistics and "DB-0042" in seen_by_logistics
    assert "Clinic tent" not in seen_by_logistics


def test_no_card_shows_conditions_even_to_a_role_that_may_read_them(
    client: Client, commander: Any, amal: Person, household: Household
) -> None:
    for url in (_person_card_url(amal), _ration_card_url(household)):
        page = _card(client, commander, url).lower()
        assert "wounded" not in page and "unaccompanied" not in page


def test_the_ration_card_lists_the_members_and_the_shelter_only_for_location_roles(
    client: Client, registrar: Any, logistics: Any, amal: Person, household: Household
) -> None:
    for_registrar = _card(client, registrar, _ration_card_url(household))
    assert "Amal Haddad" in for_registrar and "Tent 12" in for_registrar
    assert "Tent 12" not in _card(Client(), logistics, _ration_card_url(household))


def test_printing_a_card_is_audited_as_a_read_of_the_record(
    client: Client, registrar: Any, amal: Person, household: Household
) -> None:
    _card(client, registrar, _person_card_url(amal))
    _card(client, registrar, _ration_card_url(household))
    rows = {
        row.object_id: row for row in AuditEntry.objects.filter(action="read.card", actor=registrar)
    }
    assert rows[str(amal.pk)].detail == {"card": "person", "parts": ["location"]}
    assert rows[str(household.pk)].detail["card"] == "ration"
    assert rows[str(household.pk)].detail["members"] == 1


def test_a_user_without_the_registry_may_not_print_a_card_and_nothing_is_audited(
    client: Client, make_user: Any, amal: Person
) -> None:
    client.force_login(make_user(None))
    assert client.get(_person_card_url(amal)).status_code == 403
    assert not AuditEntry.objects.filter(action="read.card").exists()


def test_the_person_and_household_pages_link_to_their_cards(
    client: Client, viewer: Any, amal: Person, household: Household
) -> None:
    client.force_login(viewer)
    person_page = client.get(reverse("web:person_detail", kwargs={"person_id": amal.pk}))
    assert _person_card_url(amal) in person_page.content.decode()
    household_page = client.get(
        reverse("web:household_detail", kwargs={"household_id": household.pk})
    )
    assert _ration_card_url(household) in household_page.content.decode()


def test_a_household_without_a_card_number_has_no_card_to_print(
    client: Client, registrar: Any, commander: Any
) -> None:
    from lifeline.people import services

    household = services.household_create(actor=commander, ration_card=None)
    page = _card(client, registrar, _ration_card_url(household))
    assert "no ration card number yet" in page and "<svg" not in page
