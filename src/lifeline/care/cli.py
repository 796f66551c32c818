"""`lifeline care ...`: admit, triage (one question at a time with --ask), the board, vital
signs, deaths and discharges. The same schemas, services, roles and audit as the API."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from django.utils.translation import gettext as _

from lifeline.care import selectors, services
from lifeline.care.schemas import (
    AdmitInput,
    DeathInput,
    DischargeInput,
    TriageInput,
    VitalsInput,
    answers_clean,
    vitals_split,
)
from lifeline.care.treatments import cli as treatments_cli
from lifeline.care.triage import CATEGORY_LABELS, QUESTIONS, Category
from lifeline.core.api import input_parse_or_fail
from lifeline.core.commandline import state_of
from lifeline.core.errors import ValidationFailed

app = typer.Typer(help="Care: triage, the patient board, vital signs, deaths and discharges.")


def _answers_of(pairs: list[str]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ValidationFailed(
                {"answer": _("“%(pair)s” is not QUESTION=ANSWER") % {"pair": pair}}
            )
        answers[name.strip()] = value.strip()
    return answers


def _label(category: str) -> str:
    return _(CATEGORY_LABELS[Category(category)]) if category else _("not triaged")


@app.command("admit")
def care_admit(
    ctx: typer.Context,
    person_id: str,
    place: Annotated[str, typer.Option(help="where: granary, truck, clinic ...")] = "",
    complaint: Annotated[str, typer.Option(help="what brought them")] = "",
) -> None:
    """Admit a person from the registry to care."""
    values = input_parse_or_fail(
        AdmitInput, {"person": person_id, "place": place, "complaint": complaint}
    )
    patient = services.patient_admit(actor=state_of(ctx).actor(), **values)
    typer.echo(f"{patient.pk}  " + _("admitted: %(name)s") % {"name": patient.person.full_name})


@app.command("triage")
def care_triage(
    ctx: typer.Context,
    patient_id: str,
    answer: Annotated[
        list[str] | None,
        typer.Option("--answer", "-a", help="QUESTION=ANSWER, e.g. walks=no (repeat)"),
    ] = None,
    ask: Annotated[bool, typer.Option(help="ask each question the algorithm needs")] = False,
    child: Annotated[
        bool | None,
        typer.Option("--child/--adult", help="looks like a child (JumpSTART) or not; else age"),
    ] = None,
    expectant_reason: Annotated[
        str, typer.Option(help="record expectant, for this reason, over the algorithm")
    ] = "",
) -> None:
    """Triage a patient with START or JumpSTART. Without --ask, answers missing for the
    algorithm are refused naming the next question."""
    actor = state_of(ctx).actor()
    patient = selectors.patient_get(actor=actor, patient_id=patient_id)
    answers: dict[str, Any] = _answers_of(answer or [])
    while ask:
        values = input_parse_or_fail(TriageInput, {"answers": answers, "looks_like_child": child})
        outcome = selectors.triage_preview(
            actor=actor,
            patient=patient,
            answers=answers_clean(values.get("answers", {})),
            looks_like_child=child,
        )
        if outcome.next_question is None:
            break
        spec = QUESTIONS[outcome.next_question]
        hint = f" ({'/'.join(spec.choices)})" if spec.choices else ""
        hint = " (yes/no)" if spec.kind == "bool" else hint
        answers[outcome.next_question.value] = typer.prompt(f"{_(spec.prompt)}{hint}")
    data: dict[str, Any] = {"answers": answers, "looks_like_child": child}
    if expectant_reason:
        data |= {"expectant": True, "expectant_reason": expectant_reason}
    values = input_parse_or_fail(TriageInput, data)
    row = services.triage_record(
        actor=actor, patient=patient, answers=answers_clean(values.pop("answers", {})), **values
    )
    for step in row.path:
        typer.echo(f"  {step['question']}: {step['answer']}")
    due = f", re-triage at {row.retriage_due_at:%H:%M}" if row.retriage_due_at else ""
    typer.echo(f"{_label(row.category)} ({row.algorithm}: {_(row.reason)}){due}")


@app.command("board")
def care_board(ctx: typer.Context) -> None:
    """Patients by category, the longest waiting first; re-triage OVERDUE marked."""
    board = selectors.patient_board(actor=state_of(ctx).actor())
    for group in board.groups:
        if not group.rows:
            continue
        typer.echo(f"{group.label}:")
        for row in group.rows:
            p = row.patient
            flag = "  RE-TRIAGE OVERDUE" if row.retriage_overdue else ""
            where = f" [{p.place}]" if p.place else ""
            typer.echo(
                f"  {p.pk}  {p.person.full_name}{where} waiting {row.waiting_minutes} min{flag}"
            )
    if board.dead:
        typer.echo(_("Dead:"))
        for row in board.dead:
            typer.echo(f"  {row.patient.pk}  {row.patient.person.full_name}")
    if board.wounded_untriaged:
        typer.echo(_("Wounded in the registry, not in care:"))
        for person in board.wounded_untriaged:
            typer.echo(f"  {person.pk}  {person.full_name}")
    if not board.open_count and not board.dead:
        typer.echo(_("No patients."))


@app.command("show")
def care_show(ctx: typer.Context, patient_id: str) -> None:
    """A patient's record: triages with their paths, vital signs, death."""
    record = selectors.patient_record(actor=state_of(ctx).actor(), patient_id=patient_id)
    p = record.patient
    typer.echo(f"{p.person.full_name} - {p.get_status_display()}, {_label(p.category)}")
    for view in record.triages:
        t = view.assessment
        typer.echo(f"  {t.assessed_at:%Y-%m-%d %H:%M} {t.algorithm} -> {t.category}")
        for step in view.steps:
            typer.echo(f"      {_(step.prompt)} {step.answer}")
    for v in record.vitals:
        signs = [
            f"{label} {value}"
            for label, value in (
                ("RR", v.respiratory_rate),
                ("pulse", v.pulse),
                ("refill", v.capillary_refill_seconds),
                ("SpO2", v.spo2),
                ("temp", v.temperature_c),
                ("BP", f"{v.systolic_bp}/{v.diastolic_bp}" if v.systolic_bp else None),
                ("AVPU", v.avpu or None),
                ("GCS", v.gcs),
            )
            if value is not None
        ]
        typer.echo(f"  {v.observed_at:%Y-%m-%d %H:%M} {', '.join(signs)}")
    for death in record.deaths:
        typer.echo(
            "  "
            + _("died %(when)s: %(cause)s")
            % {"when": f"{death.died_at:%Y-%m-%d %H:%M}", "cause": death.cause}
        )


