"""The one schema of each facilities input and output: the API, the CLI and the pages parse
with these serializers, then call `facilities.services`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lifeline.core.schemas import UserRefField
from lifeline.facilities.models import (
    CapacityUnit,
    FacilityKind,
    Severity,
    WorkPriority,
)
from lifeline.intel.models import WatchPost
from lifeline.people.fields import PersonRefField
from lifeline.supplies.fields import ItemField, LocationField


@extend_schema_field(OpenApiTypes.UUID)
class WatchPostRefField(serializers.PrimaryKeyRelatedField[WatchPost]):
    def get_queryset(self) -> Any:
        return WatchPost.objects.alive()


class FacilityInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=FacilityKind.choices)
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True
    )
    capacity = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )
    capacity_unit = serializers.ChoiceField(choices=CapacityUnit.choices, required=False)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class AssessmentInput(serializers.Serializer[Any]):
    severity = serializers.ChoiceField(
        choices=Severity.choices, help_text="0 none, 1 light, 2 moderate, 3 heavy, 4 destroyed"
    )
    safe_to_use = serializers.BooleanField()
    damage = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    capacity_lost = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False)
    assessed_at = serializers.DateTimeField(required=False, allow_null=True)


class WorkInput(serializers.Serializer[Any]):
    facility = serializers.UUIDField()
    title = serializers.CharField(max_length=200)
    priority = serializers.ChoiceField(choices=WorkPriority.choices, required=False)
    assessment = serializers.UUIDField(required=False, allow_null=True)
    assigned_to = UserRefField(required=False, allow_null=True)


class MaterialInput(serializers.Serializer[Any]):
    item = ItemField()
    location = LocationField()
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=3, min_value=Decimal("0.001"), max_value=Decimal(1_000_000)
    )


class WorkCloseInput(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=4000)
    done = serializers.BooleanField(required=False, default=True)


class ShiftInput(serializers.Serializer[Any]):
    post = WatchPostRefField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    person = PersonRefField(required=False, allow_null=True)
    user = UserRefField(required=False, allow_null=True)


class ShiftAssignInput(serializers.Serializer[Any]):
    person = PersonRefField(required=False, allow_null=True)
    user = UserRefField(required=False, allow_null=True)


class HandoverInput(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=4000)


class RosterQuery(serializers.Serializer[Any]):
    start = serializers.DateTimeField(required=False)
    hours = serializers.IntegerField(min_value=1, max_value=24 * 14, required=False, default=24)


class FacilityListQuery(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=FacilityKind.choices, required=False)
    state = serializers.CharField(required=False)


# ---- outputs ----


class FacilityOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    capacity = serializers.IntegerField(allow_null=True)
    capacity_unit = serializers.CharField()
    capacity_lost = serializers.IntegerField()
    capacity_usable = serializers.IntegerField(allow_null=True)
    notes = serializers.CharField()


class AssessmentOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    facility = serializers.UUIDField(source="facility_id")
    assessed_at = serializers.DateTimeField()
    severity = serializers.IntegerField()
    safe_to_use = serializers.BooleanField()
    damage = serializers.CharField()
    capacity_lost = serializers.IntegerField()
    assessed_by = serializers.CharField(
        source="assessed_by.username", allow_null=True, default=None
    )


class MaterialOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    item = serializers.CharField(source="item.code")
    location = serializers.CharField(source="location.code")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    drawn_at = serializers.DateTimeField()


class WorkOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    facility = serializers.UUIDField(source="facility_id")
    assessment = serializers.UUIDField(source="assessment_id", allow_null=True)
    title = serializers.CharField()
    priority = serializers.CharField()
    status = serializers.CharField()
    assigned_to = serializers.CharField(
        source="assigned_to.username", allow_null=True, default=None
    )
    opened_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    close_note = serializers.CharField()


class WorkDetailOutput(WorkOutput):
    materials = MaterialOutput(many=True, source="materials.all")


class FacilityRecordOutput(serializers.Serializer[Any]):
    facility = FacilityOutput()
    assessments = AssessmentOutput(many=True)
    work = WorkDetailOutput(many=True)


class ShiftOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    post = serializers.UUIDField(source="post_id")
    post_name = serializers.CharField(source="post.name")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    person = serializers.UUIDField(source="person_id", allow_null=True)
    user = serializers.CharField(source="user.username", allow_null=True, default=None)
    handover_note = serializers.CharField()


class GapOutput(serializers.Serializer[Any]):
    post = serializers.UUIDField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class ClashOutput(serializers.Serializer[Any]):
    watcher = serializers.CharField(help_text="person:<id> or user:<id>")
    first = serializers.UUIDField()
    second = serializers.UUIDField()


class ShortRestOutput(serializers.Serializer[Any]):
    watcher = serializers.CharField()
    before = serializers.UUIDField()
    after = serializers.UUIDField()
    rest = serializers.DurationField()


class LongDayOutput(serializers.Serializer[Any]):
    watcher = serializers.CharField()
    start = serializers.DateTimeField()
    hours = serializers.FloatField()


class RosterOutput(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    shifts = ShiftOutput(many=True)
    gaps = GapOutput(many=True, source="check.gaps")
    clashes = ClashOutput(many=True, source="check.clashes")
    short_rests = ShortRestOutput(many=True, source="check.short_rests")
    long_days = LongDayOutput(many=True, source="check.long_days")
