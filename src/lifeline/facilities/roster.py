"""The watch roster's rules, pure: coverage of each post, who stands two posts at once, rest
between shifts and hours in a day. No Django: shifts come in as plain intervals, so the rules
are tested by properties over any roster and used by the services, the pages and the sweep.

A shift covers [start, end). A post is covered over a window when the union of its shifts'
intervals contains the window; what is not contained is a gap. A person's rest is the time
between the end of one of their shifts and the start of their next.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ShiftSlot:
    """One shift as the rules see it: a post, a watcher (or None: nobody assigned yet), a span."""

    key: Hashable  # the shift's id, to name it in findings
    post: Hashable
    watcher: Hashable | None
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Gap:
    post: Hashable
    start: dt.datetime
    end: dt.datetime

    @property
    def length(self) -> dt.timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Clash:
    """A watcher on two shifts at once (at two posts, or twice at one)."""

    watcher: Hashable
    first: Hashable
    second: Hashable


@dataclass(frozen=True)
class ShortRest:
    watcher: Hashable
    before: Hashable  # the shift that ends
    after: Hashable  # the next one, which starts too soon
    rest: dt.timedelta


@dataclass(frozen=True)
class LongDay:
    """More watch hours in a rolling 24 hours than the limit, counted from `start`."""

    watcher: Hashable
    start: dt.datetime
    hours: float


def merged_spans(
    spans: Iterable[tuple[dt.datetime, dt.datetime]],
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The union of [start, end) spans as disjoint, ordered spans (touching spans join)."""
    out: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def coverage_gaps(
    shifts: Iterable[ShiftSlot],
    posts: Iterable[Hashable],
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> list[Gap]:
    """Every stretch of the window in which a post has no shift with somebody assigned to it.
    A shift with nobody assigned covers nothing: an empty slot on the rota is a gap."""
    by_post: dict[Hashable, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for shift in shifts:
        if shift.watcher is not None:
            by_post[shift.post].append((max(shift.start, window_start), min(shift.end, window_end)))
    gaps: list[Gap] = []
    for post in posts:
        cursor = window_start
        for start, end in merged_spans(by_post.get(post, ())):
            if start > cursor:
                gaps.append(Gap(post, cursor, start))
            cursor = max(cursor, end)
        if cursor < window_end:
            gaps.append(Gap(post, cursor, window_end))
    return gaps


def _by_watcher(shifts: Iterable[ShiftSlot]) -> dict[Hashable, list[ShiftSlot]]:
    out: dict[Hashable, list[ShiftSlot]] = defaultdict(list)
    for shift in shifts:
        if shift.watcher is not None:
            out[shift.watcher].append(shift)
    for rows in out.values():
        rows.sort(key=lambda s: (s.start, s.end, str(s.key)))
    return out


def clashes(shifts: Iterable[ShiftSlot]) -> list[Clash]:
    """Every pair of one watcher's shifts that overlap in time."""
    found: list[Clash] = []
    for watcher, rows in _by_watcher(shifts).items():
        for i, first in enumerate(rows):
            for second in rows[i + 1 :]:
                if second.start >= first.end:
                    break  # sorted by start: no later shift can overlap `first`
                found.append(Clash(watcher, first.key, second.key))
    return found


def short_rests(shifts: Iterable[ShiftSlot], minimum: dt.timedelta) -> list[ShortRest]:
    """Consecutive shifts of one watcher with less than `minimum` between them (overlaps are
    clashes, not short rests)."""
    found: list[ShortRest] = []
    for watcher, rows in _by_watcher(shifts).items():
        for before, after in itertools.pairwise(rows):
            rest = after.start - before.end
            if dt.timedelta(0) <= rest < minimum:
                found.append(ShortRest(watcher, before.key, after.key, rest))
    return found


def long_days(shifts: Iterable[ShiftSlot], limit_hours: float) -> list[LongDay]:
    """Watchers with more than `limit_hours` of watch in some 24 hours. The busiest 24 hours
    start at the start of one of their shifts, so only those starts are tried."""
    found: list[LongDay] = []
    day = dt.timedelta(hours=24)
    for watcher, rows in _by_watcher(shifts).items():
        spans = merged_spans((s.start, s.end) for s in rows)
        worst: tuple[float, dt.datetime] | None = None
        for start, _end in spans:
            stop = start + day
            seconds = sum(
                (min(e, stop) - max(s, start)).total_seconds()
                for s, e in spans
                if s < stop and e > start
            )
            hours = seconds / 3600
            if hours > limit_hours and (worst is None or hours > worst[0]):
                worst = (hours, start)
        if worst is not None:
            found.append(LongDay(watcher, worst[1], round(worst[0], 2)))
    return found


def hours_of(shifts: Sequence[ShiftSlot], watcher: Hashable) -> float:
    """A watcher's hours on watch over the shifts given (overlaps counted once)."""
    spans = merged_spans((s.start, s.end) for s in shifts if s.watcher == watcher)
    return sum((e - s).total_seconds() for s, e in spans) / 3600
