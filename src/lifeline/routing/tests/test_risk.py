"""Risk on the hexagonal grid: decay, spread, zones, and the incremental field."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifeline.routing.risk import (
    RiskField,
    RiskParams,
    Sighting,
    Zone,
    cell_of,
    decay_factor,
    levels_close,
    risk_full,
    sighting_risk,
    spread_cells,
)

NOW = dt.datetime(2026, 10, 27, 12, tzinfo=dt.UTC)
HOUR = 3600.0
MAVRAH = (31.7008, -4.0340)


@pytest.mark.parametrize(
    ("age_s", "half_life_s", "expected"),
    [
        (0.0, 6 * HOUR, 1.0),
        (6 * HOUR, 6 * HOUR, 0.5),
        (12 * HOUR, 6 * HOUR, 0.25),
        (18 * HOUR, 6 * HOUR, 0.125),
        (3 * HOUR, 6 * HOUR, 2**-0.5),
        (1 * HOUR, 1 * HOUR, 0.5),
        (10 * HOUR, 1 * HOUR, 1 / 1024),
    ],
)
def test_a_sighting_loses_half_its_weight_every_half_life(
    age_s: float, half_life_s: float, expected: float
) -> None:
    assert decay_factor(age_s, half_life_s) == pytest.approx(expected, rel=1e-12)


def test_a_sighting_weighs_its_count_times_its_confidence_then_decays() -> None:
    sighting = Sighting(*MAVRAH, at=NOW - dt.timedelta(hours=6), count=8, confidence=0.5)
    params = RiskParams(half_life_s=6 * HOUR)
    assert sighting_risk(sighting, now=NOW, params=params) == pytest.approx(2.0)


def test_a_sighting_spreads_to_the_rings_around_it_with_falloff() -> None:
    params = RiskParams(spread_rings=2, falloff=0.5)
    sighting = Sighting(*MAVRAH, at=NOW, count=4, confidence=1.0)
    levels = risk_full([sighting], [], params=params, now=NOW)
    centre = cell_of(*MAVRAH, params.resolution)
    shares = dict(spread_cells(centre, params))
    assert levels[centre] == pytest.approx(4.0)
    assert sorted(set(shares.values())) == [0.25, 0.5, 1.0]
    assert len(levels) == 1 + 6 + 12
    for cell, share in shares.items():
        assert levels[cell] == pytest.approx(4.0 * share)


def test_a_zone_sets_the_level_of_the_cells_it_overlaps_until_it_expires() -> None:
    lat, lon = MAVRAH
    zone = Zone(
        ((lat, lon), (lat + 0.002, lon), (lat + 0.002, lon + 0.002), (lat, lon + 0.002)),
        level=3.0,
        expires_at=NOW + dt.timedelta(hours=1),
    )
    levels = risk_full([], [zone], params=RiskParams(), now=NOW)
    assert levels and set(levels.values()) == {3.0}
    assert risk_full([], [zone], params=RiskParams(), now=NOW + dt.timedelta(hours=2)) == {}


def test_a_sighting_raises_a_zone_but_never_lowers_it() -> None:
    lat, lon = MAVRAH
    zone = Zone(((lat - 0.001, lon - 0.001), (lat + 0.001, lon), (lat, lon + 0.001)), level=3.0)
    weak = Sighting(lat, lon, at=NOW, count=1, confidence=0.5)
    strong = Sighting(lat, lon, at=NOW, count=10, confidence=1.0)
    centre = cell_of(lat, lon, RiskParams().resolution)
    assert risk_full([weak], [zone], params=RiskParams(), now=NOW)[centre] == 3.0
    assert risk_full([strong], [zone], params=RiskParams(), now=NOW)[centre] == 10.0


sightings_strategy = st.lists(
    st.builds(
        Sighting,
        lat=st.floats(31.69, 31.71),
        lon=st.floats(-4.05, -4.02),
        at=st.integers(0, 10 * 24 * 3600).map(lambda s: NOW - dt.timedelta(seconds=s)),
        count=st.integers(1, 40),
        confidence=st.floats(0.05, 1.0),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(
    sightings=sightings_strategy,
    half_life_h=st.floats(0.5, 72.0),
    rings=st.integers(0, 3),
    falloff=st.floats(0.0, 1.0),
    epoch_offset_h=st.integers(-2000, 2000),
)
def test_adding_sightings_one_by_one_equals_a_full_recompute(
    sightings: list[Sighting],
    half_life_h: float,
    rings: int,
    falloff: float,
    epoch_offset_h: int,
) -> None:
    params = RiskParams(half_life_s=half_life_h * HOUR, spread_rings=rings, falloff=falloff)
    field = RiskField(params, epoch=NOW + dt.timedelta(hours=epoch_offset_h))
    for index, sighting in enumerate(sightings):
        field.sighting_add(sighting)
        seen = sightings[: index + 1]
        assert levels_close(field.levels(NOW), risk_full(seen, [], params=params, now=NOW))


@settings(max_examples=20, deadline=None)
@given(sightings=sightings_strategy, level=st.floats(0.5, 5.0), expired=st.booleans())
def test_zones_and_sightings_together_equal_a_full_recompute(
    sightings: list[Sighting], level: float, expired: bool
) -> None:
    lat, lon = MAVRAH
    zone = Zone(
        ((lat, lon), (lat + 0.004, lon), (lat + 0.004, lon + 0.004)),
        level=level,
        expires_at=NOW - dt.timedelta(minutes=1) if expired else None,
    )
    field = RiskField(RiskParams(), epoch=NOW)
    field.zone_put("north", zone)
    for sighting in sightings:
        field.sighting_add(sighting)
    expected = risk_full(sightings, [zone], params=RiskParams(), now=NOW)
    assert levels_close(field.levels(NOW), expected)


def test_the_cells_a_sighting_changes_are_its_cell_and_rings() -> None:
    params = RiskParams(spread_rings=1)
    field = RiskField(params, epoch=NOW)
    changed = field.sighting_add(Sighting(*MAVRAH, at=NOW, count=2, confidence=1.0))
    assert changed == {cell for cell, _ in spread_cells(cell_of(*MAVRAH, 10), params)}


def test_removing_a_zone_reports_the_cells_it_covered() -> None:
    lat, lon = MAVRAH
    field = RiskField(RiskParams(), epoch=NOW)
    covered = field.zone_put("a", Zone(((lat, lon), (lat + 0.003, lon), (lat, lon + 0.003)), 4))
    assert field.zone_remove("a") == covered
    assert field.levels(NOW) == {}
