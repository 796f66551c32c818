"""Alerts: something a person must look at (an overdue team, a stock-out coming, a double
ration collection found after sync, risk rising near the camp). Field reports, hostile groups
and threat zones join this app in their own issues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lifeline.core.models import ReplicatedModel


class Severity(models.TextChoices):
    INFO = "info", "Info"
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"


class Alert(ReplicatedModel):
    # What raised it, e.g. "mission.overdue", "supplies.double_collection"; with `key`, it
    # makes raising idempotent: one open alert per (kind, key).
    kind = models.CharField(max_length=60, db_index=True)
    key = models.CharField(max_length=200)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.WARNING)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    # The row the alert is about, as "app.model" and id (rows of any app, across sites).
    subject_type = models.CharField(max_length=100, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    # Who may see it: an alert about a child's case is for protection officers only.
    permission = models.CharField(max_length=100, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["kind", "key", "resolved_at"])]
        permissions = [("resolve_alert", "Can resolve alerts")]

    def __str__(self) -> str:
        return f"[{self.severity}] {self.title}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


# ---- field reports (issue 6) ---------------------------------------------------------------
# A report from a team in the field, linked to its mission and reporter. Its side effects
# (unidentified persons registered, a condition recorded, an evacuation planned) are written by
# intel.services in the same transaction; ReportPerson links the persons it touched.


class ReportKind(models.TextChoices):
    SITREP = "sitrep", "Situation report"
    SIGHTING = "sighting", "Sighting or contact"
    SURVIVORS = "survivors", "Survivors found"
    CASUALTY = "casualty", "Casualty"
    CACHE = "cache", "Cache found"


class ReportSource(models.TextChoices):
    WEB = "web", "Web or API"
    RADIO = "radio", "Radio packet"
    COT = "cot", "Cursor-on-Target"


class FieldReport(ReplicatedModel):
    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.PROTECT, related_name="reports"
    )
    member = models.ForeignKey(
        "missions.MissionMember",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=ReportKind.choices, db_index=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # The situation report's text, or the remarks of the other kinds.
    text = models.TextField(blank=True)
    # The facts of the kind, as validated by intel.schemas (count, armed, groups, items...).
    details = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=6, choices=ReportSource.choices, default="web")
    # The sender's packet number, so a packet heard twice is recorded once.
    seq = models.PositiveIntegerField(null=True, blank=True)
    # The evacuation mission a survivors-found report asked for.
    evacuation_mission = models.ForeignKey(
        "missions.Mission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["mission", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.mission_id})"


class ReportPerson(ReplicatedModel):
    """A person a report registered (survivors found) or recorded a condition of (casualty)."""

    report = models.ForeignKey(FieldReport, on_delete=models.PROTECT, related_name="persons")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    effect = models.CharField(max_length=20)  # "registered" or "casualty"

    def __str__(self) -> str:
        return f"{self.effect}: {self.person_id}"
