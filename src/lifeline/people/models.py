"""Persons, households and their append-only histories of status events and conditions.

A person's current status and location are derived from the status events; the columns on
`Person` that hold them are a cache (`derived_fields`), rebuilt by `people.services` and never
shipped by sync.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.models import ReplicatedModel, Site


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Status(models.TextChoices):
    PRESENT = "present", _("Present")
    MISSING = "missing", _("Missing")
    IN_CARE = "in_care", _("In care")
    EVACUATED = "evacuated", _("Evacuated")
    TRANSFERRED = "transferred", _("Transferred")
    DECEASED = "deceased", _("Deceased")


class Condition(models.TextChoices):
    MALNOURISHED = "malnourished", _("Malnourished")
    DEHYDRATED = "dehydrated", _("Dehydrated")
    WOUNDED = "wounded", _("Wounded")
    ILL = "ill", _("Ill")
    PREGNANT = "pregnant", _("Pregnant")
    DISABLED = "disabled", _("Disabled")
    CHRONIC_ILLNESS = "chronic_illness", _("Chronic illness")
    TRAUMATISED = "traumatised", _("Psychological trauma")
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied child")
    SEPARATED_CHILD = "separated_child", _("Separated child")
    ELDERLY_ALONE = "elderly_alone", _("Elderly person alone")


PROTECTION_CONDITIONS = frozenset(
    {Condition.UNACCOMPANIED_CHILD, Condition.SEPARATED_CHILD, Condition.ELDERLY_ALONE}
)
MEDICAL_CONDITIONS = frozenset(set(Condition) - PROTECTION_CONDITIONS)


class Household(ReplicatedModel):
    head = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Unique per origin site in the database (another site's household with the same card is
    # always applied); the services refuse a card known anywhere, and the apply hook raises
    # an alert for two households holding one card (people.arrivals).
    # NULL, not "", for no card: many households without one must not collide.
    ration_card = models.CharField(max_length=40, null=True, blank=True)  # noqa: DJ001
    shelter = models.CharField(max_length=80, blank=True)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT)
    area = models.CharField(max_length=80, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["ration_card"]
        constraints = [
            models.UniqueConstraint(
                fields=["ration_card", "origin_site"], name="household_card_unique_per_site"
            )
        ]

    def __str__(self) -> str:
        return self.ration_card or f"household {self.pk}"


class Person(ReplicatedModel):
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    other_names = models.JSONField(default=list, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    # True when date_of_birth was computed from an estimated age (mid-year of that age).
    birth_date_estimated = models.BooleanField(default=False)
    languages = models.JSONField(default=list, blank=True)
    callsign = models.CharField(max_length=40, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    photo = models.ImageField(upload_to="photos/", blank=True)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    notes = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_records"
    )

    # Cache of the latest status event (principle 1: derived, never authoritative).
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PRESENT, db_index=True
    )
    current_site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_area = models.CharField(max_length=80, blank=True)
    current_latitude = models.FloatField(null=True, blank=True)
    current_longitude = models.FloatField(null=True, blank=True)
    status_since = models.DateTimeField(null=True, blank=True)
    # Folded names for plain search; derived from the name fields.
    search_text = models.CharField(max_length=500, blank=True, db_index=True)

    derived_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "status",
            "current_site",
            "current_area",
            "current_latitude",
            "current_longitude",
            "status_since",
            "search_text",
        }
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            models.Index(fields=["current_site", "status"]),
        ]
        permissions = [
            ("merge_person", "Can merge two records of the same person"),
            ("record_status", "Can record a status event"),
            ("record_condition", "Can record a condition observation"),
            ("view_location", "Can see where a person is (area and coordinates)"),
            ("view_medical", "Can see medical conditions"),
            ("view_protection", "Can see protection conditions of children and the vulnerable"),
        ]

    def __str__(self) -> str:
        return self.full_name or f"person {self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)


class StatusEvent(ReplicatedModel):
    """Append-only: where a person was and in what status, as observed at a moment."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="status_events")
    status = models.CharField(max_length=12, choices=Status.choices)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT)
    area = models.CharField(max_length=80, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["occurred_at", "version"]
        indexes = [models.Index(fields=["person", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.status} at {self.occurred_at:%Y-%m-%d %H:%M}"


class ConditionObservation(ReplicatedModel):
    """Append-only: a condition seen present (or seen resolved) by someone at a moment."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="conditions")
    condition = models.CharField(max_length=24, choices=Condition.choices)
    present = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)
    observed_at = models.DateTimeField(default=timezone.now)
    observed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["observed_at", "version"]
        indexes = [models.Index(fields=["condition", "person"])]

    def __str__(self) -> str:
        seen = "present" if self.present else "resolved"
        return f"{self.person_id} {self.condition} {seen}"


class PersonMerge(ReplicatedModel):
    """Two records found to be one person. Undoing restores the duplicate as it was."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_lost")
    reason = models.CharField(max_length=300, blank=True)
    # Fields of the survivor that were blank and filled from the duplicate: {field: old value}.
    filled_fields = models.JSONField(default=dict, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.duplicate_id} merged into {self.survivor_id}"


# ---- family tracing and children's protection (issue 3) ---------------------------------------


class TracingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Match proposed")
    CLOSED = "closed", _("Closed")


class TracingCloseReason(models.TextChoices):
    MATCHED = "matched", _("Found: a proposed match was confirmed")
    FOUND_ELSEWHERE = "found_elsewhere", _("Found by other means")
    WITHDRAWN = "withdrawn", _("Withdrawn by the seeker")


class TracingRequest(ReplicatedModel):
    """Someone looking for a relative: who looks, for whom, last seen where and when."""

    seeker = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="tracing_requests"
    )
    seeker_name = models.CharField(max_length=200, blank=True)  # when not registered
    seeker_contact = models.CharField(max_length=200, blank=True)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    other_names = models.JSONField(default=list, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    age_years = models.PositiveSmallIntegerField(null=True, blank=True)
    relation = models.CharField(max_length=40, blank=True)  # of the sought person to the seeker
    last_seen_place = models.CharField(max_length=200, blank=True)
    last_seen_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=TracingStatus.choices, default=TracingStatus.OPEN, db_index=True
    )
    found_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=16, choices=TracingCloseReason.choices, blank=True)
    closed_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("trace_family", "Can file tracing requests and follow them"),
            ("confirm_tracing", "Can confirm or reject a proposed tracing match"),
        ]

    def __str__(self) -> str:
        return f"tracing {self.sought_name or self.pk}"

    @property
    def sought_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)


class TracingMatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class TracingMatch(ReplicatedModel):
    """A registered person who may be the one sought; a protection officer decides.

    Its id is derived from the request and the person (protection.tracing_match_id_of): two
    sites proposing the same match write one row, which their sync merges field by field."""

    request = models.ForeignKey(TracingRequest, on_delete=models.PROTECT, related_name="matches")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=TracingMatchStatus.choices, default=TracingMatchStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "person"], name="tracing_match_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} for {self.request_id} ({self.status})"


class CaseKind(models.TextChoices):
    UNACCOMPANIED = "unaccompanied", _("Unaccompanied child")
    SEPARATED = "separated", _("Separated child")


class CareArrangement(models.TextChoices):
    NONE = "none", _("None yet")
    INTERIM = "interim_care", _("Interim care")
    KINSHIP = "kinship", _("Kinship care")
    FOSTER = "foster", _("Foster family")
    RESIDENTIAL = "residential", _("Residential care")
    INDEPENDENT = "independent", _("Supervised independent living")
    REUNIFIED = "reunified", _("Reunified with family")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    REUNIFIED = "reunified", _("Reunified with family")
    TRANSFERRED = "transferred", _("Transferred to another agency or site")
    AGED_OUT = "aged_out", _("Aged out (turned 18)")


class ProtectionCase(ReplicatedModel):
    """A child under 18 with no adult of their household present, followed by a caseworker."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="protection_cases")
    kind = models.CharField(max_length=14, choices=CaseKind.choices)
    care_arrangement = models.CharField(
        max_length=14, choices=CareArrangement.choices, default=CareArrangement.NONE
    )
    carer = models.CharField(max_length=200, blank=True)
    risk_level = models.CharField(max_length=6, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=6, choices=CaseStatus.choices, default=CaseStatus.OPEN, db_index=True
    )
    last_follow_up = models.DateField(null=True, blank=True)
    next_follow_up = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=CaseOutcome.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Per origin site: two sites that each opened a case for one child while apart
            # keep both when they meet, and the apply hook raises an alert to review them.
            models.UniqueConstraint(
                fields=["child", "origin_site"],
                condition=models.Q(status="open", deleted_at__isnull=True),
                name="protection_case_one_open_per_child_per_site",
            )
        ]
        permissions = [("manage_protection", "Can open, update and close protection cases")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} case of {self.child_id}"


# ---- the duplicates queue (issue 20) ------------------------------------------------------------


class DuplicateOutcome(models.TextChoices):
    MERGED = "merged", _("Merged")
    DISTINCT = "distinct", _("Not the same person")


class DuplicateDecision(ReplicatedModel):
    """A pair the finder proposed, decided once by a registrar: merged, or not the same person
    (never proposed again). Replicated: a decision travels with sync. `first` is the record
    with the lower id, so that a pair is one row whichever way it was shown."""

    first = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=DuplicateOutcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    likelihood = models.FloatField(null=True, blank=True)  # as the finder proposed it
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["first", "second"])]

    def __str__(self) -> str:
        return f"{self.first_id} / {self.second_id}: {self.outcome}"
