from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "lifeline.facilities"
    label = "facilities"
    verbose_name = _("Facilities and the watch")

    def ready(self) -> None:
        from lifeline.alerts.kinds import AlertKind, alert_kind_declare
        from lifeline.core.replication import after_apply_register
        from lifeline.core.roles import role_permissions_grant
        from lifeline.core.site_settings import site_setting_declare
        from lifeline.core.sweeps import Sweep, sweep_register
        from lifeline.facilities import services
        from lifeline.facilities.models import DamageAssessment, WorkOrder
        from lifeline.facilities.roles import ROLE_GRANTS
        from lifeline.facilities.settings import SPECS

        alert_kind_declare(
            AlertKind(
                kind=services.UNSAFE_KIND,
                meaning="a facility was assessed heavily damaged or unsafe to use",
                permission="facilities.view_facility",
            ),
            AlertKind(
                kind=services.GAP_KIND,
                meaning="a watch post has nobody on watch (now or within 24 hours)",
                permission="facilities.view_shift",
            ),
            AlertKind(
                kind=services.ROSTER_KIND,
                meaning="the watch roster puts someone on two posts or gives too little rest",
                permission="facilities.view_shift",
            ),
        )
        role_permissions_grant("facilities", ROLE_GRANTS)
        site_setting_declare(*SPECS)
        sweep_register(
            Sweep("facilities.roster", services.roster_sweep, says="{count} watch problem(s)")
        )
        after_apply_register("facilities.facility", services.facilities_refresh)
        for model in (DamageAssessment, WorkOrder):
            after_apply_register(
                model._meta.label_lower, services.facilities_of_rows_refresh(model)
            )
