"""`lifeline mission ...` and `lifeline report ...`: the same services and roles as the API,
errors as a message and an exit code."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone
from typer.testing import CliRunner, Result

from lifeline.core.commandline import command_root_build
from lifeline.intel import codec
from lifeline.intel.cli import app as report_app
from lifeline.intel.models import FieldReport
from lifeline.missions.cli import app as mission_app
from lifeline.missions.models import Mission
from lifeline.missions.tests.conftest import set_out

pytestmark = pytest.mark.django_db


def run(*args: str, user: str | None = "commander") -> Result:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    argv = ["--user", user, *args] if user else list(args)
    return runner.invoke(
        command_root_build({"mission": mission_app, "report": report_app}),
        argv,
        catch_exceptions=False,
    )


def test_a_mission_is_planned_moved_and_listed_from_the_command_line(
    site: Any, commander: Any
) -> None:
    plan = {"name": "Convoy vaccine crates", "kind": "convoy", "planned_start": "2026-03-01T06:00Z"}
    planned = run("mission", "plan", json.dumps(plan))
    assert planned.exit_code == 0, planned.output
    mission_id = planned.output.split()[0]
    assert run("mission", "move", mission_id, "briefed").exit_code == 0
    refused = run("mission", "move", mission_id, "complete")
    assert refused.exit_code == 5 and "next it can be" in refused.output
    listed = run("mission", "list")
    assert "Convoy vaccine crates" in listed.output and "briefed" in listed.output


def test_an_overdue_team_is_marked_on_the_board(mission: Mission, commander: Any) -> None:
    set_out(mission, commander, at=timezone.now() - dt.timedelta(hours=1))
    assert "OVERDUE" in run("mission", "list").output


def test_a_bad_plan_names_the_field_with_exit_code_2(site: Any, commander: Any) -> None:
    result = run("mission", "plan", '{"name": "x", "kind": "picnic"}')
    assert result.exit_code == 2 and "kind" in result.output


def test_a_report_encodes_and_its_packet_decodes(mission: Mission, field_team: Any) -> None:
    body = {"kind": "sitrep", "text": "Bridge at km 42 down", "latitude": 33.4, "longitude": 36.1}
    filed = run("report", "file", str(mission.pk), json.dumps(body), user="field_team")
    assert filed.exit_code == 0, filed.output
    report_id = filed.output.split()[0]
    encoded = run("report", "encode", report_id, user="field_team")
    packet = encoded.output.split("base64: ")[1].split()[0]
    decoded = run("report", "decode", packet, user=None)
    assert decoded.exit_code == 0 and "Bridge at km 42 down" in decoded.output


def test_a_corrupt_packet_is_refused_with_its_reason(site: Any) -> None:
    packet = codec.encode(codec.RadioReport(codec.Fix(1), codec.SitRep("hi")))
    result = run("report", "decode", packet[:-1].hex(), user=None)
    assert result.exit_code == 2 and "truncated" in result.output


def test_a_packet_ingested_from_the_command_line_files_the_report(
    mission: Mission, commander: Any
) -> None:
    fix = codec.Fix(mission.radio_tag, 1, 4, 120, 33_400_000, 36_100_000)
    packet = codec.encode(codec.RadioReport(fix, codec.Sighting(3, codec.Armed.YES)))
    result = run("report", "ingest", packet.hex())
    assert result.exit_code == 0, result.output
    assert FieldReport.objects.get().kind == "sighting"
