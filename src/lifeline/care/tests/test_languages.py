"""Care in French and Arabic from the command line (--lang, LANG) and through the API
(Accept-Language): the messages follow the language; codes and field names do not."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient
from typer.testing import CliRunner, Result

from lifeline.care import services
from lifeline.care.cli import app as care_app
from lifeline.care.models import Patient
from lifeline.care.tests.conftest import START_IMMEDIATE
from lifeline.core.commandline import command_root_build

pytestmark = pytest.mark.django_db


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1", **(env or {})})
    root = command_root_build({"care": care_app})
    return runner.invoke(root, ["--user", "medic", *args], catch_exceptions=False)


@pytest.fixture
def triaged(amal_patient: Patient, medic: Any) -> Patient:
    services.triage_record(actor=medic, patient=amal_patient, answers=START_IMMEDIATE)
    return amal_patient


def test_the_board_and_an_error_read_in_french_with_lang(triaged: Patient) -> None:
    board = run("--lang", "fr", "care", "board")
    assert board.exit_code == 0, board.output
    assert "Immédiat (rouge):" in board.output and "Amal Benali" in board.output
    missing = run("--lang", "fr", "care", "show", str(uuid.uuid4()))
    assert missing.exit_code == 3
    assert "aucun patient avec l\u2019identifiant" in missing.output


def test_the_cli_follows_lang_from_the_environment_in_arabic(triaged: Patient) -> None:
    board = run("care", "board", env={"LANG": "ar_SY.UTF-8", "LC_ALL": None})
    assert board.exit_code == 0, board.output
    assert "فوري (أحمر):" in board.output
    shown = run("care", "show", str(triaged.pk), env={"LANG": "ar_SY.UTF-8", "LC_ALL": None})
    assert "معدل التنفس أعلى من 30" in shown.output or "فوري (أحمر)" in shown.output


def test_english_stays_the_default(triaged: Patient) -> None:
    board = run("care", "board", env={"LANG": None, "LC_ALL": None, "LC_MESSAGES": None})
    assert "Immediate (red):" in board.output


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "aucun patient avec l\u2019identifiant"),
        ("ar", "لا يوجد مريض بالمعرّف"),
        ("en", "no patient with id"),
    ],
)
def test_the_api_gives_its_messages_in_the_accept_language_with_the_same_codes(
    medic: Any, language: str, message: str
) -> None:
    api = APIClient()
    api.force_authenticate(medic)
    response = api.get(f"/api/care/patients/{uuid.uuid4()}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.json()["error"]
    assert body["code"] == "not_found" and message in body["message"]


def test_a_bad_answer_is_refused_in_french_naming_the_same_field(
    triaged: Patient, medic: Any
) -> None:
    api = APIClient()
    api.force_authenticate(medic)
    response = api.post(
        f"/api/care/patients/{triaged.pk}/triage/",
        {"answers": {"walks": False, "breathes": True}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400, response.json()
    body = response.json()["error"]
    assert body["code"] == "invalid" and "respiratory_rate" in body["fields"]
    assert "question suivante" in " ".join(body["fields"]["respiratory_rate"])