@app.command("vitals")
def care_vitals(
    ctx: typer.Context,
    patient_id: str,
    rr: Annotated[int | None, typer.Option(help="respiratory rate /min")] = None,
    pulse: Annotated[int | None, typer.Option(help="pulse /min")] = None,
    cap_refill: Annotated[float | None, typer.Option(help="capillary refill, seconds")] = None,
    spo2: Annotated[int | None, typer.Option(help="SpO2 %")] = None,
    temp: Annotated[float | None, typer.Option(help="temperature, Celsius")] = None,
    sbp: Annotated[int | None, typer.Option(help="systolic blood pressure")] = None,
    dbp: Annotated[int | None, typer.Option(help="diastolic blood pressure")] = None,
    avpu: Annotated[str, typer.Option(help="alert, voice, pain_appropriate, ...")] = "",
    gcs: Annotated[int | None, typer.Option(help="Glasgow coma scale")] = None,
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Record a set of vital signs."""
    actor = state_of(ctx).actor()
    patient = selectors.patient_get(actor=actor, patient_id=patient_id)
    data = {
        "respiratory_rate": rr,
        "pulse": pulse,
        "capillary_refill_seconds": cap_refill,
        "spo2": spo2,
        "temperature_c": temp,
        "systolic_bp": sbp,
        "diastolic_bp": dbp,
        "avpu": avpu,
        "gcs": gcs,
        "note": note,
    }
    values = input_parse_or_fail(
        VitalsInput, {k: v for k, v in data.items() if v not in (None, "")}
    )
    row = services.vitals_record(actor=actor, patient=patient, **vitals_split(values))
    typer.echo(_("vital signs recorded at %(when)s") % {"when": f"{row.observed_at:%H:%M}"})


@app.command("death")
def care_death(
    ctx: typer.Context,
    patient_id: str,
    cause: Annotated[str, typer.Option(help="cause of death")],
    at: Annotated[str, typer.Option(help="time of death, ISO 8601 with zone; default now")] = "",
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Record a death in care; the registry records the person as deceased."""
    actor = state_of(ctx).actor()
    patient = selectors.patient_get(actor=actor, patient_id=patient_id)
    data: dict[str, Any] = {"cause": cause, "note": note}
    if at:
        data["died_at"] = at
    death = services.death_record(
        actor=actor, patient=patient, **input_parse_or_fail(DeathInput, data)
    )
    typer.echo(
        _("death of %(name)s recorded at %(when)s")
        % {"name": patient.person.full_name, "when": f"{death.died_at:%Y-%m-%d %H:%M}"}
    )


@app.command("discharge")
def care_discharge(
    ctx: typer.Context,
    patient_id: str,
    transferred: Annotated[bool, typer.Option(help="transferred elsewhere")] = False,
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Discharge a patient (or transfer them)."""
    actor = state_of(ctx).actor()
    patient = selectors.patient_get(actor=actor, patient_id=patient_id)
    values = input_parse_or_fail(DischargeInput, {"transferred": transferred, "note": note})
    patient = services.patient_discharge(actor=actor, patient=patient, **values)
    typer.echo(f"{patient.person.full_name}: {patient.get_status_display()}")


treatments_cli.register(app)  # prescribe, dose, treatments, stop, allocate, allocation, confirm
