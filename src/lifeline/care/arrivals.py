"""What care rebuilds when rows arrive from another site (sync's apply hook, registered in
CareConfig.ready): the patient board's cached triage of each patient (category, when triaged,
when due again), derived from the latest assessment whichever site recorded it."""

from __future__ import annotations

import uuid
from collections.abc import Set

from django.db import transaction

from lifeline.care.models import Patient, TriageAssessment


@transaction.atomic
def patients_triage_refresh(ids: Set[uuid.UUID]) -> None:
    """The cached triage of these patients, from their assessments (the latest by time, then
    clock version); a patient who arrives brings none: it is derived, never shipped."""
    latest: dict[uuid.UUID, TriageAssessment] = {}
    rows = TriageAssessment.objects.alive().filter(patient_id__in=list(ids))
    for row in rows.order_by("assessed_at", "version"):
        latest[row.patient_id] = row
    for patient in Patient.objects.filter(pk__in=list(ids)):
        last = latest.get(patient.pk)
        cached = (
            (last.category, last.assessed_at, last.retriage_due_at) if last else ("", None, None)
        )
        if (patient.category, patient.triaged_at, patient.retriage_due_at) != cached:
            patient.category, patient.triaged_at, patient.retriage_due_at = cached
            patient.save(update_fields=["category", "triaged_at", "retriage_due_at"])


def assessments_arrived(ids: Set[uuid.UUID]) -> None:
    patients = set(
        TriageAssessment.objects.filter(pk__in=list(ids)).values_list("patient_id", flat=True)
    )
    patients_triage_refresh(patients)
