"""The one input schema of routing for the API, the CLI and the map page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lifeline.routing.models import ThreatZone


@extend_schema_field(
    {
        "oneOf": [
            {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 2,
                "description": "[lat, lon] in degrees",
            },
            {
                "type": "string",
                "description": "LAT,LON in degrees",
            },
        ],
        "example": [31.95, 35.91],
    }
)
class PointField(serializers.Field[tuple[float, float], Any, Any, Any]):
    """A point as [lat, lon] or as the text "LAT,LON"."""

    default_error_messages = {
        "invalid": _('expected [lat, lon] or "LAT,LON"'),
        "range": _("latitude must be within -90..90 and longitude within -180..180"),
    }

    def to_internal_value(self, data: Any) -> tuple[float, float]:
        if isinstance(data, str):
            data = data.split(",")
        if not isinstance(data, list | tuple) or len(data) != 2:
            self.fail("invalid")
        try:
            lat, lon = float(data[0]), float(data[1])
        except (TypeError, ValueError):
            self.fail("invalid")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.fail("range")
        return (lat, lon)

    def to_representation(self, value: tuple[float, float]) -> list[float]:
        return [value[0], value[1]]


class RouteInput(serializers.Serializer[Any]):
    origin = PointField()
    destination = PointField()
    risk_weight = serializers.FloatField(min_value=0, max_value=1000, default=1.0)
    avoid_level = serializers.FloatField(min_value=0, required=False, allow_null=True)
    alternatives = serializers.IntegerField(min_value=0, max_value=5, default=0)
    graph = serializers.SlugField(required=False)


class ThreatZoneInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    polygon = serializers.ListField(child=PointField(), min_length=3, max_length=500)
    level = serializers.FloatField(min_value=0.5, max_value=5)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ThreatZoneOutput(serializers.ModelSerializer[ThreatZone]):
    class Meta:
        model = ThreatZone
        fields = ["id", "name", "polygon", "level", "expires_at", "note", "drawn_by", "created_at"]


class RouteExportInput(serializers.Serializer[Any]):
    """The route to export, in the query string: origin and destination as LAT,LON."""

    origin = PointField()
    destination = PointField()
    risk_weight = serializers.FloatField(min_value=0, max_value=1000, default=1.0)
    avoid_level = serializers.FloatField(min_value=0, required=False, allow_null=True)
    graph = serializers.SlugField(required=False)


class TurnOutput(serializers.Serializer[Any]):
    action = serializers.ChoiceField(
        choices=[
            "depart",
            "straight",
            "slight_left",
            "slight_right",
            "left",
            "right",
            "sharp_left",
            "sharp_right",
            "u_turn",
            "arrive",
        ]
    )
    text = serializers.CharField(help_text="The instruction, in the user's language")
    street = serializers.CharField(allow_blank=True, help_text="Empty for a way with no name")
    distance_m = serializers.FloatField(help_text="How far to go along it, to the next turn")
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class RouteOutput(serializers.Serializer[Any]):
    path = serializers.ListField(child=serializers.ListField(child=serializers.FloatField()))
    length_m = serializers.FloatField()
    exposure = serializers.FloatField()
    peak_risk = serializers.FloatField()
    turns = TurnOutput(many=True, help_text="The turn list, readable on paper")


class RoutePlanOutput(serializers.Serializer[Any]):
    found = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)
    graph = serializers.CharField()
    routes = RouteOutput(many=True)
    least_exposed = RouteOutput(allow_null=True)
