"""The burn-down chart of an item as inline SVG, drawn on the server (no chart library, no
CDN): the stock level of the past days from the ledger, then the projection to stock-out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import escape

WIDTH, HEIGHT, PAD = 640, 220, 36


def burn_down_svg(
    *,
    history: list[tuple[dt.date, Decimal]],
    projection: list[tuple[dt.date, Decimal]],
    reorder_level: Decimal,
    unit: str,
) -> str:
    points = history + projection[1:]
    if not points:
        return ""
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    top = max([q for _, q in points] + [reorder_level, Decimal(1)])

    def xy(day: dt.date, quantity: Decimal) -> str:
        x = PAD + (WIDTH - 2 * PAD) * (day - first).days / span
        y = HEIGHT - PAD - float(quantity / top) * (HEIGHT - 2 * PAD)
        return f"{x:.1f},{y:.1f}"

    def line(series: list[tuple[dt.date, Decimal]], css: str) -> str:
        if len(series) < 2:
            return ""
        path = " ".join(xy(d, q) for d, q in series)
        return f'<polyline class="{css}" fill="none" stroke-width="2" points="{path}"/>'

    reorder_y = xy(first, reorder_level).split(",")[1]
    label = escape(unit)
    return (
        f'<svg class="burn-down" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="Stock level and projection in {label}" xmlns="http://www.w3.org/2000/svg">'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="currentColor" stroke-width="1"/>'
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="currentColor" '
        'stroke-width="1"/>'
        f'<line x1="{PAD}" y1="{reorder_y}" x2="{WIDTH - PAD}" y2="{reorder_y}" '
        'stroke="#c60" stroke-dasharray="4 4"/>'
        f"{line(history, 'history')}{line(projection, 'projection')}"
        f'<text x="{PAD}" y="{PAD - 8}" font-size="12">{top.normalize():f} {label}</text>'
        f'<text x="{PAD}" y="{HEIGHT - 12}" font-size="12">{first:%d %b}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 12}" font-size="12" text-anchor="end">'
        f"{last:%d %b}</text>"
        "<style>.history{stroke:#1d6fa5}.projection{stroke:#b22;stroke-dasharray:6 3}</style>"
        "</svg>"
    )
