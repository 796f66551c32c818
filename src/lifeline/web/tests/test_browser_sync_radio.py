"""In a real headless Chromium on a phone: a commander goes Sync → Radio, pastes the lines a
peer camp read out, and sees what was applied; the page fits the screen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from lifeline.alerts.models import Alert
from lifeline.alerts.services import alert_raise
from lifeline.conftest import PASSWORD
from lifeline.core.clock import site_local
from lifeline.core.models import Site
from lifeline.core.roles import Role
from lifeline.core.services import roles_sync
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, menu_go, shots_dir
from lifeline.sync import digest, services
from lifeline.sync.tests.conftest import WorldMaker, site_template, world

__all__ = ["site_template", "world"]  # sync's world of sites, for the peer camp
pytestmark = BROWSER_MARKS


def _forest_lines(world: WorldMaker) -> tuple[str, list[str]]:
    """The forest camp's identity and the radio lines of an alert raised there."""
    w = world(["forest"])
    with w.at("forest"):
        site_local()
        roles_sync()
        chief = get_user_model().objects.create_user(username="chief", password="x" * 20)
        chief.groups.add(Group.objects.get(name=Role.COMMANDER.value))
        alert_raise(kind="sync.clock_ahead", key="radio-browser", title="Radio check")
        since = timezone.now() - timedelta(hours=1)
        lines = digest.radio_export(actor=chief, since=since).lines
        return services.site_identity(), lines


def test_on_a_phone_a_commander_applies_the_lines_heard_by_radio(
    live_server: Any, commander: Any, site: Site, browser: Any, world: WorldMaker
) -> None:
    identity, lines = _forest_lines(world)
    services.peer_register(actor=commander, identity=identity)
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", commander.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    menu_go(page, "Sync")
    page.wait_for_url(f"{live_server.url}/sync/")
    page.get_by_role("link", name="Radio", exact=True).click()
    page.wait_for_url(f"{live_server.url}/sync/radio/")
    page.fill("#radio-heard", "\n".join(lines))
    page.get_by_role("button", name="Apply the lines heard").click()
    page.wait_for_selector("#heard .sync-result")
    result = page.inner_text("#heard .sync-result")
    assert "1 message whole and applied" in result
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # What arrived goes on (a relay): its lines, long as they are, fit the phone's screen.
    page.get_by_role("button", name="Make the lines").click()
    page.wait_for_selector("#to-send .radio-lines")
    assert page.locator("#to-send .radio-lines li").count() == len(lines)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots_dir() / "lifeline-sync-radio-phone.png"), full_page=True)
    assert Alert.objects.filter(key="radio-browser").count() == 1
