"""`lifeline care ...`: the same services and roles as the API, errors as a message and an
exit code."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner, Result

from lifeline.care.cli import app as care_app
from lifeline.care.models import Patient
from lifeline.core.commandline import command_root_build
from lifeline.people.models import Person, Status

pytestmark = pytest.mark.django_db


def run(*args: str, user: str | None = "medic", stdin: str | None = None) -> Result:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    argv = ["--user", user, *args] if user else list(args)
    return runner.invoke(
        command_root_build({"care": care_app}), argv, input=stdin, catch_exceptions=False
    )


def test_a_medic_admits_and_triages_from_the_command_line(amal: Person, medic: Any) -> None:
    admitted = run("care", "admit", str(amal.pk), "--place", "truck")
    assert admitted.exit_code == 0, admitted.output
    pid = admitted.output.split()[0]
    incomplete = run("care", "triage", pid, "-a", "walks=no", "-a", "breathes=yes")
    assert incomplete.exit_code == 2 and "respiratory_rate" in incomplete.output
    done = run("care", "triage", pid, "-a", "walks=no", "-a", "breathes=yes", "-a", "rr=1")
    assert done.exit_code == 2 and "rr" in done.output
    done = run(
        "care", "triage", pid, "-a", "walks=no", "-a", "breathes=yes", "-a", "respiratory_rate=34"
    )
    assert done.exit_code == 0, done.output
    assert "Immediate" in done.output and "respiratory_rate: 34" in done.output
    board = run("care", "board")
    assert "Immediate (red):" in board.output and "Amal Benali [truck]" in board.output


def test_the_triage_asks_one_question_at_a_time(amal_patient: Patient, medic: Any) -> None:
    # Not breathing; breathes once the airway is opened: immediate after three questions.
    result = run("care", "triage", str(amal_patient.pk), "--ask", stdin="no\nno\nyes\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("?") == 3
    assert "Is the patient breathing now?" in result.output and "Immediate" in result.output


def test_vitals_death_and_show(amal_patient: Patient, amal: Person, medic: Any) -> None:
    pid = str(amal_patient.pk)
    assert run("care", "vitals", pid, "--pulse", "120", "--spo2", "91").exit_code == 0
    bad = run("care", "vitals", pid, "--spo2", "101")
    assert bad.exit_code == 2 and "spo2" in bad.output
    assert run("care", "death", pid, "--cause", "sepsis").exit_code == 0
    assert Person.objects.get(pk=amal.pk).status == Status.DECEASED
    shown = run("care", "show", pid)
    assert "Dead" in shown.output and "sepsis" in shown.output
    assert "pulse 120, SpO2 91" in shown.output


@pytest.mark.parametrize("role", ["viewer", "registrar", "logistics"])
def test_roles_without_medical_access_are_refused_on_the_command_line(
    role: str, amal_patient: Patient, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue(role)
    for args in (
        ("care", "board"),
        ("care", "show", str(amal_patient.pk)),
        ("care", "triage", str(amal_patient.pk), "-a", "walks=yes"),
        ("care", "admit", str(amal_patient.person_id)),
    ):
        result = run(*args, user=role)
        assert result.exit_code == 4, (args, result.output)
