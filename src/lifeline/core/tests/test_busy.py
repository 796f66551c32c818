"""A database that stays busy answers 503 with Retry-After (JSON for the API), not a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from rest_framework.test import APIClient

from lifeline.people import selectors

pytestmark = pytest.mark.django_db


def _locked(**kwargs: Any) -> Any:
    raise OperationalError("database is locked")


def test_the_api_answers_503_json_with_retry_after_when_the_database_stays_locked(
    viewer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "household_list", _locked)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(viewer)

    response = client.get("/api/households/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "busy"


def test_a_page_answers_503_with_retry_after_when_the_database_stays_locked(
    viewer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "household_list", _locked)
    client = Client(raise_request_exception=False)
    client.force_login(viewer)

    response = client.get("/households/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"The database is busy" in response.content


def test_another_database_error_is_still_a_500(
    viewer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise OperationalError("no such table: people_household")

    monkeypatch.setattr(selectors, "household_list", broken)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(viewer)
    assert client.get("/api/households/").status_code == 500
