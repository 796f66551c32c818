"""Charts of stock as inline SVG, drawn on the server (no chart library, no CDN): the stock
level of the past days from the ledger, then the projection to stock-out (the burn-down), with
the levels that leave a week and three days of supply and the reorder level drawn across.

Drawn at the size a phone shows them (a 360-unit wide view box), so that text stays readable
without zooming; colours always come with a word (the legend and the lines' labels)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from html import escape

from django.utils import formats
from django.utils.translation import gettext as _

from lifeline.supplies.rules import quantity_text

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 22, 24
SPARK_WIDTH, SPARK_HEIGHT = 160, 40
LABEL_GAP = 13  # the height of a guide's label

Series = list[tuple[dt.date, Decimal]]
Scale = Callable[[dt.date, Decimal], tuple[float, float]]


def _day_label(day: dt.date) -> str:
    # Django's "M" is the month's short name in the user's language ("janv.", "يناير").
    return escape(formats.date_format(day, "j M"))


def _scaler(
    points: Series, top: Decimal, width: int, height: int, pads: tuple[int, int, int, int]
) -> Scale:
    left, right, top_pad, bottom = pads
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def xy(day: dt.date, quantity: Decimal) -> tuple[float, float]:
        x = left + (width - left - right) * (day - first).days / span
        y = height - bottom - float(quantity / top) * (height - top_pad - bottom)
        return x, y

    return xy


def _polyline(series: Series, xy: Scale, css: str) -> str:
    if len(series) < 2:
        return ""
    points = " ".join("{:.1f},{:.1f}".format(*xy(d, q)) for d, q in series)
    return f'<polyline class="{css}" points="{points}"/>'


def burn_down_svg(
    *,
    history: Series,
    projection: Series,
    reorder_level: Decimal,
    unit: str,
    daily_need: Decimal = Decimal(0),
) -> str:
    """Stock on hand over time and its projection to stock-out; across it, the levels that
    last a week and three days at today's need (days of supply read off the chart)."""
    points = history + projection[1:]
    if not points:
        return ""
    guides: list[tuple[Decimal, str, str]] = []
    if reorder_level > 0:
        guides.append((reorder_level, "reorder", _("reorder level")))
    if daily_need > 0:
        guides.append((daily_need * 7, "week", _("7 days left")))
        guides.append((daily_need * 3, "days3", _("3 days left")))
    top = max([q for _d, q in points] + [g for g, _c, _l in guides] + [Decimal(1)])
    top = top * Decimal("1.08")
    xy = _scaler(points, top, WIDTH, HEIGHT, (LEFT, RIGHT, TOP, BOTTOM))
    first, last = points[0][0], points[-1][0]
    label = escape(unit)
    parts = [
        f'<svg class="burn-down" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(_("Stock level and projection in %(unit)s") % {"unit": unit})}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" '
        f'y2="{HEIGHT - BOTTOM}"/>',
    ]
    labelled: list[float] = []
    for level, css, words in guides:
        _x, y = xy(first, level)
        parts.append(
            f'<line class="guide {css}" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" '
            f'y2="{y:.1f}"/>'
        )
        # Two guides a few pixels apart would print their words over each other: the line
        # stays, the second label goes.
        if all(abs(y - other) >= LABEL_GAP for other in labelled):
            labelled.append(y)
            parts.append(
                f'<text class="guide-label {css}" x="{WIDTH - RIGHT}" y="{y - 3:.1f}" '
                f'text-anchor="end">{escape(words)}</text>'
            )
    parts.append(_polyline(history, xy, "history"))
    parts.append(_polyline(projection, xy, "projection"))
    today_x, _y = xy(projection[0][0] if projection else last, Decimal(0))
    parts.append(
        f'<line class="today" x1="{today_x:.1f}" y1="{TOP}" x2="{today_x:.1f}" '
        f'y2="{HEIGHT - BOTTOM}"/>'
    )
    peak = max(q for _d, q in points)
    parts.append(
        f'<text x="{LEFT}" y="{TOP - 8}">'
        f"{escape(_('highest: %(n)s') % {'n': quantity_text(peak)})} {label}</text>"
    )
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 6}">{_day_label(first)}</text>')
    if len(projection) > 1:
        parts.append(
            f'<text x="{today_x:.1f}" y="{HEIGHT - 6}" text-anchor="middle">'
            f"{escape(_('today'))}</text>"
        )
    # With nothing projected the chart ends today: say so rather than print the date twice.
    end_label = _day_label(last) if len(projection) > 1 else escape(_("today"))
    parts.append(f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" text-anchor="end">{end_label}</text>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline_svg(*, history: Series, projection: Series, label: str) -> str:
    """A small chart of one item for a list: the last weeks and the burn-down, no text (the
    list says the days left in words beside it)."""
    points = history + projection[1:]
    if len(points) < 2:
        return ""
    top = max([q for _d, q in points] + [Decimal(1)]) * Decimal("1.05")
    xy = _scaler(points, top, SPARK_WIDTH, SPARK_HEIGHT, (2, 2, 2, 2))
    return (
        f'<svg class="sparkline" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f'<line class="axis" x1="2" y1="{SPARK_HEIGHT - 2}" x2="{SPARK_WIDTH - 2}" '
        f'y2="{SPARK_HEIGHT - 2}"/>'
        f"{_polyline(history, xy, 'history')}{_polyline(projection, xy, 'projection')}</svg>"
    )
