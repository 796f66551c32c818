"""Signing in to the API, who am I, the sites, and what an unauthenticated caller gets."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lifeline.conftest import PASSWORD
from lifeline.core.models import AuditEntry, Site
from lifeline.core.services import site_ensure
from lifeline.people.models import Person

pytestmark = pytest.mark.django_db


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_token_obtained_with_a_password_works_for_the_api(registrar: Any, site: Site) -> None:
    client = APIClient()

    obtained = client.post(
        "/api/auth/token/", {"username": "registrar", "password": PASSWORD}, format="json"
    )
    client.credentials(HTTP_AUTHORIZATION=f"Token {obtained.json()['token']}")
    registered = client.post("/api/persons/", {"given_name": "Amal"}, format="json")

    assert obtained.status_code == 200
    assert registered.status_code == 201
    assert Person.objects.get(pk=registered.json()["id"]).given_name == "Amal"


def test_a_token_can_be_obtained_with_a_urlencoded_form_but_not_multipart(
    registrar: Any,
) -> None:
    multipart = APIClient().post(
        "/api/auth/token/",
        {"username": "registrar", "password": PASSWORD},
        format="multipart",
    )
    form = APIClient().post(
        "/api/auth/token/",
        f"username=registrar&password={PASSWORD}",
        content_type="application/x-www-form-urlencoded",
    )

    assert multipart.status_code == 415
    assert form.status_code == 200
    assert form.json()["token"] == Token.objects.get(user=registrar).key


def test_issuing_a_token_is_audited(registrar: Any) -> None:
    APIClient().post(
        "/api/auth/token/", {"username": "registrar", "password": PASSWORD}, format="json"
    )

    entry = AuditEntry.objects.get(action="auth.token")
    assert entry.actor == registrar


def test_a_wrong_password_gets_no_token(registrar: Any) -> None:
    response = APIClient().post(
        "/api/auth/token/", {"username": "registrar", "password": "guess"}, format="json"
    )

    assert response.status_code == 400
    assert "Unable to log in" in response.json()["error"]["message"]
    assert not Token.objects.exists()


def test_asking_for_a_token_without_a_password_names_the_field(registrar: Any) -> None:
    response = APIClient().post("/api/auth/token/", {"username": "registrar"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]


def test_an_oversized_token_request_is_a_413(registrar: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200

    response = APIClient().post(
        "/api/auth/token/",
        f"username=registrar&password={'x' * 500}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/persons/"),
        ("post", "/api/persons/"),
        ("get", "/api/persons/01900000-0000-7000-8000-000000000000/"),
        ("get", "/api/households/"),
        ("get", "/api/sites/"),
        ("get", "/api/me/"),
    ],
)
def test_an_unauthenticated_caller_gets_a_401_in_json(site: Site, method: str, path: str) -> None:
    before = Person.objects.count()

    response = getattr(APIClient(), method)(path, {"given_name": "Amal"}, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")
    assert Person.objects.count() == before


def test_a_bad_token_gets_a_401_in_json(site: Site) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get("/api/persons/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_signed_in_browser_session_needs_the_csrf_token_to_write(
    registrar: Any, site: Site
) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.login(request=HttpRequest(), username="registrar", password=PASSWORD)

    response = client.post("/api/persons/", {"given_name": "Amal"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    assert not Person.objects.exists()


def test_me_names_the_caller_and_their_roles(medic: Any, site: Site) -> None:
    response = api_as(medic).get("/api/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "medic"
    assert response.json()["roles"] == ["medic"]
    assert response.json()["site"] == site.code


def test_the_sites_are_listed_by_name(viewer: Any, site: Site) -> None:
    site_ensure(actor=None, code="forest-camp", name="Forest Camp", latitude=1.5, longitude=2.5)

    response = api_as(viewer).get("/api/sites/")

    assert response.status_code == 200
    body = response.json()
    assert [s["name"] for s in body["results"]] == ["Desert Base", "Forest Camp"]
    assert body["results"][1]["latitude"] == 1.5


def test_a_method_a_url_does_not_serve_is_a_405_listing_the_allowed_ones(
    viewer: Any, site: Site
) -> None:
    response = api_as(viewer).put("/api/persons/", {}, format="json")

    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_head_and_options_are_answered_on_a_shared_url(viewer: Any, site: Site) -> None:
    client = api_as(viewer)

    assert client.head("/api/persons/").status_code == 200
    assert client.options("/api/persons/").status_code == 200
