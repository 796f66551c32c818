"""The patient board and the patient record: order, flags, audit, query count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lifeline.care import selectors, services
from lifeline.care.models import Patient
from lifeline.care.tests.conftest import START_DELAYED, START_IMMEDIATE, START_MINOR
from lifeline.core.models import AuditEntry
from lifeline.people.models import Person
from lifeline.people.services import person_condition_record, person_register

pytestmark = pytest.mark.django_db


def _admit(medic: Any, commander: Any, name: str, hours_ago: float) -> Patient:
    person = person_register(
        actor=commander,
        given_name=name,
        age_years=30,
        occurred_at=timezone.now() - dt.timedelta(days=1),
    )
    return services.patient_admit(
        actor=medic, person=person, arrived_at=timezone.now() - dt.timedelta(hours=hours_ago)
    )


def test_the_board_lists_untriaged_then_by_category_longest_waiting_first_and_the_dead_apart(
    medic: Any, commander: Any
) -> None:
    minor = _admit(medic, commander, "Maaz", 5)
    immediate_new = _admit(medic, commander, "Amal", 1)
    immediate_old = _admit(medic, commander, "Rachid", 3)
    delayed = _admit(medic, commander, "Meriem", 4)
    untriaged = _admit(medic, commander, "Ilyas", 0.5)
    dead = _admit(medic, commander, "Omar", 2)
    services.triage_record(actor=medic, patient=minor, answers=START_MINOR)
    services.triage_record(actor=medic, patient=immediate_new, answers=START_IMMEDIATE)
    services.triage_record(actor=medic, patient=immediate_old, answers=START_IMMEDIATE)
    services.triage_record(actor=medic, patient=delayed, answers=START_DELAYED)
    services.death_record(actor=medic, patient=dead, cause="crush injury")

    board = selectors.patient_board(actor=medic)
    order = {g.key: [r.patient.pk for r in g.rows] for g in board.groups}
    assert list(order) == ["untriaged", "immediate", "delayed", "minor", "expectant"]
    assert order == {
        "untriaged": [untriaged.pk],
        "immediate": [immediate_old.pk, immediate_new.pk],
        "delayed": [delayed.pk],
        "minor": [minor.pk],
        "expectant": [],
    }
    assert [r.patient.pk for r in board.dead] == [dead.pk]
    assert board.groups[1].rows[0].waiting_minutes >= 180


def test_a_patient_past_the_re_triage_time_is_flagged_overdue(
    amal_patient: Patient, medic: Any
) -> None:
    services.triage_record(
        actor=medic,
        patient=amal_patient,
        answers=START_IMMEDIATE,
        assessed_at=timezone.now() - dt.timedelta(minutes=20),
    )
    row = selectors.patient_board(actor=medic).groups[1].rows[0]
    assert row.retriage_overdue
    later = selectors.patient_board(actor=medic, now=timezone.now() - dt.timedelta(minutes=10))
    assert not later.groups[1].rows[0].retriage_overdue


def test_the_board_shows_the_latest_vitals_and_the_conditions_now(
    amal_patient: Patient, amal: Person, medic: Any
) -> None:
    earlier = timezone.now() - dt.timedelta(minutes=30)
    services.vitals_record(
        actor=medic, patient=amal_patient, values={"pulse": 120}, observed_at=earlier
    )
    services.vitals_record(actor=medic, patient=amal_patient, values={"pulse": 96})
    person_condition_record(actor=medic, person=amal, condition="dehydrated")
    row = selectors.patient_board(actor=medic).groups[0].rows[0]
    assert row.vitals is not None and row.vitals.pulse == 96
    assert row.conditions == ["Dehydrated", "Wounded"]


def test_the_wounded_in_the_registry_not_in_care_are_offered_for_triage(
    amal: Person, boy: Person, medic: Any, commander: Any
) -> None:
    person_condition_record(actor=commander, person=boy, condition="wounded")
    board = selectors.patient_board(actor=medic)
    assert {p.pk for p in board.wounded_untriaged} == {amal.pk, boy.pk}
    services.patient_admit(actor=medic, person=amal)
    board = selectors.patient_board(actor=medic)
    assert [p.pk for p in board.wounded_untriaged] == [boy.pk]


def test_reading_the_board_and_a_record_is_audited_with_the_patients_read(
    amal_patient: Patient, medic: Any
) -> None:
    selectors.patient_board(actor=medic)
    board_read = AuditEntry.objects.filter(action="read.medical").latest("at")
    assert board_read.detail["patients"] == [str(amal_patient.pk)]
    record = selectors.patient_record(actor=medic, patient_id=amal_patient.pk)
    assert record.patient.pk == amal_patient.pk
    assert AuditEntry.objects.filter(
        action="read.medical", object_id=str(amal_patient.pk), actor=medic
    ).exists()


def test_the_record_holds_every_triage_with_its_path_in_words(
    amal_patient: Patient, medic: Any
) -> None:
    services.triage_record(actor=medic, patient=amal_patient, answers=START_IMMEDIATE)
    record = selectors.patient_record(actor=medic, patient_id=amal_patient.pk)
    [view] = record.triages
    assert view.steps[0].prompt == "Can the patient walk?"


def test_the_board_reads_in_a_bounded_number_of_queries(
    medic: Any, commander: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        patient = _admit(medic, commander, f"Survivor{n}", n)
        services.triage_record(actor=medic, patient=patient, answers=START_DELAYED)
        services.vitals_record(actor=medic, patient=patient, values={"pulse": 80 + n})
        person_condition_record(actor=medic, person=patient.person, condition="malnourished")
    selectors.patient_board(actor=medic)  # the permission cache is warm from here on
    with django_assert_max_num_queries(8):  # 6, and 2 for the courses and their doses
        board = selectors.patient_board(actor=medic)
        assert sum(len(g.rows) for g in board.groups) == 6
        assert all(r.vitals and r.conditions for g in board.groups for r in g.rows)
