"""Writes of care: admission, triage, vital signs, death and discharge. Each is one transaction
that checks the actor's role, validates, writes the rows (the change log follows each save), the
person's status in the registry through people.services, and the audit row.

Audit summaries name no diagnosis, category or cause: the audit log is read more widely than
medical records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.care import triage
from lifeline.care.models import (
    OPEN_STATUSES,
    Death,
    Patient,
    PatientStatus,
    TriageAssessment,
    VitalSigns,
)
from lifeline.care.triage import Category, Question
from lifeline.core.clock import site_local
from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.models import Site
from lifeline.core.services import (
    Actor,
    actor_user,
    audit_record,
    permission_require,
    setting_get,
)
from lifeline.people import rules
from lifeline.people.models import MEDICAL_CONDITIONS, Person, Status
from lifeline.people.services import person_condition_record, person_status_record

# A time may be stamped a little ahead of the server clock (an unsynced tablet).
FUTURE_TOLERANCE = dt.timedelta(minutes=10)
# Minutes until a patient of each category is triaged again; a site overrides any of them with
# the setting RETRIAGE_SETTING, e.g. {"immediate": 10}. The dead are not re-triaged.
RETRIAGE_SETTING = "care.retriage_minutes"
RETRIAGE_MINUTES_DEFAULT: dict[str, int] = {
    Category.IMMEDIATE: 15,
    Category.DELAYED: 60,
    Category.MINOR: 120,
    Category.EXPECTANT: 30,
}
# Bounds of the vital signs a form may record (beyond them the number is a typing mistake).
VITAL_BOUNDS: dict[str, tuple[float, float]] = {
    "respiratory_rate": (0, 150),
    "pulse": (0, 300),
    "capillary_refill_seconds": (0, 30),
    "spo2": (0, 100),
    "temperature_c": (25, 45),
    "systolic_bp": (0, 300),
    "diastolic_bp": (0, 250),
    "gcs": (3, 15),
}


def _when_check(moment: dt.datetime | None, name: str) -> dict[str, list[str]]:
    if moment is None:
        return {}
    if timezone.is_naive(moment):
        return {name: ["must include a time zone"]}
    if moment > timezone.now() + FUTURE_TOLERANCE:
        return {name: ["is in the future"]}
    return {}


def _patient_lock(patient: Patient) -> Patient:
    locked = Patient.objects.select_for_update().select_related("person").get(pk=patient.pk)
    if locked.is_deleted:
        raise Conflict(_("patient %(pk)s was deleted") % {"pk": patient.pk})
    return locked


def _open_required(patient: Patient, doing: str) -> None:
    if patient.status not in OPEN_STATUSES:
        raise Conflict(
            _("cannot %(doing)s: the patient's stay is %(status)s")
            % {"doing": doing, "status": patient.get_status_display()}
        )


def _after_arrival_require(patient: Patient, when: dt.datetime, field: str) -> None:
    if when < patient.arrived_at:
        raise ValidationFailed({field: [_("is before the patient arrived")]})


def retriage_minutes(*, site: Site) -> dict[str, int]:
    """Minutes to the next triage by category at this site (defaults and the site's setting)."""
    minutes = dict(RETRIAGE_MINUTES_DEFAULT)
    configured = setting_get(site=site, key=RETRIAGE_SETTING, default=None)
    if isinstance(configured, dict):
        for name, value in configured.items():
            if name in minutes and isinstance(value, int) and value > 0:
                minutes[name] = value
    return minutes


def age_years_on(person: Person, day: dt.date) -> int | None:
    return rules.age_on(person.date_of_birth, day) if person.date_of_birth else None


def answers_coerce(raw: Mapping[str, object]) -> dict[str, triage.Answer]:
    """The answers in their types; ValidationFailed naming each bad answer (and unknown ones)."""
    problems: dict[str, list[str]] = {}
    answers: dict[str, triage.Answer] = {}
    for name, value in raw.items():
        if value is None or value == "":
            continue
        try:
            question = Question(name)
        except ValueError:
            problems[name] = [_("is not a triage question")]
            continue
        try:
            answers[name] = triage.answer_coerce(question, value)
        except triage.AnswerInvalid as exc:
            problems[name] = [_(exc.message) % exc.params if exc.params else _(exc.message)]
    if problems:
        raise ValidationFailed(problems)
    return answers


@transaction.atomic
def patient_admit(
    *,
    actor: Actor | None,
    person: Person,
    site: Site | None = None,
    place: str = "",
    arrived_at: dt.datetime | None = None,
    complaint: str = "",
    condition: str = "",
) -> Patient:
    """Open a stay in care for a person; the registry shows them in care. `condition`: what
    brings them (malnourished, ill, pregnant, wounded...), recorded in the registry as seen at
    admission."""
    permission_require(actor, "care.record_care", doing=_("admit patients"))
    problems = _when_check(arrived_at, "arrived_at")
    if condition and condition not in MEDICAL_CONDITIONS:
        problems["condition"] = [
            _("must be one of %(join)s") % {"join": ", ".join(sorted(MEDICAL_CONDITIONS))}
        ]
    if len(place) > 80:
        problems["place"] = [_("at most 80 characters")]
    if len(complaint) > 300:
        problems["complaint"] = [_("at most 300 characters")]
    if problems:
        raise ValidationFailed(problems)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.merged_into_id is not None:
        raise Conflict(
            _("%(person)s was merged into record %(merged_into_id)s: admit that one")
            % {"person": person, "merged_into_id": person.merged_into_id}
        )
    if person.is_deleted:
        raise Conflict(_("%(person)s was deleted") % {"person": person})
    if person.status == Status.DECEASED:
        raise Conflict(_("%(person)s is recorded as deceased") % {"person": person})
    already = Patient.objects.alive().filter(person=person, status__in=OPEN_STATUSES).first()
    if already is not None:
        raise Conflict(
            _("%(person)s is already in care (patient %(pk)s)")
            % {"person": person, "pk": already.pk}
        )
    when = arrived_at or timezone.now()
    patient = Patient(
        person=person,
        site=site or site_local(),
        place=place.strip(),
        arrived_at=when,
        complaint=complaint.strip(),
        admitted_by=actor_user(actor),
    )
    patient.save()
    if person.status != Status.IN_CARE:
        person_status_record(
            actor=actor,
            person=person,
            status=Status.IN_CARE,
            site=patient.site,
            area=patient.place,
            occurred_at=when,
            note="admitted to care",
        )
    if condition:
        person_condition_record(
            actor=actor,
            person=person,
            condition=condition,
            present=True,
            note="seen at admission to care",
            observed_at=when,
        )
    audit_record(actor=actor, action="care.admit", obj=patient, summary=person.full_name)
    return patient


@transaction.atomic
def triage_record(
    *,
    actor: Actor | None,
    patient: Patient,
    answers: Mapping[str, object],
    looks_like_child: bool | None = None,
    expectant: bool = False,
    expectant_reason: str = "",
    assessed_at: dt.datetime | None = None,
) -> TriageAssessment:
    """Triage (or re-triage) a patient: START or JumpSTART by age or look, with the answers the
    algorithm needs. An incomplete set is refused naming the next question; a clinician may
    record expectant, with a reason, over the algorithm's category."""
    permission_require(actor, "care.record_care", doing=_("triage patients"))
    problems = _when_check(assessed_at, "assessed_at")
    if problems:
        raise ValidationFailed(problems)
    patient = _patient_lock(patient)
    _open_required(patient, "triage")
    coerced = answers_coerce(answers)
    when = assessed_at or timezone.now()
    _after_arrival_require(patient, when, "assessed_at")
    age = age_years_on(patient.person, timezone.localdate(when))
    algorithm = triage.algorithm_for(age_years=age, looks_like_child=looks_like_child)
    outcome = triage.triage_assess(algorithm, coerced)
    if outcome.category is None:
        question = cast(Question, outcome.next_question)  # an incomplete walk names it
        raise ValidationFailed(
            {
                question.value: _("needed next: %(prompt)s")
                % {"prompt": _(triage.QUESTIONS[question].prompt)}
            },
            message=_("the answers are incomplete; next question: %(value)s")
            % {"value": question.value},
        )
    category, refused = triage.category_final(
        outcome.category, expectant=expectant, reason=expectant_reason
    )
    if refused:
        raise ValidationFailed({"expectant_reason": [_(problem) for problem in refused]})
    if len(expectant_reason) > 300:
        raise ValidationFailed({"expectant_reason": [_("at most 300 characters")]})
    minutes = retriage_minutes(site=patient.site).get(category)
    due = when + dt.timedelta(minutes=minutes) if minutes else None
    row = TriageAssessment(
        patient=patient,
        algorithm=algorithm.value,
        looks_like_child=looks_like_child,
        age_years=age,
        answers=outcome.answers,
        path=[{"question": s.question.value, "answer": s.answer} for s in outcome.path],
        algorithm_category=outcome.category.value,
        reason=outcome.reason,
        category=category.value,
        override_reason=expectant_reason.strip() if expectant else "",
        assessed_at=when,
        assessed_by=actor_user(actor),
        retriage_due_at=due,
    )
    row.save()
    _triage_cache_refresh(patient)
    audit_record(
        actor=actor,
        action="care.triage",
        obj=patient,
        summary=patient.person.full_name,
        detail={"assessment": str(row.pk)},
    )
    return row


def _triage_cache_refresh(patient: Patient) -> None:
    """The patient's cached category and re-triage time, from the latest assessment."""
    latest = (
        TriageAssessment.objects.alive()
        .filter(patient=patient)
        .order_by("-assessed_at", "-version")
        .first()
    )
    patient.category = latest.category if latest else ""
    patient.triaged_at = latest.assessed_at if latest else None
    patient.retriage_due_at = latest.retriage_due_at if latest else None
    patient.save(update_fields=["category", "triaged_at", "retriage_due_at"])


@transaction.atomic
def vitals_record(
    *,
    actor: Actor | None,
    patient: Patient,
    values: Mapping[str, Any],
    observed_at: dt.datetime | None = None,
    note: str = "",
) -> VitalSigns:
    """One set of vital signs; any may be left out, but not all of them."""
    permission_require(actor, "care.record_care", doing=_("record vital signs"))
    problems = _when_check(observed_at, "observed_at")
    known = {*VITAL_BOUNDS, "avpu"}
    for name in sorted(set(values) - known):
        problems[name] = [_("is not a vital sign")]
    clean: dict[str, Any] = {}
    for name, (low, high) in VITAL_BOUNDS.items():
        value = values.get(name)
        if value is None:
            continue
        if not low <= value <= high:
            problems[name] = [
                _("must be between %(low)s and %(high)s")
                % {"low": format(low, "g"), "high": format(high, "g")}
            ]
        clean[name] = value
    avpu = values.get("avpu") or ""
    if avpu and avpu not in {a.value for a in triage.Avpu}:
        problems["avpu"] = [
            _("must be one of %(join)s") % {"join": ", ".join(a.value for a in triage.Avpu)}
        ]
    if not clean and not avpu:
        problems["vitals"] = [_("record at least one vital sign")]
    if problems:
        raise ValidationFailed(problems)
    patient = _patient_lock(patient)
    _open_required(patient, "record vital signs")
    when = observed_at or timezone.now()
    _after_arrival_require(patient, when, "observed_at")
    row = VitalSigns(
        patient=patient,
        observed_at=when,
        observed_by=actor_user(actor),
        avpu=avpu,
        note=note.strip()[:300],
        **clean,
    )
    row.save()
    audit_record(
        actor=actor,
        action="care.vitals",
        obj=patient,
        summary=patient.person.full_name,
        detail={"vitals": str(row.pk)},
    )
    return row


@transaction.atomic
def death_record(
    *,
    actor: Actor | None,
    patient: Patient,
    cause: str,
    died_at: dt.datetime | None = None,
    note: str = "",
) -> Death:
    """A death in care: the stay closes and the registry records the person as deceased."""
    permission_require(actor, "care.record_care", doing=_("record deaths"))
    problems = _when_check(died_at, "died_at")
    if not cause.strip():
        problems["cause"] = [_("is required")]
    elif len(cause) > 300:
        problems["cause"] = [_("at most 300 characters")]
    if problems:
        raise ValidationFailed(problems)
    patient = _patient_lock(patient)
    if patient.status == PatientStatus.DEAD:
        raise Conflict(
            _("the death of %(person)s is already recorded") % {"person": patient.person}
        )
    _open_required(patient, "record a death")
    when = died_at or timezone.now()
    _after_arrival_require(patient, when, "died_at")
    death = Death(
        patient=patient,
        person=patient.person,
        died_at=when,
        cause=cause.strip(),
        note=note.strip()[:300],
        recorded_by=actor_user(actor),
    )
    death.save()
    patient.status, patient.closed_at = PatientStatus.DEAD, when
    patient.save(update_fields=["status", "closed_at"])
    # The registry's note names no cause: status history is read by every role.
    person_status_record(
        actor=actor,
        person=patient.person,
        status=Status.DECEASED,
        site=patient.site,
        occurred_at=when,
        note="died in care",
    )
    audit_record(
        actor=actor,
        action="care.death",
        obj=patient,
        summary=patient.person.full_name,
        detail={"death": str(death.pk)},
    )
    return death


@transaction.atomic
def patient_discharge(
    *,
    actor: Actor | None,
    patient: Patient,
    transferred: bool = False,
    note: str = "",
    at: dt.datetime | None = None,
) -> Patient:
    """Close a stay: discharged (back in the camp) or transferred elsewhere."""
    permission_require(actor, "care.record_care", doing=_("discharge patients"))
    problems = _when_check(at, "at")
    if problems:
        raise ValidationFailed(problems)
    patient = _patient_lock(patient)
    _open_required(patient, "discharge")
    when = at or timezone.now()
    patient.status = PatientStatus.TRANSFERRED if transferred else PatientStatus.DISCHARGED
    patient.closed_at, patient.closed_note = when, note.strip()[:300]
    patient.save(update_fields=["status", "closed_at", "closed_note"])
    person_status_record(
        actor=actor,
        person=patient.person,
        status=Status.TRANSFERRED if transferred else Status.PRESENT,
        site=patient.site,
        occurred_at=when,
        note="transferred from care" if transferred else "discharged from care",
    )
    audit_record(
        actor=actor,
        action="care.transfer" if transferred else "care.discharge",
        obj=patient,
        summary=patient.person.full_name,
    )
    return patient
