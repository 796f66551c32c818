"""The registrar's and the medic's days through the pages, on a phone (390 px), in a real
headless Chromium: the registrar registers an arrival, "Amel, 27, F", is warned that the
registry probably has her as Amal, and opens the existing person instead; the medic admits a
malnourished arrival through the pages, triages her and sees her on the board."""

from __future__ import annotations

from typing import Any

from lifeline.conftest import PASSWORD
from lifeline.core.models import Site
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, menu_go, shots_dir, sign_in
from lifeline.people import services
from lifeline.people.models import Person

pytestmark = BROWSER_MARKS


def _sign_in(page: Any, base: str, user: Any) -> None:
    page.set_default_timeout(15_000)
    sign_in(page, base, user.username, PASSWORD)


def _fits_the_phone(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_registrar_is_warned_of_a_likely_duplicate_and_opens_the_existing_person(
    live_server: Any, registrar: Any, site: Site, browser: Any
) -> None:
    amal = services.person_register(
        actor=registrar, given_name="Amal", sex="female", age_years=27, site=site
    )
    page = browser.pages[0] if browser.pages else browser.new_page()
    _sign_in(page, live_server.url, registrar)
    menu_go(page, "Register")
    page.wait_for_url(f"{live_server.url}/people/new/")
    page.fill("#id_given_name", "Amel")
    page.fill("#id_age_years", "27")
    page.select_option("#id_sex", "female")
    page.select_option("#id_site", site.code)
    page.click("button.primary:has-text('Register')")

    warning = page.locator(".duplicates-warning")
    warning.wait_for()
    text = warning.inner_text()
    assert "may be registered already" in text
    assert "Amal" in text and "27 years" in text and "Female" in text and site.name in text
    assert "one letter apart: Amel / Amal" in text
    assert not Person.objects.filter(given_name="Amel").exists()
    _fits_the_phone(page)
    page.screenshot(
        path=str(shots_dir() / "lifeline-registration-duplicate-phone.png"), full_page=True
    )

    warning.get_by_role("link", name="Open this person").click()
    page.wait_for_url(f"{live_server.url}/people/{amal.pk}/")
    assert not Person.objects.filter(given_name="Amel").exists()


def test_the_medic_admits_a_malnourished_arrival_triages_her_and_sees_her_on_the_board(
    live_server: Any, medic: Any, registrar: Any, site: Site, browser: Any
) -> None:
    services.person_register(
        actor=registrar, given_name="Salma", family_name="Idrissi", sex="female", age_years=24
    )
    page = browser.pages[0] if browser.pages else browser.new_page()
    _sign_in(page, live_server.url, medic)
    menu_go(page, "Patients")
    page.wait_for_url(f"{live_server.url}/care/")
    page.get_by_role("link", name="Admit a patient").click()
    page.fill("#id_q", "Selma Idrisi")
    page.click("form[role=search] button")
    page.locator("li.hit").filter(has_text="Salma Idrissi").get_by_role(
        "link", name="Admit"
    ).click()
    page.wait_for_selector("h1:has-text('Admit Salma Idrissi to care')")
    page.select_option("#id_condition", "malnourished")
    page.fill("#id_place", "Clinic tent")
    page.fill("#id_complaint", "Weak, thin, came in with the last convoy")
    _fits_the_phone(page)
    page.click("button:has-text('Admit and triage')")

    # START, one question at a time: she walks, so she is minor (green).
    page.wait_for_url("**/triage/")
    page.click("button[name=walks][value=yes]")
    page.locator("#record").click()
    page.wait_for_url(f"{live_server.url}/care/")
    minor = page.locator("section.care-group.minor")
    assert "Salma Idrissi" in minor.inner_text()
    assert "Clinic tent" in minor.inner_text()
    _fits_the_phone(page)
    page.screenshot(path=str(shots_dir() / "lifeline-medic-admits-phone.png"), full_page=True)
