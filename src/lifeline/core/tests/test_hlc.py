"""The hybrid logical clock, as pure functions: monotonic whatever the wall clock does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifeline.core import hlc

SITE_A = "a" * 32
SITE_B = "b" * 32
wall = st.integers(min_value=0, max_value=hlc.MS_LIMIT - 10)


@given(st.lists(wall, min_size=1, max_size=200))
def test_local_ticks_are_strictly_increasing_even_when_the_wall_clock_steps_back(
    readings: list[int],
) -> None:
    last = hlc.ZERO
    for now in readings:
        nxt = hlc.tick(last, now, SITE_A)
        assert nxt > last
        assert nxt.encode() > last.encode()
        last = nxt


@given(st.lists(wall, min_size=1, max_size=50), wall, st.integers(0, hlc.COUNTER_LIMIT), wall)
def test_receiving_a_remote_version_moves_past_both_clocks(
    readings: list[int], remote_ms: int, remote_counter: int, now: int
) -> None:
    last = hlc.ZERO
    for r in readings:
        last = hlc.tick(last, r, SITE_A)
    remote = hlc.Timestamp(remote_ms, remote_counter, SITE_B)
    after = hlc.receive(last, remote, now, SITE_A)
    assert (after.ms, after.counter) > (last.ms, last.counter)
    assert (after.ms, after.counter) > (remote.ms, remote.counter)


@given(wall, st.integers(0, hlc.COUNTER_LIMIT))
def test_encoding_round_trips_and_sorts_like_the_clock(ms: int, counter: int) -> None:
    stamp = hlc.Timestamp(ms, counter, SITE_A)
    assert hlc.decode(stamp.encode()) == stamp
    assert hlc.tick(stamp, 0, SITE_A).encode() > stamp.encode()


def test_the_physical_time_follows_the_wall_clock_when_it_is_ahead() -> None:
    assert hlc.tick(hlc.Timestamp(100, 7, SITE_A), 250, SITE_A) == hlc.Timestamp(250, 0, SITE_A)


def test_a_full_counter_moves_the_clock_one_millisecond_ahead() -> None:
    full = hlc.Timestamp(100, hlc.COUNTER_LIMIT, SITE_A)
    assert hlc.tick(full, 50, SITE_A) == hlc.Timestamp(101, 0, SITE_A)


def test_ties_in_time_are_broken_by_the_site() -> None:
    assert hlc.Timestamp(5, 1, SITE_A).encode() < hlc.Timestamp(5, 1, SITE_B).encode()


@pytest.mark.parametrize(
    "bad", ["", "zz", "0123456789abcdef", "0123456789abcdefX-site", "g" * 16 + "-a"]
)
def test_malformed_versions_are_refused(bad: str) -> None:
    with pytest.raises(hlc.ClockFormatError):
        hlc.decode(bad)


@given(
    st.integers(0, 2**40),
    st.one_of(st.integers(0, 100), st.integers(hlc.COUNTER_LIMIT - 100, hlc.COUNTER_LIMIT)),
    st.integers(0, 2**40),
    st.integers(0, 300),  # enough to cross a full counter from near its limit
)
def test_many_ticks_at_once_are_the_ticks_one_by_one(
    ms: int, counter: int, now: int, count: int
) -> None:
    last = hlc.Timestamp(ms, counter, "a")
    one_by_one = []
    for _ in range(count):
        last = hlc.tick(last, now, "a")
        one_by_one.append(last)

    assert hlc.tick_many(hlc.Timestamp(ms, counter, "a"), now, "a", count) == one_by_one
