from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "lifeline.routing"
    label = "routing"
    verbose_name = "Road graph and safest routes"

    def ready(self) -> None:
        from lifeline.core.roles import role_permissions_grant
        from lifeline.routing.roles import ROLE_GRANTS

        role_permissions_grant("routing", ROLE_GRANTS)
