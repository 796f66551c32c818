"""The one schema of each mission input and output: the API, the CLI and the web forms parse
with these serializers, then call `missions.services`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lifeline.core.schemas import UserRefField
from lifeline.missions.lifecycle import LABELS, State
from lifeline.missions.models import (
    CheckInStatus,
    MemberRole,
    MissionKind,
    PointKind,
    Vehicle,
    VehicleStatus,
)
from lifeline.people.fields import PersonRefField


def Latitude(**kwargs: Any) -> serializers.FloatField:
    return serializers.FloatField(min_value=-90, max_value=90, **kwargs)


def Longitude(**kwargs: Any) -> serializers.FloatField:
    return serializers.FloatField(min_value=-180, max_value=180, **kwargs)


@extend_schema_field(OpenApiTypes.UUID)
class VehicleRefField(serializers.PrimaryKeyRelatedField[Vehicle]):
    def get_queryset(self) -> Any:
        return Vehicle.objects.alive()


class MemberInput(serializers.Serializer[Any]):
    person = PersonRefField(required=False, allow_null=True)
    user = UserRefField(required=False, allow_null=True)
    role = serializers.ChoiceField(choices=MemberRole.choices, required=False)
    callsign = serializers.CharField(max_length=40, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("person") is None and attrs.get("user") is None:
            raise serializers.ValidationError({"person": _("give a person, a user, or both")})
        return attrs


class MissionPointInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=PointKind.choices)
    name = serializers.CharField(max_length=80)
    latitude = Latitude()
    longitude = Longitude()
    sequence = serializers.IntegerField(min_value=0, max_value=10_000, required=False)


class MissionInput(serializers.Serializer[Any]):
    """Planning a mission; team, points and vehicles may come with it or later."""

    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=MissionKind.choices)
    objective = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    area = serializers.CharField(max_length=120, required=False, allow_blank=True)
    standing_orders = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField(required=False, allow_null=True)
    checkin_interval_minutes = serializers.IntegerField(min_value=1, max_value=1440, required=False)
    latitude = Latitude(required=False, allow_null=True)
    longitude = Longitude(required=False, allow_null=True)
    members = MemberInput(many=True, required=False)
    points = MissionPointInput(many=True, required=False)
    vehicles = serializers.ListField(child=VehicleRefField(), required=False, max_length=20)


class MissionUpdateInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120, required=False)
    kind = serializers.ChoiceField(choices=MissionKind.choices, required=False)
    objective = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    area = serializers.CharField(max_length=120, required=False, allow_blank=True)
    standing_orders = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    planned_start = serializers.DateTimeField(required=False)
    planned_end = serializers.DateTimeField(required=False, allow_null=True)
    checkin_interval_minutes = serializers.IntegerField(min_value=1, max_value=1440, required=False)
    latitude = Latitude(required=False, allow_null=True)
    longitude = Longitude(required=False, allow_null=True)


class TransitionInput(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=[(s.value, gettext_lazy(LABELS[s])) for s in State])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    at = serializers.DateTimeField(required=False, allow_null=True)


class CheckInInput(serializers.Serializer[Any]):
    member = serializers.UUIDField(required=False, allow_null=True)
    latitude = Latitude(required=False, allow_null=True)
    longitude = Longitude(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=CheckInStatus.choices, required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    at = serializers.DateTimeField(required=False, allow_null=True)


class SupplyLineInput(serializers.Serializer[Any]):
    item = serializers.CharField(max_length=80)
    quantity = serializers.IntegerField(min_value=0, max_value=10_000_000)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)


class DebriefInput(serializers.Serializer[Any]):
    people_found = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    casualties = serializers.IntegerField(min_value=0, max_value=10_000, required=False)
    supplies_recovered = SupplyLineInput(many=True, required=False)
    summary = serializers.CharField(max_length=8000, required=False, allow_blank=True)


class VehicleInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=80)
    kind = serializers.CharField(max_length=40, required=False, allow_blank=True)
    plate = serializers.CharField(max_length=20, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=VehicleStatus.choices, required=False)
    fuel_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True)


class VehicleUpdateInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=80, required=False)
    kind = serializers.CharField(max_length=40, required=False, allow_blank=True)
    plate = serializers.CharField(max_length=20, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=VehicleStatus.choices, required=False)
    fuel_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True)


class VehicleAssignInput(serializers.Serializer[Any]):
    vehicle = VehicleRefField()


# ---- outputs -------------------------------------------------------------------------------


class VehicleOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.CharField()
    plate = serializers.CharField()
    status = serializers.CharField()
    fuel_percent = serializers.IntegerField()
    notes = serializers.CharField()


class MemberOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    radio_number = serializers.IntegerField()
    role = serializers.CharField()
    callsign = serializers.CharField()
    person = serializers.UUIDField(source="person_id", allow_null=True)
    user = serializers.CharField(source="user.username", allow_null=True, default=None)


class MissionPointOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    name = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    sequence = serializers.IntegerField()


class TransitionOutput(serializers.Serializer[Any]):
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.CharField(source="by.username", allow_null=True, default=None)
    note = serializers.CharField()


class CheckInOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    member = serializers.UUIDField(source="member_id", allow_null=True)
    at = serializers.DateTimeField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    status = serializers.CharField()
    note = serializers.CharField()
    # Declared fields are collected by the metaclass; Field.source is unaffected.
    source = serializers.CharField()  # type: ignore[assignment]


class MissionOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.CharField()
    objective = serializers.CharField()
    area = serializers.CharField()
    standing_orders = serializers.CharField()
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField(allow_null=True)
    checkin_interval_minutes = serializers.IntegerField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    radio_tag = serializers.SerializerMethodField()
    state = serializers.CharField()
    state_since = serializers.DateTimeField(allow_null=True)
    version = serializers.CharField()

    def get_radio_tag(self, mission: Any) -> str:
        return f"{mission.radio_tag:08X}"


class BoardRowOutput(serializers.Serializer[Any]):
    """A mission on the board: who is out, when they last checked in, overdue or not."""

    mission = MissionOutput()
    members = serializers.SerializerMethodField()
    last_checkin_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()

    def get_members(self, row: Any) -> list[str]:
        return [str(m) for m in row.mission.members.all()]


class TimelineOutput(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    summary = serializers.CharField()
    by = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class MissionDetailOutput(serializers.Serializer[Any]):
    mission = MissionOutput()
    last_checkin_at = serializers.DateTimeField(source="status.last_checkin_at", allow_null=True)
    due_at = serializers.DateTimeField(source="status.due_at", allow_null=True)
    overdue = serializers.BooleanField(source="status.overdue")
    members = MemberOutput(many=True)
    points = MissionPointOutput(many=True)
    vehicles = VehicleOutput(many=True)
    transitions = TransitionOutput(many=True)
    checkins = CheckInOutput(many=True)
    timeline = TimelineOutput(many=True)


class DebriefOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    people_found = serializers.IntegerField()
    casualties = serializers.IntegerField()
    supplies_recovered = serializers.JSONField()
    summary = serializers.CharField()
    at = serializers.DateTimeField()
