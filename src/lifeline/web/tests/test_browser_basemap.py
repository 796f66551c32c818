"""In a real headless Chromium at phone width (390 px): the map page over the demo's basemap.
The basemap is read from Lifeline itself in parts (range requests answered 206), its tiles are
drawn on canvases, the layers are on it (a threat zone, the town's places), a layer is
switched off and on, two taps plan a route that is drawn over the map, and the commander draws
a threat zone by tapping its corners. A waypoint and a report's place are picked by tapping
the basemap. Home shows the camp on the basemap; without one, the drawn map plans routes too."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.conftest import PASSWORD
from lifeline.core.models import Site
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, menu_go, shots_dir, sign_in
from lifeline.routing import services as routing
from lifeline.routing.tests.test_app import SCHOOL, around

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth + 1"
# Some canvas of the tile pane has pixels of more than one colour: a basemap was drawn.
TILES_DRAWN = """() => Array.from(
  document.querySelectorAll('.leaflet-tile-pane canvas')).some((c) => {
  if (!c.width || !c.height) return false;
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 4; i < data.length; i += 4 * 97) {
    if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return true;
  }
  return false;
})"""


@pytest.fixture
def camp(site: Site, commander: Any) -> Site:
    """The demo town of Mavrah as the road graph and its basemap, the camp at its school."""
    routing.graph_generate_demo(actor=commander)
    routing.basemap_demo_make(actor=commander)
    site.latitude, site.longitude = SCHOOL
    site.save(update_fields=["latitude", "longitude"])
    return site


def _tap(page: Any, selector: str, fx: float, fy: float) -> None:
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)


def test_the_map_draws_the_basemap_its_layers_and_a_tapped_route_on_a_phone(
    live_server: Any, camp: Site, commander: Any, browser: Any
) -> None:
    routing.zone_draw(
        actor=commander, polygon=around((31.7030, -4.0390), 0.0006), level=3, name="Jace"
    )
    base = live_server.url
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    parts: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda r: "/routing/basemaps/" in r.url and parts.append((r.status, r.url)),
    )
    outside: list[str] = []
    page.on("request", lambda r: not r.url.startswith(base) and outside.append(r.url))
    sign_in(page, base, commander.username, PASSWORD)
    assert page.viewport_size == PHONE

    menu_go(page, "Map")
    page.wait_for_selector("#route-map.map-live[data-ready]")
    page.wait_for_function(TILES_DRAWN)
    assert parts and {status for status, _ in parts} == {206}
    assert all(url.startswith(f"{base}/routing/basemaps/mavrah.pmtiles") for _, url in parts)
    # The layers: the zone drawn as an area, the town's places named on the map.
    zone = page.locator(".leaflet-overlay-pane path[fill='#c00']")
    assert zone.count() == 1
    assert page.locator(".leaflet-tooltip", has_text="Extraction Bravo").count() == 1
    page.screenshot(path=str(shots_dir() / "map-basemap-phone.png"))

    # Threat zones switched off, then on, in the layers control.
    page.locator(".leaflet-control-layers").hover()  # opens the layers control
    toggle = page.get_by_role("checkbox", name="Threat zones", exact=True)
    toggle.uncheck()
    assert zone.count() == 0
    toggle.check()
    assert zone.count() == 1
    page.locator("h1").click()  # closes the control

    # Two taps: the start, the destination; the safest route is drawn over the map.
    page.locator("#route-map").scroll_into_view_if_needed()
    _tap(page, "#route-map", 0.30, 0.55)
    page.wait_for_selector("#route-status:has-text('Now click the destination')")
    _tap(page, "#route-map", 0.70, 0.40)
    page.wait_for_selector("#route-status:has-text('Safest')")
    assert page.locator("path.route-line").count() >= 1
    assert page.locator(".leaflet-tooltip", has_text="Extraction Bravo").count() == 1
    page.screenshot(path=str(shots_dir() / "map-basemap-route-phone.png"))
    # Closer in, the houses along the streets (the tiles' deepest zoom and beyond).
    page.locator(".leaflet-control-zoom-in").click()
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function(TILES_DRAWN)
    page.wait_for_timeout(500)
    page.screenshot(path=str(shots_dir() / "map-basemap-close-phone.png"))

    # A commander draws a zone: three corners tapped, named, saved; the map shows it.
    page.click("#zone-draw > summary")
    for fx, fy in ((0.40, 0.40), (0.60, 0.40), (0.50, 0.60)):
        _tap(page, "#route-map", fx, fy)
    page.wait_for_selector("#zone-status:has-text('Corners tapped: 3')")
    page.fill("#zone-name", "Dogs at the well")
    page.click("#zone-save")
    page.wait_for_load_state("load")
    page.wait_for_selector("#route-map.map-live[data-ready]")
    page.wait_for_function(
        "() => document.querySelectorAll(\".leaflet-overlay-pane path[fill='#c00']\").length === 2"
    )
    assert page.evaluate(NO_OVERFLOW)
    assert outside == []
    assert errors == []


def test_a_waypoint_tapped_on_the_basemap_fills_the_mission_form_on_a_phone(
    live_server: Any, camp: Site, commander: Any, browser: Any
) -> None:
    base = live_server.url
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, commander.username, PASSWORD)
    menu_go(page, "Plan a mission")
    page.wait_for_selector("#plan-map.map-live[data-ready]")
    page.wait_for_function(TILES_DRAWN)
    page.locator("#plan-map").scroll_into_view_if_needed()
    _tap(page, "#plan-map", 0.35, 0.45)
    page.wait_for_function("document.querySelector('#point_lat_0').value !== ''")
    lat, lon = float(page.input_value("#point_lat_0")), float(page.input_value("#point_lon_0"))
    assert 31.69 < lat < 31.71 and -4.045 < lon < -4.02  # in the town the map shows
    page.check("input[name=tap_places][value=extraction]")
    _tap(page, "#plan-map", 0.65, 0.55)
    page.wait_for_function("document.querySelector('#point_lat_6').value !== ''")
    assert page.locator("#plan-map path.tapped").count() == 2
    page.click("#plan-route")
    page.wait_for_selector("#plan-map-status:has-text('Safest route between the points')")
    assert page.locator("#plan-map path.plan-route").count() == 1
    page.screenshot(path=str(shots_dir() / "plan-basemap-phone.png"), full_page=False)
    assert page.evaluate(NO_OVERFLOW)
    assert errors == []


def test_a_reports_place_tapped_on_the_basemap_fills_its_fields_on_a_phone(
    live_server: Any, camp: Site, commander: Any, browser: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from lifeline.missions import services as missions
    from lifeline.routing.tests.test_app import BRAVO

    mission = missions.mission_plan(
        actor=commander,
        name="Recon Mavrah",
        kind="recon",
        objective="Look at the granary",
        planned_start=timezone.now() + dt.timedelta(hours=1),
        checkin_interval_minutes=30,
        points=[
            {"kind": "waypoint", "name": "School", "latitude": SCHOOL[0], "longitude": SCHOOL[1]},
            {"kind": "extraction", "name": "Bravo", "latitude": BRAVO[0], "longitude": BRAVO[1]},
        ],
    )
    base = live_server.url
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, commander.username, PASSWORD)
    page.goto(f"{base}/missions/{mission.pk}/report/?kind=sighting")
    page.wait_for_selector("#report-map.map-live[data-ready]")
    page.wait_for_function(TILES_DRAWN)
    page.locator("#report-map").scroll_into_view_if_needed()
    _tap(page, "#report-map", 0.5, 0.5)
    page.wait_for_function("document.querySelector('[name=latitude]').value !== ''")
    lat = float(page.input_value("[name=latitude]"))
    lon = float(page.input_value("[name=longitude]"))
    assert min(SCHOOL[0], BRAVO[0]) - 0.003 < lat < max(SCHOOL[0], BRAVO[0]) + 0.003
    assert min(SCHOOL[1], BRAVO[1]) - 0.003 < lon < max(SCHOOL[1], BRAVO[1]) + 0.003
    assert page.locator("#report-map path.picked").count() == 1
    assert page.evaluate(NO_OVERFLOW)
    assert errors == []


def test_home_shows_the_camp_on_the_basemap_on_a_phone(
    live_server: Any, camp: Site, commander: Any, browser: Any
) -> None:
    base = live_server.url
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, commander.username, PASSWORD)
    page.goto(f"{base}/")
    page.wait_for_selector("#home-map.map-live[data-ready]")
    page.locator("#home-map").scroll_into_view_if_needed()
    page.wait_for_function(TILES_DRAWN)
    assert page.locator(".leaflet-tooltip", has_text="Extraction Bravo").count() == 1
    page.screenshot(path=str(shots_dir() / "home-basemap-phone.png"))
    assert page.evaluate(NO_OVERFLOW)
    assert errors == []


def test_without_a_basemap_two_taps_on_the_drawn_map_draw_the_route_on_a_phone(
    live_server: Any, site: Site, commander: Any, browser: Any
) -> None:
    routing.graph_generate_demo(actor=commander)
    base = live_server.url
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, commander.username, PASSWORD)
    menu_go(page, "Map")
    page.locator("svg#route-map").scroll_into_view_if_needed()
    _tap(page, "svg#route-map", 0.30, 0.55)
    page.wait_for_selector("#route-status:has-text('Now click the destination')")
    _tap(page, "svg#route-map", 0.70, 0.40)
    page.wait_for_selector("#route-status:has-text('Safest')")
    assert page.locator("#route-map-routes polyline").count() >= 1
    assert errors == []
