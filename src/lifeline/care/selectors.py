"""Reads of care with the caller's role applied. Medical records are for care.view_medical
(medics and the commander); every read of a patient's record, the board included, writes an
audit row naming the patients read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.care.models import (
    OPEN_STATUSES,
    Death,
    Patient,
    PatientStatus,
    TriageAssessment,
    VitalSigns,
)
from lifeline.care.services import age_years_on, answers_coerce
from lifeline.care.treatments.selectors import TreatmentState, treatments_by_patient
from lifeline.care.triage import (
    CATEGORY_LABELS,
    CATEGORY_ORDER,
    QUESTIONS,
    Category,
    Outcome,
    Question,
    algorithm_for,
    triage_assess,
)
from lifeline.core.errors import NotFound
from lifeline.core.ids import id_parse
from lifeline.core.models import Site
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.people import rules
from lifeline.people.models import Condition, ConditionObservation, Person, Status
from lifeline.people.selectors import PersonFilters, conditions_visible, person_list

# Deaths stay on the board (listed apart) for this long after they are recorded.
BOARD_DEATHS_FOR = dt.timedelta(hours=48)


def _view_require(actor: Actor | None) -> None:
    permission_require(actor, "care.view_medical", doing=_("see medical records"))


def patient_get(*, actor: Actor | None, patient_id: Any) -> Patient:
    """A patient (with the person), for a write or a page; the read is audited by the caller's
    selector (patient_record) or by the service that writes."""
    _view_require(actor)
    pk = id_parse(patient_id, "patient")
    patient = Patient.objects.alive().select_related("person", "site").filter(pk=pk).first()
    if patient is None:
        raise NotFound(_("no patient with id %(pk)s") % {"pk": pk})
    return patient


def patient_open_of(*, actor: Actor | None, person_id: Any) -> Patient | None:
    """The open stay of a person, if any."""
    _view_require(actor)
    pk = id_parse(person_id, "person")
    return (
        Patient.objects.alive()
        .select_related("person", "site")
        .filter(person_id=pk, status__in=OPEN_STATUSES)
        .first()
    )


@dataclass(frozen=True)
class PathStep:
    question: str
    prompt: str
    answer: Any


@dataclass(frozen=True)
class TriageView:
    """One assessment with its path in words."""

    assessment: TriageAssessment
    steps: list[PathStep]


def _steps_of(assessment: TriageAssessment) -> list[PathStep]:
    steps = []
    for step in assessment.path:
        name = str(step.get("question", ""))
        prompt = (
            _(QUESTIONS[Question(name)].prompt) if name in Question.__members__.values() else name
        )
        steps.append(PathStep(name, prompt, step.get("answer")))
    return steps


@dataclass
class PatientRecord:
    patient: Patient
    age: int | None
    triages: list[TriageView] = field(default_factory=list)
    vitals: list[VitalSigns] = field(default_factory=list)
    deaths: list[Death] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    retriage_overdue: bool = False


def _conditions_now(person_ids: list[Any], visible: frozenset[str]) -> dict[Any, list[str]]:
    """The conditions present now of these persons (their latest observation of each), limited
    to what the actor may see: one query."""
    latest: dict[tuple[Any, str], bool] = {}
    rows = (
        ConditionObservation.objects.alive()
        .filter(person_id__in=person_ids, condition__in=visible)
        .order_by("observed_at", "version")
        .values_list("person_id", "condition", "present")
    )
    for person_id, condition, present in rows:
        latest[(person_id, condition)] = present
    labels = dict(Condition.choices)
    out: dict[Any, list[str]] = {}
    for (person_id, condition), present in sorted(latest.items(), key=lambda kv: kv[0][1]):
        if present:
            out.setdefault(person_id, []).append(str(labels.get(condition, condition)))
    return out


def patient_record(
    *, actor: Actor | None, patient_id: Any, now: dt.datetime | None = None
) -> PatientRecord:
    """A patient's whole record: triage history with paths, vital signs, deaths. Audited."""
    patient = patient_get(actor=actor, patient_id=patient_id)
    now = now or timezone.now()
    triages = [
        TriageView(t, _steps_of(t))
        for t in TriageAssessment.objects.alive()
        .filter(patient=patient)
        .select_related("assessed_by")
        .order_by("-assessed_at", "-version")
    ]
    vitals = list(
        VitalSigns.objects.alive()
        .filter(patient=patient)
        .select_related("observed_by")
        .order_by("-observed_at", "-version")
    )
    deaths = list(Death.objects.alive().filter(patient=patient).select_related("recorded_by"))
    person = patient.person
    conditions = _conditions_now([person.pk], conditions_visible(actor)).get(person.pk, [])
    audit_record(
        actor=actor,
        action="read.medical",
        obj=patient,
        summary=f"care record of {person.full_name}",
        detail={"patients": [str(patient.pk)]},
    )
    return PatientRecord(
        patient=patient,
        age=rules.age_on(person.date_of_birth, now.date()) if person.date_of_birth else None,
        triages=triages,
        vitals=vitals,
        deaths=deaths,
        conditions=conditions,
        retriage_overdue=_overdue(patient, now),
    )


