"""Reads of the threat picture with the caller's role applied. Hostile groups and sightings are
operational (every role sees them, as it sees the threat zones); who reported a sighting, and
what the report said, is for roles that read field reports; the watch posts and their log (and
what a post's entry said of a sighting) are the watch's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.ids import id_parse
from lifeline.core.services import Actor, permission_require
from lifeline.intel.models import (
    FieldReport,
    HostileGroup,
    PerimeterLogEntry,
    Sighting,
    SightingSource,
    WatchPost,
)
from lifeline.routing import risk


def reporter_visible(actor: Actor | None) -> bool:
    """Whether the actor may see who reported a sighting (as it may read the report)."""
    return actor is not None and actor.is_authenticated and actor.has_perm("intel.view_fieldreport")


def watch_visible(actor: Actor | None) -> bool:
    """Whether the actor may read the perimeter log (the posts' names and what they saw)."""
    return (
        actor is not None
        and actor.is_authenticated
        and actor.has_perm("intel.view_perimeterlogentry")
    )


def sighting_sources_attach(*, actor: Actor | None, sightings: Iterable[Sighting]) -> None:
    """Set each sighting's `source_notes`: what its source said (the field report's mission
    and text, or the watch post, where it looked and the entry's notes) when the actor may read
    that source, else None. At most two queries, whatever the number of sightings."""
    rows = list(sightings)
    for row in rows:
        row.source_notes = None  # type: ignore[attr-defined]
    if reporter_visible(actor):
        report_ids = {row.field_report_id for row in rows if row.field_report_id}
        reports = FieldReport.objects.filter(pk__in=report_ids).select_related("mission")
        said = {
            report.pk: f"{report.mission.name}: {report.text}"
            if report.text
            else report.mission.name
            for report in (reports if report_ids else [])
        }
        for row in rows:
            if row.field_report_id in said:
                row.source_notes = said[row.field_report_id]  # type: ignore[attr-defined]
    if watch_visible(actor):
        watched = {row.pk for row in rows if row.source == SightingSource.WATCH}
        entries = PerimeterLogEntry.objects.filter(sighting__in=watched).select_related("post")
        seen_from: dict[Any, str] = {}
        for entry in entries if watched else []:
            said_of: dict[str, object] = {"post": entry.post.name, "notes": entry.notes}
            if entry.direction and entry.distance_m:
                said_of |= {"m": entry.distance_m, "toward": entry.direction_display()}
                text = (
                    _("seen from %(post)s, %(m)s m %(toward)s: %(notes)s")
                    if entry.notes
                    else _("seen from %(post)s, %(m)s m %(toward)s")
                )
            else:
                text = (
                    _("seen from %(post)s: %(notes)s") if entry.notes else _("seen from %(post)s")
                )
            seen_from[entry.sighting_id] = text % said_of
        for row in rows:
            if row.pk in seen_from:
                row.source_notes = seen_from[row.pk]  # type: ignore[attr-defined]


def hostile_group_list(*, actor: Actor | None) -> QuerySet[HostileGroup]:
    permission_require(actor, "intel.view_hostilegroup", doing=_("see hostile groups"))
    return (
        HostileGroup.objects.alive()
        .annotate(sighting_count=Count("sightings", filter=Q(sightings__deleted_at__isnull=True)))
        .order_by("name")
    )


def hostile_group_get(*, actor: Actor | None, group_id: Any) -> HostileGroup:
    pk = id_parse(group_id, "group")
    group = hostile_group_list(actor=actor).filter(pk=pk).first()
    if group is None:
        raise NotFound(_("no hostile group with id %(id)s") % {"id": pk})
    return group


def hostile_group_for_field(value: Any, field: str = "hostile_group") -> HostileGroup | None:
    """The group an input names by id, or a ValidationFailed naming the field."""
    if value in (None, ""):
        return None
    group = HostileGroup.objects.alive().filter(pk=id_parse(value, field)).first()
    if group is None:
        raise ValidationFailed({field: _("no hostile group with id %(id)s") % {"id": value}})
    return group


def sighting_list(
    *,
    actor: Actor | None,
    group: HostileGroup | None = None,
    since: dt.datetime | None = None,
) -> QuerySet[Sighting]:
    """Sightings, newest first."""
    permission_require(actor, "intel.view_sighting", doing=_("see sightings"))
    rows = Sighting.objects.alive().select_related("hostile_group", "reported_by")
    if group is not None:
        rows = rows.filter(hostile_group=group)
    if since is not None:
        rows = rows.filter(seen_at__gte=since)
    return rows.order_by("-seen_at", "-version")


def watch_post_list(*, actor: Actor | None) -> QuerySet[WatchPost]:
    permission_require(actor, "intel.view_watchpost", doing=_("see the watch posts"))
    return WatchPost.objects.alive().order_by("name")


def watch_post_for_field(value: Any, field: str = "post") -> WatchPost:
    post = WatchPost.objects.alive().filter(pk=id_parse(value, field)).first()
    if post is None:
        raise ValidationFailed({field: _("no watch post with id %(id)s") % {"id": value}})
    return post


def perimeter_log_list(
    *, actor: Actor | None, post: WatchPost | None = None
) -> QuerySet[PerimeterLogEntry]:
    permission_require(actor, "intel.view_perimeterlogentry", doing=_("read the perimeter log"))
    rows = PerimeterLogEntry.objects.alive().select_related("post", "recorded_by", "hostile_group")
    if post is not None:
        rows = rows.filter(post=post)
    return rows.order_by("-observed_at", "-version")


def sighting_risk_point(row: Sighting) -> risk.Sighting:
    """A sighting as routing's risk reads it: where, when, how many, how sure."""
    return risk.Sighting(
        lat=row.latitude,
        lon=row.longitude,
        at=row.seen_at,
        count=row.count,
        confidence=row.confidence,
    )


class SightingRiskSources:
    """Every sighting alive, as the sources of routing's risk grid (registered in
    IntelConfig.ready): a read of the system's, every role's sightings count."""

    def count(self) -> int:
        return Sighting.objects.alive().count()

    def every(self) -> Iterator[risk.Sighting]:
        rows = Sighting.objects.alive().order_by("seen_at", "id")
        for row in rows.iterator():
            yield sighting_risk_point(row)
