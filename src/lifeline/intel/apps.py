from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "lifeline.intel"
    label = "intel"
    verbose_name = "Intelligence and alerts"
