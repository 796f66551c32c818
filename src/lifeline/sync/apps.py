from django.apps import AppConfig
from django.utils.translation import gettext_noop


class SyncConfig(AppConfig):
    name = "lifeline.sync"
    label = "sync"
    verbose_name = "Sync"

    def ready(self) -> None:
        from lifeline.alerts.kinds import AlertKind, alert_kind_declare
        from lifeline.core.roles import Role, role_permissions_grant
        from lifeline.core.site_settings import SiteSettingSpec, parse_yes_no, site_setting_declare
        from lifeline.sync.apply import (
            CLOCK_AHEAD_DEFAULT_MINUTES,
            CLOCK_AHEAD_KIND,
            CLOCK_AHEAD_SETTING,
        )
        from lifeline.sync.services import SHARE_PROTECTED_SETTING, parse_minutes

        alert_kind_declare(
            AlertKind(
                kind=CLOCK_AHEAD_KIND,
                meaning=gettext_noop("another site's clock runs ahead: its changes are held back"),
                permission="sync.review_conflict",
            )
        )
        site_setting_declare(
            SiteSettingSpec(
                key=CLOCK_AHEAD_SETTING,
                meaning=gettext_noop(
                    "how far ahead of this site's clock another site's change may be stamped "
                    "before it is held back (minutes)"
                ),
                default=f"{CLOCK_AHEAD_DEFAULT_MINUTES} minutes",
                parse=parse_minutes,
            ),
            SiteSettingSpec(
                key=SHARE_PROTECTED_SETTING,
                meaning=gettext_noop(
                    "whether bundles made for no particular peer carry children's protection "
                    "cases and medical records"
                ),
                default="no",
                parse=parse_yes_no,
            ),
        )
        role_permissions_grant(
            "sync",
            {
                Role.COMMANDER: {"sync.review_conflict", "sync.view_peer", "sync.change_peer"},
            },
        )
