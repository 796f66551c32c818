"""The roster's limits, a site setting each (declared in FacilitiesConfig.ready)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lifeline.core.clock import site_local
from lifeline.core.services import setting_get
from lifeline.core.site_settings import SiteSettingSpec, parse_positive_number

MIN_REST_SETTING = "facilities.watch_minimum_rest_hours"
MAX_HOURS_SETTING = "facilities.watch_maximum_hours_per_day"
MIN_REST_DEFAULT = 8
MAX_HOURS_DEFAULT = 12

SPECS = (
    SiteSettingSpec(
        key=MIN_REST_SETTING,
        meaning="hours of rest a watcher has between two shifts",
        default=f"{MIN_REST_DEFAULT} hours",
        parse=parse_positive_number,
    ),
    SiteSettingSpec(
        key=MAX_HOURS_SETTING,
        meaning="hours of watch a person stands in any 24 hours at most",
        default=f"{MAX_HOURS_DEFAULT} hours",
        parse=parse_positive_number,
    ),
)


@dataclass(frozen=True)
class RosterLimits:
    minimum_rest: dt.timedelta
    maximum_hours: float


def roster_limits() -> RosterLimits:
    site = site_local()
    rest = setting_get(site=site, key=MIN_REST_SETTING, default=MIN_REST_DEFAULT)
    hours = setting_get(site=site, key=MAX_HOURS_SETTING, default=MAX_HOURS_DEFAULT)
    return RosterLimits(minimum_rest=dt.timedelta(hours=float(rest)), maximum_hours=float(hours))
