"""Care rows that arrive from another site: the patient board places a patient by the latest
triage, whichever site recorded it (the board's cache is derived, never shipped)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lifeline.care import selectors
from lifeline.care.models import Patient, TriageAssessment
from lifeline.core.tests.arrivals import row_arrive, rows_applied, site_remote

pytestmark = pytest.mark.django_db


def _triage_from(patient: Patient, category: str, minutes_ago: int) -> TriageAssessment:
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    row = TriageAssessment(
        patient=patient,
        algorithm="start",
        algorithm_category=category,
        category=category,
        assessed_at=at,
        retriage_due_at=at + dt.timedelta(minutes=15),
    )
    return row_arrive(row, site=site_remote())


def _board(medic: Any) -> dict[str, list[Any]]:
    board = selectors.patient_board(actor=medic)
    return {g.key: [r.patient.pk for r in g.rows] for g in board.groups}


def test_a_triage_recorded_at_another_site_places_the_patient_on_the_board(
    amal_patient: Patient, medic: Any
) -> None:
    assert _board(medic)["untriaged"] == [amal_patient.pk]
    rows_applied(_triage_from(amal_patient, "immediate", 5))
    board = _board(medic)
    assert (board["untriaged"], board["immediate"]) == ([], [amal_patient.pk])


def test_an_older_triage_arriving_late_does_not_move_the_patient_back(
    amal_patient: Patient, medic: Any
) -> None:
    newer, older = (
        _triage_from(amal_patient, "delayed", 1),
        _triage_from(amal_patient, "immediate", 30),
    )
    rows_applied(newer)
    rows_applied(older)
    assert _board(medic)["delayed"] == [amal_patient.pk]
