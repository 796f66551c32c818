"""In a real headless Chromium on a phone: a registrar opens the duplicates queue from the
menu, marks one pair "not the same person" (gone on reload), and merges another with a reason
after the confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lifeline.conftest import PASSWORD
from lifeline.core.models import Site
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, menu_go, shots_dir
from lifeline.people import services
from lifeline.people.matching import selectors as matching
from lifeline.people.models import Person

pytestmark = BROWSER_MARKS


def test_a_registrar_decides_two_pairs_of_the_queue_on_a_phone(
    live_server: Any, registrar: Any, site: Site, browser: Any
) -> None:
    matching.duplicates_forget()

    def register(given: str, family: str, age: int) -> Person:
        return services.person_register(
            actor=registrar, given_name=given, family_name=family, sex="male", age_years=age
        )

    rachid, rasheed = register("Rachid", "Benali", 40), register("Rasheed", "Ben Ali", 41)
    for given in ("Sohaib", "Shoaib"):  # a slip, and born the same day: one man
        services.person_register(
            actor=registrar, given_name=given, family_name="Karimi", sex="male",
            date_of_birth=dt.date(2001, 3, 14),
        )  # fmt: skip

    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", registrar.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    menu_go(page, "Duplicates")
    page.wait_for_url(f"{live_server.url}/duplicates/")
    pairs = page.locator("li.dup-pair")
    assert pairs.count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots_dir() / "lifeline-duplicates-queue-390.png"), full_page=True)

    karimi = pairs.filter(has_text="Shoaib")
    karimi.get_by_role("button", name="Not the same person").click()
    page.wait_for_load_state()
    assert "not the same person" in page.locator(".messages").inner_text()
    page.reload()
    assert page.locator("li.dup-pair").count() == 1
    assert "Shoaib" not in page.locator("main").inner_text()

    page.locator("li.dup-pair").get_by_role("link", name="Merge…").click()
    page.wait_for_url("**/duplicates/merge/**")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Why they are one person").fill("Same ration card, same father's name")
    page.screenshot(path=str(shots_dir() / "lifeline-duplicates-merge-390.png"), full_page=True)
    page.get_by_role("button", name="Merge", exact=True).click()
    page.wait_for_url(f"{live_server.url}/duplicates/")
    assert "merged into" in page.locator(".messages").inner_text()
    assert page.locator("li.dup-pair").count() == 0
    rasheed.refresh_from_db()
    assert rasheed.merged_into == rachid
    assert rachid.merges_kept.get().reason == "Same ration card, same father's name"
