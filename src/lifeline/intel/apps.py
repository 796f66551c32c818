from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "lifeline.intel"
    label = "intel"
    verbose_name = "Intelligence"

    def ready(self) -> None:
        from lifeline.alerts.kinds import AlertKind, alert_kind_declare
        from lifeline.core.roles import role_permissions_grant
        from lifeline.intel.roles import ROLE_GRANTS
        from lifeline.intel.selectors import report_timeline
        from lifeline.intel.services import CACHE_FOUND_KIND
        from lifeline.missions.selectors import mission_timeline_source_register

        alert_kind_declare(
            AlertKind(
                kind=CACHE_FOUND_KIND,
                meaning="a team reported a cache that logistics should record in supplies",
                permission="supplies.manage_stock",
            )
        )
        role_permissions_grant("intel", ROLE_GRANTS)
        mission_timeline_source_register("intel.reports", report_timeline)
