"""Reads of field reports, and the reports on a mission's timeline."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.services import Actor, permission_require
from lifeline.intel.models import FieldReport
from lifeline.missions.models import Mission
from lifeline.missions.selectors import TimelineEntry

# ---- field reports (issue 6) ---------------------------------------------------------------


def report_list(
    *, actor: Actor | None, mission: Mission | None = None, kind: str | None = None
) -> QuerySet[FieldReport]:
    """Field reports, newest first. They say where people were found: a role that may not
    see reports is refused."""
    permission_require(actor, "intel.view_fieldreport", doing=_("see field reports"))
    qs = FieldReport.objects.alive().select_related("mission", "member", "reporter")
    if mission is not None:
        qs = qs.filter(mission=mission)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-occurred_at", "-version")


def report_get(*, actor: Actor | None, report_id: Any) -> FieldReport:
    permission_require(actor, "intel.view_fieldreport", doing=_("see field reports"))
    try:
        pk = report_id if isinstance(report_id, uuid.UUID) else uuid.UUID(str(report_id))
    except ValueError as exc:
        raise ValidationFailed(
            {"report": _("%(id)s is not a valid id") % {"id": repr(report_id)}}
        ) from exc
    report = (
        FieldReport.objects.alive()
        .select_related("mission", "member", "reporter", "evacuation_mission")
        .prefetch_related("persons")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise NotFound(_("no field report with id %(id)s") % {"id": pk})
    return report


def report_timeline(actor: Actor | None, mission: Mission) -> list[TimelineEntry]:
    """A mission's field reports as entries of its timeline (missions.selectors calls it
    through the source intel registers): none for a role that may not see reports."""
    if actor is None or not actor.has_perm("intel.view_fieldreport"):
        return []
    return [
        TimelineEntry(
            r.occurred_at,
            "report",
            f"{r.get_kind_display()}" + (f": {r.text}" if r.text else ""),
            str(r.member) if r.member else (r.reporter.get_username() if r.reporter else ""),
            r.latitude,
            r.longitude,
            title=r.get_kind_display(),
        )
        for r in report_list(actor=actor, mission=mission)
    ]
