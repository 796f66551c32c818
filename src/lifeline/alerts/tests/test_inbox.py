"""The alert inbox through the API, the CLI and the page: the alerts that concern the caller,
critical first; acknowledging and resolving with who and when; a refusal for a role the alert
does not concern, and a clear error for bad input that changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner, Result

from lifeline.alerts.cli import app as alert_app
from lifeline.alerts.models import Alert, Severity
from lifeline.alerts.services import alert_raise
from lifeline.conftest import PASSWORD
from lifeline.core.commandline import command_root_build
from lifeline.core.models import AuditEntry, Site

pytestmark = pytest.mark.django_db


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def cli(*args: str, user: str = "commander") -> Result:
    runner = CliRunner(env={"LIFELINE_USER": None, "NO_COLOR": "1"})
    app = command_root_build({"alert": alert_app})
    return runner.invoke(app, ["--user", user, *args], catch_exceptions=False)


@pytest.fixture
def three_alerts(site: Site) -> dict[str, Alert]:
    return {
        "warning": alert_raise(
            kind="supplies.below_reorder", key="rice", title="Rice below reorder level"
        ),
        "critical": alert_raise(
            kind="supplies.stockout_soon",
            key="water",
            title="Water runs out today",
            severity=Severity.CRITICAL,
        ),
        "overdue": alert_raise(
            kind="mission.overdue", key="m1", title="Recon unit overdue", severity=Severity.WARNING
        ),
        "risk": alert_raise(
            kind="risk.camp", key="camp", title="Risk rising near the camp", severity=Severity.INFO
        ),
    }


def test_the_api_lists_critical_alerts_first(
    three_alerts: dict[str, Alert], commander: Any
) -> None:
    response = api_as(commander).get("/api/alerts/")
    assert response.status_code == 200, response.content
    titles = [row["title"] for row in response.json()["results"]]
    assert titles[0] == "Water runs out today"
    assert set(titles) == {a.title for a in three_alerts.values()}
    first = response.json()["results"][0]
    assert first["severity"] == "critical"
    assert first["kind_meaning"]


def test_an_acknowledged_alert_goes_below_the_ones_nobody_took_on(
    three_alerts: dict[str, Alert], commander: Any
) -> None:
    client = api_as(commander)
    warning = three_alerts["warning"]
    response = client.post(f"/api/alerts/{warning.pk}/acknowledge/")
    assert response.status_code == 200, response.content
    assert response.json()["acknowledged_by"] == commander.username
    titles = [row["title"] for row in client.get("/api/alerts/").json()["results"]]
    assert titles.index("Recon unit overdue") < titles.index("Rice below reorder level")


def test_resolving_through_the_api_needs_a_resolution_and_keeps_it(
    three_alerts: dict[str, Alert], commander: Any
) -> None:
    client = api_as(commander)
    water = three_alerts["critical"]
    refused = client.post(f"/api/alerts/{water.pk}/resolve/", {}, format="json")
    assert refused.status_code == 400
    assert "resolution" in refused.json()["error"]["fields"]
    water.refresh_from_db()
    assert water.resolved_at is None
    done = client.post(
        f"/api/alerts/{water.pk}/resolve/", {"resolution": "convoy brought 4,000 L"}, format="json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["resolved_by"] == commander.username
    open_titles = [r["title"] for r in client.get("/api/alerts/").json()["results"]]
    assert "Water runs out today" not in open_titles
    resolved = client.get("/api/alerts/?state=resolved").json()["results"]
    assert [r["resolution"] for r in resolved] == ["convoy brought 4,000 L"]
    assert AuditEntry.objects.filter(action="alert.resolve").count() == 1


def test_a_bad_state_is_refused_by_name(three_alerts: dict[str, Alert], commander: Any) -> None:
    response = api_as(commander).get("/api/alerts/?state=everything")
    assert response.status_code == 400
    assert "state" in response.json()["error"]["fields"]


def test_an_alert_a_role_may_not_see_is_not_found_for_it(
    three_alerts: dict[str, Alert], logistics: Any
) -> None:
    # Risk near the camp goes to those who keep the watch (intel.watch_threats), not logistics.
    client = api_as(logistics)
    titles = [r["title"] for r in client.get("/api/alerts/").json()["results"]]
    assert "Risk rising near the camp" not in titles
    assert "Water runs out today" in titles
    response = client.post(f"/api/alerts/{three_alerts['risk'].pk}/acknowledge/")
    assert response.status_code == 404
    three_alerts["risk"].refresh_from_db()
    assert three_alerts["risk"].acknowledged_at is None


def test_a_viewer_acknowledges_but_may_not_resolve(
    three_alerts: dict[str, Alert], viewer: Any
) -> None:
    client = api_as(viewer)
    rice = three_alerts["warning"]
    assert client.post(f"/api/alerts/{rice.pk}/acknowledge/").status_code == 200
    refused = client.post(f"/api/alerts/{rice.pk}/resolve/", {"resolution": "x"}, format="json")
    assert refused.status_code == 403
    rice.refresh_from_db()
    assert rice.resolved_at is None


def test_the_cli_lists_acknowledges_and_resolves(
    three_alerts: dict[str, Alert], commander: Any
) -> None:
    listed = cli("alert", "list")
    assert listed.exit_code == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert "CRITICAL" in lines[0] and "Water runs out today" in lines[0]
    water = three_alerts["critical"]
    acked = cli("alert", "ack", str(water.pk))
    assert acked.exit_code == 0, acked.stderr
    again = cli("alert", "ack", str(water.pk))
    assert again.exit_code != 0 and "already acknowledged" in again.stderr
    blank = cli("alert", "resolve", str(water.pk), "--resolution", "  ")
    assert blank.exit_code == 2 and "resolution" in blank.stderr
    done = cli("alert", "resolve", str(water.pk), "-r", "water truck came")
    assert done.exit_code == 0, done.stderr
    resolved = cli("alert", "list", "--state", "resolved")
    assert "water truck came" in resolved.stdout


def test_the_cli_refuses_an_unknown_alert(site: Site, commander: Any) -> None:
    malformed = cli("alert", "ack", "not-an-id")
    assert malformed.exit_code == 2
    assert "alert: 'not-an-id' is not a valid id" in malformed.stderr
    missing = cli("alert", "ack", "0190c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d")
    assert missing.exit_code != 0
    assert "no such alert" in missing.stderr


def test_the_inbox_page_shows_the_count_and_resolves_with_a_note(
    three_alerts: dict[str, Alert], commander: Any
) -> None:
    client = Client()
    assert client.login(request=HttpRequest(), username=commander.username, password=PASSWORD)
    page = client.get(reverse("web:alerts"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Water runs out today") < html.index("Rice below reorder level")
    assert 'class="alert-count"' in html  # three open, nobody on them
    water = three_alerts["critical"]
    client.post(reverse("web:alert_acknowledge", args=[water.pk]), {"state": "open"})
    water.refresh_from_db()
    assert water.acknowledged_by == commander
    refused = client.post(
        reverse("web:alert_resolve", args=[water.pk]), {"resolution": ""}, follow=True
    )
    assert "say how it was resolved" in refused.content.decode()
    water.refresh_from_db()
    assert water.resolved_at is None
    client.post(reverse("web:alert_resolve", args=[water.pk]), {"resolution": "truck came"})
    water.refresh_from_db()
    assert water.resolution == "truck came"
