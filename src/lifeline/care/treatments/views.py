"""Pages of treatments and of the allocation of scarce medicine: a patient's courses (prescribe,
give a dose with one button, stop), the allocations of a medicine (propose) and one allocation
(the table of who gets and who goes without and why; confirm, or override with a reason).
Medics and the commander only: the selectors and services apply the roles."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lifeline.care import allocation as rule
from lifeline.care.selectors import patient_get
from lifeline.care.treatments import schemas, selectors, services
from lifeline.care.treatments.api import overrides_of
from lifeline.core.errors import LifelineError, ValidationFailed
from lifeline.core.forms import SchemaForm, schema_errors
from lifeline.core.pages import page_view
from lifeline.core.services import Actor
from lifeline.supplies import selectors as supplies
from lifeline.supplies.models import Category

PRESCRIBE_FIELDS = (
    "item",
    "dose_quantity",
    "every_hours",
    "doses",
    "benefit",
    "indication",
    "starts_at",
    "store",
)


def _actor(request: HttpRequest) -> Actor:
    return request.user


def _medicines(actor: Actor) -> list[tuple[str, str]]:
    items = list(supplies.item_list(actor=actor, category=Category.MEDICINE))
    items += list(supplies.item_list(actor=actor, category=Category.VACCINE))
    return [(i.code, f"{i.name} ({i.unit})") for i in items]


def _stores(actor: Actor, site: Any = None) -> list[tuple[str, str]]:
    return [
        (loc.code, loc.name)
        for loc in supplies.location_list(actor=actor, site=site)
        if loc.kind == "store"
    ]


def _prescribe_form(actor: Actor, patient: Any, data: Any = None) -> SchemaForm:
    return SchemaForm(
        schemas.TreatmentInput,
        PRESCRIBE_FIELDS,
        data=data,
        initial={"every_hours": 8, "benefit": "medium"},
        labels={
            "item": _("Medicine"),
            "dose_quantity": _("One dose"),
            "every_hours": _("Every (hours)"),
            "doses": _("Number of doses"),
            "benefit": _("Expected benefit"),
            "starts_at": _("First dose"),
        },
        hints={
            "dose_quantity": "in the item's unit (tablets, vials)",
            "starts_at": "leave empty for now",
            "store": "leave empty for the clinic's store",
        },
        choices={"item": _medicines(actor), "store": _stores(actor, patient.site)},
    )


@page_view
def patient_treatments_page(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    """A patient's courses with next due and missed doses; a dose is one button."""
    actor = _actor(request)
    patient = patient_get(actor=actor, patient_id=patient_id)
    form = _prescribe_form(actor, patient)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "prescribe":
            form = _prescribe_form(actor, patient, data=request.POST)
            done = form.submit(
                lambda values: services.treatment_prescribe(actor=actor, **values),
                prepare=lambda values: {**values, "patient": str(patient.pk)},
            )
            if done is not None:
                messages.success(request, _("Prescribed %(item)s") % {"item": done.item.name})
                return redirect(request.path)
        elif action in {"dose", "stop"}:
            try:
                treatment = selectors.treatment_find(
                    actor=actor, treatment_id=request.POST.get("treatment", "")
                )
                if action == "dose":
                    dose = services.dose_give(actor=actor, treatment=treatment)
                    messages.success(
                        request,
                        _("Dose given: %(quantity)s %(unit)s of %(item)s")
                        % {
                            "quantity": f"{dose.quantity.normalize():f}",
                            "unit": treatment.dose_unit,
                            "item": treatment.item.name,
                        },
                    )
                else:
                    services.treatment_stop(
                        actor=actor, treatment=treatment, reason=request.POST.get("reason", "")
                    )
                    messages.success(request, _("Course stopped"))
            except LifelineError as error:
                messages.error(request, error.message)
            return redirect(request.path)
    states = selectors.patient_treatments(actor=actor, patient=patient)
    return render(
        request,
        "care/treatments/patient.html",
        {
            "patient": patient,
            "active": [s for s in states if s.active],
            "ended": [s for s in states if not s.active],
            "form": form,
            "can_prescribe": actor.has_perm(services.PRESCRIBE),
            "here": "care",
        },
    )


