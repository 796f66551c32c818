"""The distribution screen in Arabic and in French, on a phone: mirrored in Arabic, no
horizontal overflow, and no English word outside the names and codes of the people and
things the test made; a ration issued says so in the user's language."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.conftest import PASSWORD
from lifeline.core.language import user_language_set
from lifeline.core.models import Site
from lifeline.core.tests.browser import BROWSER_MARKS, shots_dir, sign_in
from lifeline.core.tests.i18n import english_left
from lifeline.supplies.models import Distribution, DistributionPoint, RationCycle

pytestmark = BROWSER_MARKS

CARD = "RC-LANG-4"
ISSUED = {"ar": "صُرفت الحصة", "fr": "ration distribuée"}
LOOK_UP = {"ar": "بحث", "fr": "Rechercher"}


def _main_text(page: Any) -> str:
    """The visible text of the page's own content: header, menu and footer are web's, the
    download links core's (their catalogues are other helpers' on this branch)."""
    return str(
        page.evaluate(
            """() => {
              const main = document.querySelector('main').cloneNode(true);
              main.querySelectorAll('.downloads, .messages').forEach((e) => e.remove());
              document.body.appendChild(main);
              const text = main.innerText;
              main.remove();
              return text;
            }"""
        )
    )


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fr", "ltr")])
def test_the_distribution_screen_speaks_the_users_language_on_a_phone(
    live_server: Any,
    browser: Any,
    site: Site,
    logistics: Any,
    make_household: Any,
    cycle: RationCycle,
    point: DistributionPoint,
    stocked_flour: None,
    language: str,
    direction: str,
) -> None:
    make_household(CARD, 3)
    user_language_set(logistics, language)
    page = browser.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, live_server.url, logistics.username, PASSWORD)
    page.goto(f"{live_server.url}/supplies/points/{point.pk}/?card={CARD}")

    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (language, direction)
    assert page.get_by_role("button", name=LOOK_UP[language], exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    names = (
        CARD,
        point.name,
        cycle.name,
        "Wheat flour",
        "Main store",
        site.name,
        logistics.username,
    )
    assert english_left(_main_text(page), language, names) == []
    page.screenshot(path=str(shots_dir() / f"distribution-{language}.png"), full_page=True)

    page.get_by_role(
        "button", name={"ar": "صرف الحصة", "fr": "Distribuer la ration"}[language]
    ).click()
    page.locator(".messages").get_by_text(ISSUED[language]).wait_for()
    assert Distribution.objects.filter(point=point).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    left = english_left(page.evaluate("document.body.innerText"), language, names)
    assert left == [], left
