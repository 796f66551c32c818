"""Raising, acknowledging and resolving alerts. Any app raises through `alert_raise`, which is
idempotent: one open alert per (kind, key), and a second raise returns it. The database holds
that per origin site; `alerts_converge`, the apply hook, holds it across sites."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Set

from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from lifeline.alerts.kinds import ALERT_KINDS, alert_kind_of
from lifeline.alerts.models import CLOSED_AS_RESOLVED, CLOSED_AS_SAME, Alert, Severity
from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.services import Actor, actor_user, audit_record, permission_require


@transaction.atomic
def alert_raise(
    *,
    kind: str,
    key: str,
    title: str | Promise,
    severity: str = Severity.WARNING,
    detail: str | Promise = "",
    params: Mapping[str, object] | None = None,
    subject: models.Model | None = None,
    permission: str = "",
) -> Alert:
    """Open an alert, or return the open one with the same kind and key (raised once).

    So that each reader sees it in their own language, give the title (and detail) as a
    message marked for translation with named placeholders, and their values in `params`:
    `title=gettext_lazy("Team %(team)s is overdue"), params={"team": team.name}` (or
    `gettext_noop`). A finished text with no params is kept as it is and shown translated
    only when it is itself a message of the catalogues."""
    alert_kind_of(kind)  # a kind nobody declared is a mistake in the raising code
    if severity not in Severity.values:
        raise ValidationFailed(
            {"severity": _("must be one of %(choices)s") % {"choices": ", ".join(Severity.values)}}
        )
    title_msgid, title_text, values = _alert_message(title, params)
    detail_msgid, detail_text, _values = _alert_message(detail, params)
    # One raised at another site (arrived by sync) counts too; the constraint, which holds
    # per origin site, closes the race between this site's own writers below.
    found = _alert_open(kind, key)
    if found is not None:
        return found
    alert = Alert(
        kind=kind,
        key=key,
        severity=severity,
        title=title_text[:200],
        detail=detail_text,
        title_msgid=title_msgid[:200],
        detail_msgid=detail_msgid,
        params=values,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        permission=permission,
    )
    try:
        # The insert in a savepoint: when the constraint refuses it (an open alert of this
        # kind and key exists, or another writer just committed one), only the savepoint
        # rolls back and the caller's transaction goes on with the alert that is there.
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        found = _alert_open(kind, key)
        if found is None:
            raise  # refused for another reason
        return found
    audit_record(actor=None, action="alert.raise", obj=alert, summary=alert.title)
    return alert


def _alert_message(
    message: str | Promise, params: Mapping[str, object] | None
) -> tuple[str, str, dict[str, object]]:
    """(msgid, the English text, params as JSON values) of a message given to alert_raise."""
    values = {name: _json_value(value) for name, value in (params or {}).items()}
    with translation.override(None):  # a lazy message gives its msgid, untranslated
        msgid = str(message)
    if not isinstance(message, Promise) and not values:
        return "", msgid, values  # a finished text
    try:
        return msgid, msgid % values if values else msgid, values
    except (KeyError, ValueError, TypeError) as exc:
        raise ValueError(f"alert message {msgid!r} does not fit its params {values!r}") from exc


def _json_value(value: object) -> object:
    """A placeholder's value as JSON keeps it: numbers and text as they are, the rest
    (ids, decimals, dates, names of rows) as their text."""
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def _alert_open(kind: str, key: str) -> Alert | None:
    """The open alert of this kind and key, from any site (the one kept: the lowest id)."""
    rows = Alert.objects.alive().filter(kind=kind, key=key, resolved_at__isnull=True)
    return rows.order_by("id").first()


def _alert_locked(actor: Actor | None, alert: Alert, *, doing: str) -> Alert:
    """The alert, locked, once the actor may see it: its kind's and its own permission."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    kind = ALERT_KINDS.get(alert.kind)  # a kind this version no longer raises still closes
    for needed in (kind.permission if kind is not None else "", alert.permission):
        if needed:
            permission_require(actor, needed, doing=doing)
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: Actor | None, alert: Alert) -> Alert:
    """Someone has seen the alert and is on it: who and when. It stays open."""
    permission_require(actor, "alerts.acknowledge_alert", doing=_("acknowledge alerts"))
    alert = _alert_locked(actor, alert, doing=_("acknowledge this alert"))
    if alert.resolved_at is not None:
        raise Conflict(_("this alert is already resolved"))
    if alert.acknowledged_at is not None:
        raise Conflict(
            _("this alert is already acknowledged by %(user)s") % {"user": alert.acknowledged_by}
        )
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor_user(actor)
    alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(actor=actor, action="alert.acknowledge", obj=alert, summary=alert.title)
    return alert


