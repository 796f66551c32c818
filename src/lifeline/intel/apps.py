from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelConfig(AppConfig):
    name = "lifeline.intel"
    label = "intel"
    verbose_name = _("Intelligence")

    def ready(self) -> None:
        from lifeline.alerts.kinds import AlertKind, alert_kind_declare
        from lifeline.core.replication import after_apply_register
        from lifeline.core.roles import role_permissions_grant
        from lifeline.core.sweeps import Sweep, sweep_register
        from lifeline.intel.roles import ROLE_GRANTS
        from lifeline.intel.selectors import report_timeline
        from lifeline.intel.services import CACHE_FOUND_KIND
        from lifeline.intel.threats import arrivals
        from lifeline.intel.threats.selectors import SightingRiskSources
        from lifeline.intel.threats.watch import (
            RISK_ALERT_PERMISSION,
            RISK_CAMP_KIND,
            RISK_ROUTE_KIND,
            risk_raised_receive,
            risk_watch_sweep,
        )
        from lifeline.missions.selectors import mission_timeline_source_register
        from lifeline.routing.services import risk_sources_register
        from lifeline.routing.signals import risk_raised

        alert_kind_declare(
            AlertKind(
                kind=CACHE_FOUND_KIND,
                meaning="a team reported a cache that logistics should record in supplies",
                permission="supplies.manage_stock",
            ),
            AlertKind(
                kind=RISK_CAMP_KIND,
                meaning="risk climbed into a higher band near the camp",
                permission=RISK_ALERT_PERMISSION,
            ),
            AlertKind(
                kind=RISK_ROUTE_KIND,
                meaning="risk climbed into a higher band on the route of a team out",
                permission=RISK_ALERT_PERMISSION,
            ),
        )
        role_permissions_grant("intel", ROLE_GRANTS)
        mission_timeline_source_register("intel.reports", report_timeline)
        # Routing's risk grid is fed by our sightings, and a zone it draws is watched by us.
        risk_sources_register("intel.sightings", SightingRiskSources())
        risk_raised.connect(risk_raised_receive, dispatch_uid="intel.risk_watch")
        sweep_register(Sweep("intel.risk_watch", risk_watch_sweep))
        # Rows from another site: a group's last sighting and the risk grid rebuilt.
        after_apply_register("intel.hostilegroup", arrivals.groups_last_seen_refresh)
        after_apply_register("intel.sighting", arrivals.sightings_arrived)
