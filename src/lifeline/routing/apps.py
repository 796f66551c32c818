from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "lifeline.routing"
    label = "routing"
    verbose_name = "Road graph and safest routes"

    def ready(self) -> None:
        from lifeline.alerts.kinds import AlertKind, alert_kind_declare
        from lifeline.core.roles import role_permissions_grant
        from lifeline.routing.roles import ROLE_GRANTS
        from lifeline.routing.services import (
            RISK_ALERT_PERMISSION,
            RISK_CAMP_KIND,
            RISK_ROUTE_KIND,
        )

        alert_kind_declare(
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
        role_permissions_grant("routing", ROLE_GRANTS)
