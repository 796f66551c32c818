"""The threat pages in Arabic and in French, through the test client: no English left in the
page's text outside the names and notes as entered; the sighting's source and its direction
from the post read in the user's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lifeline.core.language import user_language_set
from lifeline.core.models import Site
from lifeline.core.tests.i18n import english_left, main_text
from lifeline.intel.models import WatchSeen
from lifeline.intel.threats.services import (
    hostile_group_create,
    perimeter_log,
    sighting_record,
    watch_post_create,
)

pytestmark = pytest.mark.django_db

DATA = ("Jace's band", "Jace", "Ridge", "Moving west", "Three armed men")


@pytest.fixture(autouse=True)
def _language_given_back() -> Any:
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.mark.parametrize(
    ("language", "seen_from"),
    [
        ("ar", "رُصد من Ridge، على بعد 700 م باتجاه الشمال الشرقي"),
        ("fr", "vu depuis Ridge, à 700 m direction nord-est"),
    ],
)
def test_every_threat_page_reads_in_the_users_language(
    language: str, seen_from: str, site: Site, commander: Any
) -> None:
    group = hostile_group_create(
        actor=commander, name="Jace's band", leader="Jace", size_estimate=8
    )
    sighting_record(
        actor=commander,
        latitude=31.95,
        longitude=-4.40,
        count=5,
        confidence=0.9,
        group_name="Jace",
        notes="Moving west",
    )
    post = watch_post_create(actor=commander, name="Ridge", latitude=31.9466, longitude=-4.3984)
    perimeter_log(
        actor=commander,
        post=post,
        seen=WatchSeen.HOSTILE,
        count=3,
        direction="ne",
        distance_m=700,
        hostile_group=group,
        notes="Three armed men",
    )
    user_language_set(commander, language)
    client = Client()
    client.force_login(commander)
    data = (*DATA, commander.get_username())
    pages = {}
    for url in (
        reverse("intel:groups"),
        reverse("intel:group_detail", kwargs={"group_id": group.pk}),
        reverse("intel:watch"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()
        pages[url] = main_text(response.content.decode())
        assert english_left(pages[url], language, data) == [], url
    assert seen_from in pages[reverse("intel:groups")]
