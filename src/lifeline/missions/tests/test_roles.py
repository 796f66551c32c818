"""Who may do what with missions and reports, as a table over the roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lifeline.core.errors import Forbidden
from lifeline.core.roles import Role
from lifeline.intel.selectors import report_list
from lifeline.intel.services import report_file
from lifeline.missions import selectors, services
from lifeline.missions.models import Mission

pytestmark = pytest.mark.django_db

ACTIONS: dict[str, Callable[[Any, Mission], object]] = {
    "see the board": lambda actor, m: selectors.mission_board(actor=actor),
    "brief": lambda actor, m: services.mission_transition(actor=actor, mission=m, to="briefed"),
    "register a vehicle": lambda actor, m: services.vehicle_register(actor=actor, name="Bus"),
    "file a report": lambda actor, m: report_file(
        actor=actor, mission=m, kind="sitrep", text="quiet"
    ),
    "read reports": lambda actor, m: list(report_list(actor=actor, mission=m)),
}

ALLOWED = {
    Role.COMMANDER: {
        "see the board",
        "brief",
        "register a vehicle",
        "file a report",
        "read reports",
    },
    Role.FIELD_TEAM: {"see the board", "file a report", "read reports"},
    Role.LOGISTICS: {"see the board", "register a vehicle", "read reports"},
    Role.MEDIC: {"see the board", "read reports"},
    Role.PROTECTION: {"see the board", "read reports"},
    Role.REGISTRAR: {"see the board"},
    Role.VIEWER: {"see the board"},
}


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_role_may_do_exactly_what_the_table_says(
    role: Role, action: str, mission: Mission, make_user: Callable[..., Any]
) -> None:
    actor = make_user(role, username=f"someone-{role.value}")
    if action in ALLOWED[role]:
        ACTIONS[action](actor, mission)
    else:
        with pytest.raises(Forbidden):
            ACTIONS[action](actor, mission)
