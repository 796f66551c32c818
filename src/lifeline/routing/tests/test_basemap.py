"""Offline basemaps: a user's PMTiles file checked and kept (or refused with the reason), and
the demo's own basemap drawn from its road graph, the same bytes every time."""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

import mapbox_vector_tile
import pytest
from PIL import Image
from pmtiles.reader import MemorySource, Reader
from typer.testing import CliRunner

from lifeline.core.commandline import command_root_build
from lifeline.core.errors import Forbidden, ValidationFailed
from lifeline.core.models import AuditEntry, Site
from lifeline.routing import basemap, selectors, services
from lifeline.routing.cli import map_app
from lifeline.routing.tests.raster_basemap import COLOURS, raster_basemap, tile_xy
from lifeline.routing.tests.test_app import SCHOOL
from lifeline.routing.town import mavrah_town


def _geography() -> basemap.Geography:
    return basemap.geography_of(mavrah_town(), name="Mavrah")


@functools.cache
def demo_bytes() -> bytes:
    return basemap.basemap_demo_write(_geography())


def test_the_demo_basemap_is_the_same_bytes_from_the_same_geography() -> None:
    assert basemap.basemap_demo_write(_geography()) == demo_bytes()


def test_the_demo_basemap_covers_its_town_with_streets_houses_and_its_name() -> None:
    info = basemap.basemap_header_check(demo_bytes()[:127], size=len(demo_bytes()))
    assert info.vector and (info.min_zoom, info.max_zoom) == basemap.DEMO_ZOOMS
    assert info.south < 31.6940 and info.north > 31.7075
    assert info.west < -4.0430 and info.east > -4.0245
    reader = Reader(MemorySource(demo_bytes()))
    # The tile under the town's centre at the deepest zoom has its layers, in the schema
    # the vendored style draws.
    z = basemap.DEMO_ZOOMS[1]
    x, y = basemap._tile_of(z, *basemap._mercator(31.7008, -4.0340)[::1])
    tile = mapbox_vector_tile.decode(reader.get(z, x, y))
    assert {"earth", "roads", "buildings"} <= set(tile)
    assert {f["properties"]["kind"] for f in tile["roads"]["features"]} >= {"minor_road"}
    assert len(tile["buildings"]["features"]) > 10
    assert basemap.basemap_metadata(demo_bytes())["name"] == "Mavrah"


def _with_byte(blob: bytes, index: int, value: int) -> bytes:
    return blob[:index] + bytes([value]) + blob[index + 1 :]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda b: b"SQLite format 3\x00" + b[16:], "is not a PMTiles basemap"),
        (lambda b: b[:60], "too short"),
        (lambda b: b[:2000], "cut short"),
        (lambda b: _with_byte(b, 7, 2), "old PMTiles version"),
        (lambda b: _with_byte(b, 99, 0), "unknown tiles"),
        (lambda b: _with_byte(b, 98, 4), "compressed with zstd"),
        (lambda b: _with_byte(b, 100, 30), "impossible zoom"),
        (lambda b: b[:102] + b[110:118] + b[102:110] + b[118:], "covers no area"),
    ],
)
def test_a_file_that_is_no_basemap_we_can_draw_is_refused_saying_why(
    change: Any, says: str, tmp_path: Path
) -> None:
    path = tmp_path / "region.pmtiles"
    path.write_bytes(change(demo_bytes()))
    with pytest.raises(basemap.BasemapError, match=says):
        basemap.basemap_inspect(path)


pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_a_basemap_added_is_kept_under_the_data_folder_and_audited(
    site: Site, logistics: Any, tmp_path: Path
) -> None:
    source = tmp_path / "Region_North.pmtiles"
    source.write_bytes(demo_bytes())
    info = services.basemap_add(actor=logistics, source=source)
    assert info.tile_type == "mvt"
    kept = selectors.basemap_list()
    assert [row.name for row in kept] == ["region-north"]
    assert selectors.basemap_path(name="region-north").read_bytes() == demo_bytes()
    entry = AuditEntry.objects.get(action="routing.basemap_add")
    assert entry.actor == logistics and entry.detail["name"] == "region-north"


@pytestmark_db
def test_a_bad_basemap_is_refused_and_leaves_nothing_behind(
    site: Site, commander: Any, tmp_path: Path
) -> None:
    source = tmp_path / "notes.pmtiles"
    source.write_text("not a map at all, just some words written into a file" * 5)
    with pytest.raises(ValidationFailed) as refused:
        services.basemap_add(actor=commander, source=source)
    assert "not a PMTiles basemap" in str(refused.value.fields["file"])
    assert selectors.basemap_list() == []
    assert list(selectors.basemap_dir().iterdir()) == []
    assert not AuditEntry.objects.filter(action="routing.basemap_add").exists()


