"""The dose schedule of a course: when each dose is due, which were given, which were missed.

Pure: no ORM. A course is a dose every N hours for M doses from its start. Dose k (0-based) is
due at start + k x N hours. A dose given counts for the scheduled dose nearest to it (given
up to half an interval early or late); a scheduled dose whose time plus the grace has passed
with no dose given for it is missed. Missed doses are derived, never stored: giving a dose
late is recorded as it happened, and the schedule is not moved (the medic decides whether to
shift the rest of the course).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# How long after its time a dose may still be given before it counts as missed.
GRACE = dt.timedelta(hours=1)

GIVEN = "given"
MISSED = "missed"
DUE = "due"  # its time has come, within the grace
UPCOMING = "upcoming"


def gettext_noop(message: str) -> str:
    """Marks an English word for the catalogues without importing Django (a pure module):
    the pages translate it when they show it."""
    return message


STATE_LABELS = {
    GIVEN: gettext_noop("given"),
    MISSED: gettext_noop("missed"),
    DUE: gettext_noop("due"),
    UPCOMING: gettext_noop("upcoming"),
}


@dataclass(frozen=True)
class Slot:
    number: int  # 1 is the first dose
    due_at: dt.datetime
    state: str
    given_at: dt.datetime | None = None

    @property
    def state_label(self) -> str:
        """The state in words (English: translated where it is shown)."""
        return STATE_LABELS.get(self.state, self.state)


@dataclass(frozen=True)
class Schedule:
    slots: tuple[Slot, ...]
    extra: tuple[dt.datetime, ...]  # doses given beyond the course or off every slot

    @property
    def given(self) -> int:
        return sum(1 for s in self.slots if s.state == GIVEN)

    @property
    def missed(self) -> tuple[Slot, ...]:
        return tuple(s for s in self.slots if s.state == MISSED)

    @property
    def next_due(self) -> Slot | None:
        return next((s for s in self.slots if s.state in (DUE, UPCOMING)), None)

    @property
    def complete(self) -> bool:
        return all(s.state in (GIVEN, MISSED) for s in self.slots)


def dose_times(start: dt.datetime, every: dt.timedelta, doses: int) -> list[dt.datetime]:
    if every <= dt.timedelta(0) or doses < 1:
        raise ValueError("a course has at least one dose, at an interval above zero")
    return [start + k * every for k in range(doses)]


def slot_of(start: dt.datetime, every: dt.timedelta, at: dt.datetime) -> int:
    """The 0-based scheduled dose a dose given at `at` counts for: the one whose window
    [due - half an interval, due + half) holds it (may be outside the course)."""
    return int((at - start + every / 2) // every)


def schedule(
    *,
    start: dt.datetime,
    every: dt.timedelta,
    doses: int,
    given: Iterable[dt.datetime],
    now: dt.datetime,
    grace: dt.timedelta = GRACE,
    stopped_at: dt.datetime | None = None,
) -> Schedule:
    """Each scheduled dose with its state at `now`. A stopped course has no dose due after
    it was stopped (those slots are dropped, not missed)."""
    times = dose_times(start, every, doses)
    filled: dict[int, dt.datetime] = {}
    extra: list[dt.datetime] = []
    for at in sorted(given):
        k = slot_of(start, every, at)
        if 0 <= k < doses and k not in filled:
            filled[k] = at
        else:
            extra.append(at)
    slots: list[Slot] = []
    for k, due in enumerate(times):
        if k in filled:
            slots.append(Slot(k + 1, due, GIVEN, filled[k]))
        elif stopped_at is not None and due > stopped_at:
            continue
        elif due + grace < now:
            slots.append(Slot(k + 1, due, MISSED))
        elif due <= now:
            slots.append(Slot(k + 1, due, DUE))
        else:
            slots.append(Slot(k + 1, due, UPCOMING))
    return Schedule(tuple(slots), tuple(extra))
