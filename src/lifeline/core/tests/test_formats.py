from __future__ import annotations

import datetime as dt

import pytest

from lifeline.core.templatetags.lifeline_format import day, days_left, duration, moment


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0, "0 min"),
        (45, "45 min"),
        (60, "1 h"),
        (90, "1 h 30 min"),
        (361, "6 h"),
        (371, "6 h 15 min"),
        (600, "10 h"),
        (47 * 60, "47 h"),
        (48 * 60, "2 days"),
        (3 * 24 * 60 + 100, "3 days"),
        (-30, "-30 min"),
    ],
)
def test_duration_reads_in_the_largest_unit_a_person_would_use(minutes: int, words: str) -> None:
    assert duration(minutes) == words


def test_duration_takes_a_timedelta() -> None:
    assert duration(dt.timedelta(hours=6)) == "6 h"
    assert duration(None) == ""


def test_moments_and_days_have_one_format() -> None:
    at = dt.datetime(2026, 12, 7, 14, 5, tzinfo=dt.UTC)
    assert moment(at) == "7 Dec 2026 14:05"
    assert day(dt.date(2026, 3, 1)) == "1 Mar 2026"
    assert day(at) == "7 Dec 2026"
    assert moment(None) == "" and day(None) == ""


def test_days_left_in_words() -> None:
    assert days_left(0.1) == "under a day"
    assert days_left(1.0) == "1 day"
    assert days_left(12.4) == "12 days"
    assert days_left(None) == "no use recorded"
