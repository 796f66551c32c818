"""The care REST API (/api/care/...): one class per operation. Each parses its input with the
shared schema (`care.schemas`), calls one selector or service, and renders an output schema."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from lifeline.care import selectors, services
from lifeline.care.schemas import (
    AdmitInput,
    DeathInput,
    DeathOutput,
    DischargeInput,
    PatientBoardOutput,
    PatientOutput,
    PatientRecordOutput,
    TriageInput,
    TriageOutput,
    TriagePreviewInput,
    TriagePreviewOutput,
    VitalsInput,
    VitalsOutput,
    answers_clean,
    vitals_split,
)
from lifeline.care.triage import QUESTIONS, Outcome
from lifeline.core.api import READ_ERRORS, WRITE_ERRORS, ApiView, Needs, input_parse, path_id

PATIENT_ID = path_id("patient_id", "patient")


class BoardApi(ApiView):
    """The patient board: open patients by triage category (not yet triaged first), the
    longest waiting first; the dead apart; the wounded in the registry not yet in care."""

    @extend_schema(
        operation_id="care_board", tags=["care"], responses={200: PatientBoardOutput, **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        board = selectors.patient_board(actor=request.user)
        return Response(PatientBoardOutput(board).data)


class PatientAdmitApi(ApiView):
    """Admit a person from the registry to care."""

    permission = Needs("care.record_care", gettext_lazy("admit patients"))

    @extend_schema(
        operation_id="care_admit",
        tags=["care"],
        request=AdmitInput,
        responses={201: PatientOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        values = input_parse(AdmitInput, request.data)
        patient = services.patient_admit(actor=request.user, **values)
        return Response(PatientOutput(patient).data, status=status.HTTP_201_CREATED)


class PatientRecordApi(ApiView):
    """A patient's record: triage history with paths, vital signs, deaths. The read is audited."""

    @extend_schema(
        operation_id="care_patient_get",
        tags=["care"],
        parameters=[PATIENT_ID],
        responses={200: PatientRecordOutput, **READ_ERRORS},
    )
    def get(self, request: Request, patient_id: str) -> Response:
        record = selectors.patient_record(actor=request.user, patient_id=patient_id)
        return Response(PatientRecordOutput(record).data)


def preview_data(outcome: Outcome) -> dict[str, Any]:
    question = outcome.next_question
    spec = QUESTIONS[question] if question is not None else None
    return {
        "algorithm": outcome.algorithm.value,
        "complete": outcome.complete,
        "category": outcome.category.value if outcome.category else None,
        "reason": outcome.reason,
        "next_question": None
        if question is None or spec is None
        else {
            "key": question.value,
            "prompt": _(spec.prompt),
            "kind": spec.kind,
            "unit": _(spec.unit) if spec.unit else "",
            "choices": list(spec.choices),
        },
        "path": [{"question": s.question.value, "answer": s.answer} for s in outcome.path],
    }


class TriagePreviewApi(ApiView):
    """Where the answers so far lead: the category, or the one question to ask next.
    Records nothing; a form posts here after each answer."""

    permission = Needs("care.record_care", gettext_lazy("triage patients"))

    @extend_schema(
        operation_id="care_triage_next",
        tags=["care"],
        parameters=[PATIENT_ID],
        request=TriagePreviewInput,
        responses={200: TriagePreviewOutput, **READ_ERRORS},
    )
    def post(self, request: Request, patient_id: str) -> Response:
        actor = request.user
        values = input_parse(TriagePreviewInput, request.data)
        patient = selectors.patient_get(actor=actor, patient_id=patient_id)
        outcome = selectors.triage_preview(
            actor=actor,
            patient=patient,
            answers=answers_clean(values.get("answers", {})),
            looks_like_child=values.get("looks_like_child"),
        )
        return Response(TriagePreviewOutput(preview_data(outcome)).data)


class TriageRecordApi(ApiView):
    """Record a triage; refused while the answers are incomplete, naming the next question."""

    permission = Needs("care.record_care", gettext_lazy("triage patients"))

    @extend_schema(
        operation_id="care_triage",
        tags=["care"],
        parameters=[PATIENT_ID],
        request=TriageInput,
        responses={201: TriageOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, patient_id: str) -> Response:
        actor = request.user
        values = input_parse(TriageInput, request.data)
        patient = selectors.patient_get(actor=actor, patient_id=patient_id)
        row = services.triage_record(
            actor=actor,
            patient=patient,
            answers=answers_clean(values.pop("answers", {})),
            **values,
        )
        return Response(TriageOutput(row).data, status=status.HTTP_201_CREATED)


class VitalsRecordApi(ApiView):
    """Record a set of vital signs."""

    permission = Needs("care.record_care", gettext_lazy("record vital signs"))

    @extend_schema(
        operation_id="care_vitals",
        tags=["care"],
        parameters=[PATIENT_ID],
        request=VitalsInput,
        responses={201: VitalsOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, patient_id: str) -> Response:
        actor = request.user
        values = input_parse(VitalsInput, request.data)
        patient = selectors.patient_get(actor=actor, patient_id=patient_id)
        row = services.vitals_record(actor=actor, patient=patient, **vitals_split(values))
        return Response(VitalsOutput(row).data, status=status.HTTP_201_CREATED)


class DeathRecordApi(ApiView):
    """Record a death in care; the registry records the person as deceased."""

    permission = Needs("care.record_care", gettext_lazy("record deaths"))

    @extend_schema(
        operation_id="care_death",
        tags=["care"],
        parameters=[PATIENT_ID],
        request=DeathInput,
        responses={201: DeathOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, patient_id: str) -> Response:
        actor = request.user
        values = input_parse(DeathInput, request.data)
        patient = selectors.patient_get(actor=actor, patient_id=patient_id)
        death = services.death_record(actor=actor, patient=patient, **values)
        return Response(DeathOutput(death).data, status=status.HTTP_201_CREATED)


class DischargeApi(ApiView):
    """Discharge a patient (or transfer them elsewhere)."""

    permission = Needs("care.record_care", gettext_lazy("discharge patients"))

    @extend_schema(
        operation_id="care_discharge",
        tags=["care"],
        parameters=[PATIENT_ID],
        request=DischargeInput,
        responses={200: PatientOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, patient_id: str) -> Response:
        actor = request.user
        values = input_parse(DischargeInput, request.data)
        patient = selectors.patient_get(actor=actor, patient_id=patient_id)
        patient = services.patient_discharge(actor=actor, patient=patient, **values)
        return Response(PatientOutput(patient).data)
