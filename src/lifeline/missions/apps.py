from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "lifeline.missions"
    label = "missions"
    verbose_name = "Missions"
