"""`lifeline care prescribe / dose / treatments / allocate / confirm`: the same rules as the
API, errors as exit codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from lifeline.care.cli import app as care_app
from lifeline.care.models import AllocationDecision, DoseGiven, Patient, Treatment
from lifeline.core.commandline import command_root_build

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> Any:
    return CliRunner().invoke(command_root_build({"care": care_app}), list(args))


def test_a_medic_prescribes_gives_a_dose_and_lists_the_course(
    medic: Any, stock: Callable[..., Any], make_patient: Callable[..., Patient], clinic: Any
) -> None:
    stock(30)
    patient = make_patient("Amal")
    prescribed = run(
        "--user", "medic", "care", "prescribe", str(patient.pk),
        "--item", "amoxicillin", "--dose", "1", "--every", "8", "--doses", "21",
    )  # fmt: skip
    assert prescribed.exit_code == 0, prescribed.output
    treatment = Treatment.objects.get()
    given = run("--user", "medic", "care", "dose", str(treatment.pk))
    assert given.exit_code == 0, given.output
    assert "1 of 21 given" in given.output
    listed = run("--user", "medic", "care", "treatments", str(patient.pk))
    assert "Amoxicillin 500 mg 1 tablet every 8 h: 1 of 21 given" in listed.output


def test_a_dose_beyond_the_stock_exits_with_the_validation_code_and_writes_nothing(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(1)
    treatment = course(make_patient("Amal"), dose_quantity=2)
    result = run("--user", "medic", "care", "dose", str(treatment.pk))
    assert result.exit_code == 2
    assert "nothing was given" in result.output
    assert not DoseGiven.objects.exists()


def test_an_allocation_is_proposed_and_confirmed_with_an_override(
    medic: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(30)
    course(make_patient("Amal", "immediate"))
    meriem = course(make_patient("Meriem", "minor"))
    proposed = run("--user", "medic", "care", "allocate", "amoxicillin", "--store", "clinic-store")
    assert proposed.exit_code == 0, proposed.output
    assert "stock ran out at rank 2: needs 21, 9 left" in proposed.output
    decision = AllocationDecision.objects.get()
    no_reason = run(
        "--user", "medic", "care", "confirm", str(decision.pk), "--give", str(meriem.patient_id)
    )
    assert no_reason.exit_code == 2
    confirmed = run(
        "--user", "medic", "care", "confirm", str(decision.pk),
        "--give", f"{meriem.patient_id}=pregnant, sepsis",
    )  # fmt: skip
    assert confirmed.exit_code == 0, confirmed.output
    assert "given by override: pregnant, sepsis" in confirmed.output
    assert "Meriem Test (minor) served while Amal Test (immediate) goes without" in (
        confirmed.output
    )


def test_a_viewer_may_not_allocate(
    viewer: Any,
    stock: Callable[..., Any],
    make_patient: Callable[..., Patient],
    course: Callable[..., Treatment],
) -> None:
    stock(30)
    course(make_patient("Amal"))
    result = run("--user", "viewer", "care", "allocate", "amoxicillin", "--store", "clinic-store")
    assert result.exit_code == 4
    assert not AllocationDecision.objects.exists()
