"""What each role may do with threat zones and routes; `RoutingConfig.ready` grants it (see
`core.roles`). Everyone sees the zones and plans routes (knowing where danger is keeps people
alive); commanders draw zones; commanders and logistics import road graphs."""

from __future__ import annotations

from lifeline.core.roles import Role

_SEE_ROUTES = frozenset({"routing.view_threatzone", "routing.plan_route"})

ROLE_GRANTS: dict[Role, frozenset[str]] = {
    **{role: _SEE_ROUTES for role in Role},
    Role.COMMANDER: _SEE_ROUTES
    | {"routing.draw_threatzone", "routing.change_threatzone", "routing.import_graph"},
    Role.LOGISTICS: _SEE_ROUTES | {"routing.import_graph"},
}
