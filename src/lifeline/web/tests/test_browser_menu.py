"""In a real headless Chromium: a medic reaches Care in two taps on a phone, and sees every
group of the menu without a tap on a tablet and a desktop."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.conftest import PASSWORD
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, TABLET, shots_dir, sign_in

pytestmark = BROWSER_MARKS
DESKTOP_WIDE = {"width": 1440, "height": 900}


def test_on_a_phone_a_medic_reaches_care_in_two_taps_and_sees_where_they_are(
    live_server: Any, medic: Any, browser: Any
) -> None:
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, medic.username, PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    patients = nav.get_by_role("link", name="Patients", exact=True)
    assert page.inner_text("details.menu > summary").split() == ["Menu", "Home"]
    assert not patients.is_visible()

    page.click("details.menu > summary")  # one
    assert patients.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    patients.click()  # two
    page.wait_for_url(f"{live_server.url}/care/")
    assert page.inner_text("details.menu > summary .here") == "Patients"
    assert not patients.is_visible()  # a new page starts with the menu closed


@pytest.mark.parametrize("viewport", [TABLET, DESKTOP_WIDE], ids=["tablet", "desktop"])
def test_from_a_tablet_up_every_group_shows_without_a_tap(
    live_server: Any, commander: Any, browser: Any, viewport: dict[str, int]
) -> None:
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_viewport_size(viewport)
    sign_in(page, live_server.url, commander.username, PASSWORD)
    assert not page.locator("details.menu > summary").is_visible()
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    assert links.count() > 15
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert links.nth(i).is_visible()
        assert box is not None and box["x"] + box["width"] <= viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(shots_dir() / f"lifeline-menu-commander-{viewport['width']}.png"))
