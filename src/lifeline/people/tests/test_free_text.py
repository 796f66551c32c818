"""Free text is shown only to the roles that write it or may know what it says: a viewer is
not told that a person was "admitted to care", nor a child's protection situation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from lifeline.core.models import Site
from lifeline.people import services

pytestmark = pytest.mark.django_db

NOTE = "lost both parents at the checkpoint; protection case"


@pytest.fixture
def sami(registrar: Any, site: Site) -> Any:
    person = services.person_register(actor=registrar, given_name="Sami", notes=NOTE)
    services.person_status_record(
        actor=registrar, person=person, status="in_care", note="admitted to care"
    )
    return person


def detail(user: Any, person: Any) -> dict[str, Any]:
    client = APIClient()
    client.force_authenticate(user)
    return dict(client.get(f"/api/persons/{person.pk}/").json())


@pytest.mark.parametrize("role", ["viewer", "logistics"])
def test_a_role_that_may_not_know_reads_no_notes(
    role: str, request: pytest.FixtureRequest, sami: Any
) -> None:
    body = detail(request.getfixturevalue(role), sami)
    text = str(body)
    assert body["notes"] == ""
    assert "admitted to care" not in text and "protection case" not in text
    page = Client()
    page.force_login(request.getfixturevalue(role))
    html = page.get(f"/people/{sami.pk}/").content.decode()
    assert "admitted to care" not in html and "protection case" not in html


@pytest.mark.parametrize("role", ["registrar", "medic", "protection_officer"])
def test_the_roles_that_write_or_may_know_read_them(
    role: str, request: pytest.FixtureRequest, sami: Any
) -> None:
    body = detail(request.getfixturevalue(role), sami)
    assert body["notes"] == NOTE
    assert any("admitted to care" in entry["detail"] for entry in body["timeline"])
