from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "lifeline.routing"
    label = "routing"
    verbose_name = _("Road graph and safest routes")

    def ready(self) -> None:
        from lifeline.core.roles import role_permissions_grant
        from lifeline.routing.roles import ROLE_GRANTS

        role_permissions_grant("routing", ROLE_GRANTS)
