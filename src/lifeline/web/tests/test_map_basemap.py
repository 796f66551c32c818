"""The map over an offline basemap: the basemap file served by us in parts (range requests
answered 206), the live map offered when there is a basemap (the drawn map when there is
none), and each layer given only to a role that may see it."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import pytest

from lifeline.core.models import Site
from lifeline.core.roles import Role
from lifeline.routing import basemap, selectors, services
from lifeline.routing.tests.test_app import BRAVO, around
from lifeline.web.tests.conftest import ROLES, role_may
from lifeline.web.views_map import byte_range

pytestmark = pytest.mark.django_db


@functools.cache
def small_basemap() -> bytes:
    """A basemap of four streets near Mavrah: quick to make."""
    a, b, c, d = (31.700, -4.035), (31.700, -4.030), (31.704, -4.030), (31.704, -4.035)
    geography = basemap.Geography(streets=[(a, b), (b, c), (c, d), (d, a)], places={}, name="Sq")
    return basemap.basemap_demo_write(geography)


@pytest.fixture
def kept(site: Site, commander: Any, tmp_path: Any) -> bytes:
    source = tmp_path / "square.pmtiles"
    source.write_bytes(small_basemap())
    services.basemap_add(actor=commander, source=source)
    return small_basemap()


@pytest.mark.parametrize(
    ("header", "size", "wanted"),
    [
        ("bytes=0-126", 1000, (0, 126)),
        ("bytes=500-", 1000, (500, 999)),
        ("bytes=900-5000", 1000, (900, 999)),
        ("bytes=-100", 1000, (900, 999)),
        ("bytes=-5000", 1000, (0, 999)),
        ("bytes=1000-1200", 1000, None),
        ("bytes=5-2", 1000, None),
        ("bytes=-0", 1000, None),
        ("bytes=0-10,20-30", 1000, None),
        ("items=0-10", 1000, None),
    ],
)
def test_a_range_header_is_read_as_the_bytes_it_asks_for(
    header: str, size: int, wanted: tuple[int, int] | None
) -> None:
    assert byte_range(header, size) == wanted


def test_the_basemap_is_served_in_the_parts_asked_for(
    kept: bytes, viewer: Any, client: Any
) -> None:
    client.force_login(viewer)
    url = "/routing/basemaps/square.pmtiles"
    head = client.get(url, headers={"Range": "bytes=0-126"})
    assert head.status_code == 206
    assert head["Content-Range"] == f"bytes 0-126/{len(kept)}"
    assert head.content == kept[:127]
    tail = client.get(url, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == kept[-10:]
    past = client.get(url, headers={"Range": f"bytes={len(kept)}-"})
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{len(kept)}"
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == kept
    assert client.get("/routing/basemaps/elsewhere.pmtiles").status_code == 404


def test_the_basemap_is_not_served_to_someone_signed_out(kept: bytes, client: Any) -> None:
    response = client.get("/routing/basemaps/square.pmtiles", headers={"Range": "bytes=0-126"})
    assert response.status_code == 302


def _live_layers(page: str) -> dict[str, Any]:
    found = re.search(r'<script id="route-map-layers" type="application/json">(.*?)</script>', page)
    assert found is not None
    return {layer["id"]: layer for layer in json.loads(found.group(1))}


def test_with_a_basemap_the_map_page_draws_the_live_map_and_its_layers(
    kept: bytes, commander: Any, client: Any
) -> None:
    services.graph_generate_demo(actor=commander)
    services.zone_draw(actor=commander, polygon=around(BRAVO, 0.001), level=3, name="Jace")
    client.force_login(commander)
    page = client.get("/routing/").content.decode()
    assert 'class="map-live map-full"' in page and "<svg" not in page
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in page
    assert '"url": "/routing/basemaps/square.pmtiles"' in page
    layers = _live_layers(page)
    assert [f["properties"]["label"] for f in layers["zones"]["data"]["features"]] == [
        "Jace: level 3"
    ]
    places = {f["properties"]["label"] for f in layers["places"]["data"]["features"]}
    assert "Extraction Bravo" in places


def test_without_a_basemap_the_map_page_keeps_its_drawn_map(
    site: Site, commander: Any, client: Any
) -> None:
    services.graph_generate_demo(actor=commander)
    client.force_login(commander)
    page = client.get("/routing/").content.decode()
    assert "<svg" in page and "map-live" not in page


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_only_the_layers_it_may_see(
    role: str, kept: bytes, commander: Any, make_user: Any, client: Any
) -> None:
    services.graph_generate_demo(actor=commander)
    client.force_login(make_user(Role(role), f"map-{role}"))
    page = client.get("/routing/").content.decode()
    layers = _live_layers(page)
    assert ("missions" in layers) == role_may(role, "missions.view_mission")
    assert ("sightings" in layers) == role_may(role, "intel.view_sighting")
    assert ("groups" in layers) == role_may(role, "intel.view_hostilegroup")
    assert ("stores" in layers) == role_may(role, "supplies.view_item")
    assert "places" in layers


def test_the_commander_uploads_a_basemap_on_the_site_page(
    site: Site, commander: Any, client: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(commander)
    upload = SimpleUploadedFile("north-valley.pmtiles", small_basemap())
    response = client.post("/site/basemap/", {"basemap": upload}, follow=True)
    page = response.content.decode()
    assert "Basemap added: vector map, zoom 10 to 16" in page
    assert "north-valley: vector map, zoom 10 to 16" in page
    assert client.get("/routing/basemaps/north-valley.pmtiles").status_code == 200


def test_a_bad_upload_is_refused_on_the_site_page_saying_why(
    site: Site, commander: Any, client: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(commander)
    upload = SimpleUploadedFile("holiday.pmtiles", b"GIF89a" + bytes(400))
    page = client.post("/site/basemap/", {"basemap": upload}, follow=True).content.decode()
    assert "Basemap not added: holiday.pmtiles is not a PMTiles basemap" in page
    assert "No basemap yet" in page


def test_basemaps_are_uploaded_only_by_roles_that_may_import_maps(
    site: Site, medic: Any, client: Any
) -> None:
    """One gate, the service's (routing.import_graph), for the page and `lifeline map add`."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(medic)
    upload = SimpleUploadedFile("region.pmtiles", small_basemap())
    assert client.post("/site/basemap/", {"basemap": upload}).status_code == 403
    assert selectors.basemap_list() == []


