"""The care pages: the patient board (by category, waiting time, re-triage overdue in red), a
patient's record with forms for vital signs, death and discharge, and the triage form that asks
one question at a time. Server-driven: each POST carries the answers so far and renders the next
question or the result with its path; no JavaScript needed. Views parse, call one service or
selector, and render; errors become pages or messages on the form."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework import serializers

from lifeline.care import selectors, services
from lifeline.care.models import AvpuChoices
from lifeline.care.schemas import (
    ADMIT_CONDITIONS,
    AdmitInput,
    DeathInput,
    DischargeInput,
    TriageInput,
    VitalsInput,
    answers_clean,
    vitals_split,
)
from lifeline.care.triage import (
    ALGORITHM_LABELS,
    AVPU_LABELS,
    CATEGORY_LABELS,
    CATEGORY_ORDER,
    QUESTIONS,
    Algorithm,
    Avpu,
    Category,
    Question,
)
from lifeline.core.api import error_fields
from lifeline.core.charts import bars_by_day_svg, series_from_counts
from lifeline.core.clock import site_local
from lifeline.core.errors import ValidationFailed
from lifeline.core.forms import SchemaForm
from lifeline.core.models import Site
from lifeline.core.pages import page_view
from lifeline.core.services import permission_require
from lifeline.people import selectors as people_selectors
from lifeline.people.matching import lookup
from lifeline.people.selectors import PersonFilters

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _parsed(schema: type[serializers.Serializer[Any]], data: dict[str, Any]) -> dict[str, Any]:
    parser = schema(data={k: v for k, v in data.items() if v not in ("", None)})
    if not parser.is_valid():
        raise ValidationFailed(error_fields(parser.errors))
    return dict(parser.validated_data)


# The board's chart: untriaged first, then the triage categories in the board's order.
CHART_CATEGORIES: list[tuple[str, StrOrPromise]] = [("untriaged", gettext_lazy("Not triaged yet"))]
CHART_CATEGORIES += [
    (c.value, gettext_lazy(CATEGORY_LABELS[c])) for c in CATEGORY_ORDER if c != Category.DEAD
]


def _board_site(request: HttpRequest) -> Site:
    """The site whose patients the board shows: this one, or another by its code."""
    code = request.GET.get("site", "").strip()
    if not code:
        return site_local()
    site = Site.objects.filter(code=code).first()
    if site is None:
        raise ValidationFailed({"site": [_("no site with the code %(code)s") % {"code": code}]})
    return site


@page_view
def board(request: HttpRequest) -> HttpResponse:
    """One site's board (this site's unless another is chosen): the same patients the
    registry counts in care there, and home too."""
    site = _board_site(request)
    days, counts = selectors.patients_by_category_per_day(actor=request.user, days=14, site=site)
    chart = bars_by_day_svg(
        days=days,
        series=series_from_counts(days, counts, [(k, str(v)) for k, v in CHART_CATEGORIES]),
        title=_("Patients in care by category, each day of the last two weeks"),
    )
    context = {
        "board": selectors.patient_board(actor=request.user, site=site),
        "site": site,
        "sites": selectors.open_stays_by_site(actor=request.user),
        "chart": chart,
        "chart_key": CHART_CATEGORIES,
    }
    return render(request, "care/board.html", context)


def _admit_form(data: Any = None) -> SchemaForm:
    return SchemaForm(
        AdmitInput,
        ["condition", "place", "complaint"],
        data=data,
        labels={
            "condition": _("What brings them to care"),
            "place": _("Where"),
            "complaint": _("What is wrong, in a few words"),
        },
        hints={"place": _("Clinic tent, granary, back of the truck.")},
        choices={"condition": [(v, str(label)) for v, label in ADMIT_CONDITIONS]},
    )


@page_view
def admit(request: HttpRequest) -> HttpResponse:
    """Admit anyone in the registry to care (malnourished, ill, pregnant, wounded...) and go
    straight to their triage. Without a person chosen: find them by name first."""
    actor = request.user
    permission_require(actor, "care.record_care", doing=_("admit patients"))
    person_id = request.POST.get("person") or request.GET.get("person")
    if not person_id:
        q = request.GET.get("q", "").strip()[:200]
        hits = lookup.registry_search(actor=actor, filters=PersonFilters(q=q)) if q else None
        return render(request, "care/admit_find.html", {"q": q, "hits": hits})
    person = people_selectors.person_get(actor=actor, person_id=person_id)
    form = _admit_form(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        patient = form.submit(
            lambda values: services.patient_admit(actor=actor, **values),
            prepare=lambda values: {**values, "person": str(person.pk)},
        )
        if patient is not None:
            messages.success(request, _("%(name)s admitted.") % {"name": patient.person.full_name})
            return redirect("care:triage", patient_id=patient.pk)
    stay = selectors.patient_open_of(actor=actor, person_id=person.pk)
    return render(
        request,
        "care/admit.html",
        {"person": person, "form": form, "stay": stay},
        status=400 if form.has_errors else 200,
    )


def _patient_page(
    request: HttpRequest, patient_id: Any, *, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    record = selectors.patient_record(actor=request.user, patient_id=patient_id)
    context = {
        "record": record,
        "patient": record.patient,
        "category_label": _category_label(record.patient.category),
        "avpu_choices": AvpuChoices,
        "is_open": record.patient.status in {"waiting", "in_treatment"},
        "can_record": request.user.has_perm("care.record_care"),
        "errors": errors or {},
    }
    return render(request, "care/patient.html", context, status=400 if errors else 200)


def _category_label(category: str) -> str:
    return _(CATEGORY_LABELS[Category(category)]) if category else _("Not triaged yet")


@page_view
def patient(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    return _patient_page(request, patient_id)


@page_view
@require_POST
def vitals(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    record = selectors.patient_get(actor=request.user, patient_id=patient_id)
    names = [*VitalsInput().fields]
    try:
        values = _parsed(VitalsInput, {k: request.POST.get(k, "") for k in names})
        services.vitals_record(actor=request.user, patient=record, **vitals_split(values))
    except ValidationFailed as failure:
        return _patient_page(request, patient_id, errors=failure.fields)
    messages.success(request, _("Vital signs recorded."))
    return redirect("care:patient", patient_id=patient_id)


@page_view
def death(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    """Record a death in care, behind a page that names the patient and asks the cause."""
    permission_require(request.user, "care.record_care", doing=_("record deaths"))
    record = selectors.patient_get(actor=request.user, patient_id=patient_id)
    form = SchemaForm(
        DeathInput,
        ["cause", "note"],
        data=request.POST if request.method == "POST" else None,
        labels={"cause": _("Cause of death"), "note": _("Note")},
        hints={"cause": _("Kept in the medical record; the registry only says deceased.")},
        widgets={"cause": "textarea"},
    )
    if request.method == "POST":
        done = form.submit(
            lambda values: services.death_record(actor=request.user, patient=record, **values)
        )
        if done is not None:
            messages.success(
                request,
                _("The death of %(name)s is recorded.") % {"name": record.person.full_name},
            )
            return redirect("care:patient", patient_id=patient_id)
    return render(
        request,
        "care/death.html",
        {"patient": record, "form": form},
        status=400 if form.has_errors else 200,
    )


@page_view
@require_POST
def discharge(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    record = selectors.patient_get(actor=request.user, patient_id=patient_id)
    data = {"note": request.POST.get("note", ""), "transferred": request.POST.get("transferred")}
    values = _parsed(DischargeInput, data)
    record = services.patient_discharge(actor=request.user, patient=record, **values)
    messages.success(
        request,
        _("%(name)s: %(status)s.")
        % {"name": record.person.full_name, "status": record.get_status_display()},
    )
    return redirect("care:board")


_LOOKS = {"child": True, "adult": False}


@page_view
def triage(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    """One question at a time: the answers so far ride along as hidden fields."""
    actor = request.user
    record = selectors.patient_get(actor=actor, patient_id=patient_id)
    post = request.POST if request.method == "POST" else {}
    answers = {q.value: post[q.value] for q in Question if post.get(q.value, "") != ""}
    looks = _LOOKS.get(str(post.get("looks", "")))
    errors: dict[str, list[str]] = {}
    try:
        values = _parsed(TriageInput, {"answers": answers})
    except ValidationFailed as failure:
        # A bad answer is dropped and its question asked again, with the message.
        errors = {k.removeprefix("answers."): v for k, v in failure.fields.items()}
        answers = {k: v for k, v in answers.items() if k not in errors}
        values = _parsed(TriageInput, {"answers": answers})
    clean = answers_clean(values.get("answers", {}))
    if post.get("action") == "record" and not errors:
        expectant = post.get("expectant") == "on"
        try:
            row = services.triage_record(
                actor=actor,
                patient=record,
                answers=clean,
                looks_like_child=looks,
                expectant=expectant,
                expectant_reason=str(post.get("expectant_reason", "")) if expectant else "",
            )
        except ValidationFailed as failure:
            errors = failure.fields
        else:
            messages.success(
                request,
                _("%(name)s: %(category)s by %(algorithm)s.")
                % {
                    "name": record.person.full_name,
                    "category": _category_label(row.category),
                    "algorithm": _(ALGORITHM_LABELS[Algorithm(row.algorithm)]),
                },
            )
            return redirect("care:board")
    outcome = selectors.triage_preview(
        actor=actor, patient=record, answers=clean, looks_like_child=looks
    )
    question = outcome.next_question
    spec = QUESTIONS[question] if question is not None else None
    context = {
        "patient": record,
        "outcome": outcome,
        "algorithm_label": _(ALGORITHM_LABELS[outcome.algorithm]),
        "looks": post.get("looks", ""),
        "steps": [
            {
                "key": s.question.value,
                "prompt": _(QUESTIONS[s.question].prompt),
                "answer": _answer_text(s.question, s.answer),
                "value": _answer_value(s.answer),
            }
            for s in outcome.path
        ],
        "question": question.value if question else "",
        "spec": spec,
        "avpu": [(a.value, _(AVPU_LABELS[a])) for a in Avpu],
        "category": outcome.category.value if outcome.category else "",
        "category_label": _category_label(outcome.category.value) if outcome.category else "",
        "errors": errors,
        "post": post,
    }
    return render(request, "care/triage.html", context, status=400 if errors else 200)


def _answer_text(question: Question, answer: Any) -> str:
    if isinstance(answer, bool):
        return _("yes") if answer else _("no")
    if question == Question.AVPU:
        return _(AVPU_LABELS[Avpu(str(answer))])
    unit = _(QUESTIONS[question].unit) if QUESTIONS[question].unit else ""
    return f"{answer:g} {unit}".strip() if isinstance(answer, int | float) else str(answer)


def _answer_value(answer: Any) -> str:
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    return f"{answer:g}" if isinstance(answer, int | float) else str(answer)
