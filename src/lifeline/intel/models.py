"""Field reports, hostile groups, sightings, watch posts and the perimeter log."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.models import ReplicatedModel

# ---- field reports (issue 6) ---------------------------------------------------------------
# A report from a team in the field, linked to its mission and reporter. Its side effects
# (unidentified persons registered, a condition recorded, an evacuation planned) are written by
# intel.services in the same transaction; ReportPerson links the persons it touched.


class ReportKind(models.TextChoices):
    SITREP = "sitrep", _("Situation report")
    SIGHTING = "sighting", _("Sighting or contact")
    SURVIVORS = "survivors", _("Survivors found")
    CASUALTY = "casualty", _("Casualty")
    CACHE = "cache", _("Cache found")


class ReportSource(models.TextChoices):
    WEB = "web", _("Web or API")
    RADIO = "radio", _("Radio packet")
    COT = "cot", _("Cursor-on-Target")


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


# ---- hostile groups, sightings and the perimeter log (issue 7) -----------------------------
# A sighting is an append-only row: where, when, how many, how sure, which group if known, and
# where it came from (a field report, the camp's watch, the radio). Each new sighting updates
# the risk grid of routing in the same transaction. A group's "last seen" is derived from its
# sightings (a local cache, never shipped). Hostile sightings are operational: every role sees
# them, as every role sees the threat zones; who reported one stays with the field reports.


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    QUIET = "quiet", _("Quiet (not seen lately)")
    DISBANDED = "disbanded", _("Disbanded")


class HostileGroup(ReplicatedModel):
    name = models.CharField(max_length=120)
    leader = models.CharField(max_length=120, blank=True)
    size_estimate = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=GroupStatus.choices, default="active")
    # The latest sighting's time and place (a cache of the sightings).
    last_seen_at = models.DateTimeField(null=True, blank=True)
    last_seen_latitude = models.FloatField(null=True, blank=True)
    last_seen_longitude = models.FloatField(null=True, blank=True)

    derived_fields: ClassVar[frozenset[str]] = frozenset(
        {"last_seen_at", "last_seen_latitude", "last_seen_longitude"}
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SightingSource(models.TextChoices):
    REPORT = "report", _("Field report")
    WATCH = "watch", _("Perimeter watch post")
    RADIO = "radio", _("Radio")


class Sighting(ReplicatedModel):
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    count = models.PositiveIntegerField()
    # 0..1: how sure the observer is (low 0.3, medium 0.6, high 0.9).
    confidence = models.FloatField()
    hostile_group = models.ForeignKey(
        HostileGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="sightings"
    )
    # The group's name as the observer gave it, matched to a known group or not.
    group_name = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=6, choices=SightingSource.choices)
    notes = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    field_report = models.ForeignKey(
        FieldReport, null=True, blank=True, on_delete=models.PROTECT, related_name="sightings"
    )

    class Meta:
        ordering = ["-seen_at"]
        permissions = [
            ("watch_threats", "Can see alerts of risk rising near the camp or on a route"),
        ]

    def __str__(self) -> str:
        return f"{self.count} seen at {self.seen_at:%Y-%m-%d %H:%M}"


class WatchPost(ReplicatedModel):
    """A post of the camp's watch: where the perimeter is looked at from."""

    site = models.ForeignKey("core.Site", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=80)
    latitude = models.FloatField()
    longitude = models.FloatField()
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WatchSeen(models.TextChoices):
    NOTHING = "nothing", _("All quiet")
    FRIENDLY = "friendly", _("Our own people")
    CIVILIANS = "civilians", _("Civilians")
    UNKNOWN = "unknown", _("Unknown people")
    HOSTILE = "hostile", _("Hostile")


# Where something was, seen from a watch post: the code kept in the rows, the word shown.
COMPASS_WORDS = {
    "n": _("north"),
    "ne": _("north-east"),
    "e": _("east"),
    "se": _("south-east"),
    "s": _("south"),
    "sw": _("south-west"),
    "w": _("west"),
    "nw": _("north-west"),
}


class PerimeterLogEntry(ReplicatedModel):
    """Append-only: what a watch post saw, when; a hostile entry made `sighting`."""

    post = models.ForeignKey(WatchPost, on_delete=models.PROTECT, related_name="entries")
    observed_at = models.DateTimeField(default=timezone.now)
    seen = models.CharField(max_length=10, choices=WatchSeen.choices)
    count = models.PositiveIntegerField(default=0)
    # Where they were, seen from the post (n, ne, ... nw), and how far, if judged.
    direction = models.CharField(max_length=2, blank=True)
    distance_m = models.PositiveIntegerField(null=True, blank=True)
    hostile_group = models.ForeignKey(
        HostileGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confidence = models.FloatField(default=0.6)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sighting = models.ForeignKey(
        Sighting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-observed_at"]
        verbose_name_plural = _("perimeter log entries")

    def __str__(self) -> str:
        return f"{self.post_id} {self.seen} at {self.observed_at:%H:%M}"

    def direction_display(self) -> str:
        """The direction as a word of the reader's language ("north-east"), or ""."""
        word = COMPASS_WORDS.get(self.direction)
        return str(word) if word is not None else self.direction.upper()


class RiskWatch(models.Model):
    """The risk band last seen at a watched place (the camp, a mission's route): an alert is
    raised when the band climbs above it (intel.threats.watch). Local state, like routing's
    risk grid it reads; moved from routing with its rows (intel.0006)."""

    target = models.CharField(max_length=80, unique=True)  # "camp:<site>", "mission:<id>"
    band = models.PositiveSmallIntegerField(default=0)
    cell = models.BigIntegerField(null=True, blank=True)
    level = models.FloatField(default=0.0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.target}: band {self.band}"
