"""The facilities and watch API: each operation, bad input naming the field and writing
nothing, roles refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from lifeline.facilities.models import DamageAssessment, Facility, Shift, WorkOrder
from lifeline.intel.models import WatchPost
from lifeline.people.services import person_register

pytestmark = pytest.mark.django_db


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_register_assess_repair_and_close_through_the_api(
    commander: Any, field_team: Any, logistics: Any
) -> None:
    made = api_as(logistics).post(
        "/api/facilities/",
        {"name": "Water point 2", "kind": "water_point", "capacity": 6000},
        format="json",
    )
    assert made.status_code == 201, made.content
    facility_id = made.json()["id"]
    assert made.json()["capacity_unit"] == "litres_per_day"

    assessed = api_as(field_team).post(
        f"/api/facilities/{facility_id}/assessments/",
        {"severity": 3, "safe_to_use": False, "damage": "pump shot through", "capacity_lost": 6000},
        format="json",
    )
    assert assessed.status_code == 201, assessed.content
    listed = api_as(field_team).get("/api/facilities/?state=unsafe").json()
    assert [f["name"] for f in listed] == ["Water point 2"]

    work = api_as(logistics).post(
        "/api/work/",
        {
            "facility": facility_id,
            "title": "Replace the pump",
            "priority": "urgent",
            "assessment": assessed.json()["id"],
        },
        format="json",
    )
    assert work.status_code == 201, work.content
    work_id = work.json()["id"]
    assert api_as(logistics).post(f"/api/work/{work_id}/start/").status_code == 200
    closed = api_as(logistics).post(
        f"/api/work/{work_id}/close/", {"note": "spare pump fitted"}, format="json"
    )
    assert closed.status_code == 200 and closed.json()["status"] == "done"
    record = api_as(field_team).get(f"/api/facilities/{facility_id}/").json()
    assert record["facility"]["state"] == "working"
    assert record["work"][0]["close_note"] == "spare pump fitted"


def test_bad_input_names_the_field_and_writes_nothing(commander: Any) -> None:
    client = api_as(commander)
    response = client.post(
        "/api/facilities/", {"name": "", "kind": "castle", "capacity": -1}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"name", "kind", "capacity"}
    assert not Facility.objects.exists()
    facility_id = client.post(
        "/api/facilities/", {"name": "Shelter A", "kind": "shelter", "capacity": 30}, format="json"
    ).json()["id"]
    bad = client.post(
        f"/api/facilities/{facility_id}/assessments/",
        {"severity": 9, "safe_to_use": "perhaps", "colour": "red"},
        format="json",
    )
    assert bad.status_code == 400
    assert "colour" in bad.json()["error"]["fields"]
    assert client.get("/api/facilities/not-an-id/").status_code == 400
    assert not DamageAssessment.objects.exists()
    assert client.post("/api/work/", {"facility": facility_id}, format="json").status_code == 400
    assert not WorkOrder.objects.exists()


def test_roles_are_refused_with_nothing_written(viewer: Any, field_team: Any) -> None:
    made = api_as(viewer).post(
        "/api/facilities/", {"name": "Store", "kind": "store"}, format="json"
    )
    assert made.status_code == 403
    assert api_as(viewer).get("/api/watch/roster/").status_code == 403
    assert api_as(field_team).get("/api/watch/roster/").status_code == 200
    assert not Facility.objects.exists()


def test_the_roster_through_the_api(commander: Any, posts: list[WatchPost]) -> None:
    client = api_as(commander)
    amir = person_register(actor=commander, given_name="Amir", family_name="Haddad")
    start = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    planned = client.post(
        "/api/watch/shifts/",
        {
            "post": str(posts[0].pk),
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=6)).isoformat(),
            "person": str(amir.pk),
            "user": commander.username,
        },
        format="json",
    )
    assert planned.status_code == 201, planned.content
    clash = client.post(
        "/api/watch/shifts/",
        {
            "post": str(posts[1].pk),
            "starts_at": (start + dt.timedelta(hours=2)).isoformat(),
            "ends_at": (start + dt.timedelta(hours=8)).isoformat(),
            "person": str(amir.pk),
        },
        format="json",
    )
    assert clash.status_code == 400 and "person" in clash.json()["error"]["fields"]
    roster = client.get(f"/api/watch/roster/?start={start.isoformat()}&hours=6".replace("+", "%2B"))
    assert roster.status_code == 200, roster.content
    body = roster.json()
    assert [s["post_name"] for s in body["shifts"]] == ["North gate"]
    assert [g["post"] for g in body["gaps"]] == [str(posts[1].pk)]
    assert [s["id"] for s in client.get("/api/watch/shifts/mine/").json()] == [planned.json()["id"]]
    handover = client.post(
        f"/api/watch/shifts/{planned.json()['id']}/handover/", {"note": "quiet"}, format="json"
    )
    assert handover.status_code == 200
    assert Shift.objects.get().handover_note == "quiet"
    assert client.get("/api/watch/roster/?hours=0").status_code == 400
