"""The one schema of each treatment and allocation input and output: the API, the CLI and the
pages parse with these serializers, then call `care.treatments.services` or
`care.treatments.selectors`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lifeline.care import allocation as rule
from lifeline.care.models import Benefit, Patient
from lifeline.care.treatments.services import MAX_DOSES, MAX_EVERY_HOURS
from lifeline.core.schemas import ByCodeOrIdField
from lifeline.supplies.fields import ItemField, LocationField


@extend_schema_field(OpenApiTypes.UUID)
class PatientField(ByCodeOrIdField):
    model = Patient
    by_code = False


# The expected benefit as the form and the API docs explain it (labels of its own also keep
# its enum apart from other high/medium/low sets in the schema).
BENEFIT_CHOICES = [
    (Benefit.HIGH.value, "High: the medicine is likely to change the outcome"),
    (Benefit.MEDIUM.value, "Medium: it may help"),
    (Benefit.LOW.value, "Low: unlikely to change the outcome"),
]


def _user(value: Any) -> str | None:
    return value.get_username() if value is not None else None


class TreatmentInput(serializers.Serializer[Any]):
    patient = PatientField()
    item = ItemField(help_text="the medicine, by its catalogue code")
    dose_quantity = serializers.DecimalField(
        max_digits=10, decimal_places=3, min_value=0, help_text="one dose, in the item's unit"
    )
    every_hours = serializers.IntegerField(min_value=1, max_value=MAX_EVERY_HOURS)
    doses = serializers.IntegerField(min_value=1, max_value=MAX_DOSES)
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    store = LocationField(
        required=False,
        allow_null=True,
        help_text="where the doses come from; default: the site's care.store or only store",
    )
    benefit = serializers.ChoiceField(
        choices=BENEFIT_CHOICES,
        default=Benefit.MEDIUM,
        help_text="the expected benefit for this patient (the allocation rule reads it)",
    )
    indication = serializers.CharField(max_length=200, required=False, allow_blank=True)
    dose_unit = serializers.CharField(max_length=20, required=False, allow_blank=True)


class DoseInput(serializers.Serializer[Any]):
    given_at = serializers.DateTimeField(required=False, allow_null=True)
    quantity = serializers.DecimalField(
        max_digits=10, decimal_places=3, min_value=0, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=(
            "why a dose is given off the schedule (its slot already given, outside the course) "
            "or above the prescribed quantity; refused without one"
        ),
    )


class StopInput(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=300)


class SlotOutput(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    due_at = serializers.DateTimeField()
    state = serializers.CharField(help_text="given, missed, due or upcoming")
    given_at = serializers.DateTimeField(allow_null=True)


class DoseOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    treatment = serializers.UUIDField(source="treatment_id")
    given_at = serializers.DateTimeField()
    quantity = serializers.DecimalField(max_digits=10, decimal_places=3)
    given_by = serializers.SerializerMethodField()
    movement = serializers.UUIDField(source="movement_id")
    movement_ids = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()

    def get_given_by(self, dose: Any) -> str | None:
        return _user(dose.given_by)


class TreatmentOutput(serializers.Serializer[Any]):
    """A course as it stands: the prescription, the doses given, next due and missed."""

    id = serializers.UUIDField(source="treatment.pk")
    patient = serializers.UUIDField(source="treatment.patient_id")
    item = serializers.CharField(source="treatment.item.code")
    item_name = serializers.CharField(source="treatment.item.name")
    store = serializers.CharField(source="treatment.store.code")
    dose_quantity = serializers.DecimalField(
        source="treatment.dose_quantity", max_digits=10, decimal_places=3
    )
    dose_unit = serializers.CharField(source="treatment.dose_unit")
    every_hours = serializers.IntegerField(source="treatment.every_hours")
    doses = serializers.IntegerField(source="treatment.doses")
    starts_at = serializers.DateTimeField(source="treatment.starts_at")
    benefit = serializers.CharField(source="treatment.benefit")
    indication = serializers.CharField(source="treatment.indication")
    prescribed_at = serializers.DateTimeField(source="treatment.prescribed_at")
    stopped_at = serializers.DateTimeField(source="treatment.stopped_at", allow_null=True)
    stop_reason = serializers.CharField(source="treatment.stop_reason")
    given = serializers.IntegerField()
    remaining = serializers.IntegerField()
    next_due = serializers.DateTimeField(allow_null=True)
    missed = SlotOutput(many=True)
    schedule = SlotOutput(source="schedule.slots", many=True)
    dose_rows = DoseOutput(source="doses", many=True)


class TreatmentFilterInput(serializers.Serializer[Any]):
    patient = PatientField(required=False, allow_null=True)
    item = ItemField(required=False, allow_null=True)


class AllocationProposeInput(serializers.Serializer[Any]):
    item = ItemField()
    store = LocationField()
    partial_courses = serializers.BooleanField(
        default=False,
        help_text="allow a partial course to the first patient not fully served "
        "(never for antibiotics)",
    )


class OverrideInput(serializers.Serializer[Any]):
    patient = serializers.CharField(help_text="the patient's (or the course's) id")
    action = serializers.ChoiceField(choices=[rule.GIVE, rule.WITHHOLD])
    reason = serializers.CharField(max_length=300)
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=0, required=False, allow_null=True
    )


class AllocationConfirmInput(serializers.Serializer[Any]):
    overrides = OverrideInput(many=True, required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AllocationRowOutput(serializers.Serializer[Any]):
    patient = serializers.CharField(source="patient_id")
    treatment = serializers.CharField(source="treatment_id")
    name = serializers.CharField()
    category = serializers.CharField()
    benefit = serializers.CharField()
    age_years = serializers.IntegerField(allow_null=True)
    waiting_since = serializers.DateTimeField(allow_null=True)
    need = serializers.DecimalField(max_digits=14, decimal_places=3)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    rank = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    override = serializers.CharField()


class JumpOutput(serializers.Serializer[Any]):
    served = serializers.CharField()
    served_category = serializers.CharField()
    passed_over = serializers.CharField()
    passed_over_category = serializers.CharField()


class AllocationSummaryOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    item = serializers.CharField(source="item.code")
    store = serializers.CharField(source="store.code")
    stock = serializers.DecimalField(max_digits=14, decimal_places=3)
    status = serializers.CharField()
    partial_courses = serializers.BooleanField(source="partial")
    children_first = serializers.BooleanField()
    proposed_at = serializers.DateTimeField()
    proposed_by = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.SerializerMethodField()
    note = serializers.CharField()
    jumps = JumpOutput(many=True)

    def get_proposed_by(self, decision: Any) -> str | None:
        return _user(decision.proposed_by)

    def get_decided_by(self, decision: Any) -> str | None:
        return _user(decision.decided_by)


class AllocationOutput(serializers.Serializer[Any]):
    """An allocation: who gets how much, who goes without and why, and its decision."""

    decision = AllocationSummaryOutput()
    notes = serializers.SerializerMethodField()
    given = serializers.DecimalField(max_digits=14, decimal_places=3)
    needed = serializers.DecimalField(max_digits=14, decimal_places=3)
    rows = AllocationRowOutput(many=True)

    def get_notes(self, view: Any) -> list[str]:
        return list(view.notes)
