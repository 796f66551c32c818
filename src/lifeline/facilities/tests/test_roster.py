"""The roster's rules, by example and by property over any roster."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from lifeline.facilities import roster
from lifeline.facilities.roster import ShiftSlot

T0 = dt.datetime(2026, 12, 7, 18, 0, tzinfo=dt.UTC)


def h(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def slot(key: str, post: str, watcher: str | None, start: float, end: float) -> ShiftSlot:
    return ShiftSlot(key, post, watcher, h(start), h(end))


def test_a_night_with_one_post_left_open_after_midnight() -> None:
    shifts = [
        slot("a", "gate", "amir", 0, 6),
        slot("b", "gate", "bilal", 6, 12),
        slot("c", "ridge", "chen", 0, 6),
        slot("d", "ridge", None, 6, 12),  # on the rota, nobody on it
    ]
    gaps = roster.coverage_gaps(shifts, ["gate", "ridge"], h(0), h(12))
    assert gaps == [roster.Gap("ridge", h(6), h(12))]


def test_overlapping_and_touching_shifts_cover_without_a_gap() -> None:
    shifts = [
        slot("a", "gate", "x", 0, 5),
        slot("b", "gate", "y", 4, 8),
        slot("c", "gate", "z", 8, 9),
    ]
    assert roster.coverage_gaps(shifts, ["gate"], h(0), h(9)) == []
    assert roster.coverage_gaps(shifts, ["gate"], h(-1), h(10)) == [
        roster.Gap("gate", h(-1), h(0)),
        roster.Gap("gate", h(9), h(10)),
    ]


def test_one_person_on_two_posts_at_once_is_a_clash() -> None:
    shifts = [slot("a", "gate", "amir", 0, 6), slot("b", "ridge", "amir", 5, 8)]
    assert roster.clashes(shifts) == [roster.Clash("amir", "a", "b")]


def test_too_little_rest_between_two_shifts() -> None:
    shifts = [slot("a", "gate", "amir", 0, 6), slot("b", "gate", "amir", 10, 14)]
    found = roster.short_rests(shifts, dt.timedelta(hours=8))
    assert found == [roster.ShortRest("amir", "a", "b", dt.timedelta(hours=4))]
    assert roster.short_rests(shifts, dt.timedelta(hours=4)) == []


def test_a_long_day_counts_the_worst_24_hours() -> None:
    shifts = [
        slot("a", "gate", "amir", 0, 6),
        slot("b", "gate", "amir", 8, 14),
        slot("c", "gate", "amir", 30, 36),
    ]
    assert roster.long_days(shifts, 12) == []
    assert roster.long_days(shifts, 11) == [roster.LongDay("amir", h(0), 12.0)]
    assert roster.hours_of(shifts, "amir") == 18.0


hours = st.integers(min_value=0, max_value=48)


@st.composite
def rosters(draw: st.DrawFn) -> list[ShiftSlot]:
    count = draw(st.integers(min_value=0, max_value=12))
    rows = []
    for i in range(count):
        start = draw(hours)
        length = draw(st.integers(min_value=1, max_value=12))
        rows.append(
            slot(
                f"s{i}",
                draw(st.sampled_from(["gate", "ridge", "well"])),
                draw(st.sampled_from(["amir", "bilal", "chen", None])),
                start,
                start + length,
            )
        )
    return rows


def _covered(shifts: list[ShiftSlot], post: str, at: dt.datetime) -> bool:
    return any(s.post == post and s.watcher is not None and s.start <= at < s.end for s in shifts)


@given(rosters(), st.integers(min_value=0, max_value=60 * 60))
def test_every_minute_is_either_covered_or_inside_exactly_one_gap(
    shifts: list[ShiftSlot], minute: int
) -> None:
    start, end = h(0), h(60)
    at = start + dt.timedelta(minutes=minute)
    gaps = roster.coverage_gaps(shifts, ["gate", "ridge", "well"], start, end)
    for post in ("gate", "ridge", "well"):
        inside = [g for g in gaps if g.post == post and g.start <= at < g.end]
        if at < end:
            assert len(inside) == (0 if _covered(shifts, post, at) else 1)


@given(rosters())
def test_gaps_are_disjoint_nonempty_and_inside_the_window(shifts: list[ShiftSlot]) -> None:
    start, end = h(0), h(60)
    gaps = roster.coverage_gaps(shifts, ["gate", "ridge", "well"], start, end)
    for post in ("gate", "ridge", "well"):
        mine = [g for g in gaps if g.post == post]
        for g in mine:
            assert start <= g.start < g.end <= end
        for a, b in itertools.pairwise(mine):
            assert a.end < b.start  # touching gaps would have been one


@given(rosters())
def test_a_clash_is_found_exactly_when_a_watcher_has_two_overlapping_shifts(
    shifts: list[ShiftSlot],
) -> None:
    found = {(c.first, c.second) for c in roster.clashes(shifts)}
    found |= {(b, a) for a, b in found}
    for a in shifts:
        for b in shifts:
            if a.key >= b.key:
                continue
            overlap = (
                a.watcher is not None
                and a.watcher == b.watcher
                and a.start < b.end
                and b.start < a.end
            )
            assert ((a.key, b.key) in found) == overlap


@given(rosters(), st.integers(min_value=1, max_value=12))
def test_short_rests_name_consecutive_shifts_closer_than_the_minimum(
    shifts: list[ShiftSlot], minimum_hours: int
) -> None:
    minimum = dt.timedelta(hours=minimum_hours)
    by_key = {s.key: s for s in shifts}
    for rest in roster.short_rests(shifts, minimum):
        before, after = by_key[rest.before], by_key[rest.after]
        assert before.watcher == after.watcher == rest.watcher
        assert dt.timedelta(0) <= after.start - before.end < minimum
        # nothing of the same watcher starts between them
        assert not any(
            s.watcher == rest.watcher and before.start < s.start < after.start for s in shifts
        )


@given(rosters(), st.integers(min_value=1, max_value=24))
def test_nobody_flagged_for_a_long_day_has_under_the_limit_in_every_24_hours(
    shifts: list[ShiftSlot], limit: int
) -> None:
    flagged = {d.watcher for d in roster.long_days(shifts, limit)}
    for watcher in {s.watcher for s in shifts if s.watcher is not None}:
        mine = [s for s in shifts if s.watcher == watcher]
        worst = 0.0
        for s in mine:
            window_end = s.start + dt.timedelta(hours=24)
            clipped = [
                ShiftSlot(x.key, x.post, x.watcher, max(x.start, s.start), min(x.end, window_end))
                for x in mine
                if x.start < window_end and x.end > s.start
            ]
            worst = max(worst, roster.hours_of(clipped, watcher))
        assert (watcher in flagged) == (worst > limit)
