"""Reads of routing: stored graphs and threat zones."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lifeline.core.errors import NotFound
from lifeline.core.services import Actor, permission_require
from lifeline.routing.models import StoredGraph, ThreatZone


def graph_get(*, name: str | None = None) -> StoredGraph:
    """The stored graph `name`, or the one imported last."""
    rows = StoredGraph.objects.all()
    stored = rows.filter(name=name).first() if name else rows.order_by("-imported_at").first()
    if stored is None:
        if name:
            raise NotFound(_("no road graph named %(name)s") % {"name": repr(name)})
        raise NotFound(
            _(
                "no road graph yet: import one (lifeline route import-osm FILE) "
                "or generate the demo town (lifeline route demo-town)"
            )
        )
    return stored


def zones_active(*, now: dt.datetime) -> list[ThreatZone]:
    return list(
        ThreatZone.objects.alive().filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    )


def zone_list(*, actor: Actor, now: dt.datetime, active_only: bool = True) -> QuerySet[ThreatZone]:
    permission_require(actor, "routing.view_threatzone", doing=_("see threat zones"))
    rows = ThreatZone.objects.alive()
    if active_only:
        rows = rows.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    return rows.order_by("-created_at")
