"""Pure registry rules: ages, age bands, search text, coordinates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifeline.people import rules

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("born", "age"),
    [
        (dt.date(2014, 11, 23), 12),
        (dt.date(2014, 11, 24), 11),
        (dt.date(2008, 2, 29), 18),
        (dt.date(1950, 1, 1), 76),
    ],
)
def test_age_counts_whole_years_since_birth(born: dt.date, age: int) -> None:
    assert rules.age_on(born, TODAY) == age


@given(st.integers(min_value=0, max_value=rules.MAX_AGE_YEARS))
def test_an_estimated_age_gives_a_birth_date_of_that_age_today(age: int) -> None:
    assert rules.age_on(rules.birth_date_from_age(age, TODAY), TODAY) == age


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
def test_every_birth_date_falls_in_exactly_one_age_band(born: dt.date) -> None:
    inside = []
    for band in rules.AGE_BANDS:
        oldest_exclusive, youngest = rules.birth_date_range(band, TODAY)
        if born <= youngest and (oldest_exclusive is None or born > oldest_exclusive):
            inside.append(band.code)
    assert len(inside) == 1
    band = rules.age_band(inside[0])
    age = rules.age_on(born, TODAY)
    assert band.min_years <= age and (band.max_years is None or age <= band.max_years)


def test_children_are_under_eighteen() -> None:
    assert rules.is_child(dt.date(2009, 1, 1), TODAY)
    assert not rules.is_child(dt.date(2008, 11, 23), TODAY)
    assert not rules.is_child(None, TODAY)


def test_search_text_ignores_case_and_accents() -> None:
    assert rules.search_text(["Méri̇em", "  ", "EL-Amrani"]) == "meriem el-amrani"
    assert rules.search_terms("  SOUFIANE   Él ") == ["soufiane", "el"]


@pytest.mark.parametrize(
    ("lat", "lon", "problem_field"),
    [
        (91.0, 0.0, "latitude"),
        (0.0, 181.0, "longitude"),
        (10.0, None, "longitude"),
        (None, 10.0, "latitude"),
    ],
)
def test_bad_coordinates_name_the_coordinate(
    lat: float | None, lon: float | None, problem_field: str
) -> None:
    assert problem_field in rules.coordinates_problems(lat, lon)


def test_a_birth_date_in_the_future_is_a_problem() -> None:
    assert rules.birth_date_problem(TODAY + dt.timedelta(days=1), TODAY) == "is in the future"
    assert rules.birth_date_problem(TODAY, TODAY) is None
