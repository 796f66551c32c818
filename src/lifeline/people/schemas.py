"""The one schema of each registry input and output. The API, the CLI, CSV import and the
web forms all parse with these serializers, then call `people.services`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from lifeline.core.schemas import SiteField
from lifeline.people import rules
from lifeline.people.fields import HouseholdRefField, PersonRefField
from lifeline.people.models import Condition, Person, Sex, Status


class NameField(serializers.CharField):
    """A person's name: at least one letter, no bidirectional controls (`rules.name_problem`)."""

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        problem = rules.name_problem(value)
        if problem is not None:
            raise serializers.ValidationError(problem)
        return value


class NameListField(serializers.ListField):
    child = serializers.CharField(max_length=100)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)


class PersonInput(serializers.Serializer[Any]):
    """Registering a person: identity, the first status and place, conditions seen at intake."""

    given_name = NameField(max_length=100, required=False, allow_blank=True)
    family_name = NameField(max_length=100, required=False, allow_blank=True)
    other_names = NameListField(child=NameField(max_length=100), required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    age_years = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=rules.MAX_AGE_YEARS
    )
    languages = NameListField(required=False)
    callsign = serializers.CharField(max_length=40, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    household = HouseholdRefField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    site = SiteField(required=False, allow_null=True)
    area = serializers.CharField(max_length=80, required=False, allow_blank=True)
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    conditions = serializers.ListField(
        child=serializers.ChoiceField(choices=Condition.choices), required=False, max_length=20
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (
            not (attrs.get("given_name") or "").strip()
            and not (attrs.get("family_name") or "").strip()
        ):
            raise serializers.ValidationError(
                {"given_name": "a given or a family name is required"}
            )
        if attrs.get("date_of_birth") is not None and attrs.get("age_years") is not None:
            raise serializers.ValidationError(
                {"age_years": "give a date of birth or an age, not both"}
            )
        return attrs


class PersonUpdateInput(serializers.Serializer[Any]):
    """Changing identity fields; status and conditions go through their own events."""

    given_name = NameField(max_length=100, required=False, allow_blank=True)
    family_name = NameField(max_length=100, required=False, allow_blank=True)
    other_names = NameListField(child=NameField(max_length=100), required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    age_years = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=rules.MAX_AGE_YEARS
    )
    languages = NameListField(required=False)
    callsign = serializers.CharField(max_length=40, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    household = HouseholdRefField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class StatusInput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Status.choices)
    site = SiteField(required=False, allow_null=True)
    area = serializers.CharField(max_length=80, required=False, allow_blank=True)
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ConditionInput(serializers.Serializer[Any]):
    condition = serializers.ChoiceField(choices=Condition.choices)
    present = serializers.BooleanField(required=False, default=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    observed_at = serializers.DateTimeField(required=False, allow_null=True)


class MergeInput(serializers.Serializer[Any]):
    duplicate = PersonRefField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class DeleteInput(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=300)


class PersonFilterInput(serializers.Serializer[Any]):
    q = serializers.CharField(max_length=200, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Status.choices, required=False, allow_blank=True)
    site = serializers.CharField(max_length=64, required=False, allow_blank=True)
    age_band = serializers.ChoiceField(
        choices=[(b.code, b.label) for b in rules.AGE_BANDS], required=False, allow_blank=True
    )
    condition = serializers.ChoiceField(choices=Condition.choices, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    household = serializers.UUIDField(required=False, allow_null=True)


class HouseholdInput(serializers.Serializer[Any]):
    ration_card = serializers.CharField(max_length=40, required=False, allow_blank=True)
    shelter = serializers.CharField(max_length=80, required=False, allow_blank=True)
    site = SiteField(required=False, allow_null=True)
    area = serializers.CharField(max_length=80, required=False, allow_blank=True)
    head = PersonRefField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class HouseholdUpdateInput(serializers.Serializer[Any]):
    ration_card = serializers.CharField(max_length=40, required=False, allow_blank=True)
    shelter = serializers.CharField(max_length=80, required=False, allow_blank=True)
    area = serializers.CharField(max_length=80, required=False, allow_blank=True)
    head = PersonRefField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class HouseholdMoveInput(serializers.Serializer[Any]):
    site = SiteField(required=False, allow_null=True)
    area = serializers.CharField(max_length=80, required=False, allow_blank=True)
    shelter = serializers.CharField(max_length=80, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


@extend_schema_serializer(component_name="HouseholdMemberInput")
class MemberInput(serializers.Serializer[Any]):
    person = PersonRefField()


# ---- outputs -------------------------------------------------------------------------------


class SiteOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()


class PersonSummaryOutput(serializers.Serializer[Any]):
    """A person in a list: no location, no conditions."""

    id = serializers.UUIDField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    other_names = serializers.ListField(child=serializers.CharField())
    sex = serializers.ChoiceField(choices=Sex.choices)
    date_of_birth = serializers.DateField(allow_null=True)
    birth_date_estimated = serializers.BooleanField()
    age = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_since = serializers.DateTimeField(allow_null=True)
    site = SiteOutput(source="current_site", allow_null=True)
    household = serializers.UUIDField(source="household_id", allow_null=True)
    version = serializers.CharField()

    def get_age(self, person: Person) -> int | None:
        from django.utils import timezone

        if person.date_of_birth is None:
            return None
        return rules.age_on(person.date_of_birth, timezone.localdate())


class HouseholdOutput(serializers.Serializer[Any]):
    """A household; its shelter and area are where its members sleep, so they are shown only
    when the caller's context says `location_visible` (null otherwise)."""

    id = serializers.UUIDField()
    ration_card = serializers.CharField(allow_null=True)
    shelter = serializers.CharField(allow_null=True)
    site = SiteOutput(allow_null=True)
    area = serializers.CharField(allow_null=True)
    head = serializers.UUIDField(source="head_id", allow_null=True)
    notes = serializers.CharField()
    version = serializers.CharField()

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        if not self.context.get("location_visible", False):
            data["shelter"] = None
            data["area"] = None
        return data


class PersonOutput(PersonSummaryOutput):
    """A person's identity as a registrar sees it: no location, no conditions."""

    languages = serializers.ListField(child=serializers.CharField())
    callsign = serializers.CharField()
    phone = serializers.CharField()
    notes = serializers.CharField()
    merged_into = serializers.UUIDField(source="merged_into_id", allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="PersonLocationOutput")
class LocationOutput(serializers.Serializer[Any]):
    """Where a person is: shown only to roles that may see locations."""

    site = SiteOutput(source="current_site", allow_null=True)
    area = serializers.CharField(source="current_area")
    latitude = serializers.FloatField(source="current_latitude", allow_null=True)
    longitude = serializers.FloatField(source="current_longitude", allow_null=True)
    since = serializers.DateTimeField(source="status_since", allow_null=True)


class ConditionNowOutput(serializers.Serializer[Any]):
    condition = serializers.ChoiceField(choices=Condition.choices)
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    since = serializers.DateTimeField()


class TimelineEntryOutput(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(
        choices=[
            ("registered", "Registered"),
            ("status", "Status"),
            ("condition", "Condition"),
            ("merge", "Merge"),
        ]
    )
    title = serializers.CharField()
    detail = serializers.CharField()
    by = serializers.CharField()


class PersonDetailOutput(PersonOutput):
    """One person as `selectors.person_record` lets the actor see them: the location only
    when the role may see it, the current conditions the role may see, and the timeline."""

    location = LocationOutput(allow_null=True)
    conditions = ConditionNowOutput(many=True)
    timeline = TimelineEntryOutput(many=True)
    merged_records = serializers.ListField(child=serializers.UUIDField())

    def to_representation(self, instance: Any) -> dict[str, Any]:
        from lifeline.people.selectors import PersonRecord

        record: PersonRecord = instance
        data = dict(PersonOutput(record.person, context=self.context).data)
        data["age"] = record.age
        if not record.notes_visible:
            data["notes"] = ""
        data["location"] = LocationOutput(record.person).data if record.location_visible else None
        data["conditions"] = ConditionNowOutput(record.conditions, many=True).data
        data["timeline"] = TimelineEntryOutput(record.timeline, many=True).data
        data["merged_records"] = [str(p.pk) for p in record.merged_records]
        return data


class EventLocationOutput(serializers.Serializer[Any]):
    area = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class StatusEventOutput(serializers.Serializer[Any]):
    """A recorded status event; its area and coordinates only for roles that see locations
    (the serializer context says so with `location_visible`)."""

    id = serializers.UUIDField()
    person = serializers.UUIDField(source="person_id")
    status = serializers.ChoiceField(choices=Status.choices)
    site = SiteOutput(allow_null=True)
    location = serializers.SerializerMethodField()
    occurred_at = serializers.DateTimeField()
    note = serializers.CharField()
    recorded_by = serializers.SerializerMethodField()
    version = serializers.CharField()

    @extend_schema_field(EventLocationOutput(allow_null=True))
    def get_location(self, event: Any) -> dict[str, Any] | None:
        if not self.context.get("location_visible"):
            return None
        return dict(EventLocationOutput(event).data)

    def get_recorded_by(self, event: Any) -> str:
        return event.recorded_by.get_username() if event.recorded_by_id else ""


class ConditionObservationOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    person = serializers.UUIDField(source="person_id")
    condition = serializers.ChoiceField(choices=Condition.choices)
    present = serializers.BooleanField()
    note = serializers.CharField()
    observed_at = serializers.DateTimeField()
    observed_by = serializers.SerializerMethodField()
    version = serializers.CharField()

    def get_observed_by(self, observation: Any) -> str:
        return observation.observed_by.get_username() if observation.observed_by_id else ""


class MergeUndoInput(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class PersonMergeOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    survivor = serializers.UUIDField(source="survivor_id")
    duplicate = serializers.UUIDField(source="duplicate_id")
    reason = serializers.CharField()
    merged_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    undone_at = serializers.DateTimeField(allow_null=True)
    version = serializers.CharField()

    def get_merged_by(self, merge: Any) -> str:
        return merge.merged_by.get_username() if merge.merged_by_id else ""


class HouseholdFilterInput(serializers.Serializer[Any]):
    q = serializers.CharField(max_length=200, required=False, allow_blank=True)
    site = serializers.CharField(max_length=64, required=False, allow_blank=True)


class HouseholdDetailOutput(HouseholdOutput):
    """A household with its members (`members` is given by the caller, from the selector)."""

    members = serializers.SerializerMethodField()

    @extend_schema_field(PersonSummaryOutput(many=True))
    def get_members(self, household: Any) -> list[dict[str, Any]]:
        members = self.context.get("members", [])
        return [dict(row) for row in PersonSummaryOutput(members, many=True).data]
