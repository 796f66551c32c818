from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "lifeline.alerts"
    label = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        from lifeline.alerts.roles import ROLE_GRANTS
        from lifeline.alerts.services import alerts_arrived
        from lifeline.core.replication import after_apply_register
        from lifeline.core.roles import role_permissions_grant

        role_permissions_grant("alerts", ROLE_GRANTS)
        # Two sites raising the same alert while apart: one open alert once their rows meet.
        after_apply_register("alerts.alert", alerts_arrived)
