from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "lifeline.missions"
    label = "missions"
    verbose_name = "Missions"

    def ready(self) -> None:
        from lifeline.alerts.kinds import AlertKind, alert_kind_declare
        from lifeline.core.roles import role_permissions_grant
        from lifeline.core.sweeps import Sweep, sweep_register
        from lifeline.missions.roles import ROLE_GRANTS
        from lifeline.missions.services import (
            NEED_HELP_KIND,
            OVERDUE_KIND,
            missions_overdue_sweep,
        )

        alert_kind_declare(
            AlertKind(
                kind=OVERDUE_KIND,
                meaning="a team out has missed its check-in window",
                permission="missions.view_mission",
            ),
            AlertKind(
                kind=NEED_HELP_KIND,
                meaning="a team checked in asking for help",
                permission="missions.view_mission",
            ),
        )
        role_permissions_grant("missions", ROLE_GRANTS)
        sweep_register(
            Sweep("missions.overdue", missions_overdue_sweep, says="{count} mission(s) overdue")
        )
