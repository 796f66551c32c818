"""In a real headless Chromium on a phone: a commander presses "Exchange now" for a peer and
follows the exchange's progress, which the page shows by reloading itself (a static script)
until it is done."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.conftest import PASSWORD
from lifeline.core.models import Site
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, menu_go, shots_dir, sign_in
from lifeline.sync import exchange_client
from lifeline.sync.models import Exchange, Peer, PeerLink

pytestmark = BROWSER_MARKS


def test_on_a_phone_a_commander_starts_an_exchange_and_sees_it_progress(
    live_server: Any, commander: Any, site: Site, browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    camp = Site.objects.create(code="forest-camp", name="Forest Camp")
    peer = Peer.objects.create(site=camp, public_key=bytes(32))
    PeerLink.objects.create(peer=peer, url="http://10.0.0.2:8000")
    # The run itself has its own tests; here the page follows what the record says.
    monkeypatch.setattr(exchange_client, "exchange_spawn", lambda *, actor, record: None)
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, commander.username, PASSWORD)
    menu_go(page, "Sync")
    page.wait_for_url(f"{live_server.url}/sync/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots_dir() / "lifeline-sync-peer-phone.png"), full_page=True)
    page.get_by_role("button", name="Exchange now").click()
    page.wait_for_url(f"{live_server.url}/sync/exchange/**")
    record = Exchange.objects.get()
    Exchange.objects.filter(pk=record.pk).update(phase="pull", pulled=50, pull_total=100)
    page.get_by_text("Received: 50 of 100 changes").wait_for()  # reloaded by itself
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots_dir() / "lifeline-sync-exchange-phone.png"), full_page=True)
    Exchange.objects.filter(pk=record.pk).update(
        state=Exchange.State.DONE, pulled=100, pushed=3, push_total=3, finished_at=record.started_at
    )
    page.get_by_text("Sent: 3 of 3 changes").wait_for()
    assert "both sites have each other's changes" in page.inner_text("main")
