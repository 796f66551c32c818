from django.apps import AppConfig
from django.utils.translation import gettext_noop


class MissionsConfig(AppConfig):
    name = "lifeline.missions"
    label = "missions"
    verbose_name = "Missions"

    def ready(self) -> None:
        from lifeline.alerts.kinds import AlertKind, alert_kind_declare
        from lifeline.core.replication import after_apply_register
        from lifeline.core.roles import role_permissions_grant
        from lifeline.core.sweeps import Sweep, sweep_register
        from lifeline.missions import arrivals
        from lifeline.missions.roles import ROLE_GRANTS
        from lifeline.missions.services import (
            NEED_HELP_KIND,
            OVERDUE_KIND,
            missions_overdue_sweep,
        )

        alert_kind_declare(
            AlertKind(
                kind=OVERDUE_KIND,
                meaning=gettext_noop("a team out has missed its check-in window"),
                permission="missions.view_mission",
            ),
            AlertKind(
                kind=NEED_HELP_KIND,
                meaning=gettext_noop("a team checked in asking for help"),
                permission="missions.view_mission",
            ),
            AlertKind(
                kind=arrivals.RADIO_TWICE_KIND,
                meaning=gettext_noop(
                    "two members of a team were given one radio number at two sites"
                ),
                permission="missions.view_mission",
            ),
        )
        # Rows from another site: the mission's state derived again, radio numbers checked.
        after_apply_register("missions.mission", arrivals.missions_state_refresh)
        after_apply_register("missions.missiontransition", arrivals.transitions_arrived)
        after_apply_register("missions.missionmember", arrivals.members_arrived)
        role_permissions_grant("missions", ROLE_GRANTS)
        sweep_register(
            Sweep("missions.overdue", missions_overdue_sweep, says="{count} mission(s) overdue")
        )
