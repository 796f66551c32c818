"""Input and output schemas of name search, duplicates, tracing and protection cases: the one
schema for the API, the CLI and the pages (as `people.schemas` is for the registry)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import serializers

from lifeline.people import rules
from lifeline.people.fields import PersonRefField
from lifeline.people.models import (
    CareArrangement,
    CaseKind,
    CaseOutcome,
    Person,
    ProtectionCase,
    RiskLevel,
    Sex,
    TracingCloseReason,
    TracingMatch,
    TracingRequest,
    TracingStatus,
)


class PersonRefOutput(serializers.Serializer[Person]):
    id = serializers.UUIDField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    sex = serializers.CharField()
    age = serializers.SerializerMethodField()
    household = serializers.UUIDField(source="household_id", allow_null=True)

    def get_age(self, person: Person) -> int | None:
        if person.date_of_birth is None:
            return None
        return rules.age_on(person.date_of_birth, timezone.localdate())


class SearchInput(serializers.Serializer[Any]):
    q = serializers.CharField(max_length=300, help_text="Names in any spelling, script or order.")
    age = serializers.IntegerField(required=False, min_value=0, max_value=rules.MAX_AGE_YEARS)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    site = serializers.CharField(required=False, max_length=50, help_text="Site code.")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=10)


class SearchMatchOutput(serializers.Serializer[Any]):
    person = PersonRefOutput()
    score = serializers.FloatField()
    name_score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class DuplicateOutput(serializers.Serializer[Any]):
    first = PersonRefOutput()
    second = PersonRefOutput()
    score = serializers.FloatField(help_text="How likely the two are one person (calibrated).")
    reasons = serializers.ListField(child=serializers.CharField())


class DuplicateMergeInput(serializers.Serializer[Any]):
    survivor = PersonRefField(help_text="The record kept.")
    duplicate = PersonRefField(help_text="The record folded into it.")
    reason = serializers.CharField(max_length=300, help_text="Why these are one person.")


class DuplicateDismissInput(serializers.Serializer[Any]):
    first = PersonRefField()
    second = PersonRefField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DuplicateDecisionOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    first = serializers.UUIDField(source="first_id")
    second = serializers.UUIDField(source="second_id")
    outcome = serializers.CharField()
    reason = serializers.CharField()
    likelihood = serializers.FloatField(allow_null=True)
    created_at = serializers.DateTimeField()


class TracingInput(serializers.Serializer[Any]):
    seeker = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.alive(),
        required=False,
        allow_null=True,
        help_text="The registered person who is looking (or give seeker_name).",
    )
    seeker_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    seeker_contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    other_names = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=10
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    age_years = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=rules.MAX_AGE_YEARS
    )
    relation = serializers.CharField(required=False, allow_blank=True, max_length=40)
    last_seen_place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    last_seen_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class TracingFilterInput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=TracingStatus.choices, required=False)


class TracingMatchOutput(serializers.ModelSerializer[TracingMatch]):
    person = PersonRefOutput()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)

    class Meta:
        model = TracingMatch
        fields = ["id", "person", "score", "reasons", "status", "decided_by", "decided_at", "note"]


class TracingOutput(serializers.ModelSerializer[TracingRequest]):
    seeker = PersonRefOutput(allow_null=True)
    found_person = PersonRefOutput(allow_null=True)

    class Meta:
        model = TracingRequest
        fields = [
            "id", "seeker", "seeker_name", "seeker_contact", "given_name", "family_name",
            "other_names", "sex", "age_years", "relation", "last_seen_place", "last_seen_on",
            "notes", "status", "found_person", "created_at", "closed_at", "closed_reason",
            "closed_note",
        ]  # fmt: skip


class TracingDetailOutput(TracingOutput):
    matches = TracingMatchOutput(many=True)  # rendered by the view from tracing_matches()

    class Meta(TracingOutput.Meta):
        fields = [*TracingOutput.Meta.fields, "matches"]


class TracingCloseInput(serializers.Serializer[Any]):
    """Closing a request without a confirmed match."""

    reason = serializers.ChoiceField(
        choices=[
            (c.value, c.label)
            for c in (TracingCloseReason.FOUND_ELSEWHERE, TracingCloseReason.WITHDRAWN)
        ],
        help_text="found_elsewhere (found by other means) or withdrawn (by the seeker).",
    )
    note = serializers.CharField(max_length=300, help_text="How, by whom, why.")


class DecisionInput(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class CaseOutput(serializers.ModelSerializer[ProtectionCase]):
    child = PersonRefOutput()
    caseworker = serializers.CharField(source="caseworker.username", allow_null=True, default=None)

    class Meta:
        model = ProtectionCase
        fields = [
            "id", "child", "kind", "care_arrangement", "carer", "risk_level", "caseworker",
            "status", "last_follow_up", "next_follow_up", "notes", "created_at", "closed_at",
            "outcome",
        ]  # fmt: skip


class CaseFilterInput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=[("open", "Open"), ("closed", "Closed"), ("all", "All")], required=False
    )


class CaseUpdateInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=CaseKind.choices, required=False)
    care_arrangement = serializers.ChoiceField(choices=CareArrangement.choices, required=False)
    carer = serializers.CharField(required=False, allow_blank=True, max_length=200)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    caseworker = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    last_follow_up = serializers.DateField(required=False, allow_null=True)
    next_follow_up = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=8000)


class CaseCloseInput(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices)
    note = serializers.CharField(max_length=300, help_text="With whom, where, how it went.")
