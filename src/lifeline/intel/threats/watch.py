"""The risk watch: an alert when risk climbs into a higher band near the camp or on the route
of a team out, and the alert resolved by itself once the risk there decays below its level.
It reads routing's risk (the grid and the zones) and missions' teams out, which is why it is
intel's: intel sits above both. A sighting recorded runs it over the cells it changed; a zone
drawn, through routing's `risk_raised` signal; the worker sweeps every place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from lifeline.alerts.models import Alert
from lifeline.alerts.selectors import alerts_open_by_key_prefix
from lifeline.alerts.services import alert_raise, alert_resolve_by_system
from lifeline.core.clock import site_local
from lifeline.intel.models import RiskWatch
from lifeline.missions.models import Mission, MissionPoint
from lifeline.missions.selectors import missions_out_with_points
from lifeline.routing import risk
from lifeline.routing import services as routing

RISK_CAMP_KIND = "risk.camp"
RISK_ROUTE_KIND = "risk.route"
# Commanders and field teams see these alerts.
RISK_ALERT_PERMISSION = "intel.watch_threats"


@dataclass(frozen=True)
class WatchedPlace:
    target: str  # RiskWatch.target
    kind: str  # the alert kind
    # The alert's title, marked for translation with %(name)s and %(level)s: each reader
    # sees it in their own language (alert_raise keeps the msgid and the params).
    title: Promise
    name: str
    cells: frozenset[int]
    mission: Mission | None = None


def _mission_path(mission: Mission, points: list[MissionPoint]) -> list[tuple[float, float]]:
    """A mission's route: the streets it follows between its waypoints in order, on the road
    graph (routing's shortest way by length, the same however risk moves), else the straight
    line through them where they are off the graph; or the centre of its area."""
    path = [(p.latitude, p.longitude) for p in points]
    if not path and mission.latitude is not None and mission.longitude is not None:
        path = [(mission.latitude, mission.longitude)]
    return routing.route_streets(points=path) or path


def watched_places() -> list[WatchedPlace]:
    """The camp (this site's position, if known) and the route of every team out (under way
    or returning)."""
    places: list[WatchedPlace] = []
    site = site_local()
    if site.latitude is not None and site.longitude is not None:
        places.append(
            WatchedPlace(
                target=f"camp:{site.code}",
                kind=RISK_CAMP_KIND,
                title=gettext_lazy("Risk rising near %(name)s: level %(level)s"),
                name=site.name,
                cells=risk.cells_within(
                    site.latitude,
                    site.longitude,
                    float(settings.LIFELINE_RISK_CAMP_RADIUS_M),
                    routing.RESOLUTION,
                ),
            )
        )
    for mission, points in missions_out_with_points():
        path = _mission_path(mission, points)
        if not path:
            continue
        places.append(
            WatchedPlace(
                target=f"mission:{mission.pk}",
                kind=RISK_ROUTE_KIND,
                title=gettext_lazy("Risk rising on the route of %(name)s: level %(level)s"),
                name=mission.name,
                cells=risk.cells_along(
                    path,
                    resolution=routing.RESOLUTION,
                    buffer_m=float(settings.LIFELINE_RISK_ROUTE_BUFFER_M),
                ),
                mission=mission,
            )
        )
    return places


def _alert_key(place: WatchedPlace, cell: int, band: int) -> str:
    return f"{place.target}:{cell:x}:{band}"


def _band_of_key(key: str) -> int:
    return int(key.rsplit(":", 1)[1])


def _fallen_resolve(place: WatchedPlace, band: int, level: float, now: dt.datetime) -> None:
    """Resolve the place's open alerts whose band the risk has fallen below: nobody needs to
    act on a risk that decayed (or a zone that expired)."""
    for alert in alerts_open_by_key_prefix(kind=place.kind, key_prefix=f"{place.target}:"):
        alert_band = _band_of_key(alert.key)
        if band < alert_band:
            floor = risk.RISK_BANDS[alert_band - 1][0]
            alert_resolve_by_system(
                alert=alert,
                resolution=f"risk fell below {floor:g}: level {level:.1f} at "
                f"{now:%Y-%m-%d %H:%M} UTC",
            )


def _place_check(place: WatchedPlace, levels: dict[int, float], now: dt.datetime) -> Alert | None:
    peak = risk.risk_peak(levels, place.cells)
    cell, level = peak if peak is not None else (None, 0.0)
    band = risk.risk_band(level)
    watch = RiskWatch.objects.select_for_update().filter(target=place.target).first()
    if watch is None:
        watch = RiskWatch(target=place.target)
    alert = None
    if band < watch.band:
        _fallen_resolve(place, band, level, now)
    if band > watch.band and cell is not None:
        # One alert per rise: the place, the cell where risk peaks and the band it reached.
        alert = alert_raise(
            kind=place.kind,
            key=_alert_key(place, cell, band),
            title=place.title,
            detail=gettext_lazy(
                "H3 cell %(cell)s at level %(peak)s at %(when)s UTC "
                "(band %(band)s of %(bands)s); see the map."
            ),
            params={
                "name": place.name,
                "level": f"{level:.1f}",
                "cell": f"{cell:x}",
                "peak": f"{level:.2f}",
                "when": f"{now:%Y-%m-%d %H:%M}",
                "band": band,
                "bands": len(risk.RISK_BANDS),
            },
            severity=risk.band_severity(band),
            subject=place.mission,
            permission=RISK_ALERT_PERMISSION,
        )
    if band != watch.band or cell != watch.cell:
        # A fall is remembered too, so that the next rise alerts again.
        watch.band, watch.cell, watch.level, watch.updated_at = band, cell, level, now
        watch.save()
    return alert


@transaction.atomic
def risk_watch_check(
    *, changed: set[int] | None = None, now: dt.datetime | None = None
) -> list[Alert]:
    """Raise an alert for each watched place whose risk climbed into a higher band, resolve
    those of a place whose risk fell below them; with `changed`, only the places those cells
    touch (what one new sighting or zone can raise)."""
    now = now or timezone.now()
    places = watched_places()
    if changed is not None:
        places = [p for p in places if p.cells & changed]
    if not places:
        return []
    levels = routing.risk_levels(now=now)
    return [a for p in places if (a := _place_check(p, levels, now)) is not None]


def risk_watch_sweep(*, now: dt.datetime | None = None) -> list[Alert]:
    """The worker's tick: bring routing's grid up to date (sightings that came by sync), then
    check every watched place. Risk decays, zones are drawn and expire, missions set out: a
    place's band is re-read, a fall remembered (and its alerts resolved), a rise alerted."""
    routing.risk_grid_refresh()
    return risk_watch_check(now=now)


def risk_raised_receive(sender: Any, *, cells: set[int], **kwargs: Any) -> None:
    """routing's `risk_raised` (a zone drawn): check the places those cells touch at once."""
    risk_watch_check(changed=cells)
