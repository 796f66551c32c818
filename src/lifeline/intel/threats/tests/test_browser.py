"""On a phone, in a real headless Chromium: the watch logs hostiles seen from a post, and the
sighting it makes is on the threats page."""

from __future__ import annotations

from typing import Any

from lifeline.conftest import PASSWORD
from lifeline.core.models import Site
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, menu_go, shots_dir
from lifeline.intel.models import Sighting
from lifeline.intel.threats.services import hostile_group_create, watch_post_create

pytestmark = BROWSER_MARKS


def test_the_watch_logs_hostiles_from_a_phone(
    live_server: Any, site: Site, commander: Any, field_team: Any, browser: Any
) -> None:
    watch_post_create(actor=commander, name="Ridge", latitude=31.9466, longitude=-4.3984)
    hostile_group_create(actor=commander, name="Jace's band", leader="Jace")
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/intel/watch/")
    page.fill("#id_username", field_team.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/intel/watch/")
    # One column on a phone: the form is no wider than the screen.
    width = page.evaluate("document.querySelector('form.phone-form').scrollWidth")
    assert width <= PHONE["width"]
    page.select_option("#id_seen", "hostile")
    page.fill("#id_count", "3")
    page.select_option("#id_direction", "ne")
    page.fill("#id_distance_m", "700")
    page.select_option("#id_hostile_group", label="Jace's band")
    page.select_option("#id_confidence", "high")
    page.screenshot(path=str(shots_dir() / "lifeline-watch-phone.png"), full_page=True)
    page.click("button:has-text('Log it')")
    page.wait_for_selector("text=A sighting was recorded")
    assert "Hostile" in page.inner_text("#perimeter-log")
    sighting = Sighting.objects.select_related("hostile_group").get()
    assert sighting.hostile_group is not None
    assert (sighting.count, sighting.hostile_group.name) == (3, "Jace's band")
    menu_go(page, "Threats")
    page.wait_for_url(f"{live_server.url}/intel/groups/")
    assert "seen from Ridge, 700 m north-east" in page.inner_text("main")
