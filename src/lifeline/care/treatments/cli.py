"""`lifeline care prescribe / dose / treatments / stop / allocate / allocation / confirm`:
courses from stock and the allocation of scarce medicine, on the same schemas, services, roles
and audit as the API. `register(app)` adds them to the `care` command."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer
from django.utils import timezone
from rest_framework import serializers

from lifeline.care import allocation as rule
from lifeline.care.treatments import schemas, selectors, services
from lifeline.care.treatments.api import overrides_of
from lifeline.core.api import input_parse_or_fail
from lifeline.core.commandline import state_of
from lifeline.supplies.rules import quantity_text as q


def _parsed(schema: type[serializers.Serializer[Any]], data: Mapping[str, Any]) -> dict[str, Any]:
    """Options given, parsed by the API's schema; its errors name each field as the API's do."""
    return input_parse_or_fail(schema, {k: v for k, v in data.items() if v is not None})


def _when(moment: Any) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "-"


def _state_print(state: selectors.TreatmentState) -> None:
    t = state.treatment
    typer.echo(f"{t.pk}  {state.summary}")
    if state.next_due is not None:
        typer.echo(f"  next due {_when(state.next_due)}")
    for slot in state.missed:
        typer.echo(f"  missed dose {slot.number} due {_when(slot.due_at)}")
    if t.stopped_at is not None:
        typer.echo(f"  stopped {_when(t.stopped_at)}: {t.stop_reason}")


def prescribe(
    ctx: typer.Context,
    patient: Annotated[str, typer.Argument(help="the patient's id")],
    item: Annotated[str, typer.Option(help="the medicine's catalogue code")],
    dose: Annotated[str, typer.Option(help="one dose, in the item's unit")],
    every: Annotated[int, typer.Option(help="hours between doses")],
    doses: Annotated[int, typer.Option(help="how many doses in the course")],
    store: Annotated[str | None, typer.Option(help="the store the doses come from")] = None,
    benefit: Annotated[str, typer.Option(help="expected benefit: high, medium, low")] = "medium",
    indication: Annotated[str | None, typer.Option(help="what it treats")] = None,
    starts_at: Annotated[str | None, typer.Option(help="first dose, ISO time")] = None,
) -> None:
    """Prescribe a course: DOSE every EVERY hours, DOSES times."""
    actor = state_of(ctx).actor()
    values = _parsed(
        schemas.TreatmentInput,
        {
            "patient": patient,
            "item": item,
            "dose_quantity": dose,
            "every_hours": every,
            "doses": doses,
            "store": store,
            "benefit": benefit,
            "indication": indication,
            "starts_at": starts_at,
        },
    )
    treatment = services.treatment_prescribe(actor=actor, **values)
    typer.echo(f"prescribed {treatment.pk}")
    _state_print(selectors.treatment_get(actor=actor, treatment_id=treatment.pk))


def dose(
    ctx: typer.Context,
    treatment: Annotated[str, typer.Argument(help="the course's id")],
    quantity: Annotated[str | None, typer.Option(help="if not the prescribed dose")] = None,
    given_at: Annotated[str | None, typer.Option(help="when, ISO time; default now")] = None,
    note: Annotated[str | None, typer.Option()] = None,
    reason: Annotated[
        str | None,
        typer.Option(help="why, for a dose off the schedule or above the prescribed quantity"),
    ] = None,
) -> None:
    """Give a dose: issues it from the course's store; refused, writing nothing, when short,
    when its slot was already given, or when off the schedule without a reason."""
    actor = state_of(ctx).actor()
    values = _parsed(
        schemas.DoseInput,
        {"quantity": quantity, "given_at": given_at, "note": note, "reason": reason},
    )
    course = selectors.treatment_find(actor=actor, treatment_id=treatment)
    given = services.dose_give(actor=actor, treatment=course, **values)
    typer.echo(
        f"dose given {_when(given.given_at)}: {q(given.quantity)} (ledger {given.movement_id})"
    )
    _state_print(selectors.treatment_get(actor=actor, treatment_id=course.pk))


def treatments(
    ctx: typer.Context, patient: Annotated[str, typer.Argument(help="the patient's id")]
) -> None:
    """A patient's courses: doses given, next due, missed doses."""
    actor = state_of(ctx).actor()
    values = _parsed(schemas.TreatmentFilterInput, {"patient": patient})
    states = selectors.patient_treatments(actor=actor, patient=values["patient"])
    if not states:
        typer.echo("no treatments")
    for state in states:
        _state_print(state)


