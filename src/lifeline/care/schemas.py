"""The one schema of each care input and output: the API, the CLI and the web forms parse with
these serializers, then call `care.services` or `care.selectors`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

from lifeline.care.models import AvpuChoices
from lifeline.care.services import VITAL_BOUNDS
from lifeline.care.triage import QUESTIONS, Question
from lifeline.core.schemas import SiteField
from lifeline.people.fields import PersonRefField
from lifeline.people.models import MEDICAL_CONDITIONS, Condition

# What may bring a person to care: the registry's medical conditions, in its order.
ADMIT_CONDITIONS = [(c.value, c.label) for c in Condition if c in MEDICAL_CONDITIONS]


def _answer_field(question: Question) -> serializers.Field[Any, Any, Any, Any]:
    spec = QUESTIONS[question]
    common: dict[str, Any] = {"required": False, "allow_null": True, "help_text": spec.prompt}
    if spec.kind == "bool":
        return serializers.BooleanField(**common)
    if spec.kind == "choice":
        return serializers.ChoiceField(choices=AvpuChoices, **common)
    if spec.kind == "int":
        return serializers.IntegerField(
            min_value=int(spec.minimum or 0), max_value=int(spec.maximum or 0), **common
        )
    return serializers.FloatField(
        min_value=spec.minimum or 0.0, max_value=spec.maximum or 0.0, **common
    )


class TriageAnswersInput(serializers.Serializer[Any]):
    """The answers given so far; the algorithm says which it needs (see /triage/next/)."""

    walks = _answer_field(Question.WALKS)
    breathes = _answer_field(Question.BREATHES)
    breathes_after_airway = _answer_field(Question.BREATHES_AFTER_AIRWAY)
    peripheral_pulse = _answer_field(Question.PERIPHERAL_PULSE)
    breathes_after_rescue_breaths = _answer_field(Question.BREATHES_AFTER_RESCUE_BREATHS)
    respiratory_rate = _answer_field(Question.RESPIRATORY_RATE)
    radial_pulse = _answer_field(Question.RADIAL_PULSE)
    capillary_refill_seconds = _answer_field(Question.CAPILLARY_REFILL)
    obeys_commands = _answer_field(Question.OBEYS_COMMANDS)
    avpu = _answer_field(Question.AVPU)

    def to_internal_value(self, data: Any) -> Any:
        # A misspelt question is an error, not an answer silently dropped.
        if isinstance(data, Mapping):
            unknown = sorted(str(k) for k in data if k not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {k: [f"is not a triage question ({', '.join(self.fields)})"] for k in unknown}
                )
        return super().to_internal_value(data)


def answers_clean(values: dict[str, Any]) -> dict[str, Any]:
    """The answers actually given (a null or a missing answer is no answer)."""
    return {k: v for k, v in values.items() if v is not None and v != ""}


class TriagePreviewInput(serializers.Serializer[Any]):
    answers = TriageAnswersInput(required=False)
    looks_like_child = serializers.BooleanField(required=False, allow_null=True, default=None)


class TriageInput(TriagePreviewInput):
    expectant = serializers.BooleanField(required=False, default=False)
    expectant_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
    assessed_at = serializers.DateTimeField(required=False, allow_null=True)


class AdmitInput(serializers.Serializer[Any]):
    person = PersonRefField()
    site = SiteField(required=False, allow_null=True)
    place = serializers.CharField(max_length=80, required=False, allow_blank=True)
    complaint = serializers.CharField(max_length=300, required=False, allow_blank=True)
    arrived_at = serializers.DateTimeField(required=False, allow_null=True)
    condition = serializers.ChoiceField(
        choices=ADMIT_CONDITIONS,
        required=False,
        allow_blank=True,
        help_text="What brings the person to care: malnourished, ill, pregnant, wounded...",
    )


def _vital(name: str, *, integer: bool = True) -> serializers.Field[Any, Any, Any, Any]:
    low, high = VITAL_BOUNDS[name]
    if integer:
        return serializers.IntegerField(
            min_value=int(low), max_value=int(high), required=False, allow_null=True
        )
    return serializers.FloatField(min_value=low, max_value=high, required=False, allow_null=True)


class VitalsInput(serializers.Serializer[Any]):
    respiratory_rate = _vital("respiratory_rate")
    pulse = _vital("pulse")
    capillary_refill_seconds = _vital("capillary_refill_seconds", integer=False)
    spo2 = _vital("spo2")
    temperature_c = _vital("temperature_c", integer=False)
    systolic_bp = _vital("systolic_bp")
    diastolic_bp = _vital("diastolic_bp")
    avpu = serializers.ChoiceField(choices=AvpuChoices, required=False, allow_blank=True)
    gcs = _vital("gcs")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    observed_at = serializers.DateTimeField(required=False, allow_null=True)


VITAL_NAMES = (*VITAL_BOUNDS, "avpu")


def vitals_split(values: dict[str, Any]) -> dict[str, Any]:
    """The service's arguments from VitalsInput's values: the signs given, apart."""
    signs = {k: values[k] for k in VITAL_NAMES if values.get(k) not in (None, "")}
    return {
        "values": signs,
        "note": values.get("note", ""),
        "observed_at": values.get("observed_at"),
    }


class DeathInput(serializers.Serializer[Any]):
    cause = serializers.CharField(max_length=300)
    died_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class DischargeInput(serializers.Serializer[Any]):
    transferred = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    at = serializers.DateTimeField(required=False, allow_null=True)


# ---- outputs -------------------------------------------------------------------------------


class PatientOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    person = serializers.UUIDField(source="person_id")
    person_name = serializers.CharField(source="person.full_name")
    site = serializers.UUIDField(source="site_id")
    place = serializers.CharField()
    arrived_at = serializers.DateTimeField()
    complaint = serializers.CharField()
    status = serializers.CharField()
    category = serializers.CharField()
    triaged_at = serializers.DateTimeField(allow_null=True)
    retriage_due_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    version = serializers.CharField()


class TriageStepOutput(serializers.Serializer[Any]):
    question = serializers.CharField()
    answer = serializers.JSONField()


class TriageOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    algorithm = serializers.CharField()
    looks_like_child = serializers.BooleanField(allow_null=True)
    age_years = serializers.IntegerField(allow_null=True)
    answers = serializers.JSONField()
    path = TriageStepOutput(many=True)
    algorithm_category = serializers.CharField()
    reason = serializers.CharField()
    category = serializers.CharField()
    override_reason = serializers.CharField()
    assessed_at = serializers.DateTimeField()
    assessed_by = serializers.CharField(
        source="assessed_by.username", allow_null=True, default=None
    )
    retriage_due_at = serializers.DateTimeField(allow_null=True)


class TriageQuestionOutput(serializers.Serializer[Any]):
    key = serializers.CharField()
    prompt = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())


class TriagePreviewOutput(serializers.Serializer[Any]):
    """Where the answers so far lead: the category, or the one question to ask next."""

    algorithm = serializers.CharField()
    complete = serializers.BooleanField()
    category = serializers.CharField(allow_null=True)
    reason = serializers.CharField()
    next_question = TriageQuestionOutput(allow_null=True)
    path = TriageStepOutput(many=True)


class VitalsOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    observed_at = serializers.DateTimeField()
    observed_by = serializers.CharField(
        source="observed_by.username", allow_null=True, default=None
    )
    respiratory_rate = serializers.IntegerField(allow_null=True)
    pulse = serializers.IntegerField(allow_null=True)
    capillary_refill_seconds = serializers.FloatField(allow_null=True)
    spo2 = serializers.IntegerField(allow_null=True)
    temperature_c = serializers.FloatField(allow_null=True)
    systolic_bp = serializers.IntegerField(allow_null=True)
    diastolic_bp = serializers.IntegerField(allow_null=True)
    avpu = serializers.CharField()
    gcs = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()


class DeathOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    patient = serializers.UUIDField(source="patient_id")
    person = serializers.UUIDField(source="person_id")
    died_at = serializers.DateTimeField()
    cause = serializers.CharField()
    note = serializers.CharField()
    recorded_by = serializers.CharField(
        source="recorded_by.username", allow_null=True, default=None
    )


class PatientRecordOutput(serializers.Serializer[Any]):
    patient = PatientOutput()
    age = serializers.IntegerField(allow_null=True)
    conditions = serializers.ListField(child=serializers.CharField())
    retriage_overdue = serializers.BooleanField()
    triages = serializers.SerializerMethodField()
    vitals = VitalsOutput(many=True)
    deaths = DeathOutput(many=True)

    def get_triages(self, record: Any) -> list[dict[str, Any]]:
        return [dict(TriageOutput(view.assessment).data) for view in record.triages]


class PatientBoardRowOutput(serializers.Serializer[Any]):
    patient = PatientOutput()
    age = serializers.IntegerField(allow_null=True)
    waiting_minutes = serializers.IntegerField()
    conditions = serializers.ListField(child=serializers.CharField())
    retriage_overdue = serializers.BooleanField()
    vitals = VitalsOutput(allow_null=True)


class PatientBoardGroupOutput(serializers.Serializer[Any]):
    key = serializers.CharField()
    # Declared fields are collected by the metaclass; Field.label is unaffected.
    label = serializers.CharField()  # type: ignore[assignment]
    rows = PatientBoardRowOutput(many=True)


class WoundedPersonOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    full_name = serializers.CharField()


class PatientBoardOutput(serializers.Serializer[Any]):
    groups = PatientBoardGroupOutput(many=True)
    dead = PatientBoardRowOutput(many=True)
    wounded_untriaged = WoundedPersonOutput(many=True)
