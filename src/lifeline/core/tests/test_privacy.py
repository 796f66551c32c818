"""Nothing protected left on phones: protected pages are not cached, an idle session ends,
signing out clears the browser's cache and storage."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.core.privacy import SEEN_KEY
from lifeline.people import services as people

pytestmark = pytest.mark.django_db


def test_a_persons_record_is_sent_with_no_store(registrar: Any, site: Any) -> None:
    person = people.person_register(actor=registrar, given_name="Amal", family_name="Haddad")
    page = Client()
    page.force_login(registrar)
    for url in (
        reverse("web:person_detail", args=[person.pk]),
        reverse("web:person_list"),
        f"/api/persons/{person.pk}/",
    ):
        response = page.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url


def test_a_session_idle_longer_than_the_setting_ends(
    registrar: Any, site: Any, settings: Any
) -> None:
    settings.LIFELINE_SESSION_IDLE_MINUTES = 30
    page = Client()
    page.force_login(registrar)
    assert page.get(reverse("web:person_list")).status_code == 200

    session = page.session
    session[SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = page.get(reverse("web:person_list"))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]
    assert page.get(reverse("web:person_list")).status_code == 302  # signed out


def test_signing_out_clears_the_browsers_cache_and_storage(registrar: Any) -> None:
    page = Client()
    page.force_login(registrar)
    response = page.post(reverse("web:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
