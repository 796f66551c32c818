"""Charts drawn on the server: bars per day, stacked, with the numbers in words for readers."""

from __future__ import annotations

import datetime as dt

from lifeline.core.charts import Series, bars_by_day_svg, days_back, series_from_counts

DAYS = days_back(dt.date(2026, 12, 7), 3)


def test_days_back_ends_today_oldest_first() -> None:
    assert [dt.date(2026, 12, 5), dt.date(2026, 12, 6), dt.date(2026, 12, 7)] == DAYS


def test_bars_are_stacked_by_series_and_say_their_numbers() -> None:
    svg = bars_by_day_svg(
        days=DAYS,
        series=series_from_counts(
            DAYS,
            {(DAYS[0], "minor"): 2, (DAYS[2], "minor"): 1, (DAYS[2], "immediate"): 3},
            [("immediate", "Immediate"), ("minor", "Minor")],
        ),
        title="Patients <by> category",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert svg.count('class="chart-bar chart-minor"') == 2
    assert svg.count('class="chart-bar chart-immediate"') == 1
    assert "7 Dec: Immediate 3, Minor 1" in svg
    assert "Patients &lt;by&gt; category" in svg  # escaped
    assert "style" not in svg  # the coming CSP refuses inline styles


def test_nothing_is_drawn_for_nothing() -> None:
    assert bars_by_day_svg(days=DAYS, series=[Series("a", "A", [0, 0, 0])], title="t") == ""
    assert bars_by_day_svg(days=[], series=[], title="t") == ""
