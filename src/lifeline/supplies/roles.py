"""What each role may do with supplies; `SuppliesConfig.ready` grants it (see `core.roles`)."""

from __future__ import annotations

from lifeline.core.roles import Role

_READ_SUPPLIES = frozenset({"supplies.view_item", "supplies.view_distribution"})
_WRITE_SUPPLIES = frozenset(
    {
        "supplies.manage_catalogue",
        "supplies.manage_stock",
        "supplies.issue_ration",
        "supplies.manage_rations",
    }
)

ROLE_GRANTS: dict[Role, frozenset[str]] = {
    Role.COMMANDER: _READ_SUPPLIES | _WRITE_SUPPLIES,
    Role.MEDIC: _READ_SUPPLIES,
    Role.LOGISTICS: _READ_SUPPLIES | _WRITE_SUPPLIES,
    Role.VIEWER: _READ_SUPPLIES,
}
