"""Alerts: something a person must look at (an overdue team, a stock-out coming, a double
ration collection found after sync, risk rising near the camp), raised by any app, acknowledged
and resolved by people."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from lifeline.core.models import ReplicatedModel


class Severity(models.TextChoices):
    INFO = "info", _("Info")
    WARNING = "warning", _("Warning")
    CRITICAL = "critical", _("Critical")


def alert_text(msgid: str, params: dict[str, object], stored: str) -> str:
    """A message of an alert in the active language: `msgid` (the English message with its
    named placeholders) translated and filled with `params`. Without a msgid (an alert raised
    with a finished text, or raised before alerts were translated) the stored English text is
    looked up as a msgid, so a fixed message still reads in the user's language."""
    if not msgid:
        return gettext(stored) if stored else ""
    try:
        return gettext(msgid) % params if params else gettext(msgid)
    except (KeyError, ValueError, TypeError):
        # A translation that names a placeholder the message lacks: the English text, never
        # a broken page.
        return stored


# The notes sync's rule writes when it closes an alert as the same as another (stored in
# English, as every site writes them; shown in the reader's language by `shown_resolution`).
CLOSED_AS_RESOLVED = gettext_noop("resolved at %(site)s: %(resolution)s")
CLOSED_AS_SAME = gettext_noop("the same alert as the one raised at %(site)s, kept open")
_CLOSED_NOTES = (
    (re.compile(r"resolved at (?P<site>.+?): (?P<resolution>.*)", re.S), CLOSED_AS_RESOLVED),
    (re.compile(r"the same alert as the one raised at (?P<site>.+), kept open"), CLOSED_AS_SAME),
)


class Alert(ReplicatedModel):
    # What raised it, e.g. "mission.overdue", "supplies.double_collection" (see kinds.py);
    # with `key`, it makes raising idempotent: one open alert per (kind, key). The database
    # holds it per origin site (alert_one_open_per_kind_and_key_per_site), so that another
    # site's open alert of the same kind and key can always be applied; the apply hook
    # (services.alerts_converge) then closes all but one, the same one on every site.
    kind = models.CharField(max_length=60, db_index=True)
    key = models.CharField(max_length=200)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.WARNING)
    # The title and detail in English, filled in (what the audit and older sites read) ...
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    # ... and, for alerts raised with a translatable message, that message untranslated and
    # the values of its named placeholders: each reader sees them in their own language
    # (`shown_title`, `shown_detail`). Empty for alerts raised with a finished text.
    title_msgid = models.CharField(max_length=200, blank=True)
    detail_msgid = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    # The row the alert is about, as "app.model" and id (rows of any app, across sites).
    subject_type = models.CharField(max_length=100, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    # Who may see it, beyond its kind's permission: an alert about a child's case is for
    # protection officers only.
    permission = models.CharField(max_length=100, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    # Someone has seen it and is on it; it stays open until resolved.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    resolution = models.CharField(max_length=300, blank=True)
    # Closed by sync's rule as the same alert as this one (raised at another site too).
    same_as = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            # Raising inserts and lets this refuse a second open alert (see alert_raise): no
            # select-then-insert race between two writers of this site. A tombstoned alert
            # does not count. Per origin site: another site's row never collides on apply.
            models.UniqueConstraint(
                fields=["kind", "key", "origin_site"],
                condition=Q(resolved_at__isnull=True, deleted_at__isnull=True),
                name="alert_one_open_per_kind_and_key_per_site",
            )
        ]
        permissions = [
            ("acknowledge_alert", "Can acknowledge alerts"),
            ("resolve_alert", "Can resolve alerts"),
        ]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"[{self.severity}] {self.title}"

    @property
    def shown_title(self) -> str:
        """The title in the active language (the user's, the CLI's, the API request's)."""
        return alert_text(self.title_msgid, self.params, self.title)

    @property
    def shown_detail(self) -> str:
        return alert_text(self.detail_msgid, self.params, self.detail)

    @property
    def shown_resolution(self) -> str:
        """How it was resolved: a person's words as written; Lifeline's own notes (an alert
        closed by sync's rule, or by its cause going away) in the reader's language."""
        if self.resolved_by_id is not None or not self.resolution:
            return self.resolution
        if self.same_as is not None:
            for pattern, msgid in _CLOSED_NOTES:
                found = pattern.fullmatch(self.resolution)
                if found:
                    return gettext(msgid) % found.groupdict()
        return gettext(self.resolution)

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
