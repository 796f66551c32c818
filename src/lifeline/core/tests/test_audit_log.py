"""The audit log is readable by the commander through the API, the CLI and its page, filtered
by actor, record and action; no other role reads it, and reading it is logged."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient
from typer.testing import CliRunner, Result

from lifeline.core.cli import audit_app
from lifeline.core.commandline import command_root_build
from lifeline.core.models import AuditEntry, Site
from lifeline.people import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(registrar: Any, site: Site) -> dict[str, Any]:
    amal = services.person_register(actor=registrar, given_name="Amal")
    sami = services.person_register(actor=registrar, given_name="Sami")
    services.household_create(actor=registrar, ration_card="DB-7")
    return {"amal": amal, "sami": sami}


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_commander_reads_the_log_newest_first_filtered_by_actor_record_and_action(
    commander: Any, history: dict[str, Any]
) -> None:
    client = api(commander)
    everything = client.get("/api/audit/").json()
    by_actor = client.get("/api/audit/?actor=registrar").json()
    by_record = client.get(f"/api/audit/?record={history['amal'].pk}").json()
    by_kind = client.get("/api/audit/?record=people.household").json()
    by_action = client.get("/api/audit/?action=person.register").json()
    by_prefix = client.get("/api/audit/?action=household.").json()

    assert everything["count"] >= 3
    assert {e["actor"] for e in by_actor["results"]} == {"registrar"}
    assert [e["summary"] for e in by_record["results"]] == ["Amal"]
    assert [e["action"] for e in by_kind["results"]] == ["household.create"]
    assert [e["summary"] for e in by_action["results"]] == ["Sami", "Amal"]
    assert [e["action"] for e in by_prefix["results"]] == ["household.create"]
    assert AuditEntry.objects.filter(action="audit.read", actor=commander).count() == 6


@pytest.mark.parametrize("role", ["registrar", "viewer", "medic", "protection_officer"])
def test_no_other_role_reads_the_log(
    role: str, request: pytest.FixtureRequest, history: dict[str, Any]
) -> None:
    user = request.getfixturevalue(role)
    response = api(user).get("/api/audit/")
    assert response.status_code == 403
    page = Client()
    page.force_login(user)
    assert page.get("/audit/").status_code == 403


def run(*args: str, user: str) -> Result:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    return runner.invoke(command_root_build({"audit": audit_app}), ["--user", user, "audit", *args])


def test_lifeline_audit_lists_and_filters_the_log(commander: Any, history: dict[str, Any]) -> None:
    result = run("--action", "person.register", "--json", user="commander")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["summary"] for line in lines] == ["Sami", "Amal"]
    plain = run("--actor", "registrar", "--limit", "1", user="commander")
    assert plain.exit_code == 0 and len(plain.stdout.splitlines()) == 1
    refused = run(user="registrar")
    assert refused.exit_code != 0
    assert "read the audit log" in refused.output


def test_the_page_shows_the_log_to_the_commander_with_its_filters(
    commander: Any, history: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(commander)
    response = client.get("/audit/?action=person.register")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Amal" in text and "Sami" in text
    assert "DB-7" not in text
