"""In a real headless Chromium at phone width (390 px): the map page over a user's raster
basemap (PNG or JPEG tiles, as `pmtiles convert` makes from an OSM or satellite MBTiles). The
file is read from Lifeline itself in parts (range requests answered 206) and its tiles are
painted: the map's pixels carry the colour of the zoom's tiles. Nothing is asked of another
host, and the Content-Security-Policy lets every tile through (no console error)."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.conftest import PASSWORD
from lifeline.core.models import Site
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, menu_go, shots_dir, sign_in
from lifeline.routing import services as routing
from lifeline.routing.tests.raster_basemap import COLOURS, raster_basemap
from lifeline.routing.tests.test_app import SCHOOL
from lifeline.web.tests.test_browser_basemap import TILES_DRAWN

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth + 1"
# The colours painted in the map's tile pane, whatever holds the tiles (canvas or img): each
# tile copied onto a canvas of our own and read every 7th pixel along its diagonal, away from
# its grid lines. Empty until a tile is painted.
TILE_COLOURS = """() => {
  const seen = [];
  const tiles = document.querySelectorAll(
    '.leaflet-tile-pane canvas.leaflet-tile, .leaflet-tile-pane img.leaflet-tile');
  for (const tile of tiles) {
    const w = tile.width, h = tile.height;
    if (!w || !h || (tile.tagName === 'IMG' && !(tile.complete && tile.naturalWidth))) continue;
    const copy = document.createElement('canvas');
    copy.width = w; copy.height = h;
    const pen = copy.getContext('2d');
    pen.drawImage(tile, 0, 0, w, h);
    for (let at = 10; at < Math.min(w, h); at += 7) {
      const [r, g, b, a] = pen.getImageData(at, at, 1, 1).data;
      if (a === 255) seen.push([r, g, b]);
    }
  }
  return seen;
}"""

# Every tile the map asked for has been read (painted, or left blank where the file has none).
ALL_LOADED = """() => document.querySelectorAll(
  '.leaflet-tile-pane .leaflet-tile:not(.leaflet-tile-loaded)').length === 0"""

# Some pixel of the tiles is within `slack` of the colour `wanted`.
COLOUR_PAINTED = f"""([wanted, slack]) => ({TILE_COLOURS})().some(
  (colour) => colour.every((value, i) => Math.abs(value - wanted[i]) <= slack))"""


def _near(colour: list[int], wanted: tuple[int, int, int], slack: int) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(colour, wanted, strict=True))


@pytest.mark.parametrize(("fmt", "slack"), [("png", 0), ("jpg", 8)])
def test_the_map_paints_a_raster_basemap_from_its_own_server_on_a_phone(
    live_server: Any, site: Site, commander: Any, browser: Any, tmp_path: Any, fmt: str, slack: int
) -> None:
    routing.graph_generate_demo(actor=commander)
    source = tmp_path / f"imagery.{fmt}.pmtiles"
    source.write_bytes(raster_basemap(fmt))
    routing.basemap_add(actor=commander, source=source, name="imagery")
    site.latitude, site.longitude = SCHOOL
    site.save(update_fields=["latitude", "longitude"])

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
    page.on(
        "request",
        lambda r: not r.url.startswith((base, "blob:", "data:")) and outside.append(r.url),
    )
    sign_in(page, base, commander.username, PASSWORD)
    assert page.viewport_size == PHONE

    menu_go(page, "Map")
    page.wait_for_selector("#route-map.map-live[data-ready]")
    page.locator("#route-map").scroll_into_view_if_needed()
    painted = f"() => ({TILE_COLOURS})().length > 20"
    page.wait_for_function(painted)
    page.wait_for_function(ALL_LOADED)
    seen = page.evaluate(TILE_COLOURS)
    # The town fills the phone's map at zoom 15 or more: zoom 15's tiles are drawn.
    assert any(_near(colour, COLOURS[15], slack) for colour in seen), seen[:5]
    assert parts and {status for status, _ in parts} == {206}
    assert all(url.startswith(f"{base}/routing/basemaps/imagery.pmtiles") for _, url in parts)
    page.wait_for_timeout(300)  # the tiles' fade-in
    page.screenshot(path=str(shots_dir() / f"map-raster-{fmt}-phone.png"))

    # Out to zoom 14: that zoom's own tiles (the other colour) are read and painted.
    page.evaluate(
        "window.LifelineLiveMap.ready(document.getElementById('route-map')).map.setZoom(14)"
    )
    page.wait_for_function(COLOUR_PAINTED, arg=[COLOURS[14], slack])
    assert page.evaluate(NO_OVERFLOW)
    assert outside == []
    assert errors == []


def test_a_raster_basemap_added_after_the_demos_is_shown_and_the_other_offered_on_a_phone(
    live_server: Any, site: Site, commander: Any, browser: Any, tmp_path: Any
) -> None:
    routing.graph_generate_demo(actor=commander)
    routing.basemap_demo_make(actor=commander)  # the demo's vector basemap, "mavrah"
    source = tmp_path / "imagery.pmtiles"
    source.write_bytes(raster_basemap("png"))
    routing.basemap_add(actor=commander, source=source)

    base = live_server.url
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, commander.username, PASSWORD)
    menu_go(page, "Map")
    page.wait_for_selector("#route-map.map-live[data-ready]")
    page.locator("#route-map").scroll_into_view_if_needed()
    # Only the basemap added last is on the map: the demo's ground does not hide it.
    page.wait_for_function(COLOUR_PAINTED, arg=[COLOURS[15], 0])
    assert page.locator(".leaflet-tile-pane > .leaflet-layer").count() == 1

    # The demo's basemap chosen in the layers control instead: its tiles replace the images.
    page.locator(".leaflet-control-layers").hover()
    page.get_by_role("radio", name="mavrah", exact=True).check()
    page.locator("h1").click()
    page.wait_for_function(TILES_DRAWN)  # the vector basemap's streets and ground
    assert not page.evaluate(COLOUR_PAINTED, [COLOURS[15], 0])
    assert page.locator(".leaflet-tile-pane > .leaflet-layer").count() == 1
    page.screenshot(path=str(shots_dir() / "map-raster-switched-phone.png"))
    assert errors == []
