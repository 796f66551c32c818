"""In a real headless Chromium on a phone: a commander opens Sync from the menu and keeps the
value that lost a merge."""

from __future__ import annotations

from typing import Any

from lifeline.conftest import PASSWORD
from lifeline.core.models import Site
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, menu_go, shots_dir
from lifeline.web.tests.test_sync_pages import losing_note

pytestmark = BROWSER_MARKS


def test_on_a_phone_a_commander_keeps_the_value_that_lost(
    live_server: Any, commander: Any, site: Site, browser: Any
) -> None:
    person, _ = losing_note(site)
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", commander.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    menu_go(page, "Sync")
    page.wait_for_url(f"{live_server.url}/sync/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots_dir() / "lifeline-sync-phone.png"), full_page=True)
    page.get_by_role("button", name="Keep the other value").click()
    page.wait_for_url(f"{live_server.url}/sync/")
    assert "Nothing to review" in page.inner_text("main")
    person.refresh_from_db()
    assert person.notes == "tent 4"
