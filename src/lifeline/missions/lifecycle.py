"""The rules of a mission's life, with no ORM: which state may follow which, who may move it,
and when a team that has not checked in is overdue."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class State(StrEnum):
    PLANNED = "planned"
    BRIEFED = "briefed"
    UNDER_WAY = "under_way"
    RETURNING = "returning"
    COMPLETE = "complete"
    ABORTED = "aborted"


LABELS = {
    State.PLANNED: "Planned",
    State.BRIEFED: "Briefed",
    State.UNDER_WAY: "Under way",
    State.RETURNING: "Returning",
    State.COMPLETE: "Complete",
    State.ABORTED: "Aborted",
}

# Commanders plan, brief, close and abort; a team may set out and turn for home itself.
COMMAND = "missions.command_mission"
TEAM = "missions.transition_mission"

TRANSITIONS: dict[tuple[State, State], str] = {
    (State.PLANNED, State.BRIEFED): COMMAND,
    (State.BRIEFED, State.UNDER_WAY): TEAM,
    (State.UNDER_WAY, State.RETURNING): TEAM,
    (State.RETURNING, State.COMPLETE): COMMAND,
    (State.PLANNED, State.ABORTED): COMMAND,
    (State.BRIEFED, State.ABORTED): COMMAND,
    (State.UNDER_WAY, State.ABORTED): COMMAND,
    (State.RETURNING, State.ABORTED): COMMAND,
}

FINAL = frozenset({State.COMPLETE, State.ABORTED})
# States in which the team is out and must check in.
OUT = frozenset({State.UNDER_WAY, State.RETURNING})
# States in which the plan (members, points, vehicles, times) may still change.
PLANNING = frozenset({State.PLANNED, State.BRIEFED})


def transition_problem(current: str, target: str) -> str | None:
    """Why `current` may not become `target`, or None when it may."""
    try:
        now, then = State(current), State(target)
    except ValueError:
        return f"unknown state {target!r}; states are {', '.join(State)}"
    if (now, then) in TRANSITIONS:
        return None
    if now in FINAL:
        return f"the mission is {LABELS[now].lower()}; that is final"
    if now == then:
        return f"the mission is already {LABELS[now].lower()}"
    allowed = [LABELS[b].lower() for (a, b) in TRANSITIONS if a == now]
    return (
        f"a mission that is {LABELS[now].lower()} cannot become {LABELS[then].lower()}; "
        f"next it can be {' or '.join(allowed)}"
    )


def transition_permission(current: str, target: str) -> str:
    return TRANSITIONS[(State(current), State(target))]


def checkin_due(last_contact: dt.datetime, interval_minutes: int) -> dt.datetime:
    """When the next check-in is due: one interval after the last contact (a check-in, or
    setting out)."""
    return last_contact + dt.timedelta(minutes=interval_minutes)


def is_overdue(now: dt.datetime, last_contact: dt.datetime, interval_minutes: int) -> bool:
    return now > checkin_due(last_contact, interval_minutes)


def mission_tag_of(mission_id_bytes: bytes) -> int:
    """The 32-bit tag radio packets name a mission by: the random tail of its UUIDv7 (the
    codec carries it; missions stores it as `Mission.radio_tag`)."""
    return int.from_bytes(mission_id_bytes[-4:], "big")