@page_view
def allocations_page(request: HttpRequest) -> HttpResponse:
    """The allocations of scarce medicine, newest first, and a form to propose one."""
    actor = _actor(request)
    form = SchemaForm(
        schemas.AllocationProposeInput,
        ("item", "store", "partial_courses"),
        data=request.POST if request.method == "POST" else None,
        initial={"partial_courses": "false"},
        labels={"item": _("Medicine"), "partial_courses": _("Allow one partial course")},
        hints={"partial_courses": "never for antibiotics: a partial course may not cure"},
        choices={"item": _medicines(actor), "store": _stores(actor)},
    )
    if request.method == "POST":
        decision = form.submit(
            lambda values: services.allocation_propose(
                actor=actor,
                item=values["item"],
                store=values["store"],
                partial=values["partial_courses"],
            )
        )
        if decision is not None:
            return redirect(reverse("treatments:allocation", args=[decision.pk]))
    return render(
        request,
        "care/treatments/allocations.html",
        {
            "decisions": selectors.allocation_list(actor=actor)[:50],
            "form": form,
            "can_allocate": actor.has_perm(services.ALLOCATE),
            "here": "care",
        },
    )


def _typed_overrides(request: HttpRequest, rows: Any) -> list[dict[str, str]]:
    """The overrides the form asked for: a row whose action is set, with its reason."""
    found = []
    for row in rows:
        action = request.POST.get(f"override-{row.treatment_id}", "")
        if action in (rule.GIVE, rule.WITHHOLD):
            found.append(
                {
                    "patient": row.treatment_id,
                    "action": action,
                    "reason": request.POST.get(f"reason-{row.treatment_id}", "").strip(),
                }
            )
    return found


def _problems(error: LifelineError, rows: Any, overrides: list[dict[str, str]]) -> list[str]:
    """A service's or the schema's message, with the patient named instead of `overrides[0]`."""
    if not isinstance(error, ValidationFailed):
        return [error.message]
    names = {row.treatment_id: row.name for row in rows}
    out = []
    for key, texts in error.fields.items():
        label = key
        if key.startswith("overrides["):
            n = int(key[len("overrides[") :].split("]", 1)[0])
            label = names.get(overrides[n]["patient"], key) if n < len(overrides) else key
        out += [f"{label}: {text}" for text in texts]
    return out


@page_view
def allocation_page(request: HttpRequest, allocation_id: uuid.UUID) -> HttpResponse:
    """Who gets the medicine, who goes without and why; confirm, or override with reasons."""
    actor = _actor(request)
    view = selectors.allocation_get(actor=actor, decision_id=allocation_id)
    problems: list[str] = []
    typed: dict[str, dict[str, str]] = {}
    if request.method == "POST" and not view.decided:
        overrides = _typed_overrides(request, view.rows)
        typed = {o["patient"]: o for o in overrides}
        parsed = schemas.AllocationConfirmInput(
            data={"overrides": overrides, "note": request.POST.get("note", "")}
        )
        names = {row.treatment_id: row.name for row in view.rows}
        try:
            blank = [o for o in overrides if not o["reason"]]
            if blank:
                raise ValidationFailed(
                    {names[o["patient"]]: "an override needs a reason" for o in blank}
                )
            if not parsed.is_valid():
                raise ValidationFailed(schema_errors(parsed.errors))
            values = dict(parsed.validated_data)
            services.allocation_confirm(
                actor=actor,
                decision=view.decision,
                overrides=overrides_of(values.get("overrides")),
                note=values.get("note", ""),
            )
        except LifelineError as error:
            problems = _problems(error, view.rows, overrides)
        else:
            messages.success(request, _("Allocation confirmed"))
            return redirect(request.path)
    lines = [
        {
            "row": row,
            "action": typed.get(row.treatment_id, {}).get("action", ""),
            "reason": typed.get(row.treatment_id, {}).get("reason", ""),
        }
        for row in view.rows
    ]
    return render(
        request,
        "care/treatments/allocation.html",
        {
            "view": view,
            "decision": view.decision,
            "lines": lines,
            "unit": view.decision.item.unit,
            "problems": problems,
            "note": request.POST.get("note", "") if request.method == "POST" else "",
            "can_allocate": actor.has_perm(services.ALLOCATE),
            "here": "care",
        },
    )
