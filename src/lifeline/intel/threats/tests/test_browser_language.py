"""The threat pages on a phone in Arabic and in French: the hostile groups with their
sightings, and the perimeter log. Mirrored in Arabic, no wider than the screen, and no English
left outside the names and notes as they were entered."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.conftest import PASSWORD
from lifeline.core.clock import site_local
from lifeline.core.language import user_language_set
from lifeline.core.models import Site
from lifeline.core.tests.browser import BROWSER_MARKS, shots_dir, sign_in
from lifeline.core.tests.i18n import english_left, page_fits, page_language
from lifeline.intel.models import WatchSeen
from lifeline.intel.threats.services import (
    hostile_group_create,
    perimeter_log,
    sighting_record,
    watch_post_create,
)

pytestmark = BROWSER_MARKS

# The data the pages show as it was entered (and the product's name).
DATA = ("Jace's band", "Jace", "Ridge", "Lifeline")


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fr", "ltr")])
def test_the_threat_pages_read_in_the_users_language_on_a_phone(
    live_server: Any, site: Site, commander: Any, browser: Any, language: str, direction: str
) -> None:
    group = hostile_group_create(
        actor=commander, name="Jace's band", leader="Jace", size_estimate=8
    )
    sighting_record(
        actor=commander, latitude=31.95, longitude=-4.40, count=5, confidence=0.9, group_name="Jace"
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
        confidence=0.9,
    )
    user_language_set(commander, language)
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, commander.username, PASSWORD)
    header = (commander.get_username(), site_local().name)

    for path, shot in (("/intel/groups/", "threats"), ("/intel/watch/", "perimeter-log")):
        page.goto(f"{live_server.url}{path}")
        assert page_language(page) == (language, direction)
        assert page_fits(page)
        page.screenshot(path=str(shots_dir() / f"{shot}-{language}.png"), full_page=True)
        main = page.inner_text("main")
        assert "Jace's band" in main  # the name as entered
        assert english_left(main, language, (*DATA, *header)) == [], path
    rest = english_left(page.inner_text("body"), language, (*DATA, *header))
    assert rest == []  # the menu and the footer (web, core) too
