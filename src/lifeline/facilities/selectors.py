"""Reads of facilities and the watch, each checking the reader's role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.clock import site_local
from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.ids import id_parse
from lifeline.core.services import Actor, permission_require
from lifeline.facilities.models import (
    PRIORITY_ORDER,
    CapacityUnit,
    DamageAssessment,
    Facility,
    FacilityKind,
    FacilityState,
    Shift,
    WorkOrder,
    WorkStatus,
)
from lifeline.facilities.services import RosterCheck, roster_check
from lifeline.intel.models import PerimeterLogEntry, WatchPost
from lifeline.intel.threats.selectors import perimeter_log_list, watch_post_list

NOT_WORKING = (
    FacilityState.DAMAGED,
    FacilityState.UNSAFE,
    FacilityState.UNDER_REPAIR,
    FacilityState.DESTROYED,
)
# Worst first, when a list is read for what needs doing.
STATE_ORDER: dict[str, int] = {
    FacilityState.DESTROYED: 0,
    FacilityState.UNSAFE: 1,
    FacilityState.DAMAGED: 2,
    FacilityState.UNDER_REPAIR: 3,
    FacilityState.WORKING: 4,
}


def _see(actor: Actor | None) -> None:
    permission_require(actor, "facilities.view_facility", doing=_("see the camp's facilities"))


def facility_list(
    *,
    actor: Actor | None,
    kind: str | None = None,
    state: str | None = None,
    every_site: bool = False,
) -> list[Facility]:
    """This site's facilities (or every site's), those that need work first."""
    _see(actor)
    rows = Facility.objects.alive().select_related("site")
    if not every_site:
        rows = rows.filter(site=site_local())
    if kind:
        if kind not in FacilityKind.values:
            raise ValidationFailed({"kind": [_("unknown kind %(kind)s") % {"kind": repr(kind)}]})
        rows = rows.filter(kind=kind)
    if state:
        if state not in FacilityState.values:
            raise ValidationFailed(
                {"state": [_("unknown state %(state)s") % {"state": repr(state)}]}
            )
        rows = rows.filter(state=state)
    return sorted(rows, key=lambda f: (STATE_ORDER.get(f.state, 9), f.kind, f.name))


def facility_get(*, actor: Actor | None, facility_id: Any) -> Facility:
    _see(actor)
    row = Facility.objects.alive().filter(pk=id_parse(facility_id, "facility")).first()
    if row is None:
        raise NotFound(_("no facility %(id)s") % {"id": facility_id})
    return row


@dataclass(frozen=True)
class FacilityRecord:
    facility: Facility
    assessments: list[DamageAssessment]
    work: list[WorkOrder]


def facility_record(*, actor: Actor | None, facility_id: Any) -> FacilityRecord:
    facility = facility_get(actor=actor, facility_id=facility_id)
    assessments = list(
        DamageAssessment.objects.alive()
        .filter(facility=facility)
        .select_related("assessed_by")
        .prefetch_related("photos")
    )
    work = list(
        WorkOrder.objects.alive()
        .filter(facility=facility)
        .select_related("assigned_to", "opened_by", "closed_by")
        .prefetch_related("photos", "materials__item", "materials__location")
        .order_by("-opened_at")
    )
    return FacilityRecord(facility=facility, assessments=assessments, work=work)


def assessment_get(*, actor: Actor | None, assessment_id: Any) -> DamageAssessment:
    _see(actor)
    row = (
        DamageAssessment.objects.alive()
        .filter(pk=id_parse(assessment_id, "assessment"))
        .select_related("facility")
        .first()
    )
    if row is None:
        raise ValidationFailed({"assessment": [_("no assessment %(id)s") % {"id": assessment_id}]})
    return row


def work_rows(*, actor: Actor | None, values: dict[str, Any]) -> dict[str, Any]:
    """A parsed work input with its ids turned into rows: the facility and, when given, the
    assessment the work repairs (what `services.work_order_raise` takes)."""
    rest = dict(values)
    facility = facility_get(actor=actor, facility_id=rest.pop("facility"))
    assessment_id = rest.pop("assessment", None)
    assessment = assessment_get(actor=actor, assessment_id=assessment_id) if assessment_id else None
    return {**rest, "facility": facility, "assessment": assessment}


def work_get(*, actor: Actor | None, work_id: Any) -> WorkOrder:
    _see(actor)
    row = (
        WorkOrder.objects.alive()
        .filter(pk=id_parse(work_id, "work order"))
        .select_related("facility")
        .first()
    )
    if row is None:
        raise NotFound(_("no work order %(id)s") % {"id": work_id})
    return row


def work_open_list(*, actor: Actor | None, every_site: bool = False) -> list[WorkOrder]:
    """Open and started repair work of this site (or every site's), most urgent first."""
    _see(actor)
    rows = (
        WorkOrder.objects.alive()
        .filter(status__in=[WorkStatus.OPEN, WorkStatus.IN_PROGRESS])
        .select_related("facility", "facility__site", "assigned_to")
    )
    if not every_site:
        rows = rows.filter(facility__site=site_local())
    return sorted(rows, key=lambda w: (PRIORITY_ORDER.get(w.priority, 9), w.opened_at))


@dataclass(frozen=True)
class FacilitiesPicture:
    """The camp's facilities at a glance: what is down and what it costs the camp."""

    total: int
    not_working: list[Facility]
    shelter_places_lost: int
    shelter_places: int
    water_points_down: int
    water_lost_litres: int
    open_work: list[WorkOrder]


def facilities_picture(*, actor: Actor | None, every_site: bool = False) -> FacilitiesPicture:
    rows = facility_list(actor=actor, every_site=every_site)
    down = [f for f in rows if f.state in NOT_WORKING]
    shelters = [f for f in rows if f.capacity_unit == CapacityUnit.PEOPLE and f.kind == "shelter"]
    water = [f for f in rows if f.kind in {FacilityKind.WATER_POINT, FacilityKind.WELL}]
    return FacilitiesPicture(
        total=len(rows),
        not_working=down,
        shelter_places_lost=sum(f.capacity_lost for f in shelters),
        shelter_places=sum(f.capacity or 0 for f in shelters),
        water_points_down=sum(
            1 for f in water if f.state in NOT_WORKING and f.state != FacilityState.DAMAGED
        ),
        water_lost_litres=sum(
            f.capacity_lost for f in water if f.capacity_unit == CapacityUnit.LITRES_PER_DAY
        ),
        open_work=work_open_list(actor=actor, every_site=every_site),
    )


# ---- the watch ----


@dataclass(frozen=True)
class RosterView:
    start: dt.datetime
    end: dt.datetime
    posts: list[WatchPost]
    shifts: list[Shift]
    check: RosterCheck


def roster_view(*, actor: Actor | None, start: dt.datetime, hours: int = 24) -> RosterView:
    permission_require(actor, "facilities.view_shift", doing=_("see the watch roster"))
    if not 1 <= hours <= 24 * 14:
        raise ValidationFailed({"hours": [_("between 1 hour and 14 days")]})
    end = start + dt.timedelta(hours=hours)
    posts = list(watch_post_list(actor=actor).filter(site=site_local()))
    shifts = list(
        Shift.objects.alive()
        .filter(post__in=posts, starts_at__lt=end, ends_at__gt=start)
        .select_related("post", "person", "user")
        .order_by("starts_at", "post__name")
    )
    return RosterView(start, end, posts, shifts, roster_check(start, end))


def shifts_of_user(*, actor: Actor | None, days: int = 7) -> list[Shift]:
    """The signed-in person's own shifts from now on (and the one they stand now)."""
    if actor is None or not actor.is_authenticated:
        return []
    now = timezone.now()
    return list(
        Shift.objects.alive()
        .filter(user_id=actor.pk, ends_at__gt=now, starts_at__lt=now + dt.timedelta(days=days))
        .select_related("post", "person")
        .order_by("starts_at")
    )


def shift_get(*, actor: Actor | None, shift_id: Any) -> Shift:
    row = (
        Shift.objects.alive()
        .filter(pk=id_parse(shift_id, "shift"))
        .select_related("post", "person", "user")
        .first()
    )
    if row is None:
        raise NotFound(_("no shift %(id)s") % {"id": shift_id})
    mine = actor is not None and actor.is_authenticated and row.user_id == actor.pk
    if not mine:
        permission_require(actor, "facilities.view_shift", doing=_("see the watch roster"))
    return row


def shift_log(*, actor: Actor | None, shift: Shift) -> list[PerimeterLogEntry]:
    """What the post's log says during the shift: the entries its watcher wrote."""
    return list(
        perimeter_log_list(actor=actor, post=shift.post).filter(
            observed_at__gte=shift.starts_at, observed_at__lt=shift.ends_at
        )
    )
