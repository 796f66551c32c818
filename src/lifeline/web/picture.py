"""The common operating picture on the home page: for the signed-in person's role, who is here
and in what state, what we have and how long it lasts, who is out and whether they checked in,
where the danger is, and the open alerts. Every figure comes from the selector that its own page
uses (one number everywhere); a part the role may not see is left out, never shown empty."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from lifeline.alerts.models import Alert
from lifeline.alerts.selectors import alert_inbox
from lifeline.care.selectors import patient_board
from lifeline.core.clock import site_local
from lifeline.core.services import Actor
from lifeline.facilities.models import Shift
from lifeline.facilities.selectors import FacilitiesPicture, facilities_picture, shifts_of_user
from lifeline.intel.models import Sighting
from lifeline.intel.threats.selectors import sighting_list
from lifeline.missions.selectors import MissionStatus, TeamOut, teams_out
from lifeline.people.models import Status
from lifeline.people.selectors import arrivals_count, status_counts
from lifeline.routing.map_presenter import MapPicture
from lifeline.supplies import selectors as supplies
from lifeline.supplies.models import Item
from lifeline.supplies.rules import DaysOfSupply
from lifeline.web.minimaps import camp_map

ALERTS_SHOWN = 5
SIGHTINGS_SHOWN = 5
SIGHTINGS_SINCE = dt.timedelta(hours=48)
# Days of supply below these are shown as critical / as a warning.
DAYS_CRITICAL = 3
DAYS_WARNING = 7


@dataclass(frozen=True)
class PeoplePart:
    total: int
    arrivals_today: int
    by_status: list[tuple[str, str, int]]  # status value, label, count


@dataclass(frozen=True)
class CarePart:
    open_count: int
    by_category: list[tuple[str, str, int]]  # board group key, label, count
    wounded_not_in_care: int


@dataclass(frozen=True)
class SupplyLine:
    item: Item
    supply: DaysOfSupply
    severity: str  # critical, warning or ok


@dataclass(frozen=True)
class SuppliesPart:
    lines: list[SupplyLine]
    stock_alerts: int


@dataclass(frozen=True)
class MissionsPart:
    out: list[MissionStatus]
    overdue: int


@dataclass(frozen=True)
class DangerPart:
    sightings: list[Sighting]
    # The camp, the risk and sightings around it and the teams out (None: nothing to place
    # it by, no road graph and no position of the camp).
    map: MapPicture | None = None


@dataclass(frozen=True)
class CampPart:
    facilities: FacilitiesPicture
    my_next_shift: Shift | None


@dataclass
class Picture:
    site_name: str
    now: dt.datetime  # the moment it shows (the map's sightings' ages are counted from it)
    alerts: list[Alert] = field(default_factory=list)
    alerts_total: int = 0
    people: PeoplePart | None = None
    care: CarePart | None = None
    supplies: SuppliesPart | None = None
    missions: MissionsPart | None = None
    danger: DangerPart | None = None
    camp: CampPart | None = None


def _severity_of(supply: DaysOfSupply) -> str:
    if supply.days is None:
        return "ok"
    if supply.days < DAYS_CRITICAL:
        return "critical"
    return "warning" if supply.days < DAYS_WARNING else "ok"


def _people(actor: Actor, now: dt.datetime) -> PeoplePart:
    counts = status_counts(actor=actor, site=settings.LIFELINE_SITE)
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return PeoplePart(
        total=sum(counts.values()),
        arrivals_today=arrivals_count(actor=actor, site=settings.LIFELINE_SITE, since=midnight),
        by_status=[(value, str(label), counts.get(value, 0)) for value, label in Status.choices],
    )


def _care(actor: Actor, now: dt.datetime) -> CarePart:
    # This site's board, as the people part counts this site's persons in care.
    board = patient_board(actor=actor, now=now, site=site_local())
    return CarePart(
        open_count=board.open_count,
        by_category=[(g.key, g.label, len(g.rows)) for g in board.groups if g.rows],
        wounded_not_in_care=len(board.wounded_untriaged),
    )


def _supplies(actor: Actor, today: dt.date) -> SuppliesPart:
    site = site_local()
    # The items people live on: those with a Sphere standard (food by kcal, water by litres).
    items = [
        item
        for item in supplies.item_list(actor=actor)
        if item.kcal_per_unit is not None or item.litres_per_unit is not None
    ]
    lines = []
    for item in items:
        supply = supplies.days_of_supply(actor=actor, item=item, site=site, today=today)
        lines.append(SupplyLine(item=item, supply=supply, severity=_severity_of(supply)))
    lines.sort(key=lambda line: (line.supply.days is None, line.supply.days or 0.0))
    found = supplies.stock_alerts(actor=actor, site=site, today=today)
    return SuppliesPart(lines=lines, stock_alerts=len(found))


def _missions(teams: list[TeamOut]) -> MissionsPart:
    # The board's rows (teams_out is mission_board's teams out) that have a check-in due.
    out = [team.status for team in teams if team.status.due_at is not None]
    return MissionsPart(out=out, overdue=sum(1 for row in out if row.overdue))


def _danger(actor: Actor, now: dt.datetime, teams: list[TeamOut]) -> DangerPart:
    recent = sighting_list(actor=actor, since=now - SIGHTINGS_SINCE)
    return DangerPart(
        sightings=list(recent[:SIGHTINGS_SHOWN]),
        map=camp_map(actor=actor, teams_out=teams, now=now),
    )


def operating_picture(*, actor: Actor, now: dt.datetime | None = None) -> Picture:
    now = now or timezone.now()
    picture = Picture(site_name=site_local().name, now=now)
    inbox = alert_inbox(actor=actor)
    picture.alerts = list(inbox[:ALERTS_SHOWN])
    picture.alerts_total = (
        inbox.count() if len(picture.alerts) == ALERTS_SHOWN else len(picture.alerts)
    )
    if actor.has_perm("people.view_person"):
        picture.people = _people(actor, now)
    if actor.has_perm("care.view_medical"):
        picture.care = _care(actor, now)
    if actor.has_perm("supplies.view_item"):
        picture.supplies = _supplies(actor, timezone.localdate(now))
    teams: list[TeamOut] = []
    if actor.has_perm("missions.view_mission"):
        teams = teams_out(actor=actor, now=now)
        picture.missions = _missions(teams)
    if actor.has_perm("intel.view_sighting"):
        picture.danger = _danger(actor, now, teams)
    if actor.has_perm("facilities.view_facility"):
        mine = shifts_of_user(actor=actor, days=1)
        picture.camp = CampPart(
            facilities=facilities_picture(actor=actor), my_next_shift=mine[0] if mine else None
        )
    return picture
