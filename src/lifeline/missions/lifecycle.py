"""The rules of a mission's life, with no ORM: which state may follow which, who may move it,
and when a team that has not checked in is overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogues (makemessages reads the name) without Django: the
    caller translates it where it is shown (`translate=gettext`, `models.StateChoices`)."""
    return message


class State(StrEnum):
    PLANNED = "planned"
    BRIEFED = "briefed"
    UNDER_WAY = "under_way"
    RETURNING = "returning"
    COMPLETE = "complete"
    ABORTED = "aborted"


LABELS = {
    State.PLANNED: gettext_noop("Planned"),
    State.BRIEFED: gettext_noop("Briefed"),
    State.UNDER_WAY: gettext_noop("Under way"),
    State.RETURNING: gettext_noop("Returning"),
    State.COMPLETE: gettext_noop("Complete"),
    State.ABORTED: gettext_noop("Aborted"),
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


def transition_problem(
    current: str, target: str, *, translate: Callable[[str], str] = str
) -> str | None:
    """Why `current` may not become `target`, or None when it may; `translate` (gettext)
    gives the message and the states' names in the user's language."""

    def said(state: State) -> str:
        return translate(LABELS[state]).lower()

    try:
        now, then = State(current), State(target)
    except ValueError:
        return translate(gettext_noop("unknown state %(state)r; states are %(states)s")) % {
            "state": target,
            "states": ", ".join(State),
        }
    if (now, then) in TRANSITIONS:
        return None
    if now in FINAL:
        return translate(gettext_noop("the mission is %(state)s; that is final")) % {
            "state": said(now)
        }
    if now == then:
        return translate(gettext_noop("the mission is already %(state)s")) % {"state": said(now)}
    allowed = [said(b) for (a, b) in TRANSITIONS if a == now]
    if len(allowed) == 2:
        message = gettext_noop(
            "a mission that is %(state)s cannot become %(target)s; next it can be %(first)s "
            "or %(second)s"
        )
    else:
        message = gettext_noop(
            "a mission that is %(state)s cannot become %(target)s; next it can be %(first)s"
        )
    return translate(message) % {
        "state": said(now),
        "target": said(then),
        "first": allowed[0],
        "second": allowed[-1],
    }


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
