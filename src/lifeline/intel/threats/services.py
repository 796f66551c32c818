"""Writes of the threat picture: hostile groups, sightings (from field reports, the camp's watch
or the radio) and the perimeter log. Each sighting feeds routing's risk grid and the alerts of
risk rising near the camp or on a mission's route, in the transaction that records it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.clock import site_local
from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.services import Actor, actor_user, audit_record, permission_require
from lifeline.intel.models import (
    FieldReport,
    GroupStatus,
    HostileGroup,
    PerimeterLogEntry,
    ReportSource,
    Sighting,
    SightingSource,
    WatchPost,
    WatchSeen,
)
from lifeline.intel.threats.selectors import sighting_risk_point
from lifeline.intel.threats.watch import risk_watch_check
from lifeline.people.rules import coordinates_problems
from lifeline.routing import risk
from lifeline.routing import services as routing

MAX_SIGHTING_COUNT = 10_000
# How sure a team is of what it reports with its own eyes; the watch says how sure it is.
FIELD_REPORT_CONFIDENCE = 0.8
# Where the watch saw them, from the post: compass points and their bearings.
BEARINGS = {
    "n": 0.0,
    "ne": 45.0,
    "e": 90.0,
    "se": 135.0,
    "s": 180.0,
    "sw": 225.0,
    "w": 270.0,
    "nw": 315.0,
}


# ---- hostile groups ------------------------------------------------------------------------


def _group_problems(values: Mapping[str, Any], group: HostileGroup | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if "name" in values:
        name = str(values["name"] or "").strip()
        if not name:
            problems["name"] = _("is required")
        else:
            same = HostileGroup.objects.alive().filter(name__iexact=name)
            if group is not None:
                same = same.exclude(pk=group.pk)
            if same.exists():
                problems["name"] = _("a group named %(name)s is already known") % {
                    "name": repr(name)
                }
    if "status" in values and values["status"] not in GroupStatus.values:
        problems["status"] = _("must be one of %(values)s") % {
            "values": ", ".join(GroupStatus.values)
        }
    size = values.get("size_estimate")
    if size is not None and not 0 <= int(size) <= MAX_SIGHTING_COUNT:
        problems["size_estimate"] = _("must be between 0 and %(n)d") % {"n": MAX_SIGHTING_COUNT}
    return problems


@transaction.atomic
def hostile_group_create(
    *,
    actor: Actor | None,
    name: str,
    leader: str = "",
    size_estimate: int | None = None,
    notes: str = "",
    status: str = GroupStatus.ACTIVE,
) -> HostileGroup:
    permission_require(actor, "intel.add_hostilegroup", doing=_("record hostile groups"))
    values = {"name": name, "size_estimate": size_estimate, "status": status}
    problems = _group_problems(values, None)
    if problems:
        raise ValidationFailed(problems)
    group = HostileGroup(
        name=name.strip(),
        leader=leader.strip(),
        size_estimate=size_estimate,
        notes=notes.strip(),
        status=status,
    )
    group.save()
    audit_record(actor=actor, action="intel.group_create", obj=group, summary=group.name)
    return group


GROUP_FIELDS = ("name", "leader", "size_estimate", "notes", "status")


@transaction.atomic
def hostile_group_update(
    *, actor: Actor | None, group: HostileGroup, changes: Mapping[str, Any]
) -> HostileGroup:
    permission_require(actor, "intel.change_hostilegroup", doing=_("change hostile groups"))
    unknown = sorted(set(changes) - set(GROUP_FIELDS))
    if unknown:
        raise ValidationFailed({k: _("cannot be changed here") for k in unknown})
    group = HostileGroup.objects.select_for_update().get(pk=group.pk)
    if group.deleted_at is not None:
        raise Conflict(_("this group was deleted"))
    problems = _group_problems(changes, group)
    if problems:
        raise ValidationFailed(problems)
    changed = [k for k, v in changes.items() if getattr(group, k) != v]
    for key in changed:
        value = changes[key]
        setattr(group, key, value.strip() if isinstance(value, str) else value)
    if changed:
        group.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="intel.group_update",
            obj=group,
            summary=group.name,
            detail={"changed": changed},
        )
    return group


def hostile_group_match(name: str) -> HostileGroup | None:
    """The known group a reported name means: its name, or its leader's, in any case."""
    name = name.strip()
    if not name:
        return None
    groups = HostileGroup.objects.alive()
    return (
        groups.filter(name__iexact=name).first()
        or groups.filter(Q(leader__iexact=name) & ~Q(leader="")).first()
    )


def _last_seen_refresh(group: HostileGroup, sighting: Sighting) -> None:
    if group.last_seen_at is not None and group.last_seen_at >= sighting.seen_at:
        return
    group.last_seen_at = sighting.seen_at
    group.last_seen_latitude = sighting.latitude
    group.last_seen_longitude = sighting.longitude
    group.save(update_fields=sorted(HostileGroup.derived_fields))


