"""The roles of a camp, and the table of what each may do. Each app grants its own permissions
to the roles when Django starts (its AppConfig.ready calls `role_permissions_grant`), next to the
code that checks them; the groups in the database are synced from the table (`roles_sync`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    COMMANDER = "commander"
    REGISTRAR = "registrar"
    MEDIC = "medic"
    LOGISTICS = "logistics"
    PROTECTION = "protection_officer"
    FIELD_TEAM = "field_team"
    VIEWER = "viewer"


# What a person reads for each role (the codes stay the groups' names).
ROLE_LABELS: dict[str, Promise] = {
    Role.COMMANDER: _("commander"),
    Role.REGISTRAR: _("registrar"),
    Role.MEDIC: _("medic"),
    Role.LOGISTICS: _("logistics"),
    Role.PROTECTION: _("protection officer"),
    Role.FIELD_TEAM: _("field team"),
    Role.VIEWER: _("viewer"),
}


def role_label(name: str) -> str:
    """The role's name in the reader's language; an unknown group keeps its own name."""
    label = ROLE_LABELS.get(name)
    return str(label) if label is not None else name


_GRANTS: dict[str, dict[Role, frozenset[str]]] = {}  # app label -> role -> its permissions


def role_permissions_grant(app_label: str, grants: Mapping[Role, Iterable[str]]) -> None:
    """The roles' permissions of one app, each `<app_label>.<codename>`. Given again, the app's
    grants are replaced (not added to), so that a second `ready` changes nothing."""
    for perms in grants.values():
        foreign = sorted(perm for perm in perms if not perm.startswith(f"{app_label}."))
        if foreign:
            raise ValueError(f"{app_label} may grant only its own permissions: {foreign}")
    _GRANTS[app_label] = {Role(role): frozenset(perms) for role, perms in grants.items()}


def role_permissions() -> dict[Role, frozenset[str]]:
    """What each role may do: every app's grants to it (every role is there, maybe empty)."""
    return {
        role: frozenset().union(*(grants.get(role, ()) for grants in _GRANTS.values()))
        for role in Role
    }


# Core's own: only the commander reads the audit log and changes the site and its settings.
ROLE_GRANTS: dict[Role, frozenset[str]] = {
    Role.COMMANDER: frozenset({"core.view_auditentry", "core.change_setting", "core.change_site"}),
}
