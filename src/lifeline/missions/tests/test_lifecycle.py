"""The mission lifecycle as a rule table: which moves exist, which are refused, and why."""

from __future__ import annotations

import pytest

from lifeline.missions.lifecycle import State, transition_permission, transition_problem

ALLOWED = [
    ("planned", "briefed", "missions.command_mission"),
    ("briefed", "under_way", "missions.transition_mission"),
    ("under_way", "returning", "missions.transition_mission"),
    ("returning", "complete", "missions.command_mission"),
    ("planned", "aborted", "missions.command_mission"),
    ("briefed", "aborted", "missions.command_mission"),
    ("under_way", "aborted", "missions.command_mission"),
    ("returning", "aborted", "missions.command_mission"),
]
REFUSED = [
    ("planned", "under_way", "next it can be briefed or aborted"),
    ("planned", "complete", "cannot become complete"),
    ("briefed", "returning", "cannot become returning"),
    ("under_way", "complete", "next it can be returning or aborted"),
    ("under_way", "briefed", "cannot become briefed"),
    ("returning", "under_way", "cannot become under way"),
    ("complete", "aborted", "that is final"),
    ("aborted", "planned", "that is final"),
    ("briefed", "briefed", "already briefed"),
    ("planned", "lost", "unknown state"),
]


@pytest.mark.parametrize(("current", "target", "permission"), ALLOWED)
def test_each_allowed_move_names_who_may_make_it(
    current: str, target: str, permission: str
) -> None:
    assert transition_problem(current, target) is None
    assert transition_permission(current, target) == permission


@pytest.mark.parametrize(("current", "target", "reason"), REFUSED)
def test_each_illegal_move_is_refused_with_a_reason(current: str, target: str, reason: str) -> None:
    problem = transition_problem(current, target)
    assert problem is not None and reason in problem


def test_every_pair_of_states_is_either_allowed_or_refused() -> None:
    allowed = {(a, b) for a, b, _ in ALLOWED}
    for a in State:
        for b in State:
            assert (transition_problem(a, b) is None) == ((a.value, b.value) in allowed)
