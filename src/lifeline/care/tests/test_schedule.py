"""Dose schedules and missed doses (care/schedule.py), without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from lifeline.care import schedule as s

START = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)
EVERY = dt.timedelta(hours=8)


def _h(hours: float) -> dt.datetime:
    return START + dt.timedelta(hours=hours)


def _states(found: s.Schedule) -> list[str]:
    return [slot.state for slot in found.slots]


def test_a_course_is_a_dose_every_n_hours_for_m_doses() -> None:
    assert s.dose_times(START, EVERY, 3) == [_h(0), _h(8), _h(16)]


def test_before_the_first_dose_everything_is_upcoming_and_the_first_is_next() -> None:
    found = s.schedule(start=START, every=EVERY, doses=3, given=[], now=_h(-1))
    assert _states(found) == ["upcoming"] * 3
    assert found.next_due is not None and found.next_due.number == 1


def test_a_dose_not_given_within_the_grace_is_missed() -> None:
    found = s.schedule(start=START, every=EVERY, doses=3, given=[], now=_h(1.5))
    assert _states(found) == ["missed", "upcoming", "upcoming"]
    assert [slot.number for slot in found.missed] == [1]


def test_a_dose_within_the_grace_is_due_not_missed() -> None:
    found = s.schedule(start=START, every=EVERY, doses=3, given=[], now=_h(0.5))
    assert _states(found)[0] == "due"


@pytest.mark.parametrize(("given_at", "expected"), [(-3.9, 1), (3.9, 1), (4.0, 2), (10, 2)])
def test_a_dose_counts_for_the_nearest_scheduled_time(given_at: float, expected: int) -> None:
    found = s.schedule(start=START, every=EVERY, doses=3, given=[_h(given_at)], now=_h(-10))
    assert [slot.number for slot in found.slots if slot.state == "given"] == [expected]


def test_a_late_dose_is_given_but_the_next_skipped_one_is_missed() -> None:
    found = s.schedule(start=START, every=EVERY, doses=3, given=[_h(2), _h(17)], now=_h(18))
    assert _states(found) == ["given", "missed", "given"]
    assert found.complete


def test_a_second_dose_in_one_slot_or_after_the_course_is_extra() -> None:
    found = s.schedule(start=START, every=EVERY, doses=2, given=[_h(0), _h(1), _h(16)], now=_h(20))
    assert _states(found) == ["given", "missed"]
    assert found.extra == (_h(1), _h(16))


def test_a_stopped_course_has_nothing_due_after_it_stopped() -> None:
    found = s.schedule(
        start=START, every=EVERY, doses=3, given=[_h(0)], now=_h(30), stopped_at=_h(4)
    )
    assert _states(found) == ["given"]
    assert found.next_due is None


def test_a_course_needs_one_dose_and_an_interval() -> None:
    with pytest.raises(ValueError, match="at least one dose"):
        s.dose_times(START, dt.timedelta(0), 3)
