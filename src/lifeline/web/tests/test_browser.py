"""In a real headless Chromium: a registrar signs in, registers a person, finds them in the list.

The browser: lifeline.core.tests.browser (Debian's `chromium` through Playwright). Screenshots
on a phone and on a desktop.
"""

from __future__ import annotations

from typing import Any

from lifeline.conftest import PASSWORD
from lifeline.core.tests.browser import BROWSER_MARKS, DESKTOP, menu_go, shots_dir
from lifeline.people.models import Person

pytestmark = BROWSER_MARKS


def test_a_registrar_signs_in_registers_a_person_and_finds_them(
    live_server: Any, registrar: Any, browser: Any
) -> None:
    shots = shots_dir()
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/people/")
    assert "/login/" in page.url
    page.fill("#id_username", registrar.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/people/")

    menu_go(page, "Register")
    page.wait_for_url(f"{live_server.url}/people/new/")
    page.fill("#id_given_name", "Samira")
    page.fill("#id_family_name", "Okonkwo-Haddad")
    page.select_option("#id_sex", "female")
    page.fill("#id_age_years", "29")
    page.fill("#id_languages", "Arabic, Hausa")
    page.fill("#id_area", "Block D")
    page.screenshot(path=str(shots / "lifeline-register-phone.png"), full_page=True)
    page.click("button:has-text('Register')")

    page.wait_for_selector("text=Samira Okonkwo-Haddad is registered.")
    person = Person.objects.get(family_name="Okonkwo-Haddad")
    assert page.url == f"{live_server.url}/people/{person.pk}/"
    page.screenshot(path=str(shots / "lifeline-person-phone.png"), full_page=True)

    menu_go(page, "Registry")
    page.fill("#id_q", "okonkwo")
    page.click("form[role=search] button:has-text('Search')")
    page.wait_for_url("**/people/?q=okonkwo*")
    row = page.locator("ul.hits li.hit")  # the box searches in any spelling: hits, best first
    assert row.count() == 1
    assert "Samira Okonkwo-Haddad" in row.inner_text()
    assert "Present" in row.inner_text()
    page.screenshot(path=str(shots / "lifeline-registry-phone.png"), full_page=True)

    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(shots / "lifeline-registry-desktop.png"), full_page=True)
    row.locator("a").click()
    page.wait_for_url(f"{live_server.url}/people/{person.pk}/")
    page.screenshot(path=str(shots / "lifeline-person-desktop.png"), full_page=True)
    menu_go(page, "Home")
    page.wait_for_url(f"{live_server.url}/")
    page.screenshot(path=str(shots / "lifeline-home-desktop.png"), full_page=True)
