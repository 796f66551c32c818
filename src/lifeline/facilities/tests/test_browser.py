"""In a real headless Chromium on a phone: a shelter assessed with a photo from the camera
input, its repair raised and closed; tonight's watch planned with the post left open flagged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from lifeline.conftest import PASSWORD
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, menu_go, shots_dir, sign_in
from lifeline.facilities import services
from lifeline.facilities.models import Facility, FacilityPhoto, WorkOrder
from lifeline.facilities.tests.conftest import photo_upload
from lifeline.intel.models import WatchPost

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_assess_a_damaged_shelter_with_a_photo_then_repair_it(
    live_server: Any, commander: Any, browser: Any, tmp_path: Path
) -> None:
    services.facility_register(actor=commander, name="Shelter C", kind="shelter", capacity=40)
    photo = tmp_path / "roof.jpg"
    photo.write_bytes(photo_upload().read())
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, commander.username, PASSWORD)

    menu_go(page, "Facilities")
    page.get_by_role("link", name="Shelter C").click()
    page.get_by_role("link", name="Assess damage").click()
    page.select_option("#id_severity", "3")
    page.select_option("#id_safe_to_use", "false")
    page.fill("#id_damage", "Roof sheets torn off the east end")
    page.fill("#id_capacity_lost", "40")
    page.set_input_files("#id_photos", str(photo))
    _fits(page)
    page.get_by_role("button", name="Record the assessment").click()
    page.wait_for_selector("text=Assessment recorded.")
    assert page.locator(".heading .badge").inner_text() == "Unsafe to use"
    image = page.locator(".photos img").first
    image.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
    _fits(page)
    page.screenshot(path=str(shots_dir() / "lifeline-facility-assessed-phone.png"), full_page=True)

    page.get_by_role("link", name="Raise repair work for this").click()
    page.fill("#id_title", "Refit the roof sheets")
    page.select_option("#id_priority", "urgent")
    page.get_by_role("button", name="Raise").click()
    page.wait_for_selector("text=Repair work raised.")
    page.get_by_role("button", name="Start the work").click()
    page.wait_for_selector("text=Work started")
    page.fill("#id_note", "Twelve sheets refitted and wired down")
    page.get_by_role("button", name="Done", exact=True).click()
    page.wait_for_selector("text=Work closed.")
    assert page.locator(".heading .badge").inner_text() == "Working"
    assert WorkOrder.objects.get().status == "done"
    assert FacilityPhoto.objects.count() == 1
    assert Facility.objects.get().capacity_lost == 0


def test_plan_tonights_watch_and_see_the_post_left_open(
    live_server: Any,
    commander: Any,
    field_team: Any,
    logistics: Any,
    browser: Any,
    posts: list[WatchPost],
) -> None:
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, commander.username, PASSWORD)
    menu_go(page, "Watch roster")
    page.get_by_role("link", name="Tonight").click()
    tonight = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    fmt = "%Y-%m-%dT%H:%M"
    # The gate for the whole 24 hours in two watches, the Ridge only until midnight.
    for post, start, hours, watcher in (
        (posts[0], 0, 12, commander),
        (posts[0], 12, 12, field_team),
        (posts[1], 0, 6, logistics),
    ):
        page.select_option("#id_post", str(post.pk))
        page.fill("#id_starts_at", (tonight + dt.timedelta(hours=start)).strftime(fmt))
        page.fill("#id_ends_at", (tonight + dt.timedelta(hours=start + hours)).strftime(fmt))
        page.select_option("#id_user", watcher.username)
        page.get_by_role("button", name="Plan", exact=True).click()
        page.wait_for_selector("text=Shift planned.")
    flagged = page.locator(".alert-list li")
    texts = [flagged.nth(i).inner_text() for i in range(flagged.count())]
    assert len(texts) == 1 and "Uncovered" in texts[0], texts
    assert "Ridge: nobody on watch from" in texts[0] and "00:00" in texts[0]
    _fits(page)
    page.screenshot(path=str(shots_dir() / "lifeline-watch-roster-phone.png"), full_page=True)
    gaps = services.roster_check(tonight, tonight + dt.timedelta(hours=24)).gaps
    assert [(g.post, g.start - tonight) for g in gaps] == [(posts[1].pk, dt.timedelta(hours=6))]
