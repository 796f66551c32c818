"""Reads of alerts, filtered to the ones the actor's role may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lifeline.core.services import Actor
from lifeline.intel.models import Alert


def alert_list(
    *, actor: Actor | None, open_only: bool = True, kind: str | None = None
) -> QuerySet[Alert]:
    if actor is None or not actor.is_authenticated:
        return Alert.objects.none()
    qs = Alert.objects.alive()
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    allowed = [p for p in qs.values_list("permission", flat=True).distinct() if p]
    hidden = [p for p in allowed if not actor.has_perm(p)]
    if hidden:
        qs = qs.exclude(Q(permission__in=hidden))
    return qs.order_by("-raised_at")
