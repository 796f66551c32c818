"""In a real headless Chromium on a phone (390 px): the home page in Arabic is mirrored (right to
left), fits the screen and shows no English outside names and codes; the same in French; the
menu opens from the start edge (the right, in Arabic); the login page follows the browser's
language; and a user's choice of language follows them to their next sign-in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from lifeline.conftest import PASSWORD
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, shots_dir, sign_in
from lifeline.core.tests.i18n import LOCALE_ROOT, english_left, po_entries

pytestmark = BROWSER_MARKS

# What people typed, kept as it was entered: names, places, codes (never translated).
ENTERED = (
    "core.Site",
    "people.Person",
    "people.Household",
    "missions.Mission",
    "missions.Vehicle",
    "missions.MissionPoint",
    "supplies.Item",
    "supplies.Location",
    "supplies.DistributionPoint",
    "intel.HostileGroup",
    "intel.WatchPost",
    "facilities.Facility",
    "facilities.WorkOrder",
    "routing.ThreatZone",
    "auth.User",
)


def _english_left(english: list[str]) -> None:
    assert english == [], " ".join(sorted(set(english)))


# The visible texts the shell writes itself: the header and menu, headings, table heads,
# buttons, labels (the counts' labels and the alerts' titles come from the other apps).
SHELL_TEXT_NODES = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    const text = node.textContent.trim();
    if (!text || !parent || !parent.closest(
        'header, h1, h2, h3, th, button, label, summary, figcaption, nav, .pager')) continue;
    const box = parent.getBoundingClientRect();
    if (box.width > 0 && box.height > 0) found.push(text);
  }
  return found;
}"""


def _entered_words() -> set[str]:
    words: set[str] = set()
    for label in ENTERED:
        model = apps.get_model(label)
        names = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model.objects.values_list(*names):
            for value in row:
                if isinstance(value, str):
                    words.update(re.findall(r"[A-Za-z]{3,}", value))
    return words


def _shell_messages(language: str) -> set[str]:
    """The English messages of web's and core's catalogues whose translation differs: one of
    them showing as a whole on a page is a string of the shell left untranslated."""
    messages: set[str] = set()
    for app in ("web", "core"):
        path = LOCALE_ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"
        messages.update(
            entry.msgid
            for entry in po_entries(path)
            if "%" not in entry.msgid and entry.msgid not in entry.msgstrs
        )
    return messages


def _language_choose(page: Any, code: str) -> None:
    page.click(f"form.language button[value={code}]")
    page.wait_for_selector(f"html[lang={code}]")


def _fits_the_phone(page: Any) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert max(width, inner) <= PHONE["width"]


def _home_in(page: Any, live_server: Any, user: Any, code: str) -> str:
    page.set_default_timeout(20_000)
    sign_in(page, live_server.url, user.username, PASSWORD)
    _language_choose(page, code)
    _fits_the_phone(page)
    left = set(page.evaluate(SHELL_TEXT_NODES)) & _shell_messages(code)
    assert left == set(), f"web/core strings left in English: {sorted(left)}"
    page.screenshot(path=str(shots_dir() / f"home-{code}.png"), full_page=True)
    return str(page.inner_text("body"))


@pytest.mark.slow
def test_home_in_arabic_is_mirrored_fits_a_phone_and_speaks_arabic(
    live_server: Any, demo_cast: Any, browser: Any
) -> None:
    page = browser.pages[0] if browser.pages else browser.new_page()
    text = _home_in(page, live_server, demo_cast.commander, "ar")
    assert page.get_attribute("html", "dir") == "rtl"
    # Mirrored: the brand starts at the right edge, the page's heading is set from the right.
    brand = page.locator(".top .brand").bounding_box()
    assert brand is not None and brand["x"] + brand["width"] > PHONE["width"] - 40
    assert page.evaluate("getComputedStyle(document.querySelector('main h1')).direction") == "rtl"
    assert "تسجيل الخروج" in text and "يتطلب إجراء" in text
    english = english_left(text, "ar", _entered_words())
    _english_left(english)


@pytest.mark.slow
def test_home_in_french_fits_a_phone_and_speaks_french(
    live_server: Any, demo_cast: Any, browser: Any
) -> None:
    page = browser.pages[0] if browser.pages else browser.new_page()
    text = _home_in(page, live_server, demo_cast.commander, "fr")
    assert page.get_attribute("html", "dir") == "ltr"
    assert "À traiter" in text and "Qui est ici" in text
    english = english_left(text, "fr", _entered_words())
    _english_left(english)


def test_the_menu_in_arabic_opens_from_the_right(
    live_server: Any, medic: Any, browser: Any
) -> None:
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, medic.username, PASSWORD)
    _language_choose(page, "ar")
    button = page.locator("details.menu > summary .menu-button").bounding_box()
    assert button is not None and button["x"] > PHONE["width"] / 2  # at the start: the right
    page.click("details.menu > summary")
    nav = page.get_by_role("navigation", name="القائمة الرئيسية")
    home = nav.get_by_role("link", name="الرئيسية", exact=True)
    assert home.is_visible()
    # The links of a group fill their two columns from the right.
    first, second = (
        page.locator(".menu-group").first.get_by_role("listitem").nth(i).bounding_box()
        for i in (0, 1)
    )
    assert first is not None and second is not None and first["x"] > second["x"]
    _fits_the_phone(page)
    page.screenshot(path=str(shots_dir() / "menu-ar.png"))
    nav.get_by_role("link", name="المرضى", exact=True).click()
    page.wait_for_url(f"{live_server.url}/care/")
    assert page.get_attribute("html", "lang") == "ar"


def test_the_login_page_follows_the_browser_and_the_choice_follows_the_user(
    live_server: Any, registrar: Any, browser: Any
) -> None:
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    page.set_extra_http_headers({"Accept-Language": "fr-FR,fr;q=0.9"})
    page.goto(f"{live_server.url}/login/")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.get_by_role("button", name="Se connecter").is_visible()
    _fits_the_phone(page)

    sign_in(page, live_server.url, registrar.username, PASSWORD)
    _language_choose(page, "ar")
    page.context.clear_cookies()  # signed out, and the browser forgets its choice
    sign_in(page, live_server.url, registrar.username, PASSWORD)
    assert page.get_attribute("html", "lang") == "ar"  # kept for the user, not the browser
