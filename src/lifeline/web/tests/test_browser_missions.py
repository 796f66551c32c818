"""In a real headless Chromium at phone width (390 px): the commander plans a mission through the
page, tapping its waypoints and extraction point on the map, sends it out; the team misses its
check-in, the overdue sweep (the worker's job) raises the alert, the commander sees it in the
inbox with the header's count and acknowledges it. A field-team member checks in with the
phone's position ("use my position") and the check-in is on the mission's timeline; with the
position refused, the page says so and the typed coordinates still work."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lifeline.alerts.models import Alert
from lifeline.conftest import PASSWORD
from lifeline.core.models import Site
from lifeline.core.sweeps import SWEEPS
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, menu_go, shots_dir, sign_in
from lifeline.missions import services
from lifeline.missions.models import CheckIn, Mission, Vehicle
from lifeline.missions.tests.conftest import set_out
from lifeline.routing import services as routing
from lifeline.routing.tests.test_app import BRAVO, SCHOOL

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def camp(site: Site, commander: Any) -> Site:
    """The demo town of Mavrah as the road graph, the camp at its school."""
    routing.graph_generate_demo(actor=commander)
    site.latitude, site.longitude = SCHOOL
    site.save(update_fields=["latitude", "longitude"])
    return site


def _tap(page: Any, selector: str, fx: float, fy: float) -> None:
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)


def test_a_commander_plans_a_mission_on_the_map_sees_it_overdue_and_acknowledges_it(
    live_server: Any, camp: Site, commander: Any, field_team: Any, vehicle: Vehicle, browser: Any
) -> None:
    shots = shots_dir()
    base = live_server.url
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, commander.username, PASSWORD)
    assert page.viewport_size == PHONE

    menu_go(page, "Plan a mission")
    page.wait_for_url(f"{base}/missions/new/")
    page.fill("#id_name", "Recon Qasr al-Hanif")
    page.select_option("#id_kind", "recon")
    page.fill("#id_checkin_interval_minutes", "30")
    page.fill("#id_objective", "Are the vaccine crates still there?")
    # Two waypoints, then the extraction point, tapped on the map.
    page.locator("#plan-map").scroll_into_view_if_needed()
    _tap(page, "#plan-map", 0.35, 0.40)
    page.wait_for_function("document.querySelector('#point_lat_0').value !== ''")
    _tap(page, "#plan-map", 0.55, 0.50)
    page.check("input[name=tap_places][value=extraction]")
    _tap(page, "#plan-map", 0.70, 0.65)
    assert page.locator("#plan-map .tapped").count() == 3
    assert page.input_value("#point_lat_1") != "" and page.input_value("#point_lat_2") == ""
    assert page.input_value("#point_lon_6") != ""
    page.click("#plan-route")
    page.wait_for_selector("#plan-map-status:has-text('Safest route between the points')")
    assert page.locator("#plan-map .plan-route").count() == 2  # WP1 to WP2, WP2 to Bravo
    page.fill("#point_name_6", "Bravo")
    page.check(f"input[name=team][value='user:{field_team.username}']")
    page.select_option("#id_leader", f"user:{field_team.username}")
    page.check(f"input[name=vehicles][value='{vehicle.pk}']")
    page.fill("#id_standing_orders", "No engagement. Radio silence past km 40.")
    assert page.evaluate(NO_OVERFLOW)
    page.screenshot(path=str(shots / "lifeline-mission-plan-phone.png"), full_page=True)
    page.click("button:has-text('Plan the mission')")

    page.wait_for_selector("text=Recon Qasr al-Hanif is planned.")
    mission = Mission.objects.get(name="Recon Qasr al-Hanif")
    assert page.url == f"{base}/missions/{mission.pk}/"
    kinds = list(mission.points.order_by("sequence").values_list("kind", "name"))
    assert kinds == [("waypoint", "WP1"), ("waypoint", "WP2"), ("extraction", "Bravo")]
    bravo = mission.points.get(kind="extraction")
    lat, lon = bravo.latitude, bravo.longitude
    assert abs(lat - SCHOOL[0]) < 0.05 and abs(lon - SCHOOL[1]) < 0.05  # on the town's map
    assert mission.members.get().user == field_team

    page.click("button[name=to][value=briefed]")
    page.wait_for_selector("text=is now briefed")
    page.click("button[name=to][value=under_way]")
    page.wait_for_selector("text=is now under way")
    assert page.locator("#checkin-due").inner_text().startswith("Next check-in due")

    # 45 minutes later nobody has checked in: the worker's sweep raises the alert.
    later = timezone.now() + dt.timedelta(minutes=45)
    raised = services.missions_overdue_sweep(now=later)
    assert [a.kind for a in raised] == ["mission.overdue"]
    assert "missions.overdue" in SWEEPS  # the very sweep lifeline_worker runs
    page.reload()
    badge = page.locator("header .alert-count")
    assert badge.is_visible() and "1 open alert" in badge.inner_text()
    badge.click()
    page.wait_for_url(f"{base}/alerts/")
    item = page.locator("li.severity-warning", has_text="Recon Qasr al-Hanif is overdue")
    assert item.is_visible()
    page.screenshot(path=str(shots / "lifeline-mission-overdue-inbox-phone.png"), full_page=True)
    item.locator("button:has-text('Acknowledge')").click()
    page.wait_for_selector(f"text=Acknowledged by {commander.username}")
    alert = Alert.objects.get(kind="mission.overdue")
    assert alert.acknowledged_by == commander and alert.resolved_at is None
    assert errors == []


def test_a_field_team_member_checks_in_with_the_phones_position(
    live_server: Any,
    camp: Site,
    commander: Any,
    field_team: Any,
    mission: Mission,
    browser: Any,
) -> None:
    set_out(mission, commander)
    base = live_server.url
    browser.grant_permissions(["geolocation"], origin=base)
    browser.set_geolocation({"latitude": BRAVO[0], "longitude": BRAVO[1], "accuracy": 12})
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, field_team.username, PASSWORD)

    page.goto(f"{base}/missions/{mission.pk}/")
    page.click("a.button:has-text('Check in')")
    page.wait_for_url(f"{base}/missions/{mission.pk}/checkin/")
    page.click("button:has-text('Use my position')")
    page.wait_for_selector("#geo-status:has-text('Position found (within 12 m)')")
    assert float(page.input_value("#id_latitude")) == pytest.approx(BRAVO[0], abs=1e-6)
    page.select_option("#id_status", "ok")
    page.fill("#id_note", "At Bravo, all quiet")
    assert page.evaluate(NO_OVERFLOW)
    page.screenshot(path=str(shots_dir() / "lifeline-mission-checkin-phone.png"), full_page=True)
    page.click("form button.primary:has-text('Check in')")

    page.wait_for_selector("text=Checked in: OK.")
    checkin = CheckIn.objects.get(mission=mission)
    assert checkin.latitude == pytest.approx(BRAVO[0], abs=1e-6)
    assert checkin.member is not None and checkin.member.user == field_team
    timeline = page.locator("#timeline").inner_text()
    assert page.evaluate(NO_OVERFLOW)
    page.screenshot(path=str(shots_dir() / "lifeline-mission-detail-phone.png"), full_page=True)
    assert "At Bravo, all quiet" in timeline
    assert f"{BRAVO[0]:.5f}" in timeline
    assert errors == []


def test_with_the_position_refused_the_page_says_so_and_typing_still_works(
    live_server: Any,
    camp: Site,
    commander: Any,
    field_team: Any,
    mission: Mission,
    browser: Any,
) -> None:
    set_out(mission, commander)
    base = live_server.url
    browser.clear_permissions()
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, base, field_team.username, PASSWORD)
    page.goto(f"{base}/missions/{mission.pk}/checkin/")
    page.click("button:has-text('Use my position')")
    status = page.locator("#geo-status.error")
    status.wait_for()
    assert "type the latitude and longitude" in status.inner_text()
    page.fill("#id_latitude", "31.7")
    page.fill("#id_longitude", "-4.03")
    page.click("form button.primary:has-text('Check in')")
    page.wait_for_selector("text=Checked in: OK.")
    assert CheckIn.objects.get(mission=mission).longitude == pytest.approx(-4.03)
