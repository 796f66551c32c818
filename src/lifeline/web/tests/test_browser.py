"""In a real headless Chromium: a registrar signs in, registers a person, finds them in the list.

Debian's `chromium` driven by Playwright through `executable_path`: no browser download. The
screenshots (phone and desktop) go to LIFELINE_SCREENSHOT_DIR, by default the temp folder.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lifeline.conftest import PASSWORD
from lifeline.people.models import Person

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt install chromium)"
    ),
]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# still plain synchronous calls, so Django's async-safety check must let them through.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _shots() -> Path:
    folder = Path(os.environ.get("LIFELINE_SCREENSHOT_DIR") or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=PHONE,
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
        )
        try:
            yield context
        finally:
            context.close()


def test_a_registrar_signs_in_registers_a_person_and_finds_them(
    live_server: Any, registrar: Any, browser: Any
) -> None:
    shots = _shots()
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/people/")
    assert "/login/" in page.url
    page.fill("#id_username", registrar.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/people/")

    page.click("nav >> text=Register")
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

    page.click("nav >> text=Registry")
    page.fill("#id_q", "okonkwo")
    page.click("form[role=search] button:has-text('Search')")
    page.wait_for_url("**/people/?q=okonkwo*")
    row = page.locator("table.people tbody tr")
    assert row.count() == 1
    assert "Samira Okonkwo-Haddad" in row.inner_text()
    assert "Present" in row.inner_text()
    page.screenshot(path=str(shots / "lifeline-registry-phone.png"), full_page=True)

    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(shots / "lifeline-registry-desktop.png"), full_page=True)
    row.locator("a").click()
    page.wait_for_url(f"{live_server.url}/people/{person.pk}/")
    page.screenshot(path=str(shots / "lifeline-person-desktop.png"), full_page=True)
    page.click("nav >> text=Home")
    page.wait_for_url(f"{live_server.url}/")
    page.screenshot(path=str(shots / "lifeline-home-desktop.png"), full_page=True)
