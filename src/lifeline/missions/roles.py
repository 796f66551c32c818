"""What each role may do with missions and vehicles; `MissionsConfig.ready` grants it (see
`core.roles`). Commanders plan and command; field teams set out and check in; logistics keep
the vehicles; every role sees the board."""

from __future__ import annotations

from lifeline.core.roles import Role

_SEE_MISSIONS = frozenset({"missions.view_mission", "missions.view_vehicle"})
_KEEP_VEHICLES = frozenset({"missions.add_vehicle", "missions.change_vehicle"})

ROLE_GRANTS: dict[Role, frozenset[str]] = {
    Role.COMMANDER: _SEE_MISSIONS
    | _KEEP_VEHICLES
    | {
        "missions.add_mission",
        "missions.change_mission",
        "missions.command_mission",
        "missions.transition_mission",
        "missions.checkin_mission",
    },
    Role.FIELD_TEAM: _SEE_MISSIONS | {"missions.transition_mission", "missions.checkin_mission"},
    Role.LOGISTICS: _SEE_MISSIONS | _KEEP_VEHICLES,
    Role.MEDIC: _SEE_MISSIONS,
    Role.PROTECTION: _SEE_MISSIONS,
    Role.REGISTRAR: _SEE_MISSIONS,
    Role.VIEWER: _SEE_MISSIONS,
}