def stop(
    ctx: typer.Context,
    treatment: Annotated[str, typer.Argument(help="the course's id")],
    reason: Annotated[str, typer.Option(help="why the course stops")],
) -> None:
    """Stop a course before its last dose."""
    actor = state_of(ctx).actor()
    values = _parsed(schemas.StopInput, {"reason": reason})
    course = selectors.treatment_find(actor=actor, treatment_id=treatment)
    services.treatment_stop(actor=actor, treatment=course, reason=values["reason"])
    typer.echo(f"stopped {course.pk}")


def _allocation_print(view: selectors.AllocationView) -> None:
    d = view.decision
    unit = d.item.unit
    typer.echo(
        f"allocation {d.pk}: {d.item.name} at {d.store.name}, {q(d.stock)} {unit} on hand, "
        f"{q(view.needed)} needed ({d.get_status_display().lower()})"
    )
    typer.echo(f"{'rank':>4}  {'patient':<24} {'category':<10} {'benefit':<7} {'need':>6} gets")
    for r in view.rows:
        rank = str(r.rank) if r.rank is not None else "-"
        typer.echo(
            f"{rank:>4}  {r.name[:24]:<24} {r.category or '-':<10} {r.benefit:<7} "
            f"{q(r.need):>6} {q(r.quantity):>4}  {r.reason}"
        )
    for note in view.notes:
        typer.echo(f"note: {note}")
    for jump in d.jumps:
        typer.echo(
            f"override: {jump['served']} ({jump['served_category']}) served while "
            f"{jump['passed_over']} ({jump['passed_over_category']}) goes without"
        )


def allocate(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(help="the medicine's catalogue code")],
    store: Annotated[str, typer.Option(help="the store whose stock is shared")],
    partial_courses: Annotated[
        bool, typer.Option(help="allow one partial course (never for antibiotics)")
    ] = False,
) -> None:
    """Propose who gets a scarce medicine, by the rule; confirm with `care confirm ID`."""
    actor = state_of(ctx).actor()
    values = _parsed(
        schemas.AllocationProposeInput,
        {"item": item, "store": store, "partial_courses": partial_courses},
    )
    decision = services.allocation_propose(
        actor=actor,
        item=values["item"],
        store=values["store"],
        partial=values["partial_courses"],
    )
    _allocation_print(selectors.allocation_get(actor=actor, decision_id=decision.pk))


def allocation(
    ctx: typer.Context, decision: Annotated[str, typer.Argument(help="the allocation's id")]
) -> None:
    """An allocation: who gets how much, who goes without and why."""
    _allocation_print(selectors.allocation_get(actor=state_of(ctx).actor(), decision_id=decision))


def _overrides(action: str, pairs: list[str]) -> list[dict[str, str]]:
    found = []
    for pair in pairs:
        patient, _, reason = pair.partition("=")
        found.append({"patient": patient.strip(), "action": action, "reason": reason.strip()})
    return found


def confirm(
    ctx: typer.Context,
    decision: Annotated[str, typer.Argument(help="the allocation's id")],
    give: Annotated[
        list[str] | None, typer.Option(help="PATIENT=REASON: give a full course first")
    ] = None,
    withhold: Annotated[list[str] | None, typer.Option(help="PATIENT=REASON: give nothing")] = None,
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Confirm a proposed allocation, as it is or with overrides (each with its reason)."""
    actor = state_of(ctx).actor()
    values = _parsed(
        schemas.AllocationConfirmInput,
        {
            "overrides": _overrides(rule.GIVE, give or [])
            + _overrides(rule.WITHHOLD, withhold or []),
            "note": note,
        },
    )
    found = selectors.allocation_find(actor=actor, decision_id=decision)
    services.allocation_confirm(
        actor=actor,
        decision=found,
        overrides=overrides_of(values.get("overrides")),
        note=values.get("note", ""),
    )
    _allocation_print(selectors.allocation_get(actor=actor, decision_id=found.pk))


def register(app: typer.Typer) -> None:
    """Add the treatment and allocation commands to `lifeline care`."""
    for command in (prescribe, dose, treatments, stop, allocate, allocation, confirm):
        app.command(command.__name__)(command)
