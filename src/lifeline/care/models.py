"""Patients and their append-only medical histories: triage assessments, vital signs, deaths.

A patient is one stay in care of a person in the registry (admitted at a site, in a granary, a
truck or the clinic). The current triage category and the re-triage due time are derived from
the latest assessment (`derived_fields`, a cache rebuilt by `care.services`).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.care.triage import ALGORITHM_LABELS, AVPU_LABELS, CATEGORY_LABELS
from lifeline.core.models import ReplicatedModel, Site

# The labels are the rule module's English, translated when shown.
CategoryChoices = [(c.value, _(label)) for c, label in CATEGORY_LABELS.items()]
AlgorithmChoices = [(a.value, _(label)) for a, label in ALGORITHM_LABELS.items()]
AvpuChoices = [(a.value, _(label)) for a, label in AVPU_LABELS.items()]


class PatientStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    IN_TREATMENT = "in_treatment", _("In treatment")
    DISCHARGED = "discharged", _("Discharged")
    DEAD = "dead", _("Dead")
    TRANSFERRED = "transferred", _("Transferred")


OPEN_STATUSES = frozenset({PatientStatus.WAITING, PatientStatus.IN_TREATMENT})


class Patient(ReplicatedModel):
    """One stay in care of a person: from admission to discharge, transfer or death."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="stays")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    # Where on the site: the collapsed granary, the back of the truck, the clinic tent.
    place = models.CharField(max_length=80, blank=True)
    arrived_at = models.DateTimeField(default=timezone.now)
    complaint = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=12, choices=PatientStatus.choices, default=PatientStatus.WAITING
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_note = models.CharField(max_length=300, blank=True)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Cache of the latest triage assessment.
    category = models.CharField(max_length=10, choices=CategoryChoices, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    retriage_due_at = models.DateTimeField(null=True, blank=True)

    derived_fields: ClassVar[frozenset[str]] = frozenset(
        {"category", "triaged_at", "retriage_due_at"}
    )

    class Meta:
        ordering = ["arrived_at"]
        indexes = [models.Index(fields=["site", "status", "arrived_at"])]
        permissions = [
            ("view_medical", "Can see patients' medical records (triage, vitals, deaths)"),
            ("record_care", "Can admit, triage, record vital signs, deaths and discharges"),
        ]

    def __str__(self) -> str:
        return f"patient {self.pk}"


class TriageAssessment(ReplicatedModel):
    """Append-only: one triage of a patient, its answers, its category and the path to it."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="triages")
    algorithm = models.CharField(max_length=10, choices=AlgorithmChoices)
    # True/False when the assessor said the patient looks like a child (or not); None: by age.
    looks_like_child = models.BooleanField(null=True, blank=True)
    age_years = models.PositiveSmallIntegerField(null=True, blank=True)
    answers = models.JSONField(default=dict)
    # [{"question": "walks", "answer": false}, ...] in the order the algorithm asked.
    path = models.JSONField(default=list)
    algorithm_category = models.CharField(max_length=10, choices=CategoryChoices)
    reason = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=10, choices=CategoryChoices)
    # Why a clinician recorded expectant over the algorithm's category.
    override_reason = models.CharField(max_length=300, blank=True)
    assessed_at = models.DateTimeField(default=timezone.now)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retriage_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessed_at", "version"]
        indexes = [models.Index(fields=["patient", "assessed_at"])]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.category} at {self.assessed_at:%H:%M}"


class VitalSigns(ReplicatedModel):
    """Append-only: one set of vital signs; any may be missing."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="vitals")
    observed_at = models.DateTimeField(default=timezone.now)
    observed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    respiratory_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    pulse = models.PositiveSmallIntegerField(null=True, blank=True)
    capillary_refill_seconds = models.FloatField(null=True, blank=True)
    spo2 = models.PositiveSmallIntegerField(null=True, blank=True)
    temperature_c = models.FloatField(null=True, blank=True)
    systolic_bp = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic_bp = models.PositiveSmallIntegerField(null=True, blank=True)
    avpu = models.CharField(max_length=20, choices=AvpuChoices, blank=True)
    gcs = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["observed_at", "version"]
        indexes = [models.Index(fields=["patient", "observed_at"])]
        verbose_name_plural = _("vital signs")

    def __str__(self) -> str:
        return f"vitals of {self.patient_id} at {self.observed_at:%H:%M}"


class Death(ReplicatedModel):
    """A death in care: when, of what, recorded by whom. Sets the person deceased."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="deaths")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    died_at = models.DateTimeField()
    cause = models.CharField(max_length=300)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["died_at", "version"]

    def __str__(self) -> str:
        return f"death of {self.person_id} at {self.died_at:%Y-%m-%d %H:%M}"


# ---- treatments from stock and the allocation of scarce medicine ---------------------------


class Benefit(models.TextChoices):
    """The expected benefit of a medicine for a patient, as the medic judges it."""

    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Treatment(ReplicatedModel):
    """A course of a medicine for a patient: a dose every N hours for M doses from its start,
    issued from one store. Doses given are `DoseGiven` rows; missed doses are derived
    (care/schedule.py)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="treatments")
    item = models.ForeignKey("supplies.Item", on_delete=models.PROTECT, related_name="+")
    store = models.ForeignKey("supplies.Location", on_delete=models.PROTECT, related_name="+")
    # In the item's unit: what one dose takes from the stock ledger.
    dose_quantity = models.DecimalField(max_digits=10, decimal_places=3)
    dose_unit = models.CharField(max_length=20)
    every_hours = models.PositiveSmallIntegerField()
    doses = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(default=timezone.now)
    benefit = models.CharField(max_length=6, choices=Benefit.choices, default=Benefit.MEDIUM)
    indication = models.CharField(max_length=200, blank=True)
    prescribed_at = models.DateTimeField(default=timezone.now)
    prescribed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["prescribed_at", "version"]
        indexes = [
            models.Index(fields=["patient", "prescribed_at"]),
            models.Index(fields=["item", "store"]),
        ]
        permissions = [
            ("prescribe_treatment", "Can prescribe a course and record the doses given"),
            ("allocate_medicine", "Can propose and confirm the allocation of a scarce medicine"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} every {self.every_hours} h x {self.doses} for {self.patient_id}"


class DoseGiven(ReplicatedModel):
    """Append-only: one dose given, and the stock ledger rows that issued it (written in the
    same transaction: both or neither)."""

    treatment = models.ForeignKey(Treatment, on_delete=models.PROTECT, related_name="doses_given")
    given_at = models.DateTimeField(default=timezone.now)
    quantity = models.DecimalField(max_digits=10, decimal_places=3)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The ledger row of the dose; `movement_ids` lists them all when it came from two lots.
    movement = models.ForeignKey("supplies.Movement", on_delete=models.PROTECT, related_name="+")
    movement_ids = models.JSONField(default=list)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["given_at", "version"]
        indexes = [models.Index(fields=["treatment", "given_at"])]
        verbose_name_plural = _("doses given")

    def __str__(self) -> str:
        return f"dose of {self.treatment_id} at {self.given_at:%Y-%m-%d %H:%M}"


class AllocationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed as proposed")
    OVERRIDDEN = "overridden", _("Confirmed with overrides")


class AllocationDecision(ReplicatedModel):
    """Who gets a scarce medicine: the rule's proposal (a snapshot of its input and output)
    and its confirmation, as proposed or with overrides, by a medic or the commander."""

    item = models.ForeignKey("supplies.Item", on_delete=models.PROTECT, related_name="+")
    store = models.ForeignKey("supplies.Location", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    stock = models.DecimalField(max_digits=14, decimal_places=3)  # on hand when proposed
    children_first = models.BooleanField(default=False)
    child_age_below = models.PositiveSmallIntegerField(default=18)
    partial = models.BooleanField(default=False)
    # {"candidates": [...], "outcomes": [...], "notes": [...]}: what the rule saw and said.
    proposal = models.JSONField(default=dict)
    proposed_at = models.DateTimeField(default=timezone.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=AllocationStatus.choices, default=AllocationStatus.PROPOSED
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    # Overrides that served a lower triage category while a higher one went without.
    jumps = models.JSONField(default=list)

    class Meta:
        ordering = ["-proposed_at", "-version"]
        indexes = [models.Index(fields=["item", "store", "proposed_at"])]

    def __str__(self) -> str:
        return f"allocation of {self.item_id} at {self.proposed_at:%Y-%m-%d %H:%M}"


class AllocationOutcome(ReplicatedModel):
    """Append-only: one patient's share in a confirmed allocation, and why."""

    decision = models.ForeignKey(
        AllocationDecision, on_delete=models.PROTECT, related_name="outcomes"
    )
    treatment = models.ForeignKey(Treatment, on_delete=models.PROTECT, related_name="outcomes")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=10, blank=True)
    benefit = models.CharField(max_length=6, choices=Benefit.choices)
    need = models.DecimalField(max_digits=14, decimal_places=3)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    override = models.CharField(max_length=8, blank=True)  # "give" or "withhold"
    override_reason = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField()  # the proposal's order: served first

    class Meta:
        ordering = ["decision", "position"]
        indexes = [models.Index(fields=["treatment"])]

    def __str__(self) -> str:
        return f"{self.quantity} to {self.patient_id} ({self.reason})"
