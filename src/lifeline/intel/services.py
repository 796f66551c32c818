"""Raising and resolving alerts. Any app raises through `alert_raise`; it is idempotent."""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone

from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.intel.models import Alert, Severity


@transaction.atomic
def alert_raise(
    *,
    kind: str,
    key: str,
    title: str,
    severity: str = Severity.WARNING,
    detail: str = "",
    subject: models.Model | None = None,
    permission: str = "",
) -> Alert:
    """Open an alert, or return the open one with the same kind and key (raised once)."""
    if severity not in Severity.values:
        raise ValidationFailed({"severity": f"must be one of {', '.join(Severity.values)}"})
    existing = (
        Alert.objects.alive()
        .select_for_update()
        .filter(kind=kind, key=key, resolved_at__isnull=True)
        .first()
    )
    if existing is not None:
        return existing
    alert = Alert(
        kind=kind,
        key=key,
        severity=severity,
        title=title[:200],
        detail=detail,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        permission=permission,
    )
    alert.save()
    audit_record(actor=None, action="alert.raise", obj=alert, summary=alert.title)
    return alert


@transaction.atomic
def alert_resolve(*, actor: Actor | None, alert: Alert, resolution: str) -> Alert:
    permission_require(actor, "intel.resolve_alert", doing="resolve alerts")
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.permission:
        permission_require(actor, alert.permission, doing="resolve this alert")
    if not resolution.strip():
        raise ValidationFailed({"resolution": "say how it was resolved"})
    if alert.resolved_at is not None:
        raise Conflict("this alert is already resolved")
    alert.resolved_at = timezone.now()
    alert.resolved_by = actor if actor is not None and actor.is_authenticated else None
    alert.resolution = resolution.strip()[:300]
    alert.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_record(actor=actor, action="alert.resolve", obj=alert, summary=alert.title)
    return alert
