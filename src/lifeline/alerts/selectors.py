"""Reads of alerts, filtered to the ones the actor's role may see: an alert is shown to a role
that holds its kind's permission (kinds.py) and its own."""

from __future__ import annotations

from django.db.models import QuerySet

from lifeline.alerts.kinds import ALERT_KINDS
from lifeline.alerts.models import Alert
from lifeline.core.services import Actor


def alert_list(
    *, actor: Actor | None, open_only: bool = True, kind: str | None = None
) -> QuerySet[Alert]:
    """The alerts the actor may see, newest first; only the open ones unless `open_only` is
    off."""
    if actor is None or not actor.is_authenticated:
        return Alert.objects.none()
    qs = Alert.objects.alive()
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    hidden_kinds = [
        k.kind for k in ALERT_KINDS.values() if k.permission and not actor.has_perm(k.permission)
    ]
    if hidden_kinds:
        qs = qs.exclude(kind__in=hidden_kinds)
    permissions = [p for p in qs.values_list("permission", flat=True).distinct() if p]
    hidden = [p for p in permissions if not actor.has_perm(p)]
    if hidden:
        qs = qs.exclude(permission__in=hidden)
    return qs.order_by("-raised_at")


def alert_open_count(*, actor: Actor | None, unacknowledged_only: bool = False) -> int:
    """How many open alerts the actor may see (for a badge); with `unacknowledged_only`, only
    those nobody has acknowledged yet."""
    qs = alert_list(actor=actor)
    if unacknowledged_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    return qs.count()


def alerts_open_by_key_prefix(*, kind: str, key_prefix: str) -> QuerySet[Alert]:
    """The open alerts of one kind whose key starts with `key_prefix`, for the raising app's
    own upkeep (closing what no longer holds): a read of the system's, no role applies."""
    return Alert.objects.alive().filter(
        kind=kind, key__startswith=key_prefix, resolved_at__isnull=True
    )
