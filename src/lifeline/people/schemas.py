"""The one schema of each registry input and output. The API, the CLI, CSV import and the
web forms all parse with these serializers, then call `people.services`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework import serializers

from lifeline.core.models import Site
from lifeline.people import rules
from lifeline.people.models import Condition, Household, Person, Sex, Status


class SiteField(serializers.SlugRelatedField[Site]):
    """A site by code (`desert-base`) or by id."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=Site.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Site:
        site = Site.objects.filter(code=str(data)).first()
        if site is None:
            try:
                site = Site.objects.filter(pk=str(data)).first()
            except (ValueError, TypeError, ValidationError):  # a malformed id: not found
                site = None
        if site is None:
            self.fail("does_not_exist", slug_name="code", value=str(data))
        return site


class HouseholdRefField(serializers.PrimaryKeyRelatedField[Household]):
    def get_queryset(self) -> Any:
        return Household.objects.alive()


class PersonRefField(serializers.PrimaryKeyRelatedField[Person]):
    def get_queryset(self) -> Any:
        return Person.objects.alive()


class NameListField(serializers.ListField):
    child = serializers.CharField(max_length=100)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)


class PersonInput(serializers.Serializer[Any]):
    """Registering a person: identity, the first status and place, conditions seen at intake."""

    given_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    other_names = NameListField(required=False)
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

    given_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    other_names = NameListField(required=False)
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
    sex = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    birth_date_estimated = serializers.BooleanField()
    age = serializers.SerializerMethodField()
    status = serializers.CharField()
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
    id = serializers.UUIDField()
    ration_card = serializers.CharField(allow_null=True)
    shelter = serializers.CharField()
    site = SiteOutput(allow_null=True)
    area = serializers.CharField()
    head = serializers.UUIDField(source="head_id", allow_null=True)
    notes = serializers.CharField()
    version = serializers.CharField()
