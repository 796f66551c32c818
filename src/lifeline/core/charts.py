"""Small charts drawn on the server as SVG, for pages read on a phone: bars per day, stacked by
category when there are several. No chart library, no script, no inline style (the coming
Content-Security-Policy refuses both): the bars carry classes that `lifeline.css` colours, and
the numbers are in the SVG's title and in the page's own words beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe

# A viewBox a phone shows at its width without shrinking the text below reading size.
WIDTH, HEIGHT = 360, 170
LEFT, RIGHT, TOP, BOTTOM = 30, 8, 14, 22
FONT = 11


@dataclass(frozen=True)
class Series:
    """One category of a stacked chart: its key (the CSS class `chart-<key>`), its label and a
    value per day."""

    key: str
    label: str
    values: Sequence[int]


def _day(day: dt.date) -> str:
    return formats.date_format(day, "j M")


def bars_by_day_svg(*, days: Sequence[dt.date], series: Sequence[Series], title: str) -> SafeString:
    """Bars per day, stacked by series in the order given; an empty string when no day has a
    value. `title` names the chart for screen readers."""
    if not days or not series:
        return mark_safe("")
    totals = [sum(s.values[i] for s in series) for i in range(len(days))]
    top = max(totals)
    if top <= 0:
        return mark_safe("")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(days)
    bar = max(slot * 0.7, 1.0)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line class="chart-axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" '
        f'y2="{TOP + plot_h}"/>',
        f'<text class="chart-label" x="{LEFT - 4}" y="{TOP + FONT / 2:.1f}" '
        f'text-anchor="end" font-size="{FONT}">{top}</text>',
        f'<text class="chart-label" x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end" '
        f'font-size="{FONT}">0</text>',
    ]
    for i, day in enumerate(days):
        x = LEFT + i * slot + (slot - bar) / 2
        base: float = TOP + plot_h
        words = ", ".join(f"{s.label} {s.values[i]}" for s in series if s.values[i])
        parts.append(f"<g><title>{escape(_day(day))}: {escape(words or '0')}</title>")
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            h = plot_h * value / top
            base -= h
            parts.append(
                f'<rect class="chart-bar chart-{escape(s.key)}" x="{x:.1f}" y="{base:.1f}" '
                f'width="{bar:.1f}" height="{h:.1f}"/>'
            )
        parts.append("</g>")
    y = HEIGHT - 6
    parts.append(
        f'<text class="chart-label" x="{LEFT}" y="{y}" font-size="{FONT}">'
        f"{escape(_day(days[0]))}</text>"
        f'<text class="chart-label" x="{WIDTH - RIGHT}" y="{y}" text-anchor="end" '
        f'font-size="{FONT}">{escape(_day(days[-1]))}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def days_back(today: dt.date, count: int) -> list[dt.date]:
    """The `count` days ending today, oldest first."""
    return [today - dt.timedelta(days=count - 1 - i) for i in range(count)]


def series_from_counts(
    days: Sequence[dt.date],
    counts: Mapping[tuple[dt.date, str], int],
    categories: Sequence[tuple[str, str]],
) -> list[Series]:
    """Series per category (key, label) from counts keyed by (day, category)."""
    return [
        Series(key, label, [counts.get((day, key), 0) for day in days]) for key, label in categories
    ]
