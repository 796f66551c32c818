"""The facilities page on a phone in Arabic and in French: mirrored in Arabic, no wider than
the screen, and no English left outside the names and notes as they were entered."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.conftest import PASSWORD
from lifeline.core.clock import site_local
from lifeline.core.language import user_language_set
from lifeline.core.tests.browser import BROWSER_MARKS, shots_dir, sign_in
from lifeline.core.tests.i18n import english_left, page_fits, page_language
from lifeline.facilities import services

pytestmark = BROWSER_MARKS

# The data the page shows as it was entered: names and the work's title (and the product's).
DATA = ("Shelter B", "Well 2", "North wall", "Refit the roof sheets", "Lifeline")


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fr", "ltr")])
def test_the_facilities_page_reads_in_the_users_language_on_a_phone(
    live_server: Any, commander: Any, browser: Any, language: str, direction: str
) -> None:
    shelter = services.facility_register(
        actor=commander,
        name="Shelter B",
        kind="shelter",
        capacity=40,
        latitude=31.9,
        longitude=-4.4,
    )
    services.facility_register(actor=commander, name="Well 2", kind="well")
    services.facility_register(actor=commander, name="North wall", kind="wall")
    assessment = services.damage_assess(
        actor=commander,
        facility=shelter,
        severity=3,
        safe_to_use=False,
        damage="Roof sheets torn off",
        capacity_lost=40,
    )
    services.work_order_raise(
        actor=commander,
        facility=shelter,
        title="Refit the roof sheets",
        priority="urgent",
        assessment=assessment,
    )
    user_language_set(commander, language)
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, commander.username, PASSWORD)
    page.goto(f"{live_server.url}/facilities/")

    assert page_language(page) == (language, direction)
    assert page_fits(page)
    page.screenshot(path=str(shots_dir() / f"facilities-{language}.png"), full_page=True)
    main = page.inner_text("main")
    assert "Shelter B" in main  # the name as entered
    assert english_left(main, language, DATA) == []
    header = (commander.get_username(), site_local().name)
    rest = english_left(page.inner_text("body"), language, (*DATA, *header))
    assert rest == []  # the menu and the footer (web, core) too
