"""Builders for care rows, shared by the tests and by core's replication test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from lifeline.care.models import Death, Patient, TriageAssessment, VitalSigns
from lifeline.core.clock import site_local
from lifeline.core.models import ReplicatedModel
from lifeline.people.models import Person


def patient_new() -> Patient:
    """A patient not yet saved."""
    person = Person(given_name="Amal")
    person.save()
    return Patient(person=person, site=site_local(), place="granary")


def patient_row() -> Patient:
    patient = patient_new()
    patient.save()
    return patient


def death_row() -> Death:
    patient = patient_row()
    return Death(patient=patient, person=patient.person, died_at=timezone.now(), cause="sepsis")


FACTORIES: dict[type[ReplicatedModel], tuple[Callable[[], ReplicatedModel], str, Any]] = {
    Patient: (patient_new, "place", "truck"),
    TriageAssessment: (
        lambda: TriageAssessment(
            patient=patient_row(),
            algorithm="start",
            answers={"walks": True},
            path=[{"question": "walks", "answer": True}],
            algorithm_category="minor",
            category="minor",
        ),
        "reason",
        "walks",
    ),
    VitalSigns: (lambda: VitalSigns(patient=patient_row(), pulse=88), "note", "steady"),
    Death: (death_row, "note", "at dawn"),
}
