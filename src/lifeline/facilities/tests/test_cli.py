"""`lifeline facility ...` and `lifeline watch ...`: the same services and roles as the API,
errors as a message and an exit code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from typer.testing import CliRunner, Result

from lifeline.core.commandline import command_root_build
from lifeline.facilities.cli import facility_app, watch_app
from lifeline.facilities.models import Facility, WorkOrder
from lifeline.intel.models import WatchPost

pytestmark = pytest.mark.django_db


def run(*args: str, user: str = "commander") -> Result:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    return runner.invoke(
        command_root_build({"facility": facility_app, "watch": watch_app}),
        ["--user", user, *args],
        catch_exceptions=False,
    )


def test_a_breach_is_assessed_repaired_and_closed_from_the_command_line(commander: Any) -> None:
    added = run("facility", "add", "South wall", "--kind", "wall")
    assert added.exit_code == 0, added.output
    wall_id = added.output.split()[0]
    assessed = run(
        "facility", "assess", wall_id, "--severity", "3", "--unsafe", "--damage", "breach 2 m"
    )
    assert assessed.exit_code == 0 and "Unsafe to use" in assessed.output
    listed = run("facility", "list", "--state", "unsafe")
    assert "South wall" in listed.output
    raised = run("facility", "repair", wall_id, "Fill the breach", "--priority", "urgent")
    assert raised.exit_code == 0, raised.output
    work_id = raised.output.split()[0]
    assert "Fill the breach" in run("facility", "work").output
    done = run("facility", "done", work_id, "--note", "sandbags and wire")
    assert done.exit_code == 0 and "Done" in done.output
    assert WorkOrder.objects.get().status == "done"


def test_bad_input_is_a_message_and_an_exit_code(commander: Any, viewer: Any) -> None:
    bad = run("facility", "add", "Tower", "--kind", "castle")
    assert bad.exit_code == 2 and "kind" in bad.output
    refused = run("facility", "add", "Store 2", "--kind", "store", user=viewer.username)
    assert refused.exit_code == 4
    assert not Facility.objects.exists()


def test_the_roster_shows_an_uncovered_post(commander: Any, posts: list[WatchPost]) -> None:
    start = timezone.now() + dt.timedelta(hours=1)
    planned = run(
        "watch",
        "plan",
        str(posts[0].pk),
        "--from",
        start.isoformat(),
        "--to",
        (start + dt.timedelta(hours=6)).isoformat(),
        "--watcher-user",
        "commander",
    )
    assert planned.exit_code == 0, planned.output
    roster = run("watch", "roster", "--hours", "8")
    assert "North gate" in roster.output and "UNCOVERED  Ridge" in roster.output
    assert "North gate" in run("watch", "mine").output