def test_a_missions_page_draws_its_points_on_the_basemap(
    kept: bytes, commander: Any, client: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from lifeline.missions import services as missions
    from lifeline.routing.tests.test_app import SCHOOL

    services.graph_generate_demo(actor=commander)
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
    client.force_login(commander)
    page = client.get(f"/missions/{mission.pk}/").content.decode()
    assert 'id="mission-map" class="map-live map-small"' in page
    found = re.search(
        r'<script id="mission-map-layers" type="application/json">(.*?)</script>', page
    )
    assert found is not None
    layers = {layer["id"]: layer for layer in json.loads(found.group(1))}
    points = [f["properties"] for f in layers["mission"]["data"]["features"]]
    assert [(p["label"], p["kind"]) for p in points] == [
        ("Recon Mavrah", "plan"),
        ("School", "waypoint"),
        ("Bravo", "extraction"),
    ]


def test_with_a_basemap_homes_small_map_is_the_live_map_with_the_camp_and_the_sightings(
    kept: bytes, site: Site, commander: Any, client: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from lifeline.intel.threats.services import sighting_record
    from lifeline.routing.tests.test_app import SCHOOL

    services.graph_generate_demo(actor=commander)
    site.latitude, site.longitude = SCHOOL
    site.save(update_fields=["latitude", "longitude"])
    sighting_record(
        actor=commander,
        latitude=SCHOOL[0] + 0.001,
        longitude=SCHOOL[1],
        count=4,
        confidence=0.8,
        seen_at=timezone.now() - dt.timedelta(minutes=20),
    )
    client.force_login(commander)
    page = client.get("/").content.decode()
    danger = page.split('id="danger-title"', 1)[1].split("</section>", 1)[0]
    assert 'id="home-map" class="map-live map-small"' in danger and "<svg" not in danger
    assert '"url": "/routing/basemaps/square.pmtiles"' in danger
    found = re.search(r'<script id="home-map-layers" type="application/json">(.*?)</script>', page)
    assert found is not None
    layers = {layer["id"]: layer for layer in json.loads(found.group(1))}
    assert layers["sightings"]["data"]["features"]
    kinds = {f["properties"].get("kind") for f in layers["places"]["data"]["features"]}
    assert "camp" in kinds
    assert 'href="/routing/"' in danger  # "Open the map" stays


@pytest.mark.parametrize(("fmt", "kind"), [("png", "PNG images"), ("jpg", "JPEG images")])
def test_a_raster_basemap_uploaded_is_named_by_its_images_and_given_to_the_map_as_raster(
    site: Site, commander: Any, client: Any, fmt: str, kind: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lifeline.routing.tests.raster_basemap import raster_basemap

    services.graph_generate_demo(actor=commander)
    client.force_login(commander)
    upload = SimpleUploadedFile("imagery.pmtiles", raster_basemap(fmt))
    page = client.post("/site/basemap/", {"basemap": upload}, follow=True).content.decode()
    assert f"Basemap added: {kind}, zoom 14 to 15" in page
    assert f"imagery: {kind}, zoom 14 to 15" in page
    page = client.get("/routing/").content.decode()
    found = re.search(
        r'<script id="route-map-basemaps" type="application/json">(.*?)</script>', page
    )
    assert found is not None
    [drawn] = json.loads(found.group(1))
    assert (drawn["type"], drawn["min_zoom"], drawn["max_zoom"]) == (fmt, 14, 15)
    assert drawn["url"] == "/routing/basemaps/imagery.pmtiles"


def test_the_basemap_added_last_is_the_one_the_map_shows_first(
    kept: bytes, commander: Any, tmp_path: Any
) -> None:
    import os

    from lifeline.routing.tests.raster_basemap import raster_basemap
    from lifeline.web.map_layers import basemaps_json

    source = tmp_path / "imagery.pmtiles"
    source.write_bytes(raster_basemap("png"))
    services.basemap_add(actor=commander, source=source)
    square = selectors.basemap_path(name="square")
    imagery = selectors.basemap_path(name="imagery")
    os.utime(square, ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    os.utime(imagery, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    assert [(b["name"], b["type"]) for b in basemaps_json()] == [
        ("square", "mvt"),
        ("imagery", "png"),
    ]
    os.utime(imagery, ns=(3_000_000_000_000_000_000, 3_000_000_000_000_000_000))
    assert [b["name"] for b in basemaps_json()] == ["imagery", "square"]
