"""In a real headless Chromium: a registrar finds a child under another spelling in the
registry's search box; a protection officer files a tracing request, sees the match proposed
and confirms it.

The browser: lifeline.core.tests.browser (Debian's `chromium` through Playwright).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lifeline.conftest import PASSWORD
from lifeline.core.models import Site
from lifeline.core.tests.browser import BROWSER_MARKS, shots_dir
from lifeline.people import services
from lifeline.people.matching import index_store
from lifeline.people.models import TracingMatchStatus, TracingRequest, TracingStatus

pytestmark = BROWSER_MARKS


@pytest.fixture(autouse=True)
def fresh_index(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.VAR_DIR = tmp_path
    index_store.index_forget()
    yield
    index_store.index_forget()


def sign_in(page: Any, base: str, user: Any, then: str) -> None:
    page.goto(f"{base}{then}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{then}")


def test_a_registrar_finds_a_child_registered_under_another_spelling(
    live_server: Any,
    registrar: Any,
    site: Site,
    browser: Any,
) -> None:
    layla = services.person_register(
        actor=registrar, given_name="Layla", family_name="Al-Haddad", sex="female", age_years=9
    )
    services.person_register(
        actor=registrar, given_name="Karima", family_name="Haddad", sex="female", age_years=9
    )
    services.person_register(
        actor=registrar, given_name="Leila", family_name="Haddad", sex="female", age_years=61
    )
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, registrar, "/people/")

    page.fill("#id_q", "Leila Hadad")
    page.click("form[role=search] summary")
    page.select_option("#id_sex", "female")
    page.select_option("#id_age_band", "5-11")
    page.click("form[role=search] button:has-text('Apply')")
    page.wait_for_url("**/people/?q=Leila+Hadad*")
    first = page.locator("ul.hits li.hit").first
    assert "Layla Al-Haddad" in first.inner_text() and "9 years" in first.inner_text()
    assert "Leila / Layla" in first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots_dir() / "lifeline-find-variant-phone.png"), full_page=True)

    # The same child in Arabic script.
    page.fill("#id_q", "ليلى الحداد")
    page.click("form[role=search] .search button")
    page.wait_for_load_state()
    first = page.locator("ul.hits li.hit").first
    assert "Layla Al-Haddad" in first.inner_text()
    first.locator("a").click()
    page.wait_for_url(f"{live_server.url}/people/{layla.pk}/")


def test_a_protection_officer_files_a_request_and_confirms_the_match(
    live_server: Any,
    registrar: Any,
    protection_officer: Any,
    site: Site,
    browser: Any,
) -> None:
    boy = services.person_register(
        actor=registrar, given_name="Elias", family_name="Wali", sex="male", age_years=12
    )
    services.person_register(
        actor=registrar, given_name="Ilyas", family_name="Tazi", sex="male", age_years=40
    )
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, protection_officer, "/tracing/")

    page.fill("#id_given_name", "Ilyas")
    page.fill("#id_family_name", "Ouali")
    page.select_option("#id_sex", "male")
    page.fill("#id_age_years", "12")
    page.fill("#id_relation", "son")
    page.fill("#id_seeker_name", "Khadija Ouali")
    page.fill("#id_last_seen_place", "Ayoub's camp")
    page.click("button:has-text('File')")
    page.wait_for_selector("text=Request filed; 1 match proposed.")  # the plural said right
    request = TracingRequest.objects.get(given_name="Ilyas")
    assert page.url == f"{live_server.url}/tracing/{request.pk}/"
    row = page.locator("table.rows tbody tr")
    assert row.count() == 1 and "Elias Wali" in row.inner_text()
    page.screenshot(path=str(shots_dir() / "lifeline-tracing-match-phone.png"), full_page=True)

    row.locator("input[name=note]").fill("He knew his mother's name")
    row.locator("button:has-text('Confirm')").click()
    page.wait_for_selector("text=Confirmed: the family is linked and the request closed.")
    assert "Closed" in page.locator("dl.card").inner_text()
    request.refresh_from_db()
    assert request.status == TracingStatus.CLOSED and request.found_person == boy
    assert request.matches.get().status == TracingMatchStatus.CONFIRMED
    page.screenshot(path=str(shots_dir() / "lifeline-tracing-confirmed-phone.png"), full_page=True)