@pytestmark_db
def test_a_viewer_adds_no_basemap(site: Site, viewer: Any, tmp_path: Path) -> None:
    source = tmp_path / "region.pmtiles"
    source.write_bytes(demo_bytes())
    with pytest.raises(Forbidden):
        services.basemap_add(actor=viewer, source=source)


@pytestmark_db
def test_the_demo_basemap_is_made_from_the_stored_graph_once(site: Site, commander: Any) -> None:
    services.graph_generate_demo(actor=commander)
    path = services.basemap_demo_make(actor=commander)
    assert path.read_bytes() == demo_bytes()
    services.basemap_demo_make(actor=commander)
    assert AuditEntry.objects.filter(action="routing.basemap_add").count() == 1


@pytestmark_db
def test_the_cli_adds_a_basemap_or_says_why_not(site: Site, commander: Any, tmp_path: Path) -> None:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    app = command_root_build({"map": map_app})
    user = commander.get_username()
    good = tmp_path / "valley.pmtiles"
    good.write_bytes(demo_bytes())
    added = runner.invoke(app, ["--user", user, "map", "add", str(good)])
    assert added.exit_code == 0, added.output
    assert added.output.startswith("basemap valley: mvt tiles, zoom 10-16")
    listed = runner.invoke(app, ["--user", user, "map", "list"])
    assert listed.output.startswith("valley: mvt")
    bad = tmp_path / "photo.pmtiles"
    bad.write_bytes(b"\x89PNG\r\n" + bytes(300))
    refused = runner.invoke(app, ["--user", user, "map", "add", str(bad)])
    assert refused.exit_code != 0
    assert "photo.pmtiles is not a PMTiles basemap" in refused.output


@pytest.mark.parametrize(("tile_type", "drawn"), [(2, "png"), (3, "jpg"), (1, "mvt")])
def test_raster_and_vector_basemaps_are_both_drawn(tile_type: int, drawn: str) -> None:
    blob = _with_byte(demo_bytes(), 99, tile_type)
    assert basemap.basemap_header_check(blob[:127], size=len(blob)).tile_type == drawn


@pytestmark_db
@pytest.mark.parametrize("fmt", ["png", "jpg"])
def test_a_raster_basemap_is_kept_and_listed_as_raster_with_its_zooms(
    site: Site, commander: Any, tmp_path: Path, fmt: str
) -> None:
    source = tmp_path / f"Satellite_{fmt}.pmtiles"
    source.write_bytes(raster_basemap(fmt))
    info = services.basemap_add(actor=commander, source=source)
    assert (info.tile_type, info.vector) == (fmt, False)
    [kept] = selectors.basemap_list()
    assert kept.name == f"satellite-{fmt}"
    assert (kept.info.tile_type, kept.info.min_zoom, kept.info.max_zoom) == (fmt, 14, 15)
    south, west, north, east = kept.info.bounds()
    assert south < SCHOOL[0] < north and west < SCHOOL[1] < east
    # The tiles kept are the images written, each zoom its own colour.
    reader = Reader(MemorySource(selectors.basemap_path(name=kept.name).read_bytes()))
    for zoom, colour in COLOURS.items():
        data = reader.get(zoom, *tile_xy(*SCHOOL, zoom))
        assert data is not None
        image = Image.open(io.BytesIO(data))
        assert image.format == {"png": "PNG", "jpg": "JPEG"}[fmt]
        assert all(abs(a - b) <= 4 for a, b in zip(image.getpixel((32, 32)), colour, strict=True))


@pytestmark_db
def test_the_cli_lists_a_raster_basemap_by_its_tiles(
    site: Site, commander: Any, tmp_path: Path
) -> None:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    app = command_root_build({"map": map_app})
    user = commander.get_username()
    source = tmp_path / "imagery.pmtiles"
    source.write_bytes(raster_basemap("jpg"))
    added = runner.invoke(app, ["--user", user, "map", "add", str(source)])
    assert added.exit_code == 0, added.output
    assert added.output.startswith("basemap imagery: jpg tiles, zoom 14-15")
    listed = runner.invoke(app, ["--user", user, "map", "list"])
    assert listed.output.startswith("imagery: jpg, zoom 14-15")


def test_a_refused_file_is_told_in_the_users_language() -> None:
    from django.utils import translation

    with translation.override("fr"), pytest.raises(basemap.BasemapError) as refused:
        basemap.basemap_header_check(b"\0" * basemap.HEADER_BYTES, size=4096, name="photo.jpg")
    assert "photo.jpg n’est pas un fond de carte PMTiles" in str(refused.value)
