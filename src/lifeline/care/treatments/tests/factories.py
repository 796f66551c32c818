"""Rows of the treatment and allocation models built directly, for core's change-log test."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from lifeline.care.models import AllocationDecision, AllocationOutcome, DoseGiven, Treatment
from lifeline.care.tests.factories import patient_row
from lifeline.core.models import ReplicatedModel
from lifeline.supplies.models import Movement
from lifeline.supplies.tests import factories as supplies


def treatment_new() -> Treatment:
    return Treatment(
        patient=patient_row(),
        item=supplies.item(),
        store=supplies.location(),
        dose_quantity=Decimal(1),
        dose_unit="tablet",
        every_hours=8,
        doses=21,
    )


def treatment_row() -> Treatment:
    row = treatment_new()
    row.save()
    return row


def dose_new() -> DoseGiven:
    treatment = treatment_row()
    lot = supplies.lot()
    movement = Movement(
        kind="issue", item=lot.item, lot=lot, location=treatment.store, quantity=Decimal(-1)
    )
    movement.save()
    return DoseGiven(
        treatment=treatment, quantity=Decimal(1), movement=movement, movement_ids=[str(movement.pk)]
    )


def decision_new() -> AllocationDecision:
    store = supplies.location()
    return AllocationDecision(item=supplies.item(), store=store, site=store.site, stock=Decimal(10))


def outcome_new() -> AllocationOutcome:
    decision = decision_new()
    decision.save()
    treatment = treatment_row()
    return AllocationOutcome(
        decision=decision,
        treatment=treatment,
        patient=treatment.patient,
        category="immediate",
        benefit="high",
        need=Decimal(21),
        quantity=Decimal(21),
        rank=1,
        reason="rank 1",
        position=0,
    )


FACTORIES: dict[type[ReplicatedModel], tuple[Callable[[], ReplicatedModel], str, Any]] = {
    Treatment: (treatment_new, "indication", "wound infection"),
    DoseGiven: (dose_new, "note", "with food"),
    AllocationDecision: (decision_new, "note", "confirmed at dawn"),
    AllocationOutcome: (outcome_new, "reason", "rank 2"),
}
