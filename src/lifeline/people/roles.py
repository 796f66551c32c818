"""What each role may do with people, households, tracing and children's protection cases;
`PeopleConfig.ready` grants it (see `core.roles`)."""

from __future__ import annotations

from lifeline.core.roles import Role

_READ_PEOPLE = frozenset({"people.view_person", "people.view_household"})
# Registrars and protection officers file tracing requests; protection officers (and the
# commander) decide on proposed matches and alone see and manage children's protection cases.
_PROTECTION = frozenset(
    {"people.trace_family", "people.confirm_tracing", "people.manage_protection"}
)

ROLE_GRANTS: dict[Role, frozenset[str]] = {
    Role.COMMANDER: _READ_PEOPLE
    | _PROTECTION
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
    },
    Role.REGISTRAR: _READ_PEOPLE
    | {
        "people.add_person",
        "people.change_person",
        "people.merge_person",
        "people.record_status",
        "people.record_condition",
        "people.view_location",
        "people.add_household",
        "people.change_household",
        "people.trace_family",
    },
    Role.MEDIC: _READ_PEOPLE
    | {"people.record_status", "people.record_condition", "people.view_medical"},
    Role.LOGISTICS: _READ_PEOPLE,
    Role.PROTECTION: _READ_PEOPLE
    | _PROTECTION
    | {
        "people.add_person",
        "people.record_status",
        "people.record_condition",
        "people.view_location",
        "people.view_protection",
    },
    # Field teams record conditions they see (survivors' wounds, a wounded comrade) but do not
    # read medical records.
    Role.FIELD_TEAM: _READ_PEOPLE
    | {
        "people.add_person",
        "people.record_status",
        "people.record_condition",
        "people.view_location",
    },
    Role.VIEWER: _READ_PEOPLE,
}
