from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from lifeline.core.templatetags.lifeline_format import (
    clock,
    day,
    days_left,
    duration,
    moment,
    number,
)


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


# ---- the same filters in French and Arabic --------------------------------------------------

AT = dt.datetime(2026, 12, 7, 14, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("language", "moment_text", "day_text"),
    [
        ("fr", "7 déc. 2026 14:05", "1 mars 2026"),
        ("ar", "7 ديسمبر 2026 14:05", "1 مارس 2026"),
    ],
)
def test_moments_and_days_name_the_month_in_the_readers_language(
    language: str, moment_text: str, day_text: str
) -> None:
    with translation.override(language):
        assert moment(AT) == moment_text
        assert day(dt.date(2026, 3, 1)) == day_text
        assert clock(AT) == "14:05"


@pytest.mark.parametrize(
    ("language", "minutes", "words"),
    [
        ("fr", 45, "45 min"),
        ("fr", 371, "6 h 15 min"),
        ("fr", 3 * 24 * 60, "3 jours"),
        ("ar", 45, "45 د"),
        ("ar", 371, "6 س 15 د"),
        ("ar", 2 * 24 * 60, "يومان"),
        ("ar", 3 * 24 * 60, "3 أيام"),
        ("ar", 11 * 24 * 60, "11 يومًا"),
    ],
)
def test_durations_read_in_the_readers_language(language: str, minutes: int, words: str) -> None:
    with translation.override(language):
        assert duration(minutes) == words


@pytest.mark.parametrize(
    ("language", "value", "words"),
    [
        ("fr", None, "aucune consommation enregistrée"),
        ("fr", 0.3, "moins d'un jour"),
        ("fr", 1.5, "1 jour"),
        ("fr", 12.4, "12 jours"),
        ("ar", 0.3, "أقل من يوم"),
        ("ar", 1.5, "يوم واحد"),
        ("ar", 12.4, "12 يومًا"),
        ("ar", 100, "100 يوم"),
    ],
)
def test_days_of_supply_read_in_the_readers_language(
    language: str, value: float | None, words: str
) -> None:
    with translation.override(language):
        assert days_left(value) == words


def test_numbers_take_the_languages_separators() -> None:
    with translation.override("en"):
        assert number(12500) == "12,500"
        assert number(3.25, 2) == "3.25"
    with translation.override("fr"):
        assert number(12500) == "12\xa0500"
        assert number(3.25, 2) == "3,25"
    assert number(None) == "" and number("") == ""


def test_arabic_pages_write_western_digits_unless_the_site_asks_for_arabic_indic(
    settings: Any,
) -> None:
    with translation.override("ar"):
        settings.LIFELINE_ARABIC_DIGITS = False
        assert moment(AT) == "7 ديسمبر 2026 14:05"
        settings.LIFELINE_ARABIC_DIGITS = True
        assert moment(AT) == "٧ ديسمبر ٢٠٢٦ ١٤:٠٥"
        assert day(dt.date(2026, 3, 1)) == "١ مارس ٢٠٢٦"
        assert clock(AT) == "١٤:٠٥"
        assert duration(371) == "٦ س ١٥ د"
        assert days_left(12.4) == "١٢ يومًا"
        assert number(3.25, 2) == "٣٫٢٥"
    with translation.override("fr"):
        # The setting is for Arabic pages only: French keeps its digits.
        assert moment(AT) == "7 déc. 2026 14:05"
        assert number(12500) == "12\xa0500"
