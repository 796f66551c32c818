"""What each role may do with field reports and threats; `IntelConfig.ready` grants it
(see `core.roles`)."""

from __future__ import annotations

from lifeline.core.roles import Role

# Field reports hold where people were found: not for viewers (nor registrars). Commanders
# and field teams file them.
_READ_REPORTS = frozenset({"intel.view_fieldreport"})
_FILE_REPORTS = _READ_REPORTS | {"intel.add_fieldreport"}
# Where the enemy was seen is operational: every role sees hostile groups and sightings, as
# every role sees the threat zones those sightings become (the risk map would show them
# anyway). Who reported a sighting stays behind intel.view_fieldreport, as the report does.
# Commanders and field teams record sightings and keep the perimeter log (the camp's watch);
# the watch posts and their log are theirs alone (the camp's defences); commanders name groups.
# The alerts of risk rising near the camp or on a route go to them (intel.watch_threats).
_SEE_THREATS = frozenset({"intel.view_hostilegroup", "intel.view_sighting"})
_WATCH = _SEE_THREATS | {
    "intel.add_sighting",
    "intel.view_watchpost",
    "intel.view_perimeterlogentry",
    "intel.add_perimeterlogentry",
    "intel.watch_threats",
}

ROLE_GRANTS: dict[Role, frozenset[str]] = {
    Role.COMMANDER: _FILE_REPORTS
    | _WATCH
    | {"intel.add_hostilegroup", "intel.change_hostilegroup", "intel.add_watchpost"},
    Role.FIELD_TEAM: _FILE_REPORTS | _WATCH,
    Role.LOGISTICS: _READ_REPORTS | _SEE_THREATS,
    Role.MEDIC: _READ_REPORTS | _SEE_THREATS,
    Role.PROTECTION: _READ_REPORTS | _SEE_THREATS,
    Role.REGISTRAR: _SEE_THREATS,
    Role.VIEWER: _SEE_THREATS,
}
