"""QR codes drawn on the server as inline SVG, for printed cards: made offline by `segno`
(pure Python, no image library), black modules on white so that a phone camera reads them
from paper or from a screen."""

from __future__ import annotations

import segno

# Medium error correction: a card that is creased or smudged still scans; the codes are short
# (a card number, a UUID) so the symbol stays small.
ERROR_LEVEL = "m"
# The quiet zone the QR standard asks for, in modules.
QUIET_ZONE = 4


def qr_svg(text: str, *, title: str) -> str:
    """An `<svg class="qr">` element (no XML declaration) encoding `text`; `title` is its
    accessible name. It has a viewBox and no fixed size: the stylesheet sizes it."""
    code = segno.make(text, error=ERROR_LEVEL, micro=False, boost_error=False)
    svg: str = code.svg_inline(
        scale=1,
        border=QUIET_ZONE,
        dark="#000",
        light="#fff",
        title=title,
        svgclass="qr",
        lineclass=None,
        omitsize=True,
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)
