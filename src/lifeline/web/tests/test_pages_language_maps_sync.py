"""The map page (its layers' names), the basemap upload page, the Sync page and an exchange's
progress page in Arabic and in French, through the test client: no English left in the page's
text outside the names and addresses as entered."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from lifeline.core.language import user_language_set
from lifeline.core.models import Site
from lifeline.core.tests.i18n import english_left, main_text
from lifeline.routing import services as routing
from lifeline.sync.models import Exchange, Peer, PeerLink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_given_back() -> Any:
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_map_basemap_sync_and_exchange_pages_read_in_the_users_language(
    language: str, commander: Any, site: Site
) -> None:
    routing.graph_generate_demo(actor=commander)  # the map draws the town's streets
    camp = Site.objects.create(code="forest-camp", name="Forest Camp")
    peer = Peer.objects.create(site=camp, public_key=bytes(32))
    PeerLink.objects.create(peer=peer, url="http://10.0.0.2:8000")
    exchange = Exchange.objects.create(url="http://10.0.0.2:8000", peer=peer)
    exchange.phase, exchange.pulled, exchange.pull_total = "pull", 40, 120
    exchange.save()
    user_language_set(commander, language)
    client = Client()
    client.force_login(commander)
    data = (
        "Forest Camp",
        "forest-camp",
        "http://10.0.0.2:8000",
        site.name,
        site.code,
        commander.get_username(),
        commander.get_full_name(),
    )
    shown = {  # what each page must show, so that its words are checked
        "/routing/": 'id="route-map"',
        "/site/": 'action="/site/basemap/"',
        "/sync/": 'action="/sync/exchange/"',
        f"/sync/exchange/{exchange.pk}/": "data-exchange-running",
    }
    for url, part in shown.items():
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert part in page, url
        assert f'lang="{language}"' in page, url
        assert english_left(main_text(page), language, data) == [], url
