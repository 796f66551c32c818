"""What each role may do with alerts; `AlertsConfig.ready` grants it (see `core.roles`).

Every role sees the alerts of the kinds it may see (`alerts.kinds`) and may say it is on one
(acknowledge); commanders and logistics resolve them.
"""

from __future__ import annotations

from lifeline.core.roles import Role

_ACKNOWLEDGE = frozenset({"alerts.acknowledge_alert"})
_RESOLVE = _ACKNOWLEDGE | {"alerts.resolve_alert"}

ROLE_GRANTS: dict[Role, frozenset[str]] = {
    role: _RESOLVE if role in (Role.COMMANDER, Role.LOGISTICS) else _ACKNOWLEDGE for role in Role
}
