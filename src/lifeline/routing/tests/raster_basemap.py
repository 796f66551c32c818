"""A small raster basemap over Mavrah for tests: PNG or JPEG tiles at zooms 14 and 15, as a
user's extract made with `pmtiles convert` from an MBTiles of OSM or satellite images would
hold. Made offline and deterministically with Pillow and the `pmtiles` writer. Each zoom is
one solid colour crossed by a light grid, so that a look at the map's pixels tells which
zoom's tiles were drawn (and that they were drawn at all)."""

from __future__ import annotations

import functools
import io
import math

from PIL import Image, ImageDraw
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

ZOOMS = (14, 15)
# The colour of each zoom's tiles (red, green, blue), far from the vector style's greys.
COLOURS = {14: (208, 40, 144), 15: (40, 144, 208)}
GRID = (240, 240, 240)
GRID_STEP = 64  # pixels between grid lines
TILE = 256
# Mavrah and a margin: (south, west, north, east).
AREA = (31.685, -4.055, 31.716, -4.013)
FORMATS = {"png": (TileType.PNG, "PNG"), "jpg": (TileType.JPEG, "JPEG")}


def tile_xy(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    """The Web Mercator tile holding a point at `zoom`."""
    n = 2**zoom
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def tile_image(zoom: int, fmt: str) -> bytes:
    """One tile: the zoom's colour with a grid line every GRID_STEP pixels."""
    image = Image.new("RGB", (TILE, TILE), COLOURS[zoom])
    draw = ImageDraw.Draw(image)
    for at in range(0, TILE, GRID_STEP):
        draw.line([(at, 0), (at, TILE - 1)], fill=GRID, width=2)
        draw.line([(0, at), (TILE - 1, at)], fill=GRID, width=2)
    out = io.BytesIO()
    if fmt == "png":
        image.save(out, format="PNG", optimize=False)
    else:
        image.save(out, format="JPEG", quality=90, subsampling=0)
    return out.getvalue()


@functools.cache
def raster_basemap(fmt: str = "png") -> bytes:
    """The bytes of a PMTiles file of `fmt` ("png" or "jpg") tiles covering AREA at ZOOMS."""
    tile_type, _ = FORMATS[fmt]
    south, west, north, east = AREA
    tiles: dict[int, bytes] = {}
    for zoom in ZOOMS:
        image = tile_image(zoom, fmt)
        x0, y0 = tile_xy(north, west, zoom)
        x1, y1 = tile_xy(south, east, zoom)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                tiles[zxy_to_tileid(zoom, x, y)] = image
    buffer = io.BytesIO()
    writer = Writer(buffer)  # type: ignore[no-untyped-call]
    for tile_id in sorted(tiles):
        writer.write_tile(tile_id, tiles[tile_id])  # type: ignore[no-untyped-call]
    header = {
        "tile_type": tile_type,
        "tile_compression": Compression.NONE,
        "min_zoom": ZOOMS[0],
        "max_zoom": ZOOMS[-1],
        "min_lon_e7": round(west * 1e7),
        "min_lat_e7": round(south * 1e7),
        "max_lon_e7": round(east * 1e7),
        "max_lat_e7": round(north * 1e7),
        "center_zoom": ZOOMS[-1],
        "center_lon_e7": round((west + east) / 2 * 1e7),
        "center_lat_e7": round((south + north) / 2 * 1e7),
    }
    metadata = {"name": f"Mavrah {fmt}", "attribution": "Lifeline tests (generated)"}
    writer.finalize(header, metadata)  # type: ignore[no-untyped-call]
    return buffer.getvalue()
