"""Admission, triage, vital signs, death and discharge through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lifeline.care import services
from lifeline.care.models import Patient, PatientStatus, TriageAssessment
from lifeline.care.tests.conftest import START_DELAYED, START_IMMEDIATE, START_MINOR
from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.models import AuditEntry, Site
from lifeline.core.services import setting_put
from lifeline.people.models import Person, Status, StatusEvent


def _reload(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


def test_admitting_a_person_shows_them_in_care_in_the_registry(
    amal_patient: Patient, amal: Person
) -> None:
    assert amal_patient.status == PatientStatus.WAITING
    assert amal_patient.place == "granary"
    assert _reload(amal).status == Status.IN_CARE
    assert AuditEntry.objects.filter(action="care.admit", object_id=str(amal_patient.pk)).exists()


def test_a_person_already_in_care_is_not_admitted_twice(
    amal_patient: Patient, amal: Person, medic: Any
) -> None:
    with pytest.raises(Conflict, match="already in care"):
        services.patient_admit(actor=medic, person=amal)


def test_a_record_merged_into_another_is_not_admitted(
    amal: Person, medic: Any, commander: Any
) -> None:
    from lifeline.people.services import person_merge, person_register

    twin = person_register(actor=commander, given_name="Amal", family_name="Ben Ali")
    person_merge(actor=commander, survivor=amal, duplicate=twin, reason="same woman")
    with pytest.raises(Conflict, match=f"merged into record {amal.pk}: admit that one"):
        services.patient_admit(actor=medic, person=twin)


def test_a_triage_or_vitals_before_the_patient_arrived_are_refused(
    amal_patient: Patient, medic: Any
) -> None:
    before = amal_patient.arrived_at - dt.timedelta(minutes=5)
    with pytest.raises(ValidationFailed) as triage:
        services.triage_record(
            actor=medic, patient=amal_patient, answers=START_MINOR, assessed_at=before
        )
    assert triage.value.fields == {"assessed_at": ["is before the patient arrived"]}
    with pytest.raises(ValidationFailed) as vitals:
        services.vitals_record(
            actor=medic, patient=amal_patient, values={"pulse": 80}, observed_at=before
        )
    assert vitals.value.fields == {"observed_at": ["is before the patient arrived"]}
    assert not TriageAssessment.objects.filter(patient=amal_patient).exists()


def test_a_triage_records_the_category_the_path_and_when_to_triage_again(
    amal_patient: Patient, medic: Any
) -> None:
    at = timezone.now() - dt.timedelta(minutes=5)
    row = services.triage_record(
        actor=medic, patient=amal_patient, answers=START_IMMEDIATE, assessed_at=at
    )
    assert row.algorithm == "start" and row.category == row.algorithm_category == "immediate"
    assert [s["question"] for s in row.path] == ["walks", "breathes", "respiratory_rate"]
    assert row.answers == {"walks": False, "breathes": True, "respiratory_rate": 34}
    assert row.retriage_due_at == at + dt.timedelta(minutes=15)
    patient = Patient.objects.get(pk=amal_patient.pk)
    assert patient.category == "immediate" and patient.retriage_due_at == row.retriage_due_at


def test_every_triage_is_kept_and_the_latest_is_the_patient_s_category(
    amal_patient: Patient, medic: Any
) -> None:
    now = timezone.now()
    services.triage_record(
        actor=medic,
        patient=amal_patient,
        answers=START_IMMEDIATE,
        assessed_at=now - dt.timedelta(hours=1),
    )
    services.triage_record(actor=medic, patient=amal_patient, answers=START_DELAYED)
    assert TriageAssessment.objects.filter(patient=amal_patient).count() == 2
    assert Patient.objects.get(pk=amal_patient.pk).category == "delayed"


def test_an_incomplete_triage_is_refused_naming_the_next_question(
    amal_patient: Patient, medic: Any
) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.triage_record(
            actor=medic, patient=amal_patient, answers={"walks": "no", "breathes": "yes"}
        )
    assert list(err.value.fields) == ["respiratory_rate"]
    assert "next question: respiratory_rate" in err.value.message
    assert not TriageAssessment.objects.exists()


def test_a_bad_answer_is_refused_naming_its_question(amal_patient: Patient, medic: Any) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.triage_record(
            actor=medic,
            patient=amal_patient,
            answers={"walks": "perhaps", "pulse_ox": 3},
        )
    assert set(err.value.fields) == {"walks", "pulse_ox"}


def test_the_re_triage_interval_is_the_site_s_setting_when_it_has_one(
    amal_patient: Patient, medic: Any, commander: Any, site: Site
) -> None:
    setting_put(actor=commander, site=site, key="care.retriage_minutes", value={"minor": 240})
    at = timezone.now()
    row = services.triage_record(
        actor=medic, patient=amal_patient, answers=START_MINOR, assessed_at=at
    )
    assert row.retriage_due_at == at + dt.timedelta(minutes=240)


def test_a_young_child_is_triaged_with_jumpstart_and_a_big_one_may_be_by_look(
    boy: Person, medic: Any
) -> None:
    patient = services.patient_admit(actor=medic, person=boy, place="truck")
    answers = {"walks": False, "breathes": True, "respiratory_rate": 50}
    row = services.triage_record(actor=medic, patient=patient, answers=answers)
    assert (row.algorithm, row.category, row.age_years) == ("jumpstart", "immediate", 5)
    # 50 a minute is over JumpSTART's 45; START asks more for a child who looks grown.
    with pytest.raises(ValidationFailed):
        services.triage_record(
            actor=medic, patient=patient, answers={"walks": False}, looks_like_child=False
        )


def test_expectant_is_the_clinician_s_decision_with_a_reason(
    amal_patient: Patient, medic: Any
) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.triage_record(
            actor=medic, patient=amal_patient, answers=START_IMMEDIATE, expectant=True
        )
    assert "expectant_reason" in err.value.fields
    row = services.triage_record(
        actor=medic,
        patient=amal_patient,
        answers=START_IMMEDIATE,
        expectant=True,
        expectant_reason="injuries beyond what the camp can treat",
    )
    assert (row.algorithm_category, row.category) == ("immediate", "expectant")
    assert row.override_reason.startswith("injuries")


def test_a_death_sets_the_person_deceased_in_the_registry_and_closes_the_stay(
    amal_patient: Patient, amal: Person, medic: Any
) -> None:
    died = timezone.now() - dt.timedelta(minutes=30)
    death = services.death_record(
        actor=medic, patient=amal_patient, cause="haemorrhage", died_at=died
    )
    assert death.person_id == amal.pk and death.died_at == died
    person = _reload(amal)
    assert person.status == Status.DECEASED and person.status_since == died
    event = StatusEvent.objects.filter(person=amal).order_by("-occurred_at").first()
    assert event is not None and "haemorrhage" not in event.note
    patient = Patient.objects.get(pk=amal_patient.pk)
    assert patient.status == PatientStatus.DEAD and patient.closed_at == died
    with pytest.raises(Conflict):
        services.death_record(actor=medic, patient=patient, cause="again")
    with pytest.raises(Conflict):
        services.triage_record(actor=medic, patient=patient, answers=START_MINOR)


def test_a_death_needs_a_cause(amal_patient: Patient, medic: Any) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.death_record(actor=medic, patient=amal_patient, cause=" ")
    assert "cause" in err.value.fields
    assert _reload(amal_patient.person).status == Status.IN_CARE


def test_a_discharged_patient_is_present_again_and_a_transferred_one_transferred(
    amal_patient: Patient, amal: Person, boy: Person, medic: Any
) -> None:
    services.patient_discharge(actor=medic, patient=amal_patient, note="wound clean")
    assert Patient.objects.get(pk=amal_patient.pk).status == PatientStatus.DISCHARGED
    assert _reload(amal).status == Status.PRESENT
    other = services.patient_admit(actor=medic, person=boy)
    services.patient_discharge(actor=medic, patient=other, transferred=True)
    assert _reload(boy).status == Status.TRANSFERRED


def test_vital_signs_are_recorded_and_out_of_range_ones_refused(
    amal_patient: Patient, medic: Any
) -> None:
    row = services.vitals_record(
        actor=medic,
        patient=amal_patient,
        values={"respiratory_rate": 22, "pulse": 104, "spo2": 95, "avpu": "alert"},
    )
    assert (row.pulse, row.spo2, row.avpu) == (104, 95, "alert")
    with pytest.raises(ValidationFailed) as err:
        services.vitals_record(
            actor=medic, patient=amal_patient, values={"spo2": 140, "avpu": "sleepy"}
        )
    assert set(err.value.fields) == {"spo2", "avpu"}
    with pytest.raises(ValidationFailed):
        services.vitals_record(actor=medic, patient=amal_patient, values={})
