"""The Sync page's "Exchange now": a commander starts an HTTP exchange with a peer from its
address, then follows its progress on a page reloaded by a static script while it runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lifeline.core.models import Site
from lifeline.sync import exchange_client
from lifeline.sync.models import Exchange, Peer, PeerLink

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def forest(site: Site) -> Peer:
    camp = Site.objects.create(code="forest-camp", name="Forest Camp")
    peer = Peer.objects.create(site=camp, public_key=bytes(32))
    PeerLink.objects.create(peer=peer, url="http://10.0.0.2:8000")
    return peer


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Exchange]:
    """Exchanges the page starts, not run (their run has its own tests)."""
    spawned: list[Exchange] = []
    monkeypatch.setattr(
        exchange_client, "exchange_spawn", lambda *, actor, record: spawned.append(record)
    )
    return spawned


def test_the_sync_page_offers_an_exchange_with_a_peer_at_its_known_address(
    commander: Any, forest: Peer
) -> None:
    text = _client(commander).get("/sync/").content.decode()
    assert "Exchange now" in text
    assert 'value="http://10.0.0.2:8000"' in text and 'value="forest-camp"' in text


def test_exchange_now_starts_it_and_shows_its_progress(
    commander: Any, forest: Peer, started: list[Exchange]
) -> None:
    client = _client(commander)
    done = client.post("/sync/exchange/", {"peer": "forest-camp", "url": "http://10.0.0.2:8000"})
    assert len(started) == 1 and started[0].peer == forest
    assert done.status_code == 302 and done["Location"] == f"/sync/exchange/{started[0].pk}/"
    record = started[0]
    record.phase, record.pulled, record.pull_total = "pull", 40, 120
    record.save()
    page = client.get(done["Location"]).content.decode()
    assert "Exchange with Forest Camp" in page and "Receiving the peer" in page
    assert "Received: 40 of 120 changes" in page
    assert "data-exchange-running" in page and "web/sync_exchange.js" in page
    assert "<script>" not in page
    record.state, record.finished_at = Exchange.State.DONE, record.updated_at
    record.pushed = record.push_total = 7
    record.save()
    page = client.get(done["Location"]).content.decode()
    assert "Done" in page and "Sent: 7 of 7 changes" in page
    assert "data-exchange-running" not in page
    # The Sync page lists it.
    assert f"/sync/exchange/{record.pk}/" in client.get("/sync/").content.decode()


def test_a_failed_exchange_says_why(commander: Any, forest: Peer) -> None:
    record = Exchange.objects.create(
        url="http://10.0.0.2:8000",
        peer=forest,
        state=Exchange.State.FAILED,
        message="http://10.0.0.2:8000 could not be reached in time",
    )
    page = _client(commander).get(f"/sync/exchange/{record.pk}/").content.decode()
    assert "Stopped: http://10.0.0.2:8000 could not be reached in time" in page


@pytest.mark.parametrize("url", ["", "10.0.0.2:8000", "ftp://x", "http://x/?q=1"])
def test_a_bad_address_is_refused_with_a_message_and_nothing_starts(
    commander: Any, forest: Peer, started: list[Exchange], url: str
) -> None:
    client = _client(commander)
    done = client.post("/sync/exchange/", {"peer": "forest-camp", "url": url}, follow=True)
    assert "Not started: url:" in done.content.decode()
    assert started == [] and not Exchange.objects.exists()


def test_an_unknown_peer_is_refused(commander: Any, site: Site, started: list[Exchange]) -> None:
    done = _client(commander).post(
        "/sync/exchange/", {"peer": "nowhere", "url": "http://10.0.0.2:8000"}, follow=True
    )
    assert "no peer site" in done.content.decode() and started == []


def test_a_role_that_may_not_exchange_is_refused(
    registrar: Any, viewer: Any, forest: Peer, started: list[Exchange]
) -> None:
    record = Exchange.objects.create(url="http://10.0.0.2:8000", peer=forest)
    assert _client(registrar).post("/sync/exchange/", {"url": "http://x"}).status_code == 403
    assert _client(viewer).get(f"/sync/exchange/{record.pk}/").status_code == 403
    assert started == []


def test_a_running_exchange_without_progress_for_minutes_is_shown_stopped(
    commander: Any, forest: Peer
) -> None:
    record = Exchange.objects.create(url="http://10.0.0.2:8000", peer=forest)
    assert record.state == Exchange.State.RUNNING and not exchange_client.exchange_stalled(record)
    page = _client(commander).get(f"/sync/exchange/{record.pk}/").content.decode()
    assert "data-exchange-running" in page
    long_ago = timezone.now() - exchange_client.STALLED_AFTER - timedelta(seconds=1)
    Exchange.objects.filter(pk=record.pk).update(updated_at=long_ago)
    record.refresh_from_db()
    assert exchange_client.exchange_stalled(record)
    page = _client(commander).get(f"/sync/exchange/{record.pk}/").content.decode()
    assert "data-exchange-running" not in page


def test_the_peer_line_says_when_changes_last_went_and_came_by_any_transport(
    commander: Any, forest: Peer
) -> None:
    client = _client(commander)
    assert client.get("/sync/").content.decode().count("never") == 2
    forest.last_sent_at = forest.last_received_at = timezone.now()
    forest.save()
    text = client.get("/sync/").content.decode()
    assert "Changes last sent to it:" in text and "Changes last received from it:" in text
    assert "never" not in text
