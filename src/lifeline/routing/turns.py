"""A route as a list of turns a person can follow on paper: where to turn, onto which street,
and how far to go before the next turn. Pure: points, street names and lengths in, turns out.

A new line starts where the street's name changes, or, along ways with no name, where the way
bends by `UNNAMED_BEND_DEG` or more (a walker cannot tell one nameless alley from the next by
its sign, only by the corner). The action says how sharply to turn at its start.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

UNNAMED_BEND_DEG = 45.0

# (largest |angle| in degrees, action), right turns positive.
_ACTIONS = ((20.0, "straight"), (60.0, "slight"), (135.0, ""), (170.0, "sharp"))


@dataclass(frozen=True)
class Turn:
    action: str  # depart, straight, slight_left/right, left/right, sharp_left/right, u_turn, arrive
    street: str  # "" for a way with no name
    distance_m: float  # along this line, to the next turn
    lat: float
    lon: float
    bearing: int  # compass heading after the turn, degrees from north


def bearing_deg(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The initial compass bearing from a to b (degrees, 0 = north, clockwise)."""
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360.0) % 360.0


def turn_action(change_deg: float) -> str:
    """The action for a change of heading (degrees, -180..180, right positive)."""
    size = abs(change_deg)
    side = "right" if change_deg > 0 else "left"
    for limit, action in _ACTIONS:
        if size < limit:
            if action == "straight":
                return action
            return f"{action}_{side}" if action else side
    return "u_turn"


def _change(before: float, after: float) -> float:
    return (after - before + 540.0) % 360.0 - 180.0


def turns_list(
    points: Sequence[tuple[float, float]],
    streets: Sequence[str],
    lengths: Sequence[float],
) -> list[Turn]:
    """The turns along a route of `points` (one more than its edges), the street and the
    length of each edge. Starts with `depart`, ends with `arrive`."""
    if len(points) != len(streets) + 1 or len(streets) != len(lengths):
        raise ValueError("a route has one point more than its edges, and each edge a street")
    if not streets:
        lat, lon = points[0]
        return [Turn("arrive", "", 0.0, lat, lon, 0)]
    headings: list[float] = []
    for i in range(len(streets)):
        a, b = points[i], points[i + 1]
        # An edge of no length keeps the heading before it.
        headings.append(bearing_deg(a, b) if a != b else (headings[-1] if headings else 0.0))
    legs: list[list[int]] = [[0]]
    for i in range(1, len(streets)):
        name = streets[i]
        bend = abs(_change(headings[i - 1], headings[i]))
        if name != streets[i - 1] or (not name and bend >= UNNAMED_BEND_DEG):
            legs.append([i])
        else:
            legs[-1].append(i)
    turns: list[Turn] = []
    for number, leg in enumerate(legs):
        first = leg[0]
        if number == 0:
            action = "depart"
        else:
            action = turn_action(_change(headings[first - 1], headings[first]))
        lat, lon = points[first]
        turns.append(
            Turn(
                action=action,
                street=streets[first],
                distance_m=round(sum(lengths[i] for i in leg), 1),
                lat=lat,
                lon=lon,
                bearing=round(headings[first]) % 360,
            )
        )
    lat, lon = points[-1]
    turns.append(Turn("arrive", streets[-1], 0.0, lat, lon, round(headings[-1]) % 360))
    return turns
