"""What each role may do with facilities and the watch; `FacilitiesConfig.ready` grants it.
Everyone sees the camp's facilities and their state; the commander and logistics register
them and run the repairs; anyone who walks the camp (field teams too) assesses damage; the
commander plans the watch, which field teams (who stand it) see whole."""

from __future__ import annotations

from lifeline.core.roles import Role

_SEE = frozenset(
    {
        "facilities.view_facility",
        "facilities.view_damageassessment",
        "facilities.view_workorder",
    }
)
_ASSESS = frozenset({"facilities.add_damageassessment"})
_RUN = frozenset(
    {
        "facilities.add_facility",
        "facilities.change_facility",
        "facilities.add_workorder",
        "facilities.change_workorder",
    }
)
_WATCH = frozenset({"facilities.view_shift"})

ROLE_GRANTS: dict[Role, frozenset[str]] = {
    Role.COMMANDER: _SEE | _ASSESS | _RUN | _WATCH | {"facilities.plan_shift"},
    Role.LOGISTICS: _SEE | _ASSESS | _RUN,
    Role.FIELD_TEAM: _SEE | _ASSESS | _WATCH,
    Role.MEDIC: _SEE,
    Role.PROTECTION: _SEE,
    Role.REGISTRAR: _SEE,
    Role.VIEWER: _SEE,
}
