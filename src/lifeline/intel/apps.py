from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "lifeline.intel"
    label = "intel"
    verbose_name = "Intelligence and alerts"

    def ready(self) -> None:
        from lifeline.core.roles import role_permissions_grant
        from lifeline.intel.roles import ROLE_GRANTS

        role_permissions_grant("intel", ROLE_GRANTS)
