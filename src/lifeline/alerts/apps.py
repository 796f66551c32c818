from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "lifeline.alerts"
    label = "alerts"
    verbose_name = "Alerts"
