from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "lifeline.alerts"
    label = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        from lifeline.alerts.roles import ROLE_GRANTS
        from lifeline.core.roles import role_permissions_grant

        role_permissions_grant("alerts", ROLE_GRANTS)
