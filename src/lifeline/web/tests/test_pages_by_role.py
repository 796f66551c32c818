"""Every page opens for every role, and shows each role only what it may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.people.models import Household, Person
from lifeline.web.tests.conftest import ROLES, role_may

pytestmark = pytest.mark.django_db


def _signed_in(client: Client, request: pytest.FixtureRequest, role: str) -> Any:
    user = request.getfixturevalue(role)
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "page", ["home", "person_list", "person_detail", "household_list", "household_detail"]
)
def test_every_page_opens_for_every_role(
    client: Client,
    request: pytest.FixtureRequest,
    role: str,
    page: str,
    amal: Person,
    household: Household,
) -> None:
    _signed_in(client, request, role)
    kwargs = {
        "person_detail": {"person_id": amal.pk},
        "household_detail": {"household_id": household.pk},
    }.get(page, {})
    response = client.get(reverse(f"web:{page}", kwargs=kwargs))
    assert response.status_code == 200
    assert b"Lifeline" in response.content


@pytest.mark.parametrize("page", ["home", "person_list", "person_new", "household_list"])
def test_a_stranger_is_sent_to_sign_in(client: Client, page: str) -> None:
    response = client.get(reverse(f"web:{page}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_signing_in_and_out(client: Client, registrar: Any) -> None:
    from lifeline.conftest import PASSWORD

    response = client.post(
        reverse("web:login"), {"username": "registrar", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("web:home")
    assert b"Log out" in response.content
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client: Client, registrar: Any) -> None:
    response = client.post(reverse("web:login"), {"username": "registrar", "password": "nope"})
    assert response.status_code == 200
    assert b"do not match" in response.content


@pytest.mark.parametrize("role", ROLES)
def test_only_roles_that_may_register_see_the_register_button(
    client: Client, request: pytest.FixtureRequest, role: str
) -> None:
    _signed_in(client, request, role)
    for page in ("home", "person_list"):
        content = client.get(reverse(f"web:{page}")).content.decode()
        assert (reverse("web:person_new") in content) is role_may(role, "people.add_person")


@pytest.mark.parametrize("role", ROLES)
def test_a_persons_location_shows_only_to_roles_that_may_see_it(
    client: Client, request: pytest.FixtureRequest, role: str, amal: Person
) -> None:
    _signed_in(client, request, role)
    sees_location = role_may(role, "people.view_location")
    content = client.get(reverse("web:person_detail", kwargs={"person_id": amal.pk})).content
    assert (b"Clinic tent" in content) is sees_location
    assert (b"31.51234" in content) is sees_location
    assert b"Desert Base" in content  # the site is not protected


@pytest.mark.parametrize("role", ROLES)
def test_conditions_show_only_to_roles_that_may_see_them(
    client: Client, request: pytest.FixtureRequest, role: str, amal: Person
) -> None:
    _signed_in(client, request, role)
    sees_wounded = role_may(role, "people.view_medical")
    sees_unaccompanied = role_may(role, "people.view_protection")
    content = client.get(reverse("web:person_detail", kwargs={"person_id": amal.pk})).content
    # The current conditions and the history; the recording form lists every condition's name.
    assert (b">Wounded</li>" in content) is sees_wounded
    assert (b"Wounded: observed" in content) is sees_wounded
    assert (b">Unaccompanied child</li>" in content) is sees_unaccompanied
    assert (b"Unaccompanied child: observed" in content) is sees_unaccompanied


def test_the_role_table_still_has_roles_on_both_sides_of_each_rule() -> None:
    """The tests above prove something only while some role may and some may not."""
    for perm in (
        "people.add_person",
        "people.view_location",
        "people.view_medical",
        "people.view_protection",
        "people.record_status",
        "people.record_condition",
    ):
        answers = {role_may(role, perm) for role in ROLES}
        assert answers == {True, False}, perm


@pytest.mark.parametrize("role", ROLES)
def test_a_households_shelter_shows_only_to_roles_that_see_locations(
    client: Client,
    request: pytest.FixtureRequest,
    role: str,
    household: Household,
    amal: Person,
) -> None:
    _signed_in(client, request, role)
    sees_shelter = role_may(role, "people.view_location")
    detail = client.get(reverse("web:household_detail", kwargs={"household_id": household.pk}))
    listing = client.get(reverse("web:household_list"))
    for response in (detail, listing):
        assert (b"Tent 12" in response.content) is sees_shelter
    assert b"Amal Haddad" in detail.content
    assert b"DB-0042" in listing.content


def test_the_home_page_counts_people_by_status(client: Client, viewer: Any, amal: Person) -> None:
    client.force_login(viewer)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    rows = {value: n for value, _label, n in response.context["picture"].people.by_status}
    assert rows["present"] == 1
    assert rows["missing"] == 0