@transaction.atomic
def alert_resolve(*, actor: Actor | None, alert: Alert, resolution: str) -> Alert:
    """Close the alert with a note of how it was resolved; resolving one nobody acknowledged
    acknowledges it too."""
    permission_require(actor, "alerts.resolve_alert", doing=_("resolve alerts"))
    alert = _alert_locked(actor, alert, doing=_("resolve this alert"))
    if not resolution.strip():
        raise ValidationFailed({"resolution": _("say how it was resolved")})
    if alert.resolved_at is not None:
        raise Conflict(_("this alert is already resolved"))
    now = timezone.now()
    changed = ["resolved_at", "resolved_by", "resolution"]
    alert.resolved_at = now
    alert.resolved_by = actor_user(actor)
    alert.resolution = resolution.strip()[:300]
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = now, alert.resolved_by
        changed += ["acknowledged_at", "acknowledged_by"]
    alert.save(update_fields=changed)
    audit_record(actor=actor, action="alert.resolve", obj=alert, summary=alert.title)
    return alert


@transaction.atomic
def alert_resolve_by_system(*, alert: Alert, resolution: str) -> Alert:
    """Close an alert whose cause went away by itself (the risk it warned of decayed): no
    person resolved it, so `resolved_by` stays empty, and nobody is said to have seen it.
    An alert already resolved is left as it is."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.resolved_at is not None:
        return alert
    alert.resolved_at = timezone.now()
    alert.resolved_by = None
    alert.resolution = resolution.strip()[:300]
    alert.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_record(actor=None, action="alert.resolve", obj=alert, summary=alert.title)
    return alert


def alerts_arrived(ids: Set[uuid.UUID]) -> None:
    """The apply hook of alerts.alert (see `alerts_converge`)."""
    alerts_converge(ids)


@transaction.atomic
def alerts_converge(ids: Set[uuid.UUID]) -> list[Alert]:
    """After alerts arrive from another site: one open alert per (kind, key) again, the same
    one on every site. Returns the alerts closed.

    Two sites' workers that raised the same alert while apart (the same overdue team) each
    hold an open row; the database lets both in (its constraint holds per origin site). The
    rule, deterministic so that every site closes the same rows whatever order they arrive in:

    1. An alert resolved at one site (by a person, or by its cause going away) closes the
       open ones of its kind and key raised before that resolution (they warned of what a
       person has since resolved), with its note.
    2. Of those still open, the lowest id stays open (UUIDv7: the earliest raised); the others
       are closed as the same alert, and an acknowledgement they carry moves to the one kept.
    """
    keys = sorted(set(Alert.objects.filter(pk__in=ids).values_list("kind", "key")))
    closed: list[Alert] = []
    for kind, key in keys:
        rows = list(
            Alert.objects.alive()
            .select_for_update()
            .filter(kind=kind, key=key)
            .select_related("origin_site")
            .order_by("id")
        )
        # Resolutions by people (or by their cause going away), not closures by this rule.
        resolved = [a for a in rows if a.resolved_at is not None and a.same_as is None]
        still_open: list[Alert] = []
        for alert in (a for a in rows if a.resolved_at is None):
            cover = next(
                (r for r in resolved if r.resolved_at and alert.raised_at <= r.resolved_at), None
            )
            if cover is None:
                still_open.append(alert)
                continue
            note = CLOSED_AS_RESOLVED % {
                "site": cover.origin_site.name,
                "resolution": cover.resolution,
            }
            closed.append(_alert_close_as_same(alert, cover, note))
        if len(still_open) < 2:
            continue
        kept, *others = still_open
        for other in others:
            if kept.acknowledged_at is None and other.acknowledged_at is not None:
                kept.acknowledged_at = other.acknowledged_at
                kept.acknowledged_by_id = other.acknowledged_by_id
                kept.save(update_fields=["acknowledged_at", "acknowledged_by"])
            note = CLOSED_AS_SAME % {"site": kept.origin_site.name}
            closed.append(_alert_close_as_same(other, kept, note))
    return closed


def _alert_close_as_same(alert: Alert, same_as: Alert, resolution: str) -> Alert:
    alert.resolved_at = timezone.now()
    alert.resolved_by = None
    alert.resolution = resolution[:300]
    alert.same_as = same_as.pk
    alert.save(update_fields=["resolved_at", "resolved_by", "resolution", "same_as"])
    audit_record(actor=None, action="alert.resolve", obj=alert, summary=alert.title)
    return alert
