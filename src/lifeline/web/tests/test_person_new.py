"""The registration form: parsed by the one schema, saved by the one service."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.core.models import AuditEntry
from lifeline.people.models import ConditionObservation, Household, Person

pytestmark = pytest.mark.django_db

URL = "/people/new/"


def test_the_form_url_is_people_new() -> None:
    assert reverse("web:person_new") == URL


def test_a_registrar_registers_a_person_and_lands_on_their_page(
    client: Client, registrar: Any, household: Household
) -> None:
    client.force_login(registrar)
    response = client.post(
        URL,
        {
            "given_name": "Maaz",
            "family_name": "Karimi",
            "other_names": "Mo, Maazi",
            "sex": "male",
            "age_years": "27",
            "languages": "Arabic, English",
            "phone": "+000 555 0101",
            "household": "DB-0042",
            "status": "present",
            "site": "desert-base",
            "area": "Block C",
            "latitude": "31.5",
            "longitude": "34.4",
            "conditions": ["wounded", "dehydrated"],
            "notes": "grazed by a bullet",
        },
        follow=True,
    )
    person = Person.objects.get(family_name="Karimi")
    assert response.redirect_chain[-1][0] == reverse(
        "web:person_detail", kwargs={"person_id": person.pk}
    )
    assert b"Maaz Karimi is registered." in response.content
    assert person.other_names == ["Mo", "Maazi"]
    assert person.languages == ["Arabic", "English"]
    assert person.household == household
    assert person.birth_date_estimated
    assert person.current_area == "Block C"
    assert set(
        ConditionObservation.objects.filter(person=person).values_list("condition", flat=True)
    ) == {"wounded", "dehydrated"}
    assert AuditEntry.objects.filter(action="person.register", actor=registrar).exists()


def test_a_viewer_is_refused_the_form_and_the_post(client: Client, viewer: Any) -> None:
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"given_name": "Amal"})
    assert response.status_code == 403
    assert b"may not register people" in response.content
    assert not Person.objects.exists()


def test_a_viewer_is_refused_even_a_bad_post(client: Client, viewer: Any) -> None:
    client.force_login(viewer)
    assert client.post(URL, {"given_name": ""}).status_code == 403


def test_errors_keep_what_was_typed_and_name_the_field(client: Client, registrar: Any) -> None:
    client.force_login(registrar)
    response = client.post(
        URL,
        {
            "given_name": "Fiona",
            "family_name": "O'Neill",
            "date_of_birth": "2999-01-01",
            "phone": "555 0199",
            "area": "Mess hall",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="Fiona"' in content
    assert 'value="O&#x27;Neill"' in content
    assert 'value="555 0199"' in content
    assert 'value="Mess hall"' in content
    assert 'value="2999-01-01"' in content
    assert 'id="id_date_of_birth_error"' in content
    assert "Date of birth: is in the future" in content
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"given_name": "", "family_name": ""}, "given_name", "a given or a family name"),
        ({"given_name": "A", "age_years": "old"}, "age_years", "valid integer"),
        (
            {"given_name": "A", "age_years": "3", "date_of_birth": "2020-01-01"},
            "age_years",
            "not both",
        ),
        ({"given_name": "A", "latitude": "95", "longitude": "1"}, "latitude", "90"),
        ({"given_name": "A", "latitude": "5"}, "longitude", "required"),
        ({"given_name": "A", "household": "NO-SUCH-CARD"}, "household", "NO-SUCH-CARD"),
        ({"given_name": "A", "site": "atlantis"}, "site", "atlantis"),
        ({"given_name": "A", "conditions": ["sunburnt"]}, "conditions", "sunburnt"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(
    client: Client, registrar: Any, data: dict[str, Any], field: str, message: str
) -> None:
    client.force_login(registrar)
    response = client.post(URL, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.fields[field].errors)
    assert f'id="id_{field}_error"'.encode() in response.content
    assert not Person.objects.exists()


def test_a_user_who_may_not_record_conditions_gets_no_conditions_on_the_form(
    client: Client, clerk: Any, site: Any
) -> None:
    client.force_login(clerk)
    assert b'name="conditions"' not in client.get(URL).content
    response = client.post(URL, {"given_name": "Amal", "conditions": ["wounded"]}, follow=True)
    assert response.status_code == 200
    person = Person.objects.get(given_name="Amal")
    assert not ConditionObservation.objects.filter(person=person).exists()


def test_the_form_needs_its_csrf_token(registrar: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(registrar)
    assert client.post(URL, {"given_name": "Amal"}).status_code == 403
    assert not Person.objects.exists()
