from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "lifeline.missions"
    label = "missions"
    verbose_name = "Missions"

    def ready(self) -> None:
        from lifeline.core.roles import role_permissions_grant
        from lifeline.missions.roles import ROLE_GRANTS

        role_permissions_grant("missions", ROLE_GRANTS)
