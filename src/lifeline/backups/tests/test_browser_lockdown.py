"""In a real headless Chromium on a phone: the commander sees the last backup on the Site page,
makes one, and locks the site down behind the confirmation page."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.conftest import PASSWORD
from lifeline.core.keys import keys_state
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, shots_dir

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_commander_backs_up_then_locks_the_site_down(
    live_server: Any, commander: Any, site_keys: Any, browser: Any
) -> None:
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(30_000)
    base = live_server.url
    page.goto(f"{base}/login/")
    page.fill("#id_username", commander.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/site/")
    assert "No good backup yet" in page.inner_text("#backups")
    page.get_by_role("button", name="Back up now").click()
    page.wait_for_url(f"{base}/site/")
    assert "Last good backup" in page.inner_text("#backups")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots_dir() / "lifeline-site-backups-phone.png"), full_page=True)

    page.get_by_role("link", name="Lock down…").click()
    page.wait_for_url(f"{base}/site/lockdown/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("I understand: destroy the key now").check()
    page.get_by_role("button", name="Destroy the key").click()
    page.get_by_role("heading", name="Locked down").wait_for()
    assert keys_state() == "locked"
