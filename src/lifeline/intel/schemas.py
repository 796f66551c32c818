"""The one schema of each field-report input and output (API, CLI, web forms). A report's
`kind` picks its schema; the facts of each kind are validated here, the rules in services."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from lifeline.intel import radio
from lifeline.intel.codec import MAX_CACHE_ITEMS, MAX_COUNT, MAX_QUANTITY, MAX_SURVIVOR_GROUPS
from lifeline.intel.models import ReportKind


class ReportBaseInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    member = serializers.UUIDField(required=False, allow_null=True, help_text="team member id")
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True
    )
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("latitude") is None) != (attrs.get("longitude") is None):
            missing = "longitude" if attrs.get("longitude") is None else "latitude"
            raise serializers.ValidationError({missing: _("give both coordinates or neither")})
        return attrs


class SitrepInput(ReportBaseInput):
    pass


class SightingInput(ReportBaseInput):
    count = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)
    armed = serializers.ChoiceField(choices=radio.ARMED, required=False, default="unknown")
    direction = serializers.ChoiceField(choices=radio.DIRECTIONS, required=False, default="unknown")
    hostile_group = serializers.CharField(max_length=80, required=False, allow_blank=True)


class SurvivorGroupInput(serializers.Serializer[Any]):
    age_band = serializers.ChoiceField(
        choices=radio.AGE_BANDS, required=False, allow_blank=True, default=""
    )
    condition = serializers.ChoiceField(
        choices=radio.SURVIVOR_CONDITIONS, required=False, default="unhurt"
    )
    count = serializers.IntegerField(min_value=1, max_value=MAX_COUNT)


class SurvivorsInput(ReportBaseInput):
    # ListSerializer takes max_length (DRF 3.14+); the stubs do not know it yet.
    groups = SurvivorGroupInput(  # type: ignore[call-arg]
        many=True, max_length=MAX_SURVIVOR_GROUPS, allow_empty=False
    )
    place = serializers.CharField(max_length=80, required=False, allow_blank=True)


class CasualtyInput(ReportBaseInput):
    casualty = serializers.UUIDField(help_text="the team member hurt (member id)")
    severity = serializers.ChoiceField(choices=radio.SEVERITIES)


class CacheItemInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=80)
    quantity = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY)
    unit = serializers.ChoiceField(choices=radio.UNITS, required=False, default="piece")


class CacheInput(ReportBaseInput):
    items = CacheItemInput(  # type: ignore[call-arg]
        many=True, max_length=MAX_CACHE_ITEMS, allow_empty=False
    )
    place = serializers.CharField(max_length=80, required=False, allow_blank=True)


REPORT_INPUTS: dict[str, type[ReportBaseInput]] = {
    ReportKind.SITREP: SitrepInput,
    ReportKind.SIGHTING: SightingInput,
    ReportKind.SURVIVORS: SurvivorsInput,
    ReportKind.CASUALTY: CasualtyInput,
    ReportKind.CACHE: CacheInput,
}


def report_schema(data: Any) -> type[ReportBaseInput]:
    """The input schema for this report's `kind` (the base schema reports a bad kind)."""
    kind = data.get("kind") if hasattr(data, "get") else None
    return REPORT_INPUTS.get(str(kind), ReportBaseInput)


class PacketInput(serializers.Serializer[Any]):
    """A radio packet as base64 (what a gateway forwards) or hex."""

    packet = serializers.CharField(max_length=600)

    def validate_packet(self, value: str) -> bytes:
        text = value.strip()
        try:
            if all(c in "0123456789abcdefABCDEF" for c in text) and len(text) % 2 == 0:
                return bytes.fromhex(text)
            return base64.b64decode(text, validate=True)
        except (ValueError, binascii.Error):
            raise serializers.ValidationError(_("is neither base64 nor hex")) from None


class CotInput(serializers.Serializer[Any]):
    xml = serializers.CharField(max_length=64 * 1024)


class FieldReportOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    mission = serializers.UUIDField(source="mission_id")
    member = serializers.UUIDField(source="member_id", allow_null=True)
    reporter = serializers.CharField(source="reporter.username", allow_null=True, default=None)
    kind = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    text = serializers.CharField()
    details = serializers.JSONField()
    # Declared fields are collected by the metaclass; Field.source is unaffected.
    source = serializers.CharField()  # type: ignore[assignment]
    evacuation_mission = serializers.UUIDField(source="evacuation_mission_id", allow_null=True)


class PacketOutput(serializers.Serializer[Any]):
    packet_base64 = serializers.CharField()
    packet_hex = serializers.CharField()
    bytes = serializers.IntegerField()
    readback = serializers.CharField()
    cot = serializers.CharField()


class DecodedOutput(serializers.Serializer[Any]):
    type = serializers.CharField()
    mission_tag = serializers.CharField()
    member = serializers.IntegerField()
    seq = serializers.IntegerField()
    seconds = serializers.IntegerField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    values = serializers.JSONField()
    readback = serializers.CharField()


class IngestOutput(serializers.Serializer[Any]):
    mission = serializers.UUIDField()
    checkin = serializers.UUIDField(allow_null=True)
    report = serializers.UUIDField(allow_null=True)
    readback = serializers.CharField()
