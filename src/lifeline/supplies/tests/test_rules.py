"""The pure rules, without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lifeline.supplies import rules

D = Decimal


def _lot(key: str, expiry: dt.date | None, quantity: int) -> rules.Available[str]:
    return rules.Available(key=key, expiry=expiry, quantity=D(quantity), order=key)


def test_issues_take_the_lot_that_expires_first() -> None:
    lots = [
        _lot("late", dt.date(2026, 1, 1), 10),
        _lot("none", None, 10),
        _lot("early", dt.date(2025, 6, 1), 4),
    ]
    assert rules.fefo_pick(lots, D(6)) == [("early", D(4)), ("late", D(2))]


def test_a_pick_larger_than_the_stock_is_refused_with_what_is_there() -> None:
    with pytest.raises(rules.NotEnoughStock) as caught:
        rules.fefo_pick([_lot("a", None, 3)], D(5))
    assert caught.value.available == D(3)


@pytest.mark.parametrize(
    ("size", "cap", "expected"), [(0, 6, D("2.5")), (1, 6, D("2.5")), (4, 6, D(10)), (9, 6, D(15))]
)
def test_entitlement_is_per_person_with_at_least_one_and_at_most_the_cap(
    size: int, cap: int, expected: Decimal
) -> None:
    assert rules.entitlement(D("2.5"), size, cap) == expected


def test_water_for_a_hundred_people_is_fifteen_hundred_litres_a_day() -> None:
    need = rules.daily_need_sphere(people=100, kcal_per_unit=None, litres_per_unit=D(1))
    assert need == (D(1500), "sphere_water")


def test_days_of_supply_gives_the_stockout_date() -> None:
    supply = rules.days_of_supply(
        on_hand=D(3000), daily_need=D(1500), basis="sphere_water", today=dt.date(2025, 3, 1)
    )
    assert supply.days == 2.0
    assert supply.stockout_on == dt.date(2025, 3, 3)


def test_nothing_used_up_means_no_stockout() -> None:
    supply = rules.days_of_supply(
        on_hand=D(5), daily_need=D(0), basis="observed", today=dt.date(2025, 1, 1)
    )
    assert supply.days is None and supply.stockout_on is None


@pytest.mark.parametrize(
    ("reading", "excursion"), [("1.9", True), ("2.0", False), ("8.0", False), ("8.1", True)]
)
def test_cold_chain_is_two_to_eight_degrees(reading: str, excursion: bool) -> None:
    assert rules.temperature_excursion(D(reading)) is excursion


@pytest.mark.parametrize(
    ("stage", "past"), [(None, False), (1, False), (2, False), (3, True), (4, True)]
)
def test_a_vial_monitor_at_stage_three_or_four_is_past_discard(
    stage: int | None, past: bool
) -> None:
    assert rules.vvm_past_discard(stage) is past


def test_burn_down_reaches_zero_on_the_stockout_day() -> None:
    points = rules.burn_down(on_hand=D(10), daily_need=D(4), today=dt.date(2025, 1, 1))
    assert [q for _, q in points] == [D(10), D(6), D(2), D(0)]
