"""The one input schema of each threat-picture write (API, CLI and pages), and the outputs."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lifeline.intel.models import (
    GroupStatus,
    HostileGroup,
    PerimeterLogEntry,
    Sighting,
    SightingSource,
    WatchPost,
    WatchSeen,
)
from lifeline.intel.threats.services import BEARINGS, MAX_SIGHTING_COUNT

CONFIDENCE_WORDS = {"low": 0.3, "medium": 0.6, "high": 0.9}


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number", "minimum": 0, "maximum": 1},
            {"type": "string", "enum": list(CONFIDENCE_WORDS)},
        ],
        "description": "how sure: 0..1, or low (0.3), medium (0.6), high (0.9)",
        "example": "high",
    }
)
class ConfidenceField(serializers.Field[float, Any, Any, Any]):
    """How sure the observer is: a number 0..1 or a word (low, medium, high)."""

    default_error_messages = {
        "invalid": _("expected a number from 0 to 1, or low, medium or high"),
    }

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, str) and data.strip().lower() in CONFIDENCE_WORDS:
            return CONFIDENCE_WORDS[data.strip().lower()]
        try:
            value = float(data)
        except (TypeError, ValueError):
            self.fail("invalid")
        if not 0.0 <= value <= 1.0:
            self.fail("invalid")
        return value

    def to_representation(self, value: float) -> float:
        return value


class HostileGroupInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    leader = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    size_estimate = serializers.IntegerField(
        min_value=0, max_value=MAX_SIGHTING_COUNT, required=False, allow_null=True
    )
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=GroupStatus.choices, default=GroupStatus.ACTIVE)


class HostileGroupChangeInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120, required=False)
    leader = serializers.CharField(max_length=120, required=False, allow_blank=True)
    size_estimate = serializers.IntegerField(
        min_value=0, max_value=MAX_SIGHTING_COUNT, required=False, allow_null=True
    )
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=GroupStatus.choices, required=False)


class SightingInput(serializers.Serializer[Any]):
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    count = serializers.IntegerField(min_value=0, max_value=MAX_SIGHTING_COUNT)
    confidence = ConfidenceField()
    seen_at = serializers.DateTimeField(required=False, allow_null=True)
    hostile_group = serializers.UUIDField(
        required=False, allow_null=True, help_text="a known group's id"
    )
    group_name = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        default="",
        help_text="the group as the observer named it; matched to a known group by name or leader",
    )
    source = serializers.ChoiceField(choices=SightingSource.choices, default=SightingSource.RADIO)  # type: ignore[assignment]
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class WatchPostInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=80)
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PerimeterEntryInput(serializers.Serializer[Any]):
    post = serializers.UUIDField(help_text="the watch post's id")
    seen = serializers.ChoiceField(choices=WatchSeen.choices)
    count = serializers.IntegerField(min_value=0, max_value=MAX_SIGHTING_COUNT, default=0)
    direction = serializers.ChoiceField(
        choices=[(b, b.upper()) for b in BEARINGS],
        required=False,
        allow_blank=True,
        default="",
        help_text="where they were, seen from the post",
    )
    distance_m = serializers.IntegerField(
        min_value=1, max_value=20_000, required=False, allow_null=True
    )
    hostile_group = serializers.UUIDField(required=False, allow_null=True)
    confidence = ConfidenceField(default=CONFIDENCE_WORDS["medium"])
    observed_at = serializers.DateTimeField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class HostileGroupOutput(serializers.ModelSerializer[HostileGroup]):
    sightings = serializers.IntegerField(source="sighting_count", read_only=True, default=0)

    class Meta:
        model = HostileGroup
        fields = [
            "id",
            "name",
            "leader",
            "size_estimate",
            "notes",
            "status",
            "last_seen_at",
            "last_seen_latitude",
            "last_seen_longitude",
            "sightings",
            "created_at",
        ]


class SightingOutput(serializers.ModelSerializer[Sighting]):
    """A sighting; who reported it and the report it came from only for roles that may read
    field reports (the context's `reporter_visible`). `notes` are for every role (what was
    said of it directly, or a report's structured facts); `source_notes`, what its source said
    (the report's mission and text, the watch post and its entry), only for roles that may read
    that source (set by threats.selectors.sighting_sources_attach), else null."""

    hostile_group_name = serializers.CharField(
        source="hostile_group.name", allow_null=True, default=None
    )
    reported_by = serializers.SerializerMethodField()
    field_report = serializers.SerializerMethodField()
    source_notes = serializers.SerializerMethodField()

    class Meta:
        model = Sighting
        fields = [
            "id",
            "seen_at",
            "latitude",
            "longitude",
            "count",
            "confidence",
            "hostile_group",
            "hostile_group_name",
            "group_name",
            "source",
            "notes",
            "source_notes",
            "reported_by",
            "field_report",
        ]

    def get_reported_by(self, row: Sighting) -> str | None:
        if not self.context.get("reporter_visible") or row.reported_by is None:
            return None
        return str(row.reported_by.get_username())

    def get_source_notes(self, row: Sighting) -> str | None:
        notes = getattr(row, "source_notes", None)
        return str(notes) if notes is not None else None

    def get_field_report(self, row: Sighting) -> str | None:
        if not self.context.get("reporter_visible") or row.field_report_id is None:
            return None
        return str(row.field_report_id)


class WatchPostOutput(serializers.ModelSerializer[WatchPost]):
    class Meta:
        model = WatchPost
        fields = ["id", "name", "latitude", "longitude", "notes"]


class PerimeterEntryOutput(serializers.ModelSerializer[PerimeterLogEntry]):
    post_name = serializers.CharField(source="post.name")
    recorded_by = serializers.CharField(
        source="recorded_by.username", allow_null=True, default=None
    )

    class Meta:
        model = PerimeterLogEntry
        fields = [
            "id",
            "post",
            "post_name",
            "observed_at",
            "seen",
            "count",
            "direction",
            "distance_m",
            "hostile_group",
            "confidence",
            "notes",
            "recorded_by",
            "sighting",
        ]
