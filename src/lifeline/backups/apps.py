from django.apps import AppConfig
from django.utils.translation import gettext_noop


class BackupsConfig(AppConfig):
    name = "lifeline.backups"
    label = "backups"
    verbose_name = "Backups"

    def ready(self) -> None:
        from lifeline.alerts.kinds import AlertKind, alert_kind_declare
        from lifeline.backups import services
        from lifeline.backups.settings import SPECS
        from lifeline.core.site_settings import site_setting_declare
        from lifeline.core.sweeps import Sweep, sweep_register

        alert_kind_declare(
            AlertKind(
                kind=services.STALE_KIND,
                meaning=gettext_noop("the last good backup is older than the schedule allows"),
                permission="core.change_setting",
            )
        )
        site_setting_declare(*SPECS)
        sweep_register(Sweep("backups.schedule", services.backup_sweep, says="{count} backup(s)"))