# ---- sightings -----------------------------------------------------------------------------


def _sighting_problems(
    *, latitude: Any, longitude: Any, count: Any, confidence: Any, seen_at: Any
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if latitude is None or longitude is None:
        problems["latitude" if latitude is None else "longitude"] = _("say where (coordinates)")
    else:
        problems |= coordinates_problems(latitude, longitude)
    if not 0 <= int(count) <= MAX_SIGHTING_COUNT:
        problems["count"] = _("must be between 0 and %(n)d") % {"n": MAX_SIGHTING_COUNT}
    if not 0.0 <= float(confidence) <= 1.0:
        problems["confidence"] = _("must be between 0 and 1 (or low, medium, high)")
    if seen_at is not None:
        if timezone.is_naive(seen_at):
            problems["seen_at"] = _("must include a time zone")
        elif seen_at > timezone.now() + dt.timedelta(minutes=10):
            problems["seen_at"] = _("is in the future")
    return problems


def _sighting_write(
    *,
    actor: Actor | None,
    latitude: float,
    longitude: float,
    count: int,
    confidence: float,
    source: str,
    seen_at: dt.datetime | None = None,
    hostile_group: HostileGroup | None = None,
    group_name: str = "",
    notes: str = "",
    field_report: FieldReport | None = None,
) -> Sighting:
    """Record a sighting, refresh its group's last seen, add it to the risk grid and raise
    the alerts its risk calls for: one transaction (the caller's)."""
    problems = _sighting_problems(
        latitude=latitude, longitude=longitude, count=count, confidence=confidence, seen_at=seen_at
    )
    if source not in SightingSource.values:
        problems["source"] = _("must be one of %(values)s") % {
            "values": ", ".join(SightingSource.values)
        }
    if hostile_group is not None and hostile_group.deleted_at is not None:
        problems["hostile_group"] = _("was deleted")
    if problems:
        raise ValidationFailed(problems)
    if hostile_group is None and group_name:
        hostile_group = hostile_group_match(group_name)
    sighting = Sighting(
        seen_at=seen_at or timezone.now(),
        latitude=float(latitude),
        longitude=float(longitude),
        count=int(count),
        confidence=float(confidence),
        hostile_group=hostile_group,
        group_name=(group_name or (hostile_group.name if hostile_group else "")).strip()[:120],
        source=source,
        notes=notes.strip(),
        reported_by=actor_user(actor),
        field_report=field_report,
    )
    sighting.save()
    if hostile_group is not None:
        _last_seen_refresh(hostile_group, sighting)
    audit_record(
        actor=actor,
        action="intel.sighting",
        obj=sighting,
        summary=f"{sighting.count} seen"
        + (f" ({hostile_group.name})" if hostile_group else "")
        + f", {sighting.get_source_display().lower()}",
    )
    changed = routing.risk_sighting_add(sighting=sighting_risk_point(sighting))
    risk_watch_check(changed=changed)
    return sighting


@transaction.atomic
def sighting_record(
    *,
    actor: Actor | None,
    latitude: float,
    longitude: float,
    count: int,
    confidence: float,
    source: str = SightingSource.RADIO,
    seen_at: dt.datetime | None = None,
    hostile_group: HostileGroup | None = None,
    group_name: str = "",
    notes: str = "",
) -> Sighting:
    """Record a sighting heard of directly (a radio call, a neighbour's warning)."""
    permission_require(actor, "intel.add_sighting", doing=_("record sightings"))
    return _sighting_write(
        actor=actor,
        latitude=latitude,
        longitude=longitude,
        count=count,
        confidence=confidence,
        source=source,
        seen_at=seen_at,
        hostile_group=hostile_group,
        group_name=group_name,
        notes=notes,
    )


def sighting_from_report(*, actor: Actor | None, report: FieldReport) -> Sighting | None:
    """The sighting a sighting/contact report makes, linked to the group its name matches (or
    to none). A report with no coordinates and a mission with no area centre makes none: a
    sighting without a place cannot be put on the grid. Called by intel.services.report_file
    in its transaction, after its own permission check."""
    latitude = report.latitude if report.latitude is not None else report.mission.latitude
    longitude = report.longitude if report.longitude is not None else report.mission.longitude
    if latitude is None or longitude is None:
        return None
    details = report.details
    # Only the structured facts: every role reads sightings, while the report's text and its
    # mission are for those who may read reports (threats.selectors.sighting_sources_attach).
    facts = [f"armed: {details.get('armed') or 'unknown'}"]
    if details.get("direction") not in (None, "", "unknown"):
        facts.append(f"heading {details['direction']}")
    return _sighting_write(
        actor=actor,
        latitude=latitude,
        longitude=longitude,
        count=int(details.get("count") or 0),
        confidence=FIELD_REPORT_CONFIDENCE,
        source=SightingSource.REPORT if report.source == ReportSource.WEB else SightingSource.RADIO,
        seen_at=report.occurred_at,
        group_name=str(details.get("hostile_group") or ""),
        notes="; ".join(facts),
        field_report=report,
    )


# ---- the perimeter log ---------------------------------------------------------------------


@transaction.atomic
def watch_post_create(
    *, actor: Actor | None, name: str, latitude: float, longitude: float, notes: str = ""
) -> WatchPost:
    permission_require(actor, "intel.add_watchpost", doing=_("set up watch posts"))
    problems: dict[str, str] = dict(coordinates_problems(latitude, longitude))
    if not name.strip():
        problems["name"] = _("is required")
    elif WatchPost.objects.alive().filter(site=site_local(), name__iexact=name.strip()).exists():
        problems["name"] = _("this camp has a post named %(name)s already") % {
            "name": repr(name.strip())
        }
    if problems:
        raise ValidationFailed(problems)
    post = WatchPost(
        site=site_local(),
        name=name.strip(),
        latitude=latitude,
        longitude=longitude,
        notes=notes.strip(),
    )
    post.save()
    audit_record(actor=actor, action="intel.watch_post", obj=post, summary=post.name)
    return post


@transaction.atomic
def perimeter_log(
    *,
    actor: Actor | None,
    post: WatchPost,
    seen: str,
    count: int = 0,
    direction: str = "",
    distance_m: int | None = None,
    hostile_group: HostileGroup | None = None,
    confidence: float = 0.6,
    observed_at: dt.datetime | None = None,
    notes: str = "",
) -> PerimeterLogEntry:
    """Write what a watch post saw. Something hostile also becomes a sighting placed, given a
    direction and a distance, that far from the post that way, else at the centre of the
    post's risk cell. The sighting says nothing of the post (every role reads sightings; the
    posts are the watch's): its notes stay empty, and the post's exact place is not its."""
    permission_require(actor, "intel.add_perimeterlogentry", doing=_("keep the perimeter log"))
    problems: dict[str, str] = {}
    if seen not in WatchSeen.values:
        problems["seen"] = _("must be one of %(values)s") % {"values": ", ".join(WatchSeen.values)}
    if direction and direction not in BEARINGS:
        problems["direction"] = _("must be one of %(values)s") % {"values": ", ".join(BEARINGS)}
    if seen == WatchSeen.HOSTILE and count < 1:
        problems["count"] = _("say how many hostiles were seen (at least 1)")
    if seen == WatchSeen.NOTHING and count:
        problems["count"] = _("all quiet means nobody seen: leave the count at 0")
    if distance_m is not None and not direction:
        problems["direction"] = _("give the direction with the distance")
    if post.deleted_at is not None:
        problems["post"] = _("was removed")
    if not 0.0 <= confidence <= 1.0:
        problems["confidence"] = _("must be between 0 and 1 (or low, medium, high)")
    if observed_at is not None and (
        timezone.is_naive(observed_at) or observed_at > timezone.now() + dt.timedelta(minutes=10)
    ):
        problems["observed_at"] = _("must be a time with its zone, not in the future")
    if problems:
        raise ValidationFailed(problems)
    entry = PerimeterLogEntry(
        post=post,
        observed_at=observed_at or timezone.now(),
        seen=seen,
        count=count,
        direction=direction,
        distance_m=distance_m,
        hostile_group=hostile_group,
        confidence=confidence,
        notes=notes.strip(),
        recorded_by=actor_user(actor),
    )
    if seen == WatchSeen.HOSTILE:
        if direction and distance_m:
            latitude, longitude = risk.offset_point(
                post.latitude,
                post.longitude,
                bearing_deg=BEARINGS[direction],
                distance_m=distance_m,
            )
        else:
            # Seen from the post, not at it: the hostiles are known only to be about there, so
            # the cell their risk lands in (same cell, same risk) rather than the post's spot.
            latitude, longitude = risk.cell_centre(
                risk.cell_of(post.latitude, post.longitude, routing.RESOLUTION)
            )
        entry.sighting = _sighting_write(
            actor=actor,
            latitude=latitude,
            longitude=longitude,
            count=count,
            confidence=confidence,
            source=SightingSource.WATCH,
            seen_at=entry.observed_at,
            hostile_group=hostile_group,
        )
    entry.save()
    audit_record(
        actor=actor,
        action="intel.perimeter_log",
        obj=entry,
        summary=f"{post.name}: {entry.get_seen_display()}" + (f" ({count})" if count else ""),
    )
    return entry
