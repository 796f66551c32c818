"""In a real headless Chromium: printing a card leaves only the card (no header, no menu, no
buttons), card-sized, black on white; on a phone the card page fits the screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lifeline.conftest import PASSWORD
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, shots_dir, sign_in
from lifeline.people.models import Household, Person

pytestmark = BROWSER_MARKS

MM = 96 / 25.4  # CSS pixels in a millimetre


@pytest.mark.parametrize("which", ["person", "ration"])
def test_printing_a_card_hides_the_menu_and_leaves_a_card_sized_card(
    live_server: Any,
    registrar: Any,
    amal: Person,
    household: Household,
    browser: Any,
    which: str,
) -> None:
    url = (
        reverse("web:person_card", kwargs={"person_id": amal.pk})
        if which == "person"
        else reverse("web:household_card", kwargs={"household_id": household.pk})
    )
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, registrar.username, PASSWORD)
    page.goto(f"{live_server.url}{url}")
    card = page.locator("article.print-card")
    assert page.locator("details.menu").is_visible() and card.is_visible()
    assert page.get_by_role("button", name="Print").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots_dir() / f"lifeline-{which}-card-390.png"))

    page.emulate_media(media="print")
    assert not page.locator("details.menu").is_visible()
    assert not page.locator("header.top").is_visible()
    assert not page.get_by_role("button", name="Print").is_visible()
    assert card.is_visible() and card.locator("svg.qr").is_visible()
    box = card.bounding_box()
    assert box is not None
    if which == "person":  # ID-1: 85.6 mm wide
        assert abs(box["width"] - 85.6 * MM) < 2
    colours = card.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    page.screenshot(path=str(shots_dir() / f"lifeline-{which}-card-print.png"))
    assert errors == []
