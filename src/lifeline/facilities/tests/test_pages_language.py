"""Every page of facilities and the watch in Arabic and in French, through the test client: no
English left in the page's text outside the names and notes as entered (the browser tests prove
the mirroring and the width of the main one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from lifeline.core.language import user_language_set
from lifeline.core.tests.i18n import english_left, main_text
from lifeline.facilities import services
from lifeline.intel.models import WatchPost

pytestmark = pytest.mark.django_db

DATA = ("Shelter B", "Refit the roof sheets", "Roof sheets torn off", "North gate", "Ridge")


@pytest.fixture(autouse=True)
def _language_given_back() -> Any:
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_every_facilities_page_reads_in_the_users_language(
    language: str, commander: Any, field_team: Any, shelter: Any, posts: list[WatchPost]
) -> None:
    assessment = services.damage_assess(
        actor=commander,
        facility=shelter,
        severity=2,
        safe_to_use=False,
        damage="Roof sheets torn off",
        capacity_lost=10,
    )
    order = services.work_order_raise(
        actor=commander, facility=shelter, title="Refit the roof sheets", assessment=assessment
    )
    services.work_order_start(actor=commander, order=order)
    tonight = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    shift = services.shift_plan(
        actor=commander,
        post=posts[0],
        starts_at=tonight,
        ends_at=tonight + dt.timedelta(hours=12),
        user=commander,
    )
    services.shift_plan(
        actor=commander,
        post=posts[1],
        starts_at=tonight + dt.timedelta(hours=1),
        ends_at=tonight + dt.timedelta(hours=3),
        user=field_team,
    )  # the Ridge is left open after: the roster flags it
    user_language_set(commander, language)
    client = Client()
    client.force_login(commander)
    data = (*DATA, *(u.get_username() for u in (commander, field_team)))
    data += tuple(u.get_full_name() for u in (commander, field_team))
    for url in (
        reverse("facilities:list"),
        reverse("facilities:new"),
        reverse("facilities:detail", args=[shelter.pk]),
        reverse("facilities:assess", args=[shelter.pk]),
        reverse("facilities:work_new", args=[shelter.pk]) + f"?assessment={assessment.pk}",
        reverse("facilities:work", args=[order.pk]),
        reverse("facilities:roster") + "?start=tonight",
        reverse("facilities:mine"),
        reverse("facilities:shift", args=[shift.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()
        text = main_text(response.content.decode())
        assert english_left(text, language, [d for d in data if d]) == [], url
