"""The registry's one search box: any spelling or script finds the person, each hit with age,
sex, site, status and the reason in words; the plain filters stay filters; the old Find page
leads to the box."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lifeline.core.models import Site
from lifeline.people import services
from lifeline.people.matching.explain import match_explain, person_is_unnamed
from lifeline.people.models import Person

pytestmark = pytest.mark.django_db

URL = "/people/"


@pytest.fixture
def registered(registrar: Any, site: Site) -> dict[str, Person]:
    def reg(given: str, family: str, **kw: Any) -> Person:
        return services.person_register(actor=registrar, given_name=given, family_name=family, **kw)

    return {
        "rahim": reg("Rahim", "Nasser", sex="male", age_years=61, site=site),
        "amal": reg("Amal", "", sex="female", age_years=27, site=site),
        "karim": reg("Karim", "Nasser", sex="male", age_years=30, site=site),
    }


def _hits(client: Client, **query: str) -> list[Any]:
    response = client.get(URL, query)
    assert response.status_code == 200
    return list(response.context["hits"])


@pytest.mark.parametrize(
    ("typed", "found", "reason"),
    [
        ("Raheem", "Rahim Nasser", "given name spelled differently: Raheem / Rahim"),
        ("Aamal", "Amal", "same name, one letter apart: Aamal / Amal"),
        ("أمل", "Amal", "same name, in Arabic script: أمل / Amal"),
        ("Raheem Nasser", "Rahim Nasser", "given name spelled differently: Raheem / Rahim"),
    ],
)
def test_a_name_in_another_spelling_finds_the_person_with_the_reason_in_words(
    client: Client,
    registrar: Any,
    registered: dict[str, Person],
    typed: str,
    found: str,
    reason: str,
) -> None:
    client.force_login(registrar)
    hits = _hits(client, q=typed)
    assert hits and hits[0].person.full_name == found
    assert reason in hits[0].reason
    content = client.get(URL, {"q": typed}).content.decode()
    assert reason in content
    assert "is close to" not in content and "'" not in hits[0].reason


def test_a_hit_shows_age_sex_site_and_status(
    client: Client, registrar: Any, registered: dict[str, Person]
) -> None:
    client.force_login(registrar)
    content = client.get(URL, {"q": "Aamal"}).content.decode()
    for text in ("~27 years", "Female", "Desert Base", "Present"):
        assert text in content


def test_a_different_name_is_not_a_hit(
    client: Client, registrar: Any, registered: dict[str, Person]
) -> None:
    client.force_login(registrar)
    assert "Karim Nasser" not in [h.person.full_name for h in _hits(client, q="Raheem")]


def test_the_plain_filters_stay_filters_over_the_hits(
    client: Client, registrar: Any, registered: dict[str, Person]
) -> None:
    client.force_login(registrar)
    assert [h.person.full_name for h in _hits(client, q="Nasser", sex="male")] == [
        "Karim Nasser",
        "Rahim Nasser",
    ]
    assert [h.person.full_name for h in _hits(client, q="Nasser", age_band="60+")] == [
        "Rahim Nasser"
    ]
    assert _hits(client, q="Aamal", sex="male") == []


def test_the_find_page_leads_to_the_registry_box(
    client: Client, registrar: Any, registered: dict[str, Person]
) -> None:
    client.force_login(registrar)
    response = client.get("/search/", {"q": "Raheem", "sex": "male", "age": "60"})
    assert response.status_code == 302
    assert response["Location"] == "/people/?q=Raheem&sex=male"
    assert client.get("/search/")["Location"] == "/people/"


@pytest.mark.parametrize(
    ("typed", "given", "family", "words"),
    [
        ("Amel", "Amal", "", "same name, one letter apart: Amel / Amal"),
        ("Amal", "Amal", "", "same name"),
        ("Haddad", "Amal", "Haddad", "same family name"),
        (
            "Rahim Hadad",
            "Rahim",
            "Haddad",
            "same given name; family name one letter apart: Hadad / Haddad",
        ),
        ("Nasser Rahim", "Rahim", "Nasser", "same names in another order"),
        (
            "Leila Hadad",
            "Karima",
            "Haddad",
            "family name one letter apart: Hadad / Haddad; another given name: Karima",
        ),
        ("Leila Haddad", "Karima", "Haddad", "same family name; another given name: Karima"),
    ],
)
def test_the_reason_compares_the_names_as_written(
    typed: str, given: str, family: str, words: str
) -> None:
    assert match_explain(typed, given_name=given, family_name=family) == words


@pytest.mark.parametrize(
    ("given", "family", "unnamed"),
    [("Unknown", "", True), ("unknown", "", True), ("مجهول", "", True), ("Amal", "", False)],
)
def test_a_placeholder_name_says_the_person_is_unnamed(
    given: str, family: str, unnamed: bool
) -> None:
    assert person_is_unnamed(given, family) is unnamed


def test_a_download_of_a_search_holds_the_persons_the_box_found(
    client: Client, registrar: Any, registered: dict[str, Person]
) -> None:
    client.force_login(registrar)
    page = client.get(URL, {"q": "Raheem"}).content.decode()
    assert "/people/export/csv/?q=Raheem" in page
    rows = client.get("/people/export/csv/", {"q": "Raheem"}).content.decode().splitlines()
    assert len(rows) == 2 and "Rahim" in rows[1]  # the header, Rahim Nasser
    nobody = client.get("/people/export/csv/", {"q": "Zzyzx"}).content.decode().splitlines()
    assert len(nobody) == 1