def _overdue(patient: Patient, now: dt.datetime) -> bool:
    return (
        patient.status in OPEN_STATUSES
        and patient.retriage_due_at is not None
        and patient.retriage_due_at < now
    )


@dataclass(frozen=True)
class BoardRow:
    patient: Patient
    age: int | None
    waiting: dt.timedelta
    vitals: VitalSigns | None
    conditions: list[str]
    retriage_overdue: bool
    treatments: list[TreatmentState] = field(default_factory=list)  # next due, missed doses

    @property
    def waiting_minutes(self) -> int:
        return max(0, int(self.waiting.total_seconds() // 60))


@dataclass(frozen=True)
class BoardGroup:
    key: str  # a category, "untriaged" or "dead"
    label: str
    rows: list[BoardRow]


@dataclass(frozen=True)
class Board:
    """Open patients by category (those not triaged yet first), the longest waiting first in
    each; the dead apart; and the wounded in the registry not in care yet."""

    groups: list[BoardGroup]
    dead: list[BoardRow]
    wounded_untriaged: list[Person]

    @property
    def open_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


def _latest_vitals(patient_ids: list[Any]) -> dict[Any, VitalSigns]:
    latest_first = [F("observed_at").desc(), F("version").desc()]
    rows = (
        VitalSigns.objects.alive()
        .filter(patient_id__in=patient_ids)
        .annotate(rank=Window(RowNumber(), partition_by=[F("patient_id")], order_by=latest_first))
        .filter(rank=1)
    )
    return {v.patient_id: v for v in rows}


def patient_board(
    *, actor: Actor | None, site: Any = None, now: dt.datetime | None = None
) -> Board:
    """The board of who needs what next. One audit row names every patient shown."""
    _view_require(actor)
    now = now or timezone.now()
    qs: QuerySet[Patient] = (
        Patient.objects.alive()
        .select_related("person")
        .filter(status__in=[*OPEN_STATUSES, PatientStatus.DEAD])
        .exclude(status=PatientStatus.DEAD, closed_at__lt=now - BOARD_DEATHS_FOR)
    )
    if site is not None:
        qs = qs.filter(site=site)
    patients = list(qs.order_by("arrived_at", "id"))
    ids = [p.pk for p in patients]
    vitals = _latest_vitals(ids)
    courses = treatments_by_patient(ids, now=now)
    conditions = _conditions_now([p.person_id for p in patients], conditions_visible(actor))
    today = now.date()
    by_key: dict[str, list[BoardRow]] = {}
    dead: list[BoardRow] = []
    for patient in patients:
        dob = patient.person.date_of_birth
        end = patient.closed_at if patient.status == PatientStatus.DEAD else now
        row = BoardRow(
            patient=patient,
            age=rules.age_on(dob, today) if dob else None,
            waiting=(end or now) - patient.arrived_at,
            vitals=vitals.get(patient.pk),
            conditions=conditions.get(patient.person_id, []),
            retriage_overdue=_overdue(patient, now) and patient.category != Category.DEAD,
            treatments=[t for t in courses.get(patient.pk, []) if t.active],
        )
        if patient.status == PatientStatus.DEAD or patient.category == Category.DEAD:
            dead.append(row)
        else:
            by_key.setdefault(patient.category or "untriaged", []).append(row)
    groups = [BoardGroup("untriaged", _("Not triaged yet"), by_key.get("untriaged", []))]
    groups += [
        BoardGroup(c.value, _(CATEGORY_LABELS[c]), by_key.get(c.value, []))
        for c in CATEGORY_ORDER
        if c != Category.DEAD
    ]
    wounded = _wounded_untriaged(actor=actor)
    audit_record(
        actor=actor,
        action="read.medical",
        summary=f"patient board ({len(patients)} patients)",
        detail={"patients": [str(pk) for pk in ids]},
    )
    return Board(groups=groups, dead=dead, wounded_untriaged=wounded)


def _wounded_untriaged(*, actor: Actor | None) -> list[Person]:
    """Persons the registry marks wounded (a casualty report, an intake) who are alive and not
    in care yet: where a medic starts triage from."""
    qs = person_list(actor=actor, filters=PersonFilters(condition=Condition.WOUNDED))
    in_care = Patient.objects.alive().filter(status__in=OPEN_STATUSES).values("person_id")
    qs = qs.exclude(status=Status.DECEASED).exclude(pk__in=in_care)
    return list(qs.filter(merged_into__isnull=True)[:50])


def triage_preview(
    *,
    actor: Actor | None,
    patient: Patient,
    answers: dict[str, Any],
    looks_like_child: bool | None = None,
    on: dt.date | None = None,
) -> Outcome:
    """Where the answers so far lead for this patient (START or JumpSTART by age or look):
    the category, or the one question the algorithm needs next. Records nothing."""
    permission_require(actor, "care.record_care", doing=_("triage patients"))
    coerced = answers_coerce(answers)
    age = age_years_on(patient.person, on or timezone.localdate())
    algorithm = algorithm_for(age_years=age, looks_like_child=looks_like_child)
    return triage_assess(algorithm, coerced)


def patients_by_category_per_day(
    *, actor: Actor | None, days: int = 14, now: dt.datetime | None = None, site: Any = None
) -> tuple[list[dt.date], dict[tuple[dt.date, str], int]]:
    """How many patients were in care at the end of each of the last `days` days, by the
    category of their latest triage then ("untriaged" before the first): the board's story
    over time. Counts only, no names: no audit row."""
    _view_require(actor)
    now = now or timezone.now()
    today = timezone.localdate(now)
    day_list = [today - dt.timedelta(days=days - 1 - i) for i in range(days)]
    ends = [
        min(now, timezone.make_aware(dt.datetime.combine(d + dt.timedelta(days=1), dt.time.min)))
        for d in day_list
    ]
    start = timezone.make_aware(dt.datetime.combine(day_list[0], dt.time.min))
    qs = Patient.objects.alive().filter(arrived_at__lte=now).exclude(closed_at__lt=start)
    if site is not None:
        qs = qs.filter(site=site)
    stays = list(qs.values_list("pk", "arrived_at", "closed_at"))
    triages: dict[Any, list[tuple[dt.datetime, str]]] = {}
    for patient_id, at, category in (
        TriageAssessment.objects.alive()
        .filter(patient_id__in=[pk for pk, _a, _c in stays])
        .order_by("assessed_at", "version")
        .values_list("patient_id", "assessed_at", "category")
    ):
        triages.setdefault(patient_id, []).append((at, category))
    counts: dict[tuple[dt.date, str], int] = {}
    for pk, arrived, closed in stays:
        for day, end in zip(day_list, ends, strict=True):
            if arrived > end or (closed is not None and closed <= end):
                continue
            category = "untriaged"
            for at, cat in triages.get(pk, []):
                if at > end:
                    break
                category = cat
            if category == Category.DEAD:
                continue
            counts[(day, category)] = counts.get((day, category), 0) + 1
    return day_list, counts


def open_stays_by_site(*, actor: Actor | None) -> list[tuple[Site, int]]:
    """The sites with patients in care and how many, by site name: the board's site choice."""
    _view_require(actor)
    rows = (
        Patient.objects.alive()
        .filter(status__in=OPEN_STATUSES)
        .values("site")
        .annotate(n=Count("id"))
        .values_list("site", "n")
    )
    counts = dict(rows)
    sites = Site.objects.filter(pk__in=counts).order_by("name")
    return [(site, counts[site.pk]) for site in sites]
