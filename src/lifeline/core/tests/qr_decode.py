"""Reading back the QR codes the pages draw, for tests: the modules of an inline SVG made by
`core.qr`, a picture of them, and the text that jsQR (the decoder the distribution screen
vendors, run by Node) reads from that picture. A test that decodes proves the code scans, not
only that some SVG was drawn."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

JSQR = Path(__file__).resolve().parents[2] / "supplies/static/supplies/vendor/jsqr/jsQR.js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="no node to run the vendored jsQR")

_VIEWBOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')
_DARK_PATH = re.compile(r'<path[^>]*stroke="#000"[^>]*\sd="([^"]+)"')
_COMMAND = re.compile(r"([MmHh])\s*([-\d.\s]*)")

_DECODE = """
const jsQR = require(process.argv[1]);
const [width, height] = [Number(process.argv[2]), Number(process.argv[3])];
const pixels = new Uint8ClampedArray(require("fs").readFileSync(0));
const code = jsQR(pixels, width, height);
process.stdout.write(JSON.stringify(code ? code.data : null));
"""


def qr_modules(svg: str) -> list[list[bool]]:
    """The dark modules (True) of an SVG drawn by `core.qr.qr_svg`, quiet zone included: its
    path is horizontal runs, `M x y` / `m dx dy` to a run's start and `h n` along it."""
    size = _VIEWBOX.search(svg)
    path = _DARK_PATH.search(svg)
    assert size and path, "not a QR SVG of core.qr"
    width, height = int(size[1]), int(size[2])
    grid = [[False] * width for _ in range(height)]
    x = y = 0.0
    for command, args in _COMMAND.findall(path[1]):
        numbers = [float(n) for n in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:  # h: a run of dark modules on the row whose middle is y
            run = numbers[0] if command == "h" else numbers[0] - x
            for column in range(round(x), round(x + run)):
                grid[int(y)][column] = True
            x += run
    return grid


def qr_pixels(modules: list[list[bool]], *, scale: int) -> tuple[int, int, list[int]]:
    """A grey picture of the modules (0 dark, 255 light), `scale` pixels a module."""
    width, height = len(modules[0]) * scale, len(modules) * scale
    grey = [
        0 if modules[row // scale][column // scale] else 255
        for row in range(height)
        for column in range(width)
    ]
    return width, height, grey


def qr_decode(svg: str) -> str | None:
    """The text jsQR reads from the QR code drawn by the SVG (None when it reads nothing)."""
    assert NODE is not None
    width, height, grey = qr_pixels(qr_modules(svg), scale=6)
    rgba = bytes(value for g in grey for value in (g, g, g, 255))
    done = subprocess.run(  # noqa: S603 - our own script and the vendored decoder
        [NODE, "-e", _DECODE, str(JSQR), str(width), str(height)],
        input=rgba,
        capture_output=True,
        check=True,
        timeout=60,
    )
    result: str | None = json.loads(done.stdout)
    return result
