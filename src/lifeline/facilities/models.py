"""The camp's buildings and works, what damaged them, the work that repairs them, and the
watch roster.

Assessments, photos, work orders and shifts are rows appended by people; a facility's state
is derived from them (`services.facility_state_refresh`) and cached on the facility, never
shipped by sync (each site derives it from the rows it has).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.models import ReplicatedModel


class FacilityKind(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    CLINIC = "clinic", _("Clinic")
    STORE = "store", _("Store")
    KITCHEN = "kitchen", _("Kitchen")
    WATER_POINT = "water_point", _("Water point")
    WELL = "well", _("Well")
    LATRINE = "latrine", _("Latrine")
    GENERATOR = "generator", _("Generator")
    WALL = "wall", _("Wall")
    GATE = "gate", _("Gate")
    OTHER = "other", _("Other")


class CapacityUnit(models.TextChoices):
    PEOPLE = "people", _("people")
    BEDS = "beds", _("beds")
    LITRES_PER_DAY = "litres_per_day", _("litres a day")
    KW = "kw", _("kW")
    NONE = "", _("no capacity")


# What a kind's capacity counts unless told otherwise.
DEFAULT_UNIT: dict[str, str] = {
    FacilityKind.SHELTER: CapacityUnit.PEOPLE,
    FacilityKind.CLINIC: CapacityUnit.BEDS,
    FacilityKind.WATER_POINT: CapacityUnit.LITRES_PER_DAY,
    FacilityKind.WELL: CapacityUnit.LITRES_PER_DAY,
    FacilityKind.LATRINE: CapacityUnit.PEOPLE,
    FacilityKind.KITCHEN: CapacityUnit.PEOPLE,
    FacilityKind.GENERATOR: CapacityUnit.KW,
}


class FacilityState(models.TextChoices):
    WORKING = "working", _("Working")
    DAMAGED = "damaged", _("Damaged")
    UNSAFE = "unsafe", _("Unsafe to use")
    UNDER_REPAIR = "under_repair", _("Under repair")
    DESTROYED = "destroyed", _("Destroyed")


class Facility(ReplicatedModel):
    site = models.ForeignKey("core.Site", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=FacilityKind.choices)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    capacity_unit = models.CharField(max_length=20, choices=CapacityUnit.choices, blank=True)
    notes = models.TextField(blank=True)
    # Derived from assessments and work orders (a cache, rebuilt when rows arrive).
    state = models.CharField(
        max_length=20, choices=FacilityState.choices, default=FacilityState.WORKING
    )
    capacity_lost = models.PositiveIntegerField(default=0)

    derived_fields: ClassVar[frozenset[str]] = frozenset({"state", "capacity_lost"})

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name

    @property
    def capacity_usable(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.capacity_lost)


class Severity(models.IntegerChoices):
    """A fixed five-step damage scale, from none to destroyed (after the damage grades of
    EMS-98 and the shelter-damage categories of the Shelter Cluster's rapid assessments)."""

    NONE = 0, _("No damage")
    LIGHT = 1, _("Light: usable as it is")
    MODERATE = 2, _("Moderate: partly usable")
    HEAVY = 3, _("Heavy: not usable until repaired")
    DESTROYED = 4, _("Destroyed")


class DamageAssessment(ReplicatedModel):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="assessments")
    assessed_at = models.DateTimeField(default=timezone.now)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    safe_to_use = models.BooleanField()
    damage = models.TextField(help_text=_("what is damaged"))
    # How much of the facility's capacity is lost (people, litres a day, beds...).
    capacity_lost = models.PositiveIntegerField(default=0)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_at", "-version"]

    def __str__(self) -> str:
        return f"{self.facility}: {self.get_severity_display()}"


class WorkPriority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


PRIORITY_ORDER: dict[str, int] = {
    WorkPriority.URGENT: 0,
    WorkPriority.HIGH: 1,
    WorkPriority.NORMAL: 2,
    WorkPriority.LOW: 3,
}


class WorkStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class WorkOrder(ReplicatedModel):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="work_orders")
    assessment = models.ForeignKey(
        DamageAssessment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    title = models.CharField(max_length=200)
    priority = models.CharField(
        max_length=10, choices=WorkPriority.choices, default=WorkPriority.NORMAL
    )
    status = models.CharField(max_length=12, choices=WorkStatus.choices, default=WorkStatus.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_note = models.TextField(blank=True)

    class Meta:
        ordering = ["opened_at"]

    def __str__(self) -> str:
        return self.title


class WorkMaterial(ReplicatedModel):
    """Material drawn from the store for a work order: the stock movement is the ledger's."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="materials")
    item = models.ForeignKey("supplies.Item", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey("supplies.Location", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=12, decimal_places=3)
    drawn_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.quantity} {self.item}"


class FacilityPhoto(ReplicatedModel):
    """A photo taken on a phone, kept on the camp's own disk (resized, EXIF dropped)."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="photos")
    assessment = models.ForeignKey(
        DamageAssessment, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    work_order = models.ForeignKey(
        WorkOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    image = models.FileField(upload_to="facilities/%Y/%m/")
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["taken_at"]

    def __str__(self) -> str:
        return str(self.image.name)


class Shift(ReplicatedModel):
    """One watch at one post over a span of time, stood by a person of the registry (and,
    when they have one, their user account: that is how they see their own shifts)."""

    post = models.ForeignKey("intel.WatchPost", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handover_note = models.TextField(blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "post__name"]
        permissions = [("plan_shift", "Plan the watch roster")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def watcher_key(self) -> str | None:
        """Who stands it, as the roster rules compare watchers: the person, else the user."""
        if self.person_id is not None:
            return f"person:{self.person_id}"
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return None
