"""The roles of a camp and what each may do. Groups in the database are synced from this table."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    COMMANDER = "commander"
    REGISTRAR = "registrar"
    MEDIC = "medic"
    LOGISTICS = "logistics"
    PROTECTION = "protection_officer"
    FIELD_TEAM = "field_team"
    VIEWER = "viewer"


_READ_PEOPLE = {"people.view_person", "people.view_household"}
_READ_SUPPLIES = {"supplies.view_item", "supplies.view_distribution"}
_WRITE_SUPPLIES = {
    "supplies.manage_catalogue",
    "supplies.manage_stock",
    "supplies.issue_ration",
    "supplies.manage_rations",
}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.COMMANDER: frozenset(
        _READ_PEOPLE
        | {
            "people.add_person",
            "people.change_person",
            "people.delete_person",
            "people.merge_person",
            "people.record_status",
            "people.record_condition",
            "people.view_location",
            "people.view_medical",
            "people.view_protection",
            "people.add_household",
            "people.change_household",
            "core.view_auditentry",
            "core.change_setting",
            "core.change_site",
            "alerts.resolve_alert",
        }
        | _READ_SUPPLIES
        | _WRITE_SUPPLIES
    ),
    Role.REGISTRAR: frozenset(
        _READ_PEOPLE
        | {
            "people.add_person",
            "people.change_person",
            "people.merge_person",
            "people.record_status",
            "people.record_condition",
            "people.view_location",
            "people.add_household",
            "people.change_household",
        }
    ),
    Role.MEDIC: frozenset(
        _READ_PEOPLE
        | _READ_SUPPLIES
        | {"people.record_status", "people.record_condition", "people.view_medical"}
    ),
    Role.LOGISTICS: frozenset(
        _READ_PEOPLE | _READ_SUPPLIES | _WRITE_SUPPLIES | {"alerts.resolve_alert"}
    ),
    Role.PROTECTION: frozenset(
        _READ_PEOPLE
        | {
            "people.add_person",
            "people.record_status",
            "people.record_condition",
            "people.view_location",
            "people.view_protection",
        }
    ),
    Role.FIELD_TEAM: frozenset(
        _READ_PEOPLE | {"people.add_person", "people.record_status", "people.view_location"}
    ),
    Role.VIEWER: frozenset(_READ_PEOPLE | _READ_SUPPLIES),
}

# ---- missions and field reports (issue 6) --------------------------------------------------
# Commanders plan and command; field teams set out, check in and report; logistics keep the
# vehicles. Field teams record conditions they see (survivors' wounds, a wounded comrade) but
# do not read medical records. Field reports hold where people were found: not for viewers.
_SEE_MISSIONS = {"missions.view_mission", "missions.view_vehicle"}
_MISSION_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.COMMANDER: frozenset(
        _SEE_MISSIONS
        | {
            "missions.add_mission",
            "missions.change_mission",
            "missions.command_mission",
            "missions.transition_mission",
            "missions.checkin_mission",
            "missions.add_vehicle",
            "missions.change_vehicle",
            "intel.add_fieldreport",
            "intel.view_fieldreport",
        }
    ),
    Role.FIELD_TEAM: frozenset(
        _SEE_MISSIONS
        | {
            "missions.transition_mission",
            "missions.checkin_mission",
            "intel.add_fieldreport",
            "intel.view_fieldreport",
            "people.record_condition",
        }
    ),
    Role.LOGISTICS: frozenset(
        _SEE_MISSIONS
        | {"missions.add_vehicle", "missions.change_vehicle", "intel.view_fieldreport"}
    ),
    Role.MEDIC: frozenset(_SEE_MISSIONS | {"intel.view_fieldreport"}),
    Role.PROTECTION: frozenset(_SEE_MISSIONS | {"intel.view_fieldreport"}),
    Role.REGISTRAR: frozenset(_SEE_MISSIONS),
    Role.VIEWER: frozenset(_SEE_MISSIONS),
}
ROLE_PERMISSIONS = {
    role: perms | _MISSION_PERMISSIONS.get(role, frozenset())
    for role, perms in ROLE_PERMISSIONS.items()
}

# ---- threat zones and routes (issue 7) -----------------------------------------------------
# Everyone sees the zones and plans routes (knowing where danger is keeps people alive);
# commanders draw zones; commanders and logistics import road graphs.
_SEE_ROUTES = {"routing.view_threatzone", "routing.plan_route"}
_ROUTING_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.COMMANDER: frozenset(
        _SEE_ROUTES
        | {"routing.draw_threatzone", "routing.change_threatzone", "routing.import_graph"}
    ),
    Role.LOGISTICS: frozenset(_SEE_ROUTES | {"routing.import_graph"}),
}
ROLE_PERMISSIONS = {
    role: perms | _ROUTING_PERMISSIONS.get(role, frozenset(_SEE_ROUTES))
    for role, perms in ROLE_PERMISSIONS.items()
}

# ---- hostile groups, sightings and the perimeter log (issue 7) -----------------------------
# Where the enemy was seen is operational: every role sees hostile groups and sightings, as
# every role sees the threat zones those sightings become (the risk map would show them
# anyway). Who reported a sighting stays behind intel.view_fieldreport, as the report does.
# Commanders and field teams record sightings and keep the perimeter log (the camp's watch);
# the watch posts and their log are theirs alone (the camp's defences); commanders name groups.
# The alerts of risk rising near the camp or on a route go to them (intel.watch_threats).
_SEE_THREATS = {"intel.view_hostilegroup", "intel.view_sighting"}
_WATCH = _SEE_THREATS | {
    "intel.add_sighting",
    "intel.view_watchpost",
    "intel.view_perimeterlogentry",
    "intel.add_perimeterlogentry",
    "intel.watch_threats",
}
_THREAT_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.COMMANDER: frozenset(
        _WATCH | {"intel.add_hostilegroup", "intel.change_hostilegroup", "intel.add_watchpost"}
    ),
    Role.FIELD_TEAM: frozenset(_WATCH),
}
ROLE_PERMISSIONS = {
    role: perms | _THREAT_PERMISSIONS.get(role, frozenset(_SEE_THREATS))
    for role, perms in ROLE_PERMISSIONS.items()
}

# ---- name search, tracing and children's protection (issue 3) --------------------------------
# Registrars and protection officers file tracing requests; protection officers (and the
# commander) decide on proposed matches and alone see and manage children's protection cases.
_TRACING_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.COMMANDER: frozenset(
        {"people.trace_family", "people.confirm_tracing", "people.manage_protection"}
    ),
    Role.PROTECTION: frozenset(
        {"people.trace_family", "people.confirm_tracing", "people.manage_protection"}
    ),
    Role.REGISTRAR: frozenset({"people.trace_family"}),
}
ROLE_PERMISSIONS = {
    role: perms | _TRACING_PERMISSIONS.get(role, frozenset())
    for role, perms in ROLE_PERMISSIONS.items()
}

# ---- care: triage, patients, deaths (issue 5) -----------------------------------------------
# Medical records are for the medics and the commander alone; both admit, triage and record.
_CARE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.COMMANDER: frozenset({"care.view_medical", "care.record_care"}),
    Role.MEDIC: frozenset({"care.view_medical", "care.record_care"}),
}
ROLE_PERMISSIONS = {
    role: perms | _CARE_PERMISSIONS.get(role, frozenset())
    for role, perms in ROLE_PERMISSIONS.items()
}

# ---- care: treatments from stock and scarce medicine (issue 5) ------------------------------
# Medics and the commander prescribe, give doses (which issue stock) and share scarce medicine.
_TREATMENT_PERMISSIONS = frozenset({"care.prescribe_treatment", "care.allocate_medicine"})
ROLE_PERMISSIONS = {
    role: perms | (_TREATMENT_PERMISSIONS if role in (Role.COMMANDER, Role.MEDIC) else frozenset())
    for role, perms in ROLE_PERMISSIONS.items()
}

# ---- alerts (issue 12) ---------------------------------------------------------------------
# Every role sees the alerts of the kinds it may see, and may say it is on one (acknowledge);
# commanders and logistics resolve them (alerts.resolve_alert, above).
ROLE_PERMISSIONS = {
    role: perms | {"alerts.acknowledge_alert"} for role, perms in ROLE_PERMISSIONS.items()
}
