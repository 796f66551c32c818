"""Reads of alerts, filtered to the ones the actor's role may see: an alert is shown to a role
that holds its kind's permission (kinds.py) and its own."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from lifeline.alerts.kinds import ALERT_KINDS
from lifeline.alerts.models import Alert, Severity
from lifeline.core.errors import NotFound
from lifeline.core.ids import id_parse
from lifeline.core.services import Actor


def _kinds_visible(actor: Actor, qs: QuerySet[Alert]) -> QuerySet[Alert]:
    """`qs` without the kinds whose permission the actor lacks (kinds.py)."""
    hidden_kinds = [
        k.kind for k in ALERT_KINDS.values() if k.permission and not actor.has_perm(k.permission)
    ]
    return qs.exclude(kind__in=hidden_kinds) if hidden_kinds else qs


def alert_list(
    *, actor: Actor | None, open_only: bool = True, kind: str | None = None
) -> QuerySet[Alert]:
    """The alerts the actor may see, newest first; only the open ones unless `open_only` is
    off."""
    if actor is None or not actor.is_authenticated:
        return Alert.objects.none()
    qs: QuerySet[Alert] = Alert.objects.alive()
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    qs = _kinds_visible(actor, qs)
    permissions = [p for p in qs.values_list("permission", flat=True).distinct() if p]
    hidden = [p for p in permissions if not actor.has_perm(p)]
    if hidden:
        qs = qs.exclude(permission__in=hidden)
    return qs.order_by("-raised_at")


# The inbox's order: what is most urgent first, then what nobody has taken on, then newest.
_SEVERITY_RANK = Case(
    When(severity=Severity.CRITICAL, then=Value(0)),
    When(severity=Severity.WARNING, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
_UNACKNOWLEDGED_FIRST = Case(
    When(acknowledged_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
)

INBOX_STATES = ("open", "resolved", "all")


def alert_inbox(
    *, actor: Actor | None, state: str = "open", kind: str | None = None
) -> QuerySet[Alert]:
    """The alert inbox: the alerts the actor may see in `state` (open, resolved or all),
    critical first, then those nobody has acknowledged, then the newest; resolved ones after
    the open ones."""
    if state not in INBOX_STATES:
        raise ValueError(f"state must be one of {', '.join(INBOX_STATES)}")
    qs = alert_list(actor=actor, open_only=state == "open", kind=kind)
    if state == "resolved":
        qs = qs.filter(resolved_at__isnull=False)
    return qs.select_related("acknowledged_by", "resolved_by").order_by(
        Case(When(resolved_at__isnull=True, then=Value(0)), default=Value(1)),
        _SEVERITY_RANK,
        _UNACKNOWLEDGED_FIRST,
        "-raised_at",
    )


def alert_get(*, actor: Actor | None, alert_id: Any) -> Alert:
    """One alert the actor may see; NotFound for one that is not there or not theirs to see,
    so that an alert's existence does not leak to a role it does not concern."""
    pk = id_parse(alert_id, "alert")
    alert = alert_list(actor=actor, open_only=False).filter(pk=pk).first()
    if alert is None:
        raise NotFound(_("no such alert: %(pk)s") % {"pk": pk})
    return alert


def alert_open_count(*, actor: Actor | None, unacknowledged_only: bool = False) -> int:
    """How many open alerts the actor may see (for the header's badge, so in one query); with
    `unacknowledged_only`, only those nobody has acknowledged yet."""
    if actor is None or not actor.is_authenticated:
        return 0
    qs: QuerySet[Alert] = Alert.objects.alive().filter(resolved_at__isnull=True)
    if unacknowledged_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    qs = _kinds_visible(actor, qs)
    by_permission = qs.values_list("permission").annotate(n=Count("id")).order_by()
    return sum(n for permission, n in by_permission if not permission or actor.has_perm(permission))


def alerts_open_by_key_prefix(*, kind: str, key_prefix: str) -> QuerySet[Alert]:
    """The open alerts of one kind whose key starts with `key_prefix`, for the raising app's
    own upkeep (closing what no longer holds): a read of the system's, no role applies."""
    return Alert.objects.alive().filter(
        kind=kind, key__startswith=key_prefix, resolved_at__isnull=True
    )
