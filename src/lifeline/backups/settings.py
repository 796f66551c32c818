"""The schedule and the retention rule of the backups, a site setting each (declared in
BackupsConfig.ready), and where backups go (LIFELINE_BACKUP_DIR, else var/backups)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_noop

from lifeline.core.clock import site_local
from lifeline.core.services import setting_get
from lifeline.core.site_settings import SiteSettingSpec, parse_positive_int, parse_positive_number

EVERY_HOURS_SETTING = "backups.every_hours"
KEEP_LAST_SETTING = "backups.keep_last"
KEEP_DAYS_SETTING = "backups.keep_daily_days"
EVERY_HOURS_DEFAULT = 24
KEEP_LAST_DEFAULT = 7
KEEP_DAYS_DEFAULT = 30

SPECS = (
    SiteSettingSpec(
        key=EVERY_HOURS_SETTING,
        meaning=gettext_noop("hours between two backups made by the worker"),
        default=f"every {EVERY_HOURS_DEFAULT} hours",
        parse=parse_positive_number,
    ),
    SiteSettingSpec(
        key=KEEP_LAST_SETTING,
        meaning=gettext_noop("how many of the newest backups are always kept"),
        default=f"the last {KEEP_LAST_DEFAULT}",
        parse=parse_positive_int,
    ),
    SiteSettingSpec(
        key=KEEP_DAYS_SETTING,
        meaning=gettext_noop("days for which the newest backup of each day is kept"),
        default=f"{KEEP_DAYS_DEFAULT} days",
        parse=parse_positive_int,
    ),
)


@dataclass(frozen=True)
class BackupPolicy:
    every_hours: float
    keep_last: int
    keep_days: int


def backup_policy() -> BackupPolicy:
    site = site_local()
    return BackupPolicy(
        every_hours=float(
            setting_get(site=site, key=EVERY_HOURS_SETTING, default=EVERY_HOURS_DEFAULT)
        ),
        keep_last=int(setting_get(site=site, key=KEEP_LAST_SETTING, default=KEEP_LAST_DEFAULT)),
        keep_days=int(setting_get(site=site, key=KEEP_DAYS_SETTING, default=KEEP_DAYS_DEFAULT)),
    )


def backup_folder() -> Path:
    configured = getattr(settings, "LIFELINE_BACKUP_DIR", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "backups"
