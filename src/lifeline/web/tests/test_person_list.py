"""The registry list: search, filters, pages, and a query count that does not grow with rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lifeline.core.models import Site
from lifeline.people import services
from lifeline.people.models import Person

pytestmark = pytest.mark.django_db

URL = "/people/"


def _register(actor: Any, given: str, family: str, **kwargs: Any) -> Person:
    return services.person_register(actor=actor, given_name=given, family_name=family, **kwargs)


def _names(response: Any) -> list[str]:
    """The names shown: the search's hits when a name was typed, else the list's page."""
    if response.context["hits"] is not None:
        return [hit.person.full_name for hit in response.context["hits"]]
    return [p.full_name for p in response.context["page"].object_list]


@pytest.fixture
def people(commander: Any, site: Site) -> dict[str, Person]:
    today = timezone.localdate()
    return {
        "amal": _register(
            commander, "Amal", "Haddad", sex="female", age_years=34, conditions=["wounded"]
        ),
        "rahim": _register(commander, "Rahim", "Nasser", sex="male", age_years=61),
        "lina": _register(
            commander,
            "Lina",
            "Haddad",
            sex="female",
            date_of_birth=today - dt.timedelta(days=365 * 7),
            status="missing",
        ),
        "jose": _register(commander, "José", "Álvarez", sex="male", age_years=40),
    }


def test_the_list_url_is_people() -> None:
    assert reverse("web:person_list") == URL


def test_a_name_search_finds_people_whatever_the_accents(
    client: Client, viewer: Any, people: dict[str, Person]
) -> None:
    client.force_login(viewer)
    assert _names(client.get(URL, {"q": "haddad"})) == ["Amal Haddad", "Lina Haddad"]
    assert _names(client.get(URL, {"q": "jose alvarez"})) == ["José Álvarez"]
    response = client.get(URL, {"q": "nobody-by-this-name"})
    assert _names(response) == []
    assert b"Nobody has a name like this" in response.content


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "missing"}, ["Lina Haddad"]),
        ({"sex": "male"}, ["José Álvarez", "Rahim Nasser"]),
        ({"age_band": "60+"}, ["Rahim Nasser"]),
        ({"age_band": "5-11"}, ["Lina Haddad"]),
        ({"site": "desert-base", "q": "amal"}, ["Amal Haddad"]),
        ({"condition": "wounded"}, ["Amal Haddad"]),
    ],
)
def test_filters_narrow_the_list(
    client: Client,
    commander: Any,
    people: dict[str, Person],
    filters: dict[str, str],
    expected: list[str],
) -> None:
    client.force_login(commander)
    response = client.get(URL, filters)
    assert response.status_code == 200
    # Sorted here: how "Álvarez" sorts against "Nasser" is the database's collation.
    assert sorted(_names(response)) == sorted(expected)


def test_a_row_shows_name_sex_age_status_site_and_links_to_the_person(
    client: Client, viewer: Any, people: dict[str, Person]
) -> None:
    client.force_login(viewer)
    content = client.get(URL, {"q": "rahim"}).content.decode()
    rahim = people["rahim"]
    assert reverse("web:person_detail", kwargs={"person_id": rahim.pk}) in content
    for text in ("Rahim Nasser", "Male", "~61 years", "Present", "Desert Base"):
        assert text in content


def test_condition_choices_are_only_those_the_role_may_see(
    client: Client, medic: Any, viewer: Any, people: dict[str, Person]
) -> None:
    client.force_login(medic)
    choices = dict(client.get(URL).context["form"].fields["condition"].choices)
    assert "wounded" in choices and "unaccompanied_child" not in choices
    client.force_login(viewer)
    response = client.get(URL)
    assert response.context["form"].fields["condition"].choices == []
    assert b'name="condition"' not in response.content


def test_a_viewer_cannot_filter_by_a_condition(
    client: Client, viewer: Any, people: dict[str, Person]
) -> None:
    client.force_login(viewer)
    response = client.get(URL, {"condition": "wounded"})
    assert response.status_code == 403
    assert b"may not filter by the condition" in response.content


def test_a_bad_filter_is_named_on_the_form(
    client: Client, viewer: Any, people: dict[str, Person]
) -> None:
    client.force_login(viewer)
    response = client.get(URL, {"status": "asleep", "q": "amal"})
    assert response.status_code == 400
    assert response.context["page"] is None
    assert response.context["form"].fields["status"].errors
    assert b'id="id_status_error"' in response.content
    assert b'value="amal"' in response.content


def test_the_list_is_paged_by_fifty_and_keeps_the_filters(
    client: Client, registrar: Any, site: Site
) -> None:
    for i in range(55):
        _register(registrar, f"Person{i:02d}", "Camp", sex="female")
    client.force_login(registrar)
    first = client.get(URL, {"sex": "female"})
    assert len(first.context["page"].object_list) == 50
    assert b"55 people found" in first.content
    assert b"?sex=female&amp;page=2" in first.content
    second = client.get(URL, {"sex": "female", "page": "2"})
    assert len(second.context["page"].object_list) == 5


def test_the_count_stops_at_the_cap(
    client: Client, registrar: Any, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lifeline.core.paging import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    for i in range(5):
        _register(registrar, f"Person{i}", "Camp")
    client.force_login(registrar)
    response = client.get(URL)
    assert b"More than 3 people found" in response.content


@pytest.mark.parametrize("rows", [3, 60])
def test_the_list_makes_the_same_few_queries_however_many_rows(
    client: Client,
    registrar: Any,
    site: Site,
    rows: int,
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(rows):
        _register(registrar, f"Person{i:02d}", "Camp", age_years=20 + i % 50)
    client.force_login(registrar)
    # Session, user, permissions (user's and groups'), sites for the filter, the capped count,
    # the site name, roles and open alerts in the header, the page of rows: ten, for 3 rows or
    # 60.
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"status": "present"})
    assert response.status_code == 200
    # A name searched: the name index catching up with the change log (three), the candidates'
    # scored columns, the persons shown and the filters over them (three) in place of the page
    # of rows: fourteen, not one per hit.
    with django_assert_max_num_queries(14):
        response = client.get(URL, {"q": "camp", "status": "present"})
    assert response.status_code == 200 and len(response.context["hits"]) == min(rows, 100)
