"""The missions and reports API: each operation, bad input naming the field and writing
nothing, roles refused, the board's query count pinned."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
from django.db import models
from django.utils import timezone
from rest_framework.test import APIClient

from lifeline.alerts.models import Alert
from lifeline.core.models import AuditEntry, ChangeLogEntry
from lifeline.intel import codec
from lifeline.intel.models import FieldReport
from lifeline.missions.models import CheckIn, Mission, MissionMember, MissionTransition
from lifeline.missions.tests.conftest import set_out
from lifeline.people.models import Person

pytestmark = pytest.mark.django_db

WRITTEN: tuple[type[models.Model], ...] = (
    Mission,
    MissionTransition,
    CheckIn,
    FieldReport,
    Person,
    ChangeLogEntry,
    AuditEntry,
)


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


PLAN = {
    "name": "Recon Qasr al-Hanif",
    "kind": "recon",
    "objective": "Look at the vaccine crates",
    "planned_start": "2026-03-01T06:00:00Z",
    "checkin_interval_minutes": 20,
    "points": [{"kind": "rally", "name": "Alpha", "latitude": 33.2, "longitude": 36.1}],
}


def test_a_commander_plans_a_mission_and_moves_it_on(site: Any, commander: Any) -> None:
    api = api_as(commander)
    created = api.post("/api/missions/", PLAN, format="json")
    assert created.status_code == 201, created.json()
    mission_id = created.json()["id"]
    moved = api.post(f"/api/missions/{mission_id}/transitions/", {"to": "briefed"}, format="json")
    assert moved.status_code == 201 and moved.json()["to_state"] == "briefed"
    detail = api.get(f"/api/missions/{mission_id}/").json()
    assert detail["mission"]["state"] == "briefed"
    assert [p["name"] for p in detail["points"]] == ["Alpha"]
    assert [t["to_state"] for t in detail["transitions"]] == ["planned", "briefed"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "picnic"}, "kind"),
        ({"planned_start": "tomorrow"}, "planned_start"),
        ({"checkin_interval_minutes": 0}, "checkin_interval_minutes"),
        (
            {"points": [{"kind": "rally", "name": "A", "latitude": 91, "longitude": 0}]},
            "points[0].latitude",
        ),
        ({"members": [{"role": "leader"}]}, "members[0].person"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_plan_input_names_the_field_and_writes_nothing(
    site: Any, commander: Any, change: dict[str, Any], field: str
) -> None:
    before = rows()
    response = api_as(commander).post("/api/missions/", {**PLAN, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert rows() == before


def test_an_illegal_transition_is_a_conflict_with_the_reason(
    mission: Mission, commander: Any
) -> None:
    response = api_as(commander).post(
        f"/api/missions/{mission.pk}/transitions/", {"to": "complete"}, format="json"
    )
    assert response.status_code == 409
    assert "next it can be briefed or aborted" in response.json()["error"]["message"]


def test_a_viewer_sees_the_board_but_cannot_plan_or_read_reports(
    mission: Mission, viewer: Any
) -> None:
    api = api_as(viewer)
    assert api.get("/api/missions/").status_code == 200
    assert api.post("/api/missions/", PLAN, format="json").status_code == 403
    assert api.get(f"/api/missions/{mission.pk}/reports/").status_code == 403


def test_the_board_shows_an_overdue_team_raises_its_alert_in_few_queries(
    mission: Mission, commander: Any, django_assert_max_num_queries: Any
) -> None:
    set_out(mission, commander, at=timezone.now() - dt.timedelta(hours=1))
    api = api_as(commander)
    with django_assert_max_num_queries(25):
        board = api.get("/api/missions/").json()
    assert board[0]["overdue"] is True and board[0]["members"] == ["RAFIQ", "member 2"]
    assert Alert.objects.filter(kind="mission.overdue").count() == 1


def test_a_field_team_checks_in_through_the_api(
    mission: Mission, commander: Any, field_team: Any
) -> None:
    set_out(mission, commander)
    member = MissionMember.objects.get(mission=mission, radio_number=2)
    response = api_as(field_team).post(
        f"/api/missions/{mission.pk}/checkins/",
        {"member": str(member.pk), "latitude": 33.5, "longitude": 36.3, "status": "ok"},
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_a_survivors_report_through_the_api_creates_people_and_an_evacuation(
    mission: Mission, field_team: Any
) -> None:
    response = api_as(field_team).post(
        f"/api/missions/{mission.pk}/reports/",
        {
            "kind": "survivors",
            "latitude": 33.515,
            "longitude": 36.281,
            "place": "Mavrah",
            "groups": [{"age_band": "5-11", "count": 4}, {"age_band": "60+", "count": 1}],
            "text": "four children, one elderly",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["evacuation_mission"] is not None
    assert Person.objects.filter(given_name="Unidentified").count() == 5


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "survivors", "groups": []}, "groups"),
        ({"kind": "survivors", "groups": [{"count": 0}]}, "groups[0].count"),
        ({"kind": "sighting", "count": 3, "armed": "maybe"}, "armed"),
        ({"kind": "casualty", "casualty": "not-an-id", "severity": "minor"}, "casualty"),
        ({"kind": "cache", "items": [{"name": "rice", "quantity": -1}]}, "items[0].quantity"),
        ({"kind": "sitrep", "latitude": 33.0}, "longitude"),
        ({"kind": "gossip"}, "kind"),
    ],
)
def test_bad_report_input_names_the_field_and_writes_nothing(
    mission: Mission, field_team: Any, body: dict[str, Any], field: str
) -> None:
    before = rows()
    response = api_as(field_team).post(f"/api/missions/{mission.pk}/reports/", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert rows() == before


def test_a_report_reads_back_as_a_packet_and_the_packet_decodes(
    mission: Mission, field_team: Any
) -> None:
    api = api_as(field_team)
    report = api.post(
        f"/api/missions/{mission.pk}/reports/",
        {
            "kind": "sighting",
            "count": 12,
            "armed": "yes",
            "direction": "ne",
            "hostile_group": "Black Scorpions",
            "latitude": 33.4,
            "longitude": 36.1,
        },
        format="json",
    ).json()
    packet = api.get(f"/api/reports/{report['id']}/packet/").json()
    assert packet["bytes"] <= 200 and "12 ARMED" in packet["readback"]
    assert "<event" in packet["cot"]
    decoded = api.post("/api/radio/decode/", {"packet": packet["packet_base64"]}, format="json")
    assert decoded.json()["values"]["hostile_group"] == "Black Scorpions"


def test_a_radio_packet_is_ingested_once_and_a_corrupt_one_is_refused_by_field(
    mission: Mission, commander: Any
) -> None:
    mission = set_out(mission, commander)
    fix = codec.Fix(mission.radio_tag, 1, 9, 60, 33_500_000, 36_300_000)
    packet = codec.encode(codec.RadioReport(fix, codec.CheckIn(codec.CheckInStatus.OK, "")))
    api = api_as(commander)
    body = {"packet": base64.b64encode(packet).decode()}
    assert api.post("/api/radio/ingest/", body, format="json").status_code == 201
    assert api.post("/api/radio/ingest/", body, format="json").status_code == 201
    assert CheckIn.objects.count() == 1
    before = rows()
    bad = api.post("/api/radio/ingest/", {"packet": packet[:-3].hex()}, format="json")
    assert bad.status_code == 400 and "truncated" in bad.json()["error"]["fields"]["packet"][0]
    assert rows() == before
